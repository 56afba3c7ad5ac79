/* The unit picker (canbo.org.forms.UnitPicker): pick a unit from the server's results.
   htmx fetches the results; this only copies the picked id and label into the form. */
(function () {
  "use strict";
  function box(el) { return el.closest("[data-unit-picker]"); }
  function add(picker, id, label) {
    /* A picker of several units: one line per unit, with its hidden input. */
    var list = picker.querySelector(".unit-picker-chosen");
    var name = picker.dataset.name;
    if (!list.querySelector('input[value="' + id + '"]')) {
      var li = document.createElement("li");
      var input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = id;
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "unit-picker-remove"; remove.textContent = "×";
      remove.setAttribute("aria-label", "Bỏ " + label);
      li.appendChild(input); li.appendChild(document.createTextNode(label + " ")); li.appendChild(remove);
      list.appendChild(li);
    }
    var search = picker.querySelector(".unit-picker-search");
    search.value = "";
    search.setAttribute("aria-expanded", "false");
    picker.querySelector(".unit-picker-results").innerHTML = "";
  }
  function choose(picker, id, label) {
    if (picker.hasAttribute("data-multiple")) { if (id) { add(picker, id, label); } return; }
    picker.querySelector("[data-unit-value]").value = id;
    var search = picker.querySelector(".unit-picker-search");
    search.value = label;
    search.setAttribute("aria-expanded", "false");
    picker.querySelector(".unit-picker-results").innerHTML = "";
    if (picker.hasAttribute("data-submit-on-pick") && id) {
      var form = picker.closest("form");
      if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
    }
  }
  document.addEventListener("click", function (ev) {
    var pick = ev.target.closest(".unit-pick");
    if (pick && box(pick)) { choose(box(pick), pick.dataset.unitId, pick.dataset.unitLabel); return; }
    var remove = ev.target.closest(".unit-picker-remove");
    if (remove) { remove.closest("li").remove(); return; }
    var clear = ev.target.closest("[data-unit-clear]");
    if (clear && box(clear)) { choose(box(clear), "", ""); }
  });
  document.addEventListener("keydown", function (ev) {
    var search = ev.target.closest && ev.target.closest(".unit-picker-search");
    if (!search || ev.key !== "Enter") { return; }
    ev.preventDefault();  /* Enter picks the first result instead of submitting the form */
    var first = box(search).querySelector(".unit-pick");
    if (first) { first.click(); }
  });
  document.addEventListener("htmx:afterSwap", function (ev) {
    var picker = box(ev.target);
    if (picker) { picker.querySelector(".unit-picker-search").setAttribute("aria-expanded", "true"); }
  });
})();
