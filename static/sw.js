/* The service worker of the secretary's pages, served as /secretary/sw.js (scope /secretary/); see docs/offline.md.
 *
 * - A form for recording (a meeting, a follow-up, a due date, a hand-over) goes to the server as usual; when it
 *   cannot (no connection, a gateway error, no answer in 20 s) it is kept in the outbox (static/outbox.js) under
 *   its idempotency key and sent through the JSON API when the connection returns: on page load, on the `online`
 *   event, by "send now", and by Background Sync where the browser has it.
 * - Pages: from the network; without one, the copy kept on the phone (refreshed from /secretary/offline.json,
 *   with no confidential text), else the outbox page saying the page is not kept.
 * - An update installs at once and drops only the old version's static files: the outbox lives in IndexedDB and
 *   is never touched, and what waits is sent as soon as the new worker starts.
 */
"use strict";
var VERSION = "__VERSION__";
importScripts("/static/outbox.js?v=" + VERSION);
var outbox = self.TrackerOutbox;
var STATIC = "tracker-static-" + VERSION;
var STATIC_FILES = ["/static/tracker.css", "/static/drafts.js", "/static/outbox.js", "/static/offline.js",
                    "/static/icons/icon-192.png"];
var PAGE_WAIT = 10000;
var FORM_WAIT = 20000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return cache.addAll(STATIC_FILES.map(function (url) { return new Request(url, { cache: "reload" }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("tracker-static-") === 0 && name !== STATIC;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }).then(function () {
    return outbox.sendAll().catch(function () { return null; }); /* what waited under the old version */
  }).then(function () { return outbox.refreshCopies(true); }));
});

function within(promise, milliseconds) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("no answer")); }, milliseconds);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
                 function (error) { clearTimeout(timer); reject(error); });
  });
}

function sendOrKeep(request) {
  var copy = request.clone();
  return within(fetch(request), FORM_WAIT).then(function (response) {
    if (response.status === 502 || response.status === 503 || response.status === 504) {
      throw new Error("gateway");
    }
    return response;
  }).catch(function () {
    return Promise.all([copy.formData(), outbox.meta("user")]).then(function (found) {
      var pairs = [];
      found[0].forEach(function (value, name) { pairs.push([name, String(value)]); });
      var item = outbox.fromForm(new URL(request.url).pathname, pairs, found[1]);
      if (!item) { return Response.redirect("/secretary/outbox?not-sent=1", 303); }
      return outbox.keep(item).then(function () {
        outbox.announce();
        if (self.registration.sync) { self.registration.sync.register("outbox").catch(function () { return null; }); }
        return Response.redirect("/secretary/outbox?kept=" + item.key, 303);
      }, function () { return Response.redirect("/secretary/outbox?no-storage=1", 303); });
    });
  });
}

function pageOrCopy(request) {
  return within(fetch(request), PAGE_WAIT).catch(function () {
    /* only the copies of the account last signed in on this phone: another account's are never shown */
    return Promise.all([outbox.meta("user"), outbox.meta("copies-of")]).then(function (who) {
      if (!who[0] || who[0] !== who[1]) { return Response.error(); }
      return caches.match(request, { cacheName: outbox.PAGES, ignoreSearch: true }).then(function (copy) {
        return copy || caches.match("/secretary/outbox", { cacheName: outbox.PAGES }).then(function (page) {
          return page || Response.error();
        });
      });
    });
  });
}

function staticFile(request) {
  return caches.match(request, { ignoreSearch: true }).then(function (kept) {
    return kept || fetch(request);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && request.method === "POST" && outbox.keeps(url.pathname)) {
    event.respondWith(sendOrKeep(request));
  } else if (request.mode === "navigate" && request.method === "GET" && url.pathname.indexOf("/secretary/") === 0) {
    event.respondWith(pageOrCopy(request));
  } else if (request.method === "GET" && url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "refresh") { event.waitUntil(outbox.refreshCopies(Boolean(data.force))); }
  if (data.type === "send") { event.waitUntil(outbox.sendAll()); }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "outbox") {
    event.waitUntil(outbox.sendAll().then(function (outcome) {
      if (outcome.offline) { throw new Error("still offline: the browser tries again later"); }
      return outcome;
    }));
  }
});
