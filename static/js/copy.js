/* A "copy" button beside a read-only field: `data-copy` names the field, `data-copied` is
   what is announced once it is copied. Without JavaScript (or a clipboard) the button stays
   hidden and the field can be selected and copied by hand. */
(function () {
  "use strict";
  function setUp(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
    });
  }
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const field = document.getElementById(button.dataset.copy);
    const status = button.closest("div[id]").querySelector(".copy-status");
    navigator.clipboard.writeText(field.value).then(function () {
      if (status) status.textContent = button.dataset.copied;
    }, function () {
      field.select();
    });
  });
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSettle", function () { setUp(document); });
})();
