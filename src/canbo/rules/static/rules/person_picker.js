// The check page's person picker: a suggestion clicked fills the name and the hidden person id;
// typing again clears the id, so that the form never submits a person other than the one shown.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-person-id]");
  if (!button) return;
  const form = button.closest("form");
  form.querySelector("input[name=nguoi]").value = button.dataset.personId;
  form.querySelector("input[name=ten]").value = button.dataset.personName;
  document.getElementById("goi-y-nguoi").innerHTML = "";
});
document.addEventListener("input", function (event) {
  if (!event.target.matches("[data-person-picker]")) return;
  const hidden = event.target.form.querySelector("input[name=nguoi]");
  if (hidden) hidden.value = "";
});
