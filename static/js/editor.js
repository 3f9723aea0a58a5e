// The step editor: keeps unsaved text in localStorage until the server confirms it,
// offers it back after a reload or crash, and shows the autosave state.
// Autosave itself is declared in the template (hx-trigger on #autosave).
(function () {
  "use strict";

  function form() { return document.getElementById("step-form"); }
  function statusEl() { return document.getElementById("save-status"); }

  function values(f) {
    var out = {};
    f.querySelectorAll("input[name], textarea[name], select[name]").forEach(function (el) {
      if (el.type === "hidden" || el.type === "submit" || el.type === "button") return;
      if (el.form !== f) return;  // e.g. the reason for keeping a warning
      out[el.name] = el.value;
    });
    return out;
  }

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function store(f, base) {
    try {
      var existing = load(f.dataset.draftKey);
      localStorage.setItem(f.dataset.draftKey, JSON.stringify({
        values: values(f),
        // The step as the author last saw it saved: a restore must post against it,
        // so the server can still tell whether someone else changed the step since.
        base: base || (existing && existing.base) || document.getElementById("step-hash").value,
        time: new Date().toISOString()
      }));
    } catch (e) { /* storage full or disabled: the server copy is all we have */ }
  }

  function clear(key) { try { localStorage.removeItem(key); } catch (e) { /* ignore */ } }

  function setStatus(state, text) {
    var el = statusEl();
    if (!el) return;
    el.dataset.state = state;
    el.textContent = text;
  }

  var edits = 0;        // inputs since the page loaded
  var editsAtSend = 0;  // inputs when the autosave in flight was sent

  function offerRestore(f) {
    var draft = load(f.dataset.draftKey);
    var box = document.getElementById("draft-restore");
    if (!draft || !box) return;
    var current = values(f);
    var differs = Object.keys(draft.values).some(function (name) {
      return name in current && current[name] !== draft.values[name];
    });
    if (!differs) { clear(f.dataset.draftKey); return; }
    box.querySelector("[data-draft-time]").textContent = new Date(draft.time).toLocaleString();
    box.hidden = false;
    box.querySelector("[data-draft-restore]").onclick = function () {
      Object.keys(draft.values).forEach(function (name) {
        var el = f.elements.namedItem(name);
        if (el && el.value !== undefined) el.value = draft.values[name];
      });
      if (draft.base) document.getElementById("step-hash").value = draft.base;
      box.hidden = true;
      f.dispatchEvent(new Event("input", { bubbles: true }));
    };
    box.querySelector("[data-draft-discard]").onclick = function () {
      clear(f.dataset.draftKey);
      box.hidden = true;
    };
  }

  function init() {
    var f = form();
    if (!f || f.dataset.editorReady) return;
    f.dataset.editorReady = "1";
    f.addEventListener("input", function () {
      edits += 1;
      store(f);
      setStatus("dirty", "Unsaved changes");
    });
    offerRestore(f);
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:load", init);

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id !== "autosave") return;
    editsAtSend = edits;
    setStatus("saving", "Saving…");
  });

  // The server confirmed a save: forget the local copy unless typing went on meanwhile.
  document.addEventListener("prfaqSaved", function (event) {
    var f = form();
    if (!f) return;
    if (edits === editsAtSend) clear(f.dataset.draftKey);
    else store(f, event.detail && event.detail.hash);
  });

  document.addEventListener("prfaqConflict", function () {
    setStatus("conflict", "Not saved: someone else changed this step");
  });

  function failed(event) {
    if (event.detail.elt.id !== "autosave") return;
    setStatus("error", "Not saved — retrying");
    htmx.trigger(event.detail.elt, "prfaq:retry");
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);

  // 409: the proposal moved on (withdrawn, killed) while this step was open. The
  // message says why; the local copy stays, and retrying would not help.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt.id !== "autosave" || !event.detail.xhr) return;
    if (event.detail.xhr.status === 409) setStatus("conflict", "Not saved: see the message above");
  });

  // Taking their version in a conflict is a choice to drop the local copy.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-take-theirs]");
    var f = form();
    if (link && f) clear(f.dataset.draftKey);
  });
})();
