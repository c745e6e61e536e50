// For visitors, who get htmx only to load more comments in place (and not editing.js):
// focus moves to what came in, the first thread of the next page.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    var field = target.matches && target.matches("[data-autofocus]") ? target
      : target.querySelector && target.querySelector("[data-autofocus]");
    if (field) field.focus();
  });
})();
