/* Writing without a network, in the installed app: the forms marked data-offline-label
   (a new entry, progress on a goal, a tick, a post's texts) are kept on this device when
   there is no network, listed in the page's "changes waiting" panel, and sent when the
   network is back: on Background Sync where the browser has it, else when a page loads,
   when the network returns or when the app is looked at again. Without JavaScript, or
   with a network, the forms post as always. */
(function () {
  "use strict";

  var Queue = window.YearloopQueue;
  var panel = document.getElementById("offline-queue");
  if (!Queue || !panel || !window.indexedDB) return;
  var owner = panel.dataset.owner;
  var list = panel.querySelector("[data-queue-list]");
  var count = panel.querySelector("[data-queue-count]");
  var status = document.querySelector("[data-queue-status]");
  var waiting = 0; // changes on this device, as last shown

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("data-hx-headers"))["x-csrftoken"];
    } catch (error) {
      return null;
    }
  }

  function fieldsOf(form, submitter) {
    var data;
    try {
      data = new FormData(form, submitter);
    } catch (olderBrowser) {
      data = new FormData(form);
    }
    var fields = [];
    data.forEach(function (value, name) {
      if (typeof value === "string") fields.push({ name: name, value: value });
      else if (value.size) fields.push({ name: name, file: value });
    });
    return fields;
  }

  function labelOf(form) {
    var detail = form.dataset.offlineDetail && form.elements[form.dataset.offlineDetail];
    var value = detail && detail.value.trim();
    return form.dataset.offlineLabel + (value ? ": " + value.slice(0, 80) : "");
  }

  function say(text) {
    status.textContent = text;
  }

  // Said by the form as well, where the person is looking (the page's line may be a screen
  // above, on a phone); hidden from screen readers, which hear the page's line.
  function sayBy(form, text) {
    var line = form.querySelector("[data-offline-kept]");
    if (!line) {
      line = document.createElement("p");
      line.className = "offline-kept";
      line.setAttribute("data-offline-kept", "");
      line.setAttribute("aria-hidden", "true");
      form.append(line);
    }
    line.textContent = text;
  }

  function plural(kind, number) {
    return panel.dataset[kind + (number === 1 ? "One" : "Other")].replace("{n}", number);
  }

  function button(text, action) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "link-button";
    element.textContent = text;
    element.addEventListener("click", action);
    return element;
  }

  function showQueue() {
    return Queue.all(owner).then(function (changes) {
      if (waiting && !changes.length && status.textContent === panel.dataset.kept) say("");
      waiting = changes.length;
      panel.hidden = changes.length === 0;
      count.textContent = plural("waiting", changes.length);
      list.replaceChildren.apply(list, changes.map(function (change) {
        var item = document.createElement("li");
        var label = document.createElement("span");
        label.textContent = change.label;
        item.append(label);
        if (change.state === "refused") {
          var why = document.createElement("span");
          why.className = "queue-refused";
          why.textContent = " — " + panel.dataset.refused;
          item.append(why, " ", button(panel.dataset.open, function () { openAsPage(change); }));
        }
        item.append(" ", button(panel.dataset.discard, function () {
          if (window.confirm(panel.dataset.confirmDiscard)) {
            Queue.remove(change.key).then(function () {
              tellOtherTabs();
              return showQueue();
            });
          }
        }));
        return item;
      }));
      if (changes.some(function (change) { return change.state === "refused"; })) {
        panel.querySelector("details").open = true;
      }
    });
  }

  // A change the server did not take (a text changed elsewhere meanwhile, a field it
  // refuses) is posted as the form it came from, so the server's own page answers: the
  // two versions side by side, or the form with what to correct.
  function openAsPage(change) {
    // Taken out of the queue as it is posted: first make sure the server is there.
    var check = { method: "HEAD", credentials: "same-origin", cache: "no-store", redirect: "manual" };
    fetch(change.url, check).then(
      function (response) {
        // Sent to the log-in page: the session ended, and the change would be lost there.
        if (response.type === "opaqueredirect" || response.status === 401) {
          say(panel.dataset.needsLogin);
          return;
        }
        if (response.status >= 500) throw new Error(String(response.status));
        postAsPage(change);
      },
      function () { say(panel.dataset.needsNetwork); }
    ).catch(function () { say(panel.dataset.needsNetwork); });
  }

  function postAsPage(change) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = change.url;
    form.enctype = "multipart/form-data";
    form.hidden = true;
    change.fields.forEach(function (field) {
      var input = document.createElement("input");
      input.name = field.name;
      if (field.file) {
        input.type = "file";
        var files = new DataTransfer();
        files.items.add(field.file);
        input.files = files.files;
      } else {
        input.type = "hidden";
        input.value = field.name === "csrfmiddlewaretoken" ? csrfToken() : field.value;
      }
      form.append(input);
    });
    document.body.append(form);
    Queue.remove(change.key).then(function () { form.submit(); });
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("yearloop-queue");
    }).catch(function () { /* then the next page load or focus sends it */ });
  }

  // A text whose editor is open here is saved by the editor itself, from its latest
  // words: its autosave, with the conflict view in place if the text changed elsewhere.
  function openEditor(change) {
    return Array.prototype.find.call(
      document.querySelectorAll("form[data-offline-replaces]"),
      function (form) { return form.action === change.url; }
    );
  }

  function saveOpenEditors(changes) {
    changes.forEach(function (change) {
      var form = openEditor(change);
      var textarea = form && form.querySelector("textarea[data-autosave]");
      if (!textarea || change.state !== "waiting") return;
      window.htmx.ajax("POST", textarea.getAttribute("data-hx-post"), {
        source: textarea,
        target: "#" + textarea.id.replace(/-text$/, "-state"),
        swap: "innerHTML",
      });
    });
  }

  // A save of an editor that reached the server makes its waiting change out of date.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest("form[data-offline-replaces]");
    if (!form || !event.detail.successful || !waiting) return;
    Queue.all(owner).then(function (changes) {
      var done = changes.filter(function (c) { return c.url === form.action && c.state === "waiting"; });
      return Promise.all(done.map(function (change) { return Queue.remove(change.key); }));
    }).then(function () {
      tellOtherTabs();
      return showQueue();
    });
  });

  // Pages fetched in the background for the service worker to keep. Given up when the
  // person logs out: an answer arriving after the log-out would put their page back.
  var keeping = new AbortController();
  function keepInBackground(address) {
    return fetch(address, {
      headers: { "X-Keep-Offline": "1" },
      credentials: "same-origin",
      signal: keeping.signal,
    });
  }

  // The page a change was made on is fetched again once it is sent, so that the copy kept
  // of it (an editor, with the version its text is at) is not older than the change.
  function keepAgain(change) {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return null;
    return keepInBackground(change.page).catch(function () { /* kept at the next visit */ });
  }

  function sendWaiting() {
    if (!navigator.onLine) return showQueue();
    return Queue.all(owner).then(saveOpenEditors).then(function () {
      return Queue.sendAll(owner, csrfToken(), false, openEditor, keepAgain);
    }).then(function (sent) {
      if (sent) {
        say(plural("sent", sent));
        tellOtherTabs();
      }
      return showQueue();
    });
  }

  // Other tabs of the app show the same queue.
  var tabs = window.BroadcastChannel ? new BroadcastChannel("yearloop-queue") : null;
  function tellOtherTabs() {
    if (tabs) tabs.postMessage("changed");
  }
  if (tabs) tabs.onmessage = showQueue;

  function keep(form, submitter, replaces) {
    var change = {
      owner: owner,
      page: window.location.href,
      url: form.action,
      label: labelOf(form),
      fields: fieldsOf(form, submitter),
      token: csrfToken(),
      replaces: replaces,
    };
    // What waits on the device should not be evicted under storage pressure.
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    return Queue.add(change).then(function () {
      say(panel.dataset.kept);
      askForSync();
      tellOtherTabs();
      return showQueue();
    });
  }

  // What the person sees at once, as if it had been sent.
  function afterKept(form) {
    if (form.hasAttribute("data-offline-reset")) form.reset();
    // An editor says it in its own status line.
    if (!form.hasAttribute("data-offline-replaces")) sayBy(form, panel.dataset.kept);
    var tick = form.querySelector("[aria-pressed]");
    if (tick) {
      form.elements.done.value = form.elements.done.value === "1" ? "0" : "1";
      var done = tick.getAttribute("aria-pressed") !== "true";
      tick.setAttribute("aria-pressed", String(done));
      tick.firstElementChild.textContent = done ? "✓" : "";
      var label = tick.getAttribute("aria-label");
      tick.setAttribute("aria-label", tick.dataset.otherLabel);
      form.dataset.offlineLabel = tick.dataset.otherLabel;
      tick.dataset.otherLabel = label;
      form.closest(".goal").classList.toggle("goal-done", done);
    }
    var textarea = form.querySelector("textarea[data-autosave]");
    if (textarea) {
      textarea.dispatchEvent(new CustomEvent("yearloop:kept", { bubbles: true }));
    }
  }

  function keepInstead(event, form, replaces) {
    event.preventDefault();
    event.stopPropagation();
    keep(form, event.submitter, replaces).then(function () { afterKept(form); });
  }

  // Before htmx, which listens on the form itself.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !form.matches("form[data-offline-label]")) return;
    keepInstead(event, form, form.hasAttribute("data-offline-replaces"));
  }, true);

  // Autosave while offline: the text is kept instead of being sent.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt.closest("form[data-offline-label]");
    if (navigator.onLine || !form || event.detail.requestConfig.verb !== "post") return;
    keepInstead(event, form, true);
  });

  // The network said it was there but the request never arrived: keep the change; and a
  // link that htmx could not fetch is followed instead, to the page the app kept of it.
  document.addEventListener("htmx:sendError", function (event) {
    var element = event.detail.elt;
    var form = element.closest("form[data-offline-label]");
    var problem = document.getElementById("request-problem");
    if (form && event.detail.requestConfig.verb === "post") {
      if (problem) problem.hidden = true;
      keep(form, null, true).then(function () { afterKept(form); });
    } else if (element.tagName === "A" && element.href) {
      window.location.href = element.href;
    }
  });

  // Logging out empties this device's queue with the rest (Clear-Site-Data): ask first.
  document.addEventListener("submit", function (event) {
    if (!event.target.matches("form[data-logout]")) return;
    if (!navigator.onLine) {
      event.preventDefault();
      say(panel.dataset.needsNetwork);
    } else if (waiting && !window.confirm(panel.dataset.confirmLogout)) {
      event.preventDefault();
    } else {
      keeping.abort(); // before the log-out is sent
    }
  });

  // The dashboard names the pages to keep for a trip without network; fetched through the
  // service worker, which keeps them, at most every ten minutes.
  // The page shown before the worker took charge (the first after logging in) is kept too.
  function keepPagesForOffline(event) {
    var holder = document.querySelector("[data-keep-offline]");
    var remembered = "yearloop-kept-at " + owner;
    var last = Number(localStorage.getItem(remembered) || 0);
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    var named = holder ? holder.dataset.keepOffline.split(" ") : [];
    var fresh = Date.now() - last < 600000;
    if (holder && !fresh) localStorage.setItem(remembered, String(Date.now()));
    // Those not kept (dropped when a session ended, say) at once; all every ten minutes.
    caches.open("yearloop-pages").then(function (pages) {
      return Promise.all(named.map(function (address) {
        return pages.match(new URL(address, window.location.href).href).then(function (kept) {
          return !fresh || !kept ? address : null;
        });
      }));
    }).then(function (addresses) {
      if (event) addresses.push(window.location.href);
      addresses.filter(Boolean).forEach(function (address) {
        keepInBackground(address).catch(function () { /* kept next time */ });
      });
    });
  }

  window.addEventListener("online", sendWaiting);
  window.addEventListener("focus", sendWaiting);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") sendWaiting();
  });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("controllerchange", keepPagesForOffline);
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (!event.data || event.data.queue !== "changed") return;
      if (event.data.sent) say(plural("sent", event.data.sent));
      showQueue();
    });
  }
  sendWaiting();
  keepPagesForOffline(null);
})();
