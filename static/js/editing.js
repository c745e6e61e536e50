// In-place editing helpers that htmx cannot express under a strict CSP:
// keyboard shortcuts in note editors, focus after a swap, drag-and-drop ordering.
(function () {
  "use strict";

  // Ctrl/Cmd+Enter saves a note editor, Esc cancels it.
  document.addEventListener("keydown", function (event) {
    var form = event.target.closest && event.target.closest("form[data-keys-form]");
    if (!form) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === "Escape") {
      var cancel = form.querySelector("[data-cancel]");
      if (cancel) {
        event.preventDefault();
        cancel.click();
      }
    }
  });

  // After a swap, put focus where the person expects it: into a new editor,
  // or back on the control they used (htmx keeps focus on elements with the same id).
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    var field = target.querySelector && target.querySelector("[data-autofocus]");
    if (target.matches && target.matches("[data-autofocus]")) field = target;
    if (field) {
      field.focus();
      if (field.setSelectionRange) field.setSelectionRange(field.value.length, field.value.length);
      return;
    }
    if (target.classList && target.classList.contains("goal-note-region")) {
      var link = target.querySelector(".note-edit-link");
      if (link) link.focus();
    }
  });

  // An action that htmx could not swap in (a 404 or 403, a server error, no network) says
  // so, instead of leaving the person clicking a button that does nothing.
  function showProblem(kind) {
    var box = document.getElementById("request-problem");
    if (!box) return;
    box.textContent = box.dataset[kind];
    box.hidden = false;
  }
  document.addEventListener("htmx:responseError", function (event) {
    showProblem(event.detail.xhr.status === 404 ? "gone" : "failed");
  });
  document.addEventListener("htmx:sendError", function () { showProblem("offline"); });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("request-problem");
    if (box) box.hidden = true;
  });

  // Drag and drop: on drop, send the new order through the list's hidden form.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("[data-reorder-form] > [draggable]");
    if (!item) return;
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.id);
  });
  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var over = event.target.closest && event.target.closest("[data-reorder-form] > [draggable]");
    if (!over || over === dragged || over.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });
  document.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });
  document.addEventListener("dragend", function () {
    if (!dragged) return;
    var list = dragged.parentNode;
    dragged.classList.remove("dragging");
    dragged = null;
    var form = document.getElementById(list.dataset.reorderForm);
    if (!form) return;
    form.querySelectorAll("input[name=order]").forEach(function (input) { input.remove(); });
    list.querySelectorAll(":scope > [data-id]").forEach(function (item) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "order";
      input.value = item.dataset.id;
      form.appendChild(input);
    });
    form.requestSubmit();
  });
})();
