/* The installable app: its service worker, for signed-in people, and a word on the page
   when it is shown without a network (the copy the app kept when it was last opened). */
"use strict";

function showWhetherOffline() {
  const banner = document.getElementById("offline-banner");
  if (banner) {
    banner.hidden = navigator.onLine;
  }
}
window.addEventListener("online", showWhetherOffline);
window.addEventListener("offline", showWhetherOffline);
showWhetherOffline(); // deferred: the page is parsed by now

if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
      /* Without it every page still works; only the offline page is missing. */
    });
  });
}
