// Text editors that autosave (planner/text_editor.html): the status line, and a
// warning before text that is not saved yet is left behind. htmx does the saving;
// under our CSP this behaviour cannot live in hx-on attributes.
(function () {
  "use strict";

  var savedText = new WeakMap(); // textarea -> the text the server last stored from it
  var sentText = new WeakMap(); // request -> the text it carries

  function editorOf(node) {
    return node && node.closest ? node.closest("[data-text-editor]") : null;
  }

  function textareaOf(editor) {
    return editor.querySelector("textarea[name=text]");
  }

  // Until a save, a textarea holds the stored text, unless the server marked it
  // data-unsaved (yours beside a conflict, or refused with an error).
  function isUnsaved(textarea) {
    if (savedText.has(textarea)) return textarea.value !== savedText.get(textarea);
    return textarea.hasAttribute("data-unsaved") || textarea.value !== textarea.defaultValue;
  }

  function showState(editor, state) {
    var status = editor.querySelector("[data-autosave-state]");
    if (status && status.dataset[state]) status.textContent = status.dataset[state];
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var editor = editorOf(event.detail.elt);
    if (!editor || event.detail.requestConfig.verb !== "post") return;
    var textarea = textareaOf(editor);
    if (textarea) sentText.set(event.detail.xhr, textarea.value);
    showState(editor, "saving");
  });

  // Before htmx handles the answer, which may swap the editor away or leave the page.
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail.xhr;
    var editor = editorOf(event.detail.elt);
    if (!editor || !sentText.has(xhr) || xhr.status < 200 || xhr.status > 299) return;
    var textarea = textareaOf(editor);
    if (textarea) savedText.set(textarea, sentText.get(xhr));
  });

  function failed(event) {
    var editor = editorOf(event.detail.elt);
    if (editor) showState(editor, "failed");
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);

  // Kept on this device while offline (offline.js): safe to leave, sent later.
  document.addEventListener("yearloop:kept", function (event) {
    var editor = editorOf(event.target);
    var textarea = editor && textareaOf(editor);
    if (!textarea) return;
    savedText.set(textarea, textarea.value);
    showState(editor, "kept");
  });

  // Closing the editor in place drops what was typed since the last save: ask first.
  document.addEventListener("htmx:confirm", function (event) {
    var question = event.detail.elt.getAttribute("data-confirm-unsaved");
    var editor = editorOf(event.detail.elt);
    var textarea = editor && textareaOf(editor);
    if (!question || !textarea || !isUnsaved(textarea)) return;
    event.preventDefault();
    if (window.confirm(question)) event.detail.issueRequest(true);
  });

  // "Keep theirs" drops yours on purpose: no warning for that editor.
  document.addEventListener("click", function (event) {
    var discard = event.target.closest && event.target.closest("[data-discard]");
    var editor = editorOf(discard);
    if (editor) editor.setAttribute("data-discarded", "");
  });

  window.addEventListener("beforeunload", function (event) {
    var textareas = document.querySelectorAll(
      "[data-text-editor]:not([data-discarded]) textarea[name=text]"
    );
    if (Array.prototype.some.call(textareas, isUnsaved)) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need it to show the warning
    }
  });
})();
