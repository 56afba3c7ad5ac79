/* A form posted by htmx that the server refuses answers 400 (or 409 for a stale edit) with the
   form again and its errors (core.form_views.ServiceFormView). htmx does not swap 4xx answers by
   default: swap them for forms marked data-swap-refusal. */
document.addEventListener("htmx:beforeSwap", function (ev) {
  var status = ev.detail.xhr.status;
  var elt = ev.detail.elt;
  if ((status === 400 || status === 409) && elt && elt.matches && elt.matches("form[data-swap-refusal]")) {
    ev.detail.shouldSwap = true;
    ev.detail.isError = false;
  }
});
