// Photo uploads on an entry's edit page. Each chosen or dropped file is sent on its own,
// one after another (so photos keep the order chosen), with a progress bar beside its name;
// the photo list is swapped in place as each one finishes, and a refused file shows the
// reason the server gave (a 422 answer). Without this script the form posts every file at
// once and the page comes back with the same list and the same reasons.
(function () {
  "use strict";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("data-hx-headers") || "{}")["x-csrftoken"] || "";
    } catch (error) {
      return "";
    }
  }

  // A thumbnail dragged to a new place carries its image as a file: that is a move, not an
  // upload, so only files dragged in from outside the page count.
  var dragFromPage = false;
  document.addEventListener("dragstart", function () { dragFromPage = true; });
  document.addEventListener("dragend", function () { dragFromPage = false; });

  function hasFiles(event) {
    return !dragFromPage && Boolean(event.dataTransfer) &&
      Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1;
  }

  // Selecting text in a caption must not drag its photo: a photo drags from anywhere else.
  document.addEventListener("pointerdown", function (event) {
    var item = event.target.closest && event.target.closest("#photo-list [draggable]");
    if (item) item.draggable = !event.target.closest("input, textarea");
  });

  // Captions typed but not saved yet survive a swap of the photo list (an upload finishing,
  // another photo moved or its caption saved); a caption the server changed is left as sent.
  function unsavedCaptions(list) {
    var unsaved = {};
    if (!list) return unsaved;
    list.querySelectorAll("input[name=caption]").forEach(function (input) {
      if (input.value !== input.defaultValue) {
        unsaved[input.id] = { value: input.value, was: input.defaultValue };
      }
    });
    return unsaved;
  }

  function restoreCaptions(list, unsaved) {
    if (!list) return;
    Object.keys(unsaved).forEach(function (id) {
      var input = list.querySelector("#" + CSS.escape(id));
      if (input && input.value === unsaved[id].was) input.value = unsaved[id].value;
    });
  }

  var keptCaptions = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    keptCaptions = target && target.id === "photo-list" ? unsavedCaptions(target) : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!keptCaptions) return;
    restoreCaptions(document.getElementById("photo-list"), keptCaptions);
    keptCaptions = null;
  });

  // Put the server's photo list in place of the current one, keeping unsaved captions and
  // focus; returns the reasons it gives for refusing, which then show beside the file.
  function swapPhotoList(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var fresh = template.content.querySelector("#photo-list");
    var current = document.getElementById("photo-list");
    if (!fresh || !current) return "";
    var reasons = [];
    var refusals = fresh.querySelector("[data-upload-refusals]");
    if (refusals) {
      refusals.querySelectorAll("li").forEach(function (item) {
        var reason = item.querySelector(".upload-reason") || item;
        reasons.push(reason.textContent.trim());
      });
      refusals.remove();
    }
    var unsaved = unsavedCaptions(current);
    var focused = current.contains(document.activeElement) ? document.activeElement : null;
    current.replaceWith(fresh);
    restoreCaptions(fresh, unsaved);
    if (window.htmx) window.htmx.process(fresh);
    if (focused && focused.id) {
      var again = document.getElementById(focused.id);
      if (again) {
        again.focus();
        if (again.setSelectionRange && typeof focused.selectionStart === "number") {
          again.setSelectionRange(focused.selectionStart, focused.selectionEnd);
        }
      }
    }
    return reasons.join(" ");
  }

  function setUp(form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-drop-zone]");
    var rows = form.querySelector("[data-upload-progress]");
    var button = form.querySelector("[data-upload-button]");
    var texts = form.dataset;
    var queue = [];
    var busy = false;

    // Files start uploading as soon as they are chosen or dropped.
    if (button) button.remove();

    function addRow(file) {
      var row = document.createElement("li");
      row.className = "upload-item";
      var name = document.createElement("span");
      name.className = "upload-name";
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      var status = document.createElement("span");
      status.className = "upload-status";
      status.textContent = texts.textWaiting;
      row.append(name, bar, status);
      rows.appendChild(row);
      return { file: file, row: row, bar: bar, status: status };
    }

    function enqueue(files) {
      if (!files || !files.length) return;
      // Rows of photos added earlier make way; refused ones stay until the page is left.
      rows.querySelectorAll(".upload-done").forEach(function (row) { row.remove(); });
      Array.prototype.forEach.call(files, function (file) { queue.push(addRow(file)); });
      next();
    }

    function next() {
      if (busy || !queue.length) return;
      busy = true;
      send(queue.shift());
    }

    function finish(item, state, text) {
      item.row.classList.add("upload-" + state);
      item.bar.value = 100;
      item.status.textContent = text;
      busy = false;
      next();
    }

    function send(item) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("HX-Request", "true");
      xhr.setRequestHeader("HX-Current-URL", window.location.href);
      item.status.textContent = texts.textUploading;
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) item.bar.value = Math.round((event.loaded / event.total) * 100);
      });
      xhr.upload.addEventListener("load", function () {
        item.status.textContent = texts.textProcessing;
      });
      xhr.addEventListener("load", function () {
        var redirect = xhr.getResponseHeader("HX-Redirect");
        if (redirect) {
          window.location.assign(redirect); // the session ended: log in again
          return;
        }
        if (xhr.status === 200) {
          swapPhotoList(xhr.responseText);
          finish(item, "done", texts.textAdded);
        } else if (xhr.status === 422) {
          finish(item, "refused", swapPhotoList(xhr.responseText) || texts.textFailed);
        } else {
          finish(item, "refused", texts.textFailed);
        }
      });
      xhr.addEventListener("error", function () {
        finish(item, "refused", texts.textFailed);
      });
      var data = new FormData();
      data.append("images", item.file, item.file.name);
      xhr.send(data);
    }

    input.addEventListener("change", function () {
      enqueue(input.files);
      input.value = "";
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      enqueue(input.files);
      input.value = "";
    });

    zone.addEventListener("dragover", function (event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("drop-zone-over");
    });
    zone.addEventListener("dragleave", function (event) {
      if (!zone.contains(event.relatedTarget)) zone.classList.remove("drop-zone-over");
    });
    zone.addEventListener("drop", function (event) {
      if (!hasFiles(event)) return;
      event.preventDefault();
      zone.classList.remove("drop-zone-over");
      enqueue(event.dataTransfer.files);
    });

    // A file dropped beside the zone would make the browser open it and leave the page.
    document.addEventListener("dragover", function (event) {
      if (!hasFiles(event) || zone.contains(event.target)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "none";
    });
    document.addEventListener("drop", function (event) {
      if (hasFiles(event) && !zone.contains(event.target)) event.preventDefault();
    });

    window.addEventListener("beforeunload", function (event) {
      if (busy || queue.length) event.preventDefault();
    });
  }

  document.querySelectorAll("form[data-upload-form]").forEach(setUp);
})();
