/* The offline layer of the pages (static/outbox.js does the keeping and sending):
 * - registers the service worker for the secretary's pages and asks it to refresh the copies kept on the phone;
 * - on a copy kept on the phone: each form gets a key of its own and today's date, on the phone, in the team's
 *   time zone (never the day the page was copied); "add another decision" works without the server;
 * - the badge ("2 unsent", "log in to send 2 items"), the outbox page (send now, edit, discard), and sending on
 *   page load and when the connection returns;
 * - logging out with unsent items asks first; logging out forgets the outbox, the copies and the drafts.
 * Every page works without it.
 */
(function () {
  "use strict";
  var outbox = window.TrackerOutbox;
  var words = {};
  var plurals = null;

  function say(name, values) {
    var text = words[name] || "";
    if (typeof text === "object") {
      var category = "other";
      try { category = plurals.select(values.n); } catch (error) { category = "other"; }
      text = text[category] || text.other || "";
    }
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(String(values[key])); });
    return text;
  }

  function user() { return document.body.getAttribute("data-user") || ""; }
  function secretary() { return document.body.hasAttribute("data-secretary"); }
  var REPLACING = "tracker-outbox-replacing"; /* localStorage: {new item's key: the refused item it replaces} */

  function mine(all) {
    var me = user();
    return all.filter(function (each) { return !me || !each.user || each.user === me; });
  }

  /* The badge and the outbox page */

  function render() {
    return Promise.all([outbox.items(), outbox.meta("login")]).then(function (found) {
      var all = found[0];
      var waiting = mine(all).filter(function (each) { return each.state === "waiting"; });
      var unsent = mine(all).length;
      var loginNeeded = Boolean(found[1]) && waiting.length > 0;
      Array.prototype.forEach.call(document.querySelectorAll("[data-outbox-badge]"), function (badge) {
        badge.hidden = unsent === 0 && !(loginNeeded || (!user() && all.length));
        if (loginNeeded || (!user() && all.length)) {
          badge.textContent = say("login", { n: user() ? waiting.length : all.length });
          badge.classList.add("login");
          if (badge.tagName === "A" && user()) {
            badge.href = "/login?next=" + encodeURIComponent(window.location.pathname);
          }
        } else {
          badge.textContent = say("unsent", { n: unsent });
          badge.classList.remove("login");
        }
      });
      var list = document.querySelector("[data-outbox-list]");
      if (list) { renderList(list, all); }
    });
  }

  function renderList(list, all) {
    list.textContent = "";
    var send = document.querySelector("[data-outbox-send]");
    if (send) { send.hidden = all.length === 0; }
    if (!all.length) {
      var empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = say("empty");
      list.appendChild(empty);
      return;
    }
    var me = user();
    all.forEach(function (each) {
      var row = document.createElement("li");
      row.className = "card outbox-item " + each.state;
      row.setAttribute("data-key", each.key);
      var title = document.createElement("strong");
      title.textContent = each.label || each.kind;
      row.appendChild(title);
      if (each.date) {
        row.appendChild(document.createElement("br"));
        row.appendChild(document.createTextNode(say("recorded_on", { date: each.date })));
      }
      var state = document.createElement("p");
      if (me && each.user && each.user !== me) {
        state.textContent = say("other_account");
      } else if (each.state === "refused") {
        state.className = "error";
        state.textContent = each.problem && each.problem.status === 409 && each.problem.kind === "idempotency-key-reused"
          ? say("other_content") : say("refused", { reason: (each.problem && each.problem.detail) || "" });
      } else {
        state.className = "muted";
        state.textContent = say("waiting");
      }
      row.appendChild(state);
      if (me && each.user && each.user !== me) { list.appendChild(row); return; } /* not this account's to touch */
      var actions = document.createElement("p");
      if (each.state === "refused") {
        var edit = document.createElement("a");
        edit.className = "button secondary";
        edit.href = each.page + "#edit=" + each.key;
        edit.textContent = say("edit");
        actions.appendChild(edit);
        actions.appendChild(document.createTextNode(" "));
      }
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "secondary";
      discard.textContent = say("discard");
      discard.addEventListener("click", function () { outbox.remove(each.key).then(outbox.announce).then(render); });
      actions.appendChild(discard);
      row.appendChild(actions);
      list.appendChild(row);
    });
  }

  function notice(text) {
    var shown = document.querySelector("[data-outbox-notice]");
    if (shown && text) { shown.textContent = text; shown.hidden = false; }
  }

  function send(manual) {
    return outbox.sendAll().then(function (outcome) {
      if (outcome.sent) {
        notice(say("sent", { n: outcome.sent }));
        refresh(true);
      } else if (manual && outcome.offline) {
        notice(say("still_waiting"));
      }
      return render().then(function () { return outcome; });
    }, function () { return render(); });
  }

  /* The service worker and the copies kept on the phone */

  function registerWorker() {
    if (!secretary() || !("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register("/secretary/sw.js", { scope: "/secretary/" }).catch(function () { /* none */ });
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persist().catch(function () { /* asked; the browser decides */ });
    }
    refresh(false);
  }

  function refresh(force) {
    if (!secretary() || !("serviceWorker" in navigator) || !navigator.onLine) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) { registration.active.postMessage({ type: "refresh", force: Boolean(force) }); }
    });
  }

  function localToday(zone) {
    try {
      var parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
        .formatToParts(new Date());
      var part = function (type) { return parts.filter(function (p) { return p.type === type; })[0].value; };
      return part("year") + "-" + part("month") + "-" + part("day");
    } catch (error) { /* no time zones in this browser: the phone's own date */
      var now = new Date();
      var two = function (n) { return (n < 10 ? "0" : "") + n; };
      return now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
    }
  }

  function onDeviceCopy() {
    var body = document.body;
    if (!body.hasAttribute("data-device-copy")) { return; }
    var copiedOn = body.getAttribute("data-copied-on");
    var today = localToday(body.getAttribute("data-time-zone") || "UTC");
    Array.prototype.forEach.call(document.querySelectorAll("input[name=idempotency_key]"), function (input) {
      input.value = outbox.randomKey(); /* every form opened from the copy is a new record */
    });
    Array.prototype.forEach.call(document.querySelectorAll("input[type=date][name=on], input[type=date][name=held_on]"),
      function (input) {
        if (today && input.value === copiedOn) { input.value = today; input.defaultValue = today; }
      });
  }

  /* The meeting form's "add another decision", on the phone */

  function addDecision(form) {
    var decisions = form.querySelectorAll("fieldset.decision");
    var last = decisions[decisions.length - 1];
    var named = last && last.querySelector("[name^=decisions-]");
    if (!named) { return false; }
    var number = parseInt(named.name.split("-")[1], 10);
    var from = "decisions-" + number + "-";
    var to = "decisions-" + (number + 1) + "-";
    var copy = last.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll("[name], [id], [for], [aria-describedby]"), function (element) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) { element.setAttribute(attribute, value.split(from).join(to)); }
      });
      if (element.tagName === "TEXTAREA" || (element.tagName === "INPUT" && element.type !== "hidden")) {
        element.value = "";
      }
    });
    Array.prototype.forEach.call(copy.querySelectorAll(".error, .error-summary"), function (error) {
      error.parentNode.removeChild(error);
    });
    Array.prototype.forEach.call(copy.querySelectorAll(".has-error"), function (field) {
      field.classList.remove("has-error");
    });
    var legend = copy.querySelector("legend");
    if (legend) { legend.textContent = legend.textContent.replace(/\d+/, String(decisions.length + 1)); }
    last.parentNode.insertBefore(copy, last.nextSibling);
    var first = copy.querySelector("textarea, input:not([type=hidden])");
    if (first) { first.focus(); }
    return true;
  }

  function offlineAddDecision() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[name=add_decision]");
      if (!button || !button.form) { return; }
      if (addDecision(button.form)) { event.preventDefault(); } /* no round trip on a weak connection */
    });
  }

  /* Forms: a label for the outbox, the item an edit replaces, drafts already in the outbox */

  function labelForms() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-outbox-label]"), function (form) {
      form.addEventListener("submit", function () {
        var input = form.querySelector("input[name=outbox_label]");
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = "outbox_label";
          form.appendChild(input);
        }
        input.value = form.getAttribute("data-outbox-label");
        var replaced = form.getAttribute("data-replaces");
        var key = form.querySelector("input[name=idempotency_key]");
        if (replaced && key) { replacing(key.value, replaced); }
      });
    });
  }

  /* An edited item is removed only once its new version is safe: recorded by the server (the page after says so
     in body[data-recorded]) or kept in the outbox under its own key. Until then both stay. */
  function replacing(newKey, oldKey) {
    try {
      var pairs = JSON.parse(window.localStorage.getItem(REPLACING) || "{}");
      pairs[newKey] = { old: oldKey, at: Date.now() };
      window.localStorage.setItem(REPLACING, JSON.stringify(pairs));
    } catch (error) { /* no storage: the old item stays, to discard by hand */ }
  }

  function settleReplaced(all) {
    var pairs;
    try { pairs = JSON.parse(window.localStorage.getItem(REPLACING) || "{}"); } catch (error) { return Promise.resolve(); }
    var recorded = (document.body.getAttribute("data-recorded") || "").split(" ").filter(Boolean);
    var kept = all.map(function (each) { return each.key; });
    var removals = [];
    Object.keys(pairs).forEach(function (newKey) {
      var pair = pairs[newKey] || {};
      if (recorded.indexOf(newKey) >= 0 || kept.indexOf(newKey) >= 0) {
        removals.push(outbox.remove(pair.old));
        delete pairs[newKey];
      } else if (!(Date.now() - (pair.at || 0) < 12 * 60 * 60 * 1000)) {
        delete pairs[newKey]; /* never sent: the old item stays */
      }
    });
    try { window.localStorage.setItem(REPLACING, JSON.stringify(pairs)); } catch (error) { /* as it was */ }
    return Promise.all(removals).then(function () { if (removals.length) { outbox.announce(); } });
  }

  function forgetDrafts() {
    try {
      var store = window.localStorage;
      for (var index = store.length - 1; index >= 0; index -= 1) {
        var name = store.key(index);
        if (name && (name.indexOf(outbox.DRAFT_PREFIX) === 0 || name === REPLACING)) { store.removeItem(name); }
      }
    } catch (error) { /* nothing kept */ }
  }

  function forgetQueuedDrafts(all) {
    var keys = all.map(function (each) { return each.key; });
    try {
      var store = window.localStorage;
      for (var index = store.length - 1; index >= 0; index -= 1) {
        var name = store.key(index);
        if (name && name.indexOf(outbox.DRAFT_PREFIX) === 0) {
          var draft = JSON.parse(store.getItem(name) || "{}");
          var key = (draft.fields || []).filter(function (pair) { return pair[0] === "idempotency_key"; })[0];
          if (key && keys.indexOf(key[1]) >= 0) { store.removeItem(name); }
        }
      }
    } catch (error) { /* no storage: no drafts either */ }
  }

  function editFromHash() {
    var match = /^#edit=([0-9a-f]+)$/.exec(window.location.hash);
    if (!match) { return; }
    outbox.item(match[1]).then(function (found) {
      if (!found || (found.user && found.user !== user())) { return; }
      var form = Array.prototype.filter.call(document.querySelectorAll("form"), function (each) {
        return new URL(each.action, window.location.href).pathname === found.action;
      })[0];
      if (!form) { return; }
      var rows = 0;
      found.fields.forEach(function (pair) {
        var at = /^decisions-(\d+)-/.exec(pair[0]);
        if (at) { rows = Math.max(rows, parseInt(at[1], 10) + 1); }
      });
      while (form.querySelectorAll("fieldset.decision").length < rows && addDecision(form)) { /* one more row */ }
      var values = {};
      found.fields.forEach(function (pair) {
        if (pair[0] !== "idempotency_key") { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); }
      });
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!element.name || !(element.name in values)) { return; }
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = values[element.name].indexOf(element.value) >= 0;
        } else if (element.type !== "submit" && element.type !== "button") {
          element.value = values[element.name].shift();
        }
      });
      form.setAttribute("data-replaces", found.key);
      var details = form.closest("details");
      if (details) { details.open = true; }
      form.dispatchEvent(new Event("change")); /* kept as a draft too (static/drafts.js) */
      form.scrollIntoView();
      window.history.replaceState(null, "", window.location.pathname);
    });
  }

  /* Logging out */

  function guardLogout() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-logout]"), function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-confirmed") === "1") { return; }
        event.preventDefault();
        event.stopImmediatePropagation(); /* static/drafts.js forgets the drafts when the logout really goes */
        outbox.items().then(function (all) {
          var own = mine(all);
          if (!own.length) { return leave(form); }
          return ask(form, own.length);
        }, function () { return leave(form); });
      });
    });
  }

  function leave(form) {
    forgetDrafts(); /* also where requestSubmit is missing and static/drafts.js never sees the submit */
    return outbox.forgetEverything(user()).catch(function () { /* nothing kept */ }).then(function () {
      form.setAttribute("data-confirmed", "1");
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    });
  }

  function ask(form, number) {
    var old = document.querySelector("[data-logout-question]");
    if (old) { old.parentNode.removeChild(old); }
    var panel = document.createElement("div");
    panel.className = "card logout-question";
    panel.setAttribute("data-logout-question", "");
    panel.setAttribute("role", "alertdialog");
    var text = document.createElement("p");
    text.textContent = say("logout", { n: number });
    panel.appendChild(text);
    var buttons = document.createElement("p");
    [["send_first", ""], ["discard_all", "secondary"], ["cancel", "secondary"]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = pair[1];
      button.textContent = say(pair[0]);
      button.setAttribute("data-choice", pair[0]);
      buttons.appendChild(button);
      buttons.appendChild(document.createTextNode(" "));
    });
    panel.appendChild(buttons);
    panel.addEventListener("click", function (event) {
      var choice = event.target.getAttribute && event.target.getAttribute("data-choice");
      if (choice === "cancel") { panel.parentNode.removeChild(panel); }
      if (choice === "discard_all") { leave(form); }
      if (choice === "send_first") {
        send(true).then(function () { return outbox.items(); }).then(function (all) {
          var left = mine(all);
          if (!left.length) { leave(form); } else { text.textContent = say("logout", { n: left.length }); }
        });
      }
    });
    var main = document.querySelector("main") || document.body;
    main.insertBefore(panel, main.firstChild);
    panel.scrollIntoView();
    panel.querySelector("button").focus();
  }

  /* The outbox page */

  function outboxPage() {
    if (!document.querySelector("[data-outbox-list]")) { return; }
    var query = new URLSearchParams(window.location.search);
    if (window.location.pathname !== "/secretary/outbox") {
      notice(say("not_kept")); /* the worker showed this page for one not kept on the phone */
    } else if (query.get("kept")) {
      notice(say("kept"));
    } else if (query.has("not-sent")) {
      notice(say("needs_connection"));
    } else if (query.has("no-storage")) {
      notice(say("no_storage"));
    }
    var button = document.querySelector("[data-outbox-send]");
    if (button) { button.addEventListener("click", function () { send(true); }); }
  }

  function forgetOthersCopies() {
    /* the copies kept on this phone are another account's (theirs ended without logging out): not for this one */
    return outbox.meta("copies-of").then(function (owner) {
      if (!owner || owner === user()) { return null; }
      return Promise.all([window.caches ? window.caches.delete(outbox.PAGES) : null,
                          outbox.setMeta("copies-of", null), outbox.setMeta("refreshed", 0)]).then(function () {
        refresh(true); /* this account's own copies */
      });
    });
  }

  function start() {
    var block = document.getElementById("outbox-words");
    if (!outbox || !block || !window.indexedDB) { return; }
    try { words = JSON.parse(block.textContent); } catch (error) { return; }
    try { plurals = new Intl.PluralRules(document.documentElement.lang || "en"); } catch (error) { plurals = null; }
    onDeviceCopy();
    offlineAddDecision();
    labelForms();
    guardLogout();
    outboxPage();
    var ready = user() ? Promise.all([outbox.setMeta("user", user()), forgetOthersCopies()]) : Promise.resolve();
    ready.then(function () { return outbox.items(); }).then(function (all) {
      forgetQueuedDrafts(all);
      return settleReplaced(all);
    }).then(function () {
      return render();
    }).then(function () {
      window.setTimeout(editFromHash, 0); /* after static/drafts.js has put back a draft of its own */
      return send(false);
    }).catch(function () {
      notice(say("no_storage"));
    });
    registerWorker();
    window.addEventListener("online", function () { send(false); });
    if (window.BroadcastChannel) {
      new window.BroadcastChannel(outbox.CHANNEL).onmessage = function () { render(); };
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
