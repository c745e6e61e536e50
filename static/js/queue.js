/* The changes made offline in the installed app, kept in IndexedDB until they are sent.
   Shared by the pages (static/js/offline.js) and the service worker, which both send them.
   Each change carries a key of its own, sent as Idempotency-Key, so that however often it is
   sent it is applied once (planner/idempotency.py). */
(function (scope) {
  "use strict";

  var DATABASE = "yearloop";
  var STORE = "changes";

  function inStore(mode, work) {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open(DATABASE, 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore(STORE, { keyPath: "key" });
      };
      opening.onerror = function () { reject(opening.error); };
      opening.onsuccess = function () {
        var db = opening.result;
        var transaction = db.transaction(STORE, mode);
        var request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          db.close();
          resolve(request ? request.result : undefined);
        };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      };
    });
  }

  function newKey() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function all(owner) {
    return inStore("readonly", function (store) { return store.getAll(); }).then(function (changes) {
      return changes
        .filter(function (change) { return change.owner === owner; })
        .sort(function (a, b) { return a.created - b.created; });
    });
  }

  function put(change) {
    return inStore("readwrite", function (store) { return store.put(change); });
  }

  function remove(key) {
    return inStore("readwrite", function (store) { return store.delete(key); });
  }

  // A text typed offline is one change however many pauses autosave saw: the latest words
  // replace the waiting ones, and keep their key and their place in the queue.
  function add(change) {
    return all(change.owner).then(function (waiting) {
      var same = change.replaces && waiting.find(function (old) {
        return old.url === change.url && old.state === "waiting";
      });
      change.key = same ? same.key : newKey();
      change.created = same ? same.created : Date.now();
      change.state = "waiting";
      return put(change);
    });
  }

  function bodyOf(change, token) {
    var body = new FormData();
    change.fields.forEach(function (field) {
      if (field.file) body.append(field.name, field.file, field.file.name);
      else body.append(field.name, field.value);
    });
    if (token) body.set("csrfmiddlewaretoken", token);
    return body;
  }

  // "sent" (applied, now or before), "wait" (no network, server trouble, logged out: try
  // later) or "refused" (the server said why: shown to the person, who decides).
  function send(change, token, fromWorker) {
    return fetch(change.url, {
      method: "POST",
      body: bodyOf(change, token),
      headers: { "Idempotency-Key": change.key, "X-CSRFToken": token || change.token },
      credentials: "same-origin",
      redirect: "manual",
    }).then(
      function (response) {
        if (response.status === 204 && response.headers.get("Idempotency-Status")) return "sent";
        var later = response.status >= 500 || response.status === 401 || response.status === 429;
        // The worker has only the token the page had; a page sends the current one.
        if (later || response.type === "opaqueredirect" || (fromWorker && response.status === 403)) {
          return "wait";
        }
        change.state = "refused";
        change.status = response.status;
        return put(change).then(function () { return "refused"; });
      },
      function () { return "offline"; }
    );
  }

  // One sender at a time, page or worker, where the browser can say so: the server would
  // apply a change once anyway, this only saves sending it twice.
  function exclusively(work) {
    if (scope.navigator.locks) return scope.navigator.locks.request("yearloop-queue", work);
    return work();
  }

  // `leave(change)`: true for a change to leave for now (a text an open editor saves);
  // `sent(change)`: called after each change is applied.
  function sendAll(owner, token, fromWorker, leave, afterSent) {
    var sent = 0;
    return exclusively(function () {
      return all(owner).then(function (changes) {
        var next = function (index) {
          var change = changes[index];
          if (!change) return sent;
          if (change.state !== "waiting" || (leave && leave(change))) return next(index + 1);
          return send(change, token, fromWorker).then(function (outcome) {
            if (outcome === "offline") return sent;
            if (outcome !== "sent") return next(index + 1);
            sent += 1;
            return remove(change.key)
              .then(function () { return afterSent && afterSent(change); })
              .then(function () { return next(index + 1); });
          });
        };
        return next(0);
      });
    });
  }

  // Every owner's changes, for the worker, which knows no owner: each is sent with the
  // token its page had, so only its owner's session can apply it.
  function owners() {
    return inStore("readonly", function (store) { return store.getAll(); }).then(function (changes) {
      return changes
        .map(function (change) { return change.owner; })
        .filter(function (owner, index, list) { return list.indexOf(owner) === index; });
    });
  }

  scope.YearloopQueue = {
    add: add,
    all: all,
    remove: remove,
    sendAll: sendAll,
    owners: owners,
    bodyOf: bodyOf,
  };
})(self);
