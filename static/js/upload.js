// Photo uploads on an entry's edit page. Each chosen or dropped file is sent on its own,
// two at a time, with a progress bar and a caption box beside its name: a caption typed
// while the file uploads is sent with it, or saved once it has arrived. Large JPEG, PNG and
// WebP photos are made smaller in the browser first (unless the owner keeps originals), so
// a phone sends a fraction of the bytes; their capture time is read before, as the smaller
// copy has no EXIF. When all are in, the new photos are put in the order they were chosen.
// The photo list is swapped in place as each one finishes, and a refused file shows the
// reason the server gave (a 422 answer, or 507 when it has no room to store files). Without
// this script the form posts every file at once and the page comes back with the same list
// and the same reasons.
(function () {
  "use strict";

  var PARALLEL = 2; // uploads at once: faster than one, and the server decodes each in full
  var CAPTION_LIMIT = 300; // as Photo.caption
  var LONGEST = 2048; // px: the site keeps 1600 at most, so this loses nothing it shows
  var SHRINKABLE = /^image\/(jpeg|png|webp)$/;

  // A copy at most LONGEST pixels on its longer side, as JPEG (PNG and WebP with
  // transparency stay as they are); the file itself when it is small, or when the browser
  // cannot read it (HEIC) or make the copy.
  function smaller(file) {
    if (!SHRINKABLE.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = LONGEST / Math.max(bitmap.width, bitmap.height);
      if (scale >= 1 || (file.type !== "image/jpeg" && file.size < 4 * 1024 * 1024)) {
        bitmap.close();
        return file;
      }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob && blob.size < file.size ? blob : file);
        }, "image/jpeg", 0.9);
      });
    });
  }

  // EXIF DateTimeOriginal ("2025:05:03 14:22:07") of a JPEG, or "" when it has none.
  function takenAt(file) {
    if (file.type !== "image/jpeg") return Promise.resolve("");
    return file.slice(0, 128 * 1024).arrayBuffer().then(function (buffer) {
      return exifDate(new DataView(buffer));
    });
  }

  function exifDate(view) {
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return "";
    var offset = 2;
    while (offset + 4 <= view.byteLength) {
      var marker = view.getUint16(offset);
      var length = view.getUint16(offset + 2);
      if (marker === 0xffe1 && view.getUint32(offset + 4) === 0x45786966) {
        return tiffDate(view, offset + 10);
      }
      if ((marker & 0xff00) !== 0xff00) return "";
      offset += 2 + length;
    }
    return "";
  }

  function tiffDate(view, start) {
    if (start + 8 > view.byteLength) return "";
    var little = view.getUint16(start) === 0x4949;
    function u16(at) { return view.getUint16(start + at, little); }
    function u32(at) { return view.getUint32(start + at, little); }
    function find(ifd, tag) {
      if (start + ifd + 2 > view.byteLength) return null;
      var count = u16(ifd);
      for (var i = 0; i < count; i++) {
        var entry = ifd + 2 + i * 12;
        if (start + entry + 12 > view.byteLength) return null;
        if (u16(entry) === tag) return entry;
      }
      return null;
    }
    function text(entry) {
      var at = start + u32(entry + 8);
      var out = "";
      for (var i = 0; i < 19 && at + i < view.byteLength; i++) {
        out += String.fromCharCode(view.getUint8(at + i));
      }
      return /^\d{4}:\d\d:\d\d \d\d:\d\d:\d\d$/.test(out) ? out : "";
    }
    var first = u32(4);
    var pointer = find(first, 0x8769); // the Exif sub-IFD
    var original = pointer !== null ? find(u32(pointer + 8), 0x9003) : null;
    if (original !== null) return text(original);
    var plain = find(first, 0x0132); // DateTime
    return plain !== null ? text(plain) : "";
  }

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

  // Captions typed but not saved yet, or refused, survive an upload's answer, which comes
  // without htmx (editing.js does the same for htmx answers: a photo moved, a caption saved);
  // a caption the server changed is left as sent.
  function unsavedCaptions(list) {
    var unsaved = {};
    if (!list) return unsaved;
    list.querySelectorAll("input[name=caption]").forEach(function (input) {
      var refused = input.getAttribute("aria-invalid") === "true"; // kept until put right
      if (input.value !== input.defaultValue || refused) {
        unsaved[input.id] = { value: input.value, was: refused ? null : input.defaultValue };
      }
    });
    return unsaved;
  }

  function restoreCaptions(list, unsaved) {
    if (!list) return;
    Object.keys(unsaved).forEach(function (id) {
      var input = list.querySelector("#" + CSS.escape(id));
      var was = unsaved[id].was;
      if (!input || (was !== null && input.value !== was)) return;
      input.value = unsaved[id].value;
      input.dispatchEvent(new Event("input", { bubbles: true })); // its length is checked again
    });
  }

  // Every photo list says when the server read it (data-read-at, in microseconds). An
  // upload's answer can arrive after that of a caption saved or a photo moved meanwhile: a
  // list read before the one shown lacks what that one holds, and does not replace it, or a
  // saved caption would vanish and a move be undone. (An htmx answer to a list swapped away
  // since its request goes to that old list, out of the page.)
  function photoListIn(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.querySelector("#photo-list");
  }

  function readBefore(fresh, current) {
    return Number(fresh.dataset.readAt || 0) < Number(current.dataset.readAt || 0);
  }

  // htmx wires up a list it swaps in only when the swap settles, so a form the script
  // submits just before would leave the page; processing it first (again) is harmless.
  function submitInPlace(form) {
    if (window.htmx) window.htmx.process(form);
    form.requestSubmit();
  }

  // Caption boxes (by id) whose typing began beside an upload: saved when left, even with
  // nothing typed since the text moved in (which makes no change event).
  var savedWhenLeft = {};
  function saveWhenLeft(event) {
    var field = event.target;
    if (!field.id || !savedWhenLeft[field.id] || !field.closest("#photo-list")) return;
    delete savedWhenLeft[field.id];
    if (field.value !== field.defaultValue) submitInPlace(field.form);
  }
  document.addEventListener("change", saveWhenLeft);
  document.addEventListener("focusout", saveWhenLeft);

  // Put the server's photo list in place of the current one (unless read before it),
  // keeping unsaved captions and focus; returns the reasons it gives for refusing, which
  // then show beside the file.
  function swapPhotoList(html) {
    var fresh = photoListIn(html);
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
    if (readBefore(fresh, current)) return reasons.join(" ");
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

  // The photo list as it is now, from the page this is.
  function latestPhotoList() {
    return fetch(window.location.href, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text().then(swapPhotoList) : "";
    });
  }

  function setUp(form) {
    var input = form.querySelector("input[type=file]");
    var zone = form.querySelector("[data-drop-zone]");
    var rows = form.querySelector("[data-upload-progress]");
    var button = form.querySelector("[data-upload-button]");
    var texts = form.dataset;
    var queue = [];
    var sending = 0;
    var added = []; // [{order, id}] of this batch, to put in the order chosen
    var chosen = 0;

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
      var caption = document.createElement("input");
      caption.className = "upload-caption";
      caption.maxLength = CAPTION_LIMIT;
      caption.setAttribute("aria-label", texts.textCaption + " " + file.name);
      caption.placeholder = texts.textCaption.replace(/\s*$/, "…");
      row.append(name, bar, status, caption);
      rows.appendChild(row);
      return { file: file, row: row, bar: bar, status: status, caption: caption, order: chosen++ };
    }

    function enqueue(files) {
      if (!files || !files.length) return;
      // Rows of photos added earlier make way; refused ones stay until the page is left.
      rows.querySelectorAll(".upload-done").forEach(function (row) { row.remove(); });
      Array.prototype.forEach.call(files, function (file) { queue.push(addRow(file)); });
      next();
    }

    function next() {
      while (sending < PARALLEL && queue.length) {
        sending += 1;
        prepare(queue.shift());
      }
      if (!sending && !queue.length) putInChosenOrder();
    }

    function finish(item, state, text) {
      item.row.classList.add("upload-" + state);
      item.bar.value = 100;
      item.status.textContent = text;
      sending -= 1;
      next();
    }

    // The caption typed after the file was sent goes to the photo's own caption form. If it
    // is still being typed, the typing goes on there, and it is saved when the box is left
    // or Enter is pressed.
    function keepCaption(item, id, sent) {
      var field = document.getElementById("caption-" + id);
      var typing = document.activeElement === item.caption;
      var wanted = item.caption.value.trim();
      item.caption.disabled = true;
      if (!field || (!typing && wanted === sent)) return;
      field.value = typing ? item.caption.value : wanted;
      if (typing) {
        savedWhenLeft[field.id] = true;
        field.focus();
        field.setSelectionRange(field.value.length, field.value.length);
      } else {
        submitInPlace(field.form);
      }
    }

    function putInChosenOrder() {
      var batch = added.slice().sort(function (a, b) { return a.order - b.order; });
      added = [];
      var list = document.querySelector("#photo-list [data-reorder-form]");
      var form = document.getElementById("photo-reorder-form");
      if (!list || !form || !batch.length) return;
      var ids = Array.prototype.map.call(list.querySelectorAll(":scope > [data-id]"), function (li) {
        return li.dataset.id;
      });
      var mine = batch.map(function (item) { return String(item.id); });
      var others = ids.filter(function (id) { return mine.indexOf(id) === -1; });
      // All of this batch, even one that a list answered earlier than its upload lacks: the
      // answer to the new order is the list as it is now.
      var wanted = others.concat(mine);
      if (wanted.join() === ids.join()) return;
      form.querySelectorAll("input[name=order]").forEach(function (input) { input.remove(); });
      wanted.forEach(function (id) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "order";
        input.value = id;
        form.appendChild(input);
      });
      submitInPlace(form);
    }

    function prepare(item) {
      takenAt(item.file).then(function (taken) {
        item.takenAt = taken;
        return texts.keepOriginals === undefined ? smaller(item.file) : item.file;
      }).then(function (file) {
        item.upload = file;
        send(item);
      }, function () {
        item.upload = item.file;
        send(item);
      });
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
          var id = (xhr.getResponseHeader("X-Photo-Ids") || "").split(",")[0];
          swapPhotoList(xhr.responseText);
          // Not swapped in when read before the list shown, which lacks the new photo.
          var shown = id && !document.getElementById("caption-" + id)
            ? latestPhotoList() : Promise.resolve();
          shown.catch(function () {}).then(function () {
            if (id) {
              added.push({ order: item.order, id: id });
              keepCaption(item, id, sentCaption);
            }
            finish(item, "done", texts.textAdded);
          });
        } else if (xhr.status === 422) {
          finish(item, "refused", swapPhotoList(xhr.responseText) || texts.textFailed);
        } else if (xhr.status === 507) {
          finish(item, "refused", xhr.responseText || texts.textFailed); // no room to store it
        } else {
          finish(item, "refused", texts.textFailed);
        }
      });
      xhr.addEventListener("error", function () {
        finish(item, "refused", texts.textFailed);
      });
      var data = new FormData();
      // A caption longer than a caption may be goes without it, so the photo is not refused
      // for it: it then moves to the photo's own box, where saving it says what is wrong.
      var sentCaption = item.caption.value.trim();
      if (Array.from(sentCaption).length > CAPTION_LIMIT) sentCaption = "";
      data.append("images", item.upload, item.file.name);
      data.append("caption", sentCaption);
      if (item.takenAt) data.append("taken_at", item.takenAt);
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
      if (sending || queue.length) event.preventDefault();
    });
  }

  document.querySelectorAll("form[data-upload-form]").forEach(setUp);
})();
