/* Drafts in the browser, for the forms marked data-draft (each has an idempotency key).
 *
 * Every change is saved in localStorage with the form's key, so a page lost on a weak connection, a closed tab or
 * a flat battery loses nothing: the form's page puts the draft back, key and all, and sending it again can only
 * record it once. A draft is dropped when the server says its key was recorded (body[data-recorded]), after
 * MAX_AGE, and at logout (a shared phone keeps nothing of the last user's typing).
 * The pages work the same without JavaScript; this only adds to them. No library, no network request.
 */
(function () {
  "use strict";
  var PREFIX = "tracker-draft:";
  var MAX_AGE = 12 * 60 * 60 * 1000; /* a login session's lifetime */
  var SKIPPED = { csrf_token: true, again: true };

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; /* private mode, or full: the page works as without JavaScript */
    }
  }

  function slot(form) {
    return PREFIX + window.location.pathname + "|" + (form.getAttribute("action") || window.location.pathname);
  }

  function fields(form) {
    var found = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      var type = element.type;
      if (!element.name || SKIPPED[element.name] || type === "password" || type === "submit" || type === "button") {
        return;
      }
      if (type === "checkbox" || type === "radio") {
        if (element.checked) { found.push([element.name, element.value]); }
      } else {
        found.push([element.name, element.value]);
      }
    });
    return found;
  }

  function typed(list) {
    /* what was typed, without the key: a draft worth putting back differs from the fresh form in this */
    return JSON.stringify(list.filter(function (pair) { return pair[0] !== "idempotency_key"; }));
  }

  function put(form, list) {
    var values = {};
    list.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || !(element.name in values) || element.type === "password") { return; }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values[element.name].indexOf(element.value) >= 0;
      } else if (element.type !== "submit" && element.type !== "button") {
        element.value = values[element.name].shift();
      }
    });
  }

  function keyOf(list) {
    var pair = list.filter(function (each) { return each[0] === "idempotency_key"; })[0];
    return pair ? pair[1] : "";
  }

  function forget(store, drop) {
    for (var index = store.length - 1; index >= 0; index -= 1) {
      var name = store.key(index);
      if (name && name.indexOf(PREFIX) === 0) {
        try {
          if (drop(JSON.parse(store.getItem(name)))) { store.removeItem(name); }
        } catch (error) {
          store.removeItem(name);
        }
      }
    }
  }

  function forgetRecordedAndOld(store) {
    var recorded = (document.body.getAttribute("data-recorded") || "").split(" ").filter(Boolean);
    var now = Date.now();
    forget(store, function (draft) {
      return recorded.indexOf(keyOf(draft.fields)) >= 0 || !(now - draft.saved < MAX_AGE);
    });
  }

  function keep(form, store) {
    var name = slot(form);
    var fresh = form.getAttribute("data-draft") === "fresh";
    var saved = null;
    try { saved = JSON.parse(store.getItem(name) || "null"); } catch (error) { saved = null; }
    if (fresh && saved && saved.fields && typed(saved.fields) !== typed(fields(form))) {
      put(form, saved.fields);
      var notice = form.querySelector("[data-draft-notice]");
      if (notice) {
        notice.hidden = false;
        var discard = notice.querySelector("[data-draft-discard]");
        if (discard) {
          discard.addEventListener("click", function () {
            store.removeItem(name);
            window.location.reload();
          });
        }
      }
    }
    var save = function () {
      try { store.setItem(name, JSON.stringify({ saved: Date.now(), fields: fields(form) })); } catch (error) { /* full */ }
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", save);
  }

  function count(area) {
    var limit = parseInt(area.getAttribute("data-limit"), 10);
    var shown = document.getElementById(area.id + "-limit");
    if (!shown || !limit) { return; }
    var update = function () {
      shown.textContent = area.value.length + " / " + limit;
      shown.className = area.value.length > limit ? "error limit" : "muted limit";
    };
    area.addEventListener("input", update);
    update();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-limit]"), count);
    var store = storage();
    if (!store) { return; }
    forgetRecordedAndOld(store);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) { keep(form, store); });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-logout]"), function (form) {
      form.addEventListener("submit", function () { forget(store, function () { return true; }); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
