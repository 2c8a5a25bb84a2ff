/* The outbox: what a secretary recorded without a connection waits on the phone, and is sent when it returns.
 *
 * Loaded by the pages (badge, outbox page, logout question, device copies) and by the service worker
 * (/secretary/sw.js, importScripts), which keeps a form that could not be sent. An item is the form's fields and
 * the JSON API call they make, under the form's idempotency key: sent again as often as needed, it is recorded
 * once. It is removed when the server has acknowledged it; a refusal (the key used for other content, a
 * commitment closed meanwhile) stays on its item, to edit or discard, and blocks nothing else.
 * Sending uses the signed-in session: its cookie and a CSRF token from /api/v1/session in X-CSRFToken. When the
 * session has ended, items wait and the badge asks to log in. See docs/offline.md.
 */
(function (global) {
  "use strict";
  var DB_NAME = "tracker-outbox";
  var DB_VERSION = 1; /* a new version must keep the items store: an upgrade never drops what waits */
  var ITEMS = "items";
  var META = "meta";
  var PAGES = "tracker-pages"; /* device copies of the pages for recording (no confidential text) */
  var DRAFT_PREFIX = "tracker-draft:"; /* static/drafts.js */
  var CHANNEL = "tracker-outbox";

  /* IndexedDB */

  var opened = null;
  function database() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = global.indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains(ITEMS)) { db.createObjectStore(ITEMS, { keyPath: "key" }); }
          if (!db.objectStoreNames.contains(META)) { db.createObjectStore(META); }
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opened = null; reject(request.error); };
      });
    }
    return opened;
  }

  function inStore(store, mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(store, mode);
        var result;
        var request = work(transaction.objectStore(store));
        if (request) { request.onsuccess = function () { result = request.result; }; }
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function items() {
    return inStore(ITEMS, "readonly", function (store) { return store.getAll(); }).then(function (found) {
      return (found || []).sort(function (a, b) { return a.created - b.created; });
    });
  }
  function keep(item) { return inStore(ITEMS, "readwrite", function (store) { return store.put(item); }); }
  function remove(key) { return inStore(ITEMS, "readwrite", function (store) { return store.delete(key); }); }
  function item(key) { return inStore(ITEMS, "readonly", function (store) { return store.get(key); }); }
  function clearItems(user) {
    /* the account's own items (and those typed before any account was known); another account's stay */
    return items().then(function (all) {
      var theirs = all.filter(function (each) { return !user || !each.user || each.user === user; });
      return inStore(ITEMS, "readwrite", function (store) {
        theirs.forEach(function (each) { store.delete(each.key); });
      });
    });
  }
  function markRefused(key, problem) {
    /* in one transaction: only an item still there and still waiting (a discard or another send meanwhile wins) */
    return inStore(ITEMS, "readwrite", function (store) {
      var request = store.get(key);
      request.onsuccess = function () {
        var found = request.result;
        if (found && found.state === "waiting") {
          found.state = "refused";
          found.problem = problem;
          store.put(found);
        }
      };
    });
  }
  function meta(name) { return inStore(META, "readonly", function (store) { return store.get(name); }); }
  function setMeta(name, value) {
    return inStore(META, "readwrite", function (store) { return store.put(value, name); });
  }

  function announce() {
    if (global.BroadcastChannel) {
      var channel = new global.BroadcastChannel(CHANNEL);
      channel.postMessage("changed");
      channel.close();
    }
  }

  /* A form as a call of the JSON API */

  function valuesOf(pairs) {
    var values = {};
    pairs.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    return {
      one: function (name) { return (values[name] || [""])[0]; },
      all: function (name) { return (values[name] || []).filter(Boolean); },
      names: Object.keys(values)
    };
  }

  function blankToNull(value) { return value && value.trim() ? value : null; }
  function count(value) { return value === "" ? 0 : (/^\d+$/.test(value) ? parseInt(value, 10) : value); }

  function positions(names, pattern) {
    var found = {};
    names.forEach(function (name) {
      var match = pattern.exec(name);
      if (match) { found[match[1]] = true; }
    });
    return Object.keys(found).map(Number).sort(function (a, b) { return a - b; });
  }

  function meetingBody(v) {
    /* as the form is read on the server (tracker/web/secretary.py): blank rows are skipped */
    var decisions = [];
    positions(v.names, /^decisions-(\d+)-/).forEach(function (d) {
      var row = "decisions-" + d + "-";
      var commitments = [];
      positions(v.names, new RegExp("^" + row + "commitments-(\\d+)-")).forEach(function (c) {
        var at = row + "commitments-" + c + "-";
        var filled = [at + "description", at + "owner_member_id", at + "owner_body", at + "due_on"];
        if (!filled.some(function (name) { return v.one(name).trim(); })) { return; }
        commitments.push({
          description: v.one(at + "description"),
          owner_member_id: blankToNull(v.one(at + "owner_member_id")),
          owner_body: blankToNull(v.one(at + "owner_body")),
          due_on: blankToNull(v.one(at + "due_on")),
          visibility: v.one(at + "visibility") || "team"
        });
      });
      var text = v.one(row + "text");
      if (text.trim() || commitments.length) {
        decisions.push({ text: text, visibility: v.one(row + "visibility") || "team", commitments: commitments });
      }
    });
    return {
      held_on: blankToNull(v.one("held_on")),
      kind: v.one("kind"),
      place: v.one("place"),
      attendees: v.all("attendee_ids"),
      guests: { female: count(v.one("guests_female")), male: count(v.one("guests_male")) },
      agenda: v.one("agenda"),
      minutes: v.one("minutes"),
      minutes_visibility: v.one("minutes_visibility") || "team",
      decisions: decisions
    };
  }

  var ROUTES = [
    {
      kind: "meeting", path: /^\/secretary\/teams\/([0-9a-fA-F-]+)\/meetings\/new$/,
      endpoint: function (id) { return "/api/v1/teams/" + id + "/meetings"; },
      page: function (id) { return "/secretary/teams/" + id + "/meetings/new"; },
      body: meetingBody, date: "held_on"
    },
    {
      kind: "follow_up", path: /^\/secretary\/commitments\/([0-9a-fA-F-]+)\/follow-up$/,
      endpoint: function (id) { return "/api/v1/commitments/" + id + "/follow-ups"; },
      page: function (id) { return "/secretary/commitments/" + id; },
      body: function (v) {
        return { on: blankToNull(v.one("on")), status: v.one("status"), note: v.one("note"),
                 meeting_id: blankToNull(v.one("meeting_id")) };
      },
      date: "on"
    },
    {
      kind: "due_date", path: /^\/secretary\/commitments\/([0-9a-fA-F-]+)\/due-date$/,
      endpoint: function (id) { return "/api/v1/commitments/" + id + "/due-date"; },
      page: function (id) { return "/secretary/commitments/" + id; },
      body: function (v) {
        return { due_on: blankToNull(v.one("due_on")), on: blankToNull(v.one("on")), reason: v.one("reason") };
      },
      date: "on"
    },
    {
      kind: "hand_over", path: /^\/secretary\/commitments\/([0-9a-fA-F-]+)\/hand-over$/,
      endpoint: function (id) { return "/api/v1/commitments/" + id + "/hand-over"; },
      page: function (id) { return "/secretary/commitments/" + id; },
      body: function (v) {
        return { owner_member_id: blankToNull(v.one("owner_member_id")), owner_body: blankToNull(v.one("owner_body")),
                 on: blankToNull(v.one("on")), reason: v.one("reason") };
      },
      date: "on"
    }
  ];

  function keeps(path) { return routeOf(path) !== null; }

  function routeOf(path) {
    for (var index = 0; index < ROUTES.length; index += 1) {
      var match = ROUTES[index].path.exec(path);
      if (match) { return { route: ROUTES[index], id: match[1] }; }
    }
    return null;
  }

  function randomKey() {
    var bytes = new Uint8Array(16);
    global.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  /* The item a form sent to `path` makes, or null when it is not one the outbox keeps (another form, or the
     meeting form's "add another decision", which needs the page). */
  function fromForm(path, pairs, user) {
    var found = routeOf(path);
    var v = valuesOf(pairs);
    if (!found || v.names.indexOf("add_decision") >= 0) { return null; }
    var fields = pairs.filter(function (pair) {
      return pair[0] !== "csrf_token" && pair[0] !== "save" && pair[0].indexOf("outbox_") !== 0;
    });
    return {
      key: v.one("idempotency_key") || randomKey(),
      kind: found.route.kind,
      action: path,
      page: found.route.page(found.id),
      endpoint: found.route.endpoint(found.id),
      body: found.route.body(v),
      fields: fields,
      label: v.one("outbox_label"),
      date: v.one(found.route.date),
      user: user || null,
      created: Date.now(),
      state: "waiting",
      problem: null
    };
  }

  /* Sending */

  function withLock(work) {
    if (global.navigator && global.navigator.locks) {
      return global.navigator.locks.request("tracker-outbox", work);
    }
    return work();
  }

  function problemOf(response) {
    return response.json().then(function (body) { return body || {}; }, function () { return {}; })
      .then(function (body) {
        return { status: response.status, detail: body.detail || "", kind: (body.type || "").split("/").pop() };
      });
  }

  /* Send every waiting item of the signed-in account, oldest first. Answers what happened:
     {sent, waiting, refused, login, offline}. */
  function sendAll() {
    return withLock(function () { return sendNow(); });
  }

  function sendNow() {
    var outcome = { sent: 0, waiting: 0, refused: 0, login: false, offline: false };
    return items().then(function (all) {
      var waiting = all.filter(function (each) { return each.state === "waiting"; });
      if (!waiting.length) { return outcome; }
      return global.fetch("/api/v1/session", { credentials: "same-origin", cache: "no-store" }).then(
        function (response) {
          if (response.status === 401) {
            outcome.login = true;
            return setMeta("login", true).then(function () { return outcome; });
          }
          if (!response.ok) { outcome.offline = true; return outcome; }
          return response.json().then(function (session) {
            var user = (session.user_id || "").replace(/-/g, "");
            return setMeta("login", false).then(function () {
              return sendEach(waiting.filter(function (each) { return !each.user || each.user === user; }),
                session.csrf_token, outcome);
            });
          });
        },
        function () { outcome.offline = true; return outcome; }
      );
    }).then(function (result) {
      announce();
      return result;
    });
  }

  function sendEach(waiting, token, outcome) {
    var chain = Promise.resolve();
    var stopped = false;
    waiting.forEach(function (each) {
      chain = chain.then(function () {
        if (stopped) { outcome.waiting += 1; return null; }
        return global.fetch(each.endpoint, {
          method: "POST",
          credentials: "same-origin",
          cache: "no-store",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Idempotency-Key": each.key },
          body: JSON.stringify(each.body)
        }).then(function (response) {
          if (response.ok) { outcome.sent += 1; return remove(each.key); }
          if (response.status === 401) {
            stopped = true; outcome.login = true; outcome.waiting += 1;
            return setMeta("login", true);
          }
          if (response.status >= 500 || response.status === 429 || response.status === 408) {
            stopped = true; outcome.waiting += 1;
            return null;
          }
          return problemOf(response).then(function (problem) {
            outcome.refused += 1;
            return markRefused(each.key, problem);
          });
        }, function () { stopped = true; outcome.offline = true; outcome.waiting += 1; });
      });
    });
    return chain.then(function () { return outcome; });
  }

  /* Device copies of the pages for recording, refreshed from /secretary/offline.json */

  var refreshing = null;
  function refreshCopies(force) {
    /* one refresh at a time: a second call while one runs shares it */
    if (!refreshing) {
      refreshing = refreshNow(force).then(function (done) { refreshing = null; return done; });
    }
    return refreshing;
  }

  function refreshNow(force) {
    return meta("refreshed").then(function (when) {
      if (!force && when && Date.now() - when < 5 * 60 * 1000) { return false; }
      return global.fetch("/secretary/offline.json", { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok || response.redirected) { return false; }
          return response.json().then(function (list) { return copyPages(list); });
        });
    }).catch(function () { return false; });
  }

  function copyPages(list) {
    return Promise.all([global.caches.open(PAGES), meta("copies-of")]).then(function (opened) {
      var cache = opened[0];
      var start = opened[1] && opened[1] !== list.user ? cache.keys().then(function (keys) {
        return Promise.all(keys.map(function (key) { return cache.delete(key); }));
      }) : Promise.resolve();
      return start.then(function () {
        var queue = list.pages.slice();
        function next() {
          var page = queue.shift();
          if (!page) { return Promise.resolve(); }
          return global.fetch(page, { credentials: "same-origin", cache: "no-store", headers: { "X-Device-Copy": "1" } })
            .then(function (response) {
              return response.ok && !response.redirected ? cache.put(page, response) : null;
            }).then(next);
        }
        return Promise.all([next(), next()]);
      }).then(function () {
        return cache.keys();
      }).then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return list.pages.indexOf(new URL(key.url).pathname) < 0;
        }).map(function (key) { return cache.delete(key); }));
      }).then(function () {
        return Promise.all([setMeta("refreshed", Date.now()), setMeta("copies-of", list.user)]);
      }).then(function () { return true; });
    });
  }

  function forgetEverything(user) {
    /* at logout: the account's outbox (asked first), the device copies and what the outbox knows of the account */
    var steps = [clearItems(user), setMeta("refreshed", 0), setMeta("login", false), setMeta("user", null),
                 setMeta("copies-of", null)];
    if (global.caches) { steps.push(global.caches.delete(PAGES)); }
    return Promise.all(steps).then(announce);
  }

  global.TrackerOutbox = {
    items: items, item: item, keep: keep, remove: remove, meta: meta, setMeta: setMeta, announce: announce,
    fromForm: fromForm, keeps: keeps, sendAll: sendAll, refreshCopies: refreshCopies, forgetEverything: forgetEverything,
    randomKey: randomKey, PAGES: PAGES, CHANNEL: CHANNEL, DRAFT_PREFIX: DRAFT_PREFIX
  };
}(self));
