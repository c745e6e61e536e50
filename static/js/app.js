/* The installable app: its service worker, for signed-in people. */
"use strict";

if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      /* Without it every page still works; only the offline page is missing. */
    });
  });
}
