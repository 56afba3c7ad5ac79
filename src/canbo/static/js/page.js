/* Small page behaviours that were inline handlers (onclick=, href="javascript:"), which the
   content-security policy (script-src 'self', no inline script) refuses. */
document.addEventListener("click", function (ev) {
  /* A unit tree's ▸ button: turn the arrow; "children" also shows or hides the sub-units' list
     (the element after the next one), which htmx fills on the first click. */
  var toggle = ev.target.closest && ev.target.closest("[data-tree-toggle]");
  if (toggle) {
    toggle.classList.toggle("open");
    if (toggle.dataset.treeToggle === "children") {
      var list = toggle.nextElementSibling && toggle.nextElementSibling.nextElementSibling;
      if (list) { list.classList.toggle("hidden"); }
    }
    return;
  }
  /* "Quay lại" on an error page. */
  var back = ev.target.closest && ev.target.closest("[data-history-back]");
  if (back) {
    ev.preventDefault();
    history.back();
  }
});
