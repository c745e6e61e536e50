{% load static %}/* Yearloop's service worker: static files from a cache, and a page that says so when
   there is no network. Pages themselves are not kept: every page comes from the server. */
"use strict";

const CACHE = "yearloop-__VERSION__";
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
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_PAGE)));
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
