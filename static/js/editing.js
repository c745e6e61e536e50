// In-place editing helpers that htmx cannot express under a strict CSP:
// keyboard shortcuts in note editors, focus after a swap, drag-and-drop ordering.
(function () {
  "use strict";

  // htmx wires up what it swaps in only when the swap settles, so a form the script
  // submits just before would leave the page; processing it first (again) is harmless.
  function submitInPlace(form) {
    if (window.htmx) window.htmx.process(form);
    form.requestSubmit();
  }

  // Ctrl/Cmd+Enter saves a note editor, Esc cancels it.
  document.addEventListener("keydown", function (event) {
    var form = event.target.closest && event.target.closest("form[data-keys-form]");
    if (!form) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submitInPlace(form);
    } else if (event.key === "Escape") {
      var cancel = form.querySelector("[data-cancel]");
      if (cancel) {
        event.preventDefault();
        cancel.click();
      }
    }
  });

  // After an action on a goal or an entry, the list that comes back names the control to
  // focus (the one used, the item's menu, or the Undo of what was deleted: opened if it sits
  // in a closed menu) and what a screen reader should hear.
  function focusAndAnnounce(mayMoveFocus) {
    document.querySelectorAll("[data-focus], [data-announce]").forEach(function (list) {
      var control = list.dataset.focus && document.getElementById(list.dataset.focus);
      if (control && mayMoveFocus) {
        var menu = control.closest("details");
        if (menu && control.tagName !== "SUMMARY") menu.open = true;
        control.focus();
      }
      var live = document.getElementById("live-status");
      if (live && list.dataset.announce) {
        live.textContent = "";
        var text = list.dataset.announce;
        window.setTimeout(function () { live.textContent = text; }, 100);
      }
      list.removeAttribute("data-focus");
      list.removeAttribute("data-announce");
    });
  }

  // A menu closes once one of its actions is used, and when another one opens.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var menu = event.target.closest && event.target.closest("details.item-menu");
    if (menu) menu.open = false;
  });
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!menu.matches || !menu.matches("details.item-menu") || !menu.open) return;
    document.querySelectorAll("details.item-menu[open]").forEach(function (other) {
      if (other !== menu) other.open = false;
    });
  }, true);
  // A click or tap anywhere else closes an open menu, as menus do.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.item-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = event.target.closest && event.target.closest("details.item-menu[open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });

  // An answer that comes late does not take the focus from a text the person has begun
  // typing elsewhere meanwhile (the page's comment box while a reply box loads).
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.xhr) event.detail.xhr.focusWhenSent = document.activeElement;
  });
  function typingElsewhere(event) {
    var active = document.activeElement;
    var sentFrom = event.detail.xhr && event.detail.xhr.focusWhenSent;
    if (!active || active === sentFrom || event.detail.elt.contains(active)) return false;
    return active.isContentEditable
      || /^(textarea|text|search|email|url|number|tel|password)$/.test(active.type);
  }

  // After a swap, put focus where the person expects it: into a new editor,
  // or back on the control they used (htmx keeps focus on elements with the same id).
  document.addEventListener("htmx:afterSettle", function (event) {
    var mayMoveFocus = !typingElsewhere(event);
    focusAndAnnounce(mayMoveFocus);
    if (!mayMoveFocus) return;
    var target = event.detail.elt;
    var field = target.querySelector && target.querySelector("[data-autofocus]");
    if (target.matches && target.matches("[data-autofocus]")) field = target;
    if (field) {
      field.focus();
      // Once: a reply box kept through a later swap of the section does not take it again.
      field.removeAttribute("data-autofocus");
      // Into a text, at its end (a number field has no selection to set).
      if (field.setSelectionRange && /^(text|search|textarea)$/.test(field.type)) {
        field.setSelectionRange(field.value.length, field.value.length);
      }
      return;
    }
    if (target.classList && target.classList.contains("goal-note-region")) {
      // The note was saved or its editor closed: back to the goal's menu.
      var menu = document.getElementById("menu-" + target.id.replace(/^goal-|-note$/g, ""));
      if (menu) menu.focus();
    }
  });

  // When the control used goes with what it acted on (a comment deleted), the focus goes to
  // the heading of the section it was in, not back to the start of the page.
  var focusHome = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var section = target && target.contains(document.activeElement) && target.closest("section[id]");
    focusHome = section ? section.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var section = focusHome && document.getElementById(focusHome);
    focusHome = null;
    var active = document.activeElement;
    if (!section || (active && active !== document.body)) return;
    var heading = section.querySelector("h2, h3");
    if (!heading) return;
    heading.tabIndex = -1;
    heading.focus();
  });

  // A reply box with text in it is never emptied by a further "Reply" (another comment in
  // the thread, or a double tap): the box comes again, now answering that comment, and the
  // text typed goes back into it (the rule above). "Cancel" empties it, asking first when
  // something is typed.
  function replyText(box) {
    var field = box && box.querySelector("textarea");
    return field && field.value.trim() ? field : null;
  }
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("[data-reply-cancel]");
    if (!cancel) return;
    var box = cancel.closest(".comment-reply");
    if (!box) return;
    if (replyText(box) && !window.confirm(cancel.dataset.confirm)) return;
    var thread = box.closest(".comment-thread");
    box.innerHTML = "";
    var back = thread && thread.querySelector(".comment-reply-link");
    if (back) back.focus();
  });

  // Text typed and not saved, or refused, in a part of the page that an answer about
  // something else replaces (an edit open under a comment when a new comment comes in, a
  // refused caption when another photo moves) is put back into the same box, its editor
  // open. The form that was sent is left out: its answer says what became of its text.
  var typedTexts = {};
  document.addEventListener("htmx:beforeSwap", function (event) {
    typedTexts = {};
    var target = event.detail.target;
    if (!target || !target.querySelectorAll || !event.detail.shouldSwap) return;
    var sent = event.detail.requestConfig && event.detail.requestConfig.elt;
    var form = sent && (sent.closest ? sent.closest("form") : null);
    target.querySelectorAll("textarea[id], input[id][name]").forEach(function (field) {
      if (form && form.contains(field)) return;
      if (!/^(textarea|text|search)$/.test(field.type)) return;
      var refused = field.getAttribute("aria-invalid") === "true";
      if (field.value === field.defaultValue && !refused) return;
      typedTexts[field.id] = { value: field.value, was: refused ? null : field.defaultValue };
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    Object.keys(typedTexts).forEach(function (id) {
      var field = document.getElementById(id);
      var typed = typedTexts[id];
      if (!field || field.value === typed.value) return;
      if (typed.was !== null && field.value !== typed.was) return; // changed meanwhile: theirs
      field.value = typed.value;
      var editor = field.closest("details");
      if (editor) editor.open = true;
      liftOverfullLimits(field.parentNode);
    });
    typedTexts = {};
  });

  // The whole comments section comes back after a new thread, a pin or a close, as the page
  // that holds the thread concerned. htmx keeps the open reply boxes of the threads it shows
  // (hx-preserve); a thread with a reply being written that this page does not show stays
  // too, at the end of the list, so the reply is not lost.
  var keptThreads = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    keptThreads = [];
    if (!target || target.id !== "comments" || !event.detail.shouldSwap) return;
    var html = event.detail.serverResponse || "";
    target.querySelectorAll(".comment-reply").forEach(function (box) {
      var thread = box.closest(".comment-thread");
      if (thread && replyText(box) && html.indexOf('id="' + box.id + '"') === -1) {
        keptThreads.push(thread);
        thread.remove(); // out of the old section, whose htmx wiring goes with it
      }
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    var list = document.querySelector("#comments .comment-threads");
    if (!keptThreads.length || !list) return;
    var more = list.querySelector(":scope > .comments-more");
    keptThreads.forEach(function (thread) {
      list.insertBefore(thread, more);
      if (window.htmx) window.htmx.process(thread);
    });
    keptThreads = [];
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

  // Text pasted or dropped into a box with a length limit is kept whole, not cut short
  // without a word: the limit is lifted and a note under the box counts down to it until
  // the text fits again. What is saved still too long, the server refuses and says why.
  function overflows(field, added) {
    if (!(field.maxLength > 0) || !added) return false;
    var start = typeof field.selectionStart === "number" ? field.selectionStart : field.value.length;
    var end = typeof field.selectionEnd === "number" ? field.selectionEnd : start;
    return field.value.length - (end - start) + added.length > field.maxLength;
  }
  function showLength(field) {
    var limit = Number(field.dataset.lengthLimit);
    var count = Array.from(field.value.trim()).length; // as the server counts: 🌰 is one
    var note = document.getElementById(field.dataset.lengthNote);
    if (count <= limit) {
      if (note) note.remove();
      field.maxLength = limit;
      delete field.dataset.lengthLimit;
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.id = "length-note-" + Math.random().toString(36).slice(2);
      note.className = "field-errors length-note";
      note.setAttribute("aria-live", "polite");
      (field.closest("label") || field).after(note);
      field.dataset.lengthNote = note.id;
    }
    var live = document.getElementById("live-status");
    var text = live ? live.dataset.tooLong : "{count} / {limit}";
    note.textContent = text.replace("{limit}", limit).replace("{count}", count);
  }
  function keepWhole(field, added) {
    if (!field.matches || !field.matches("input[maxlength], textarea[maxlength]")) return;
    if (!overflows(field, added)) return;
    field.dataset.lengthLimit = field.maxLength;
    field.removeAttribute("maxlength");
  }
  document.addEventListener("paste", function (event) {
    keepWhole(event.target, event.clipboardData && event.clipboardData.getData("text/plain"));
  });
  document.addEventListener("beforeinput", function (event) {
    if (event.inputType !== "insertFromDrop" && event.inputType !== "insertReplacementText") return;
    keepWhole(event.target, event.data || (event.dataTransfer && event.dataTransfer.getData("text/plain")));
  });
  // A box that comes back holding more than its limit (refused, or kept through a swap) is
  // not left to ignore every key but Backspace: the note counts down in it too.
  function liftIfOverfull(field) {
    if (!(field.maxLength > 0) || field.value.length <= field.maxLength) return;
    field.dataset.lengthLimit = field.maxLength;
    field.removeAttribute("maxlength");
    showLength(field);
  }
  function liftOverfullLimits(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("input[maxlength], textarea[maxlength]").forEach(liftIfOverfull);
  }
  liftOverfullLimits(document);
  document.addEventListener("htmx:load", function (event) { liftOverfullLimits(event.target); });
  document.addEventListener("input", function (event) {
    if (!event.target.dataset) return;
    liftIfOverfull(event.target); // a text a script put back (static/js/upload.js)
    if (event.target.dataset.lengthLimit) showLength(event.target);
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
    submitInPlace(form);
  });
})();

// Hints about keys that only work with JavaScript stay hidden until it runs.
(function () {
  function showHints() {
    document.querySelectorAll("[data-js-hint][hidden]").forEach(function (hint) {
      hint.hidden = false;
    });
  }
  showHints();
  document.addEventListener("htmx:load", showHints);
})();
