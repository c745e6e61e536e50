{% load static %}/* Yearloop's service worker: static files from a cache; the signed-in person's own pages
   (marked by the server with X-Offline-Copy) kept as last seen, for use offline; a page
   that says so when there is no network and no copy; and the changes made offline sent on
   Background Sync. Every page is fetched first. */
"use strict";

importScripts("{% static 'js/queue.js' %}");

const CACHE = "yearloop-__VERSION__";
const PAGES = "yearloop-pages";
const OWNER = "yearloop-owner";
const MEDIA = "yearloop-media";
const MEDIA_KEPT = 300; // photos and avatars last seen, for the kept pages offline
const OFFLINE_PAGE = "{% url 'offline' %}";
const PRECACHE = [
  OFFLINE_PAGE,
  "{% static 'yearloop.css' %}",
  "{% static 'icon.svg' %}",
  // What the kept pages need to write offline.
  "{% static 'django_htmx/htmx-2.min.js' %}",
  "{% static 'js/editing.js' %}",
  "{% static 'js/autosave.js' %}",
  "{% static 'js/app.js' %}",
  "{% static 'js/queue.js' %}",
  "{% static 'js/offline.js' %}",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => ![CACHE, PAGES, OWNER, MEDIA].includes(name))
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  // Navigations, and the pages the dashboard asks to keep for offline use (offline.js).
  if (request.mode === "navigate" || request.headers.get("X-Keep-Offline")) {
    event.respondWith(pageFromNetworkOrKept(request, event));
  } else if (/^\/(photos\/\d+|avatars)\//.test(new URL(request.url).pathname)) {
    event.respondWith(mediaFromNetworkOrKept(request));
  } else if (new URL(request.url).pathname.startsWith("{% get_static_prefix %}")) {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ||
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              caches.open(CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  }
});

// When the person signed in last changed, and to whom: an answer for someone else to a
// request begun before that (a page still loading for the one who was signed in) is neither
// kept nor obeyed. One for the person it changed to is theirs (a page the dashboard asked to
// keep while its own answer was making the change).
let changedAt = 0;
let changedTo = null;
// When this worker last wrote who is signed in. That entry gone since then means the site's
// storage was cleared (Clear-Site-Data, when logging out or in).
let ownerWrittenAt = 0;

async function pageFromNetworkOrKept(request, event) {
  const started = performance.now();
  const ownerBefore = await signedIn();
  try {
    const response = await fetch(request);
    const kept = await keepForOwner(request, response, started, ownerBefore);
    if (kept) {
      const photos = response.clone().text().then(keepPhotosOf);
      if (event) {
        event.waitUntil(photos);
      } else {
        await photos;
      }
    }
    return response;
  } catch (offline) {
    const kept = await caches.match(request.url, { cacheName: PAGES });
    const owner = await signedIn();
    if (kept && owner && kept.headers.get("X-Offline-Owner") === owner) {
      return kept;
    }
    return caches.match(OFFLINE_PAGE);
  }
}

// A photo as last seen, so that a kept page shows its pictures offline; only for the person
// signed in when it was fetched, and no more than MEDIA_KEPT of them (oldest go first).
async function mediaFromNetworkOrKept(request) {
  try {
    const response = await fetch(request);
    const owner = response.headers.get("X-Offline-Owner");
    if (response.ok && response.type === "basic" && owner && owner === (await signedIn())) {
      const media = await caches.open(MEDIA);
      await media.put(request.url, response.clone());
      const kept = await media.keys();
      for (const old of kept.slice(0, Math.max(0, kept.length - MEDIA_KEPT))) {
        await media.delete(old);
      }
    }
    return response;
  } catch (offline) {
    const owner = await signedIn();
    if (!owner || !(await caches.has(MEDIA))) {
      return Response.error();
    }
    const media = await caches.open(MEDIA);
    // This file, or another size of the same photo (the window may be narrower now).
    const id = photoIdOf(request.url);
    const sameUrl = await media.match(request.url);
    const samePhoto = id && (await media.keys()).find((kept) => photoIdOf(kept.url) === id);
    const kept = sameUrl || (samePhoto && (await media.match(samePhoto)));
    if (kept && owner && kept.headers.get("X-Offline-Owner") === owner) {
      return kept;
    }
    return Response.error();
  }
}

// Every answer names who is signed in (X-Offline-Owner, "-" for nobody). When that changes,
// the pages kept for anyone else go, even if their session ran out without a log-out.
async function keepForOwner(request, response, started, ownerBefore) {
  const owner = response.headers.get("X-Offline-Owner");
  if (!owner || request.signal.aborted) {
    return false;
  }
  if (!(await signedIn()) && (ownerBefore || ownerWrittenAt > started)) {
    // The site's storage was cleared while this was on its way: a log-out (or a log-in) came
    // after it was asked for, and the page of whoever was signed in then stays off the device.
    return false;
  }
  const url = request.url;
  if (owner !== (await signedIn())) {
    if (started < changedAt && owner !== changedTo) {
      return false;
    }
    changedAt = performance.now();
    changedTo = owner;
  }
  if (owner === "-") {
    // Nobody signed in: nothing is kept for anyone (and nothing made anew).
    await Promise.all([PAGES, MEDIA, OWNER].map((name) => caches.delete(name)));
    return false;
  }
  const pages = await caches.open(PAGES);
  if (owner !== (await signedIn())) {
    for (const cache of [pages, await caches.open(MEDIA)]) {
      for (const request of await cache.keys()) {
        const kept = await cache.match(request);
        if (kept.headers.get("X-Offline-Owner") !== owner) {
          await cache.delete(request);
        }
      }
    }
    await (await caches.open(OWNER)).put("/owner", new Response(owner));
    ownerWrittenAt = performance.now();
  }
  if (response.ok && response.headers.get("X-Offline-Copy") === "owner") {
    // Checked again at the last moment: a log-out may have come while the kept pages of
    // someone else were being dropped.
    if (request.signal.aborted || (await signedIn()) !== owner) {
      return false;
    }
    await pages.put(url, response.clone());
    return true;
  }
  if (response.status < 500) {
    await pages.delete(url); // gone, moved, no longer the person's own, or not theirs at all
  }
  return false;
}

// One file of each photo on a kept page (the rendition nearest 720 px wide), unless one is
// kept already, so that the page shows its photos offline even those never scrolled to.
async function keepPhotosOf(html) {
  const media = await caches.open(MEDIA);
  const keptIds = new Set((await media.keys()).map((request) => photoIdOf(request.url)));
  const chosen = new Map();
  for (const [, address, width] of html.matchAll(/(\/photos\/\d+\/[^"'\s,]+)(?:\s+(\d+)w)?/g)) {
    const id = photoIdOf(address);
    const distance = width ? Math.abs(Number(width) - 720) : Infinity; // a size, if named
    if (!keptIds.has(id) && (!chosen.has(id) || distance < chosen.get(id).distance)) {
      chosen.set(id, { address, distance });
    }
  }
  for (const { address } of chosen.values()) {
    try {
      await mediaFromNetworkOrKept(new Request(new URL(address, self.location.origin)));
    } catch (failed) {
      /* kept at the next visit */
    }
  }
}

function photoIdOf(url) {
  const found = new URL(url, self.location.origin).pathname.match(/^\/photos\/(\d+)\//);
  return found ? found[1] : null;
}

async function signedIn() {
  const known = await caches.match("/owner", { cacheName: OWNER });
  return known ? known.text() : null;
}

// The changes made offline (static/js/queue.js): sent when the browser says the network is
// back, even with no page open. Failing leaves them for the browser's next try, or a page's.
self.addEventListener("sync", (event) => {
  if (event.tag === "yearloop-queue") {
    event.waitUntil(sendEveryonesChanges());
  }
});

async function sendEveryonesChanges() {
  let sent = 0;
  let waiting = 0;
  // With a page open, a text may be in an open editor, which saves it itself (offline.js).
  const pageOpen = (await self.clients.matchAll({ type: "window" })).length > 0;
  const leave = (change) => pageOpen && change.replaces;
  for (const owner of await YearloopQueue.owners()) {
    sent += await YearloopQueue.sendAll(owner, null, true, leave, keepAgain);
    waiting += (await YearloopQueue.all(owner)).filter(
      (change) => change.state === "waiting" && !leave(change),
    ).length;
  }
  for (const client of await self.clients.matchAll()) {
    client.postMessage({ queue: "changed", sent });
  }
  if (waiting) {
    throw new Error(`${waiting} changes still waiting`);
  }
}

// The page a change was made on, fetched again once the change is in, so that its kept copy
// is not older than the change.
async function keepAgain(change) {
  if (!change.page) {
    return;
  }
  try {
    await pageFromNetworkOrKept(new Request(change.page, { credentials: "same-origin" }));
  } catch (failed) {
    /* kept at the next visit */
  }
}
