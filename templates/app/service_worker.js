{% load static %}/* Yearloop's service worker: static files from a cache; the signed-in person's own pages
   (marked by the server with X-Offline-Copy) kept as last seen, for reading offline; and a
   page that says so when there is no network and no copy. Every page is fetched first. */
"use strict";

const CACHE = "yearloop-__VERSION__";
const PAGES = "yearloop-pages";
const OFFLINE_PAGE = "{% url 'offline' %}";
const PRECACHE = [
  OFFLINE_PAGE,
  "{% static 'yearloop.css' %}",
  "{% static 'icon.svg' %}",
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
          names.filter((name) => name !== CACHE && name !== PAGES).map((name) => caches.delete(name)),
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
  if (request.mode === "navigate") {
    event.respondWith(pageFromNetworkOrKept(request));
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

async function pageFromNetworkOrKept(request) {
  const pages = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && response.headers.get("X-Offline-Copy") === "owner") {
      await pages.put(request.url, response.clone());
    } else if (response.ok) {
      await pages.delete(request.url); // no longer the person's own, or not theirs at all
    }
    return response;
  } catch (offline) {
    return (await pages.match(request.url)) || (await caches.match(OFFLINE_PAGE));
  }
}
