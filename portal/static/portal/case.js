/* The case page and the pages with case lists (no framework, no inline script; everything
 * works without this file, it only makes it smoother):
 *  - buttons with data-confirm ask first (ending a case, marking the rest valid, removing);
 *  - the action panel's one comment box: an action that needs a reason says so beside the box
 *    instead of sending an empty one;
 *  - evidence reviews are saved in the background: the page stays where it is and the item
 *    shows its saved result;
 *  - a live notification (notifications.js fires "pandu:notification") refreshes the lists on
 *    the page that it concerns, and on a case page offers to reload that case.
 * Works with Turbo Drive: the document-level listeners are added once, the page parts are bound
 * on every visit.
 */
(function () {
  "use strict";
  if (window.PanduCase) {
    window.PanduCase.bind();
    return;
  }

  var LABELS = {
    required: "Isi komentar dulu: wajib untuk tindakan ini.",
    saving: "Menyimpan…",
    saved: "Tersimpan",
    failed: "Gagal menyimpan; periksa isian.",
    pending: "%(n)s data dukung belum diperiksa.",
    refreshed: "Daftar diperbarui",
    stale: "Ada perubahan. Muat ulang",
    caseChanged: "Kasus ini baru saja berubah.",
    reload: "Muat ulang"
  };
  var state = { refreshTimer: null, pendingIds: {}, refreshes: 0 };

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- confirmations ------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-confirm]");
    if (!button) return;
    if (!window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // --- the action panel -----------------------------------------------------------------------

  function fieldError(field, text) {
    var box = field.closest(".pi-field");
    var list = box.querySelector(".pi-errors");
    if (!text) {
      if (list && list.getAttribute("data-client")) list.remove();
      box.classList.remove("pi-field--error");
      return;
    }
    if (!list) {
      list = document.createElement("ul");
      list.className = "pi-errors";
      list.setAttribute("data-client", "1");
      list.id = (field.id || field.name) + "_errors";
      var help = box.querySelector(".pi-help");
      (help || field).after(list);
    }
    list.textContent = "";
    var li = document.createElement("li");
    li.textContent = text;
    list.appendChild(li);
    box.classList.add("pi-field--error");
    field.setAttribute("aria-describedby", list.id);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#action-form button[data-action]");
    if (!button) return;
    var box = document.querySelector("#action-form textarea[name=comment]");
    if (!box) return;
    var needing = (box.getAttribute("data-required-for") || "").split(" ");
    if (needing.indexOf(button.getAttribute("data-action")) >= 0 && !box.value.trim()) {
      event.preventDefault();
      event.stopImmediatePropagation();
      fieldError(box, LABELS.required);
      box.focus();
    }
  }, true);

  // --- evidence reviews -------------------------------------------------------------------------

  function syncParameter(form) {
    var invalid = form.querySelector("input[name$='-valid'][value='0']");
    var parameter = form.querySelector("select[name$='-verified_parameter']");
    if (invalid && parameter) parameter.disabled = invalid.checked;
  }

  function showPending(count) {
    var el = document.getElementById("review-pending");
    if (!el || typeof count !== "number") return;
    el.setAttribute("data-pending", String(count));
    el.textContent = LABELS.pending.replace("%(n)s", String(count));
    var rest = document.getElementById("mark-rest-valid");
    if (rest) rest.hidden = count === 0;
  }

  function saveReview(form) {
    var status = form.querySelector(".pi-review__status");
    var item = form.closest(".pi-evidence-item");
    form.querySelectorAll(".pi-errors[data-client]").forEach(function (el) { el.remove(); });
    form.querySelectorAll(".pi-field--error").forEach(function (el) { el.classList.remove("pi-field--error"); });
    if (status) status.textContent = LABELS.saving;
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf(form) }
    })
      .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
      .then(function (result) {
        var ok = result[0], body = result[1];
        form.removeAttribute("aria-busy");
        if (!ok || !body.ok) {
          if (status) status.textContent = body.message || LABELS.failed;
          Object.keys(body.errors || {}).forEach(function (name) {
            var field = form.querySelector("[name$='-" + name + "']");
            if (field) fieldError(field, body.errors[name].join(" "));
          });
          return;
        }
        if (item) {
          item.setAttribute("data-review", body.review);
          var chip = item.querySelector("[data-review-chip]");
          if (chip) {
            chip.className = "pi-chip pi-chip--" + body.review;
            chip.textContent = body.label;
          }
        }
        if (status) status.textContent = body.message || LABELS.saved;
        showPending(body.pending);
      })
      .catch(function () {
        form.removeAttribute("aria-busy");
        // The network failed: send it the ordinary way (the answer comes back to this item).
        form.submit();
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-review-form]") || !window.fetch) return;
    event.preventDefault();
    saveReview(form);
  });

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-review-form]");
    if (form) syncParameter(form);
  });

  // --- live lists ------------------------------------------------------------------------------

  function liveLists() { return Array.prototype.slice.call(document.querySelectorAll("[data-live-list]")); }

  function concerns(list, id) {
    var mode = list.getAttribute("data-live-list");
    return mode === "any" || (id && list.querySelector("[data-innovation='" + id + "']"));
  }

  function flash(list, text) {
    var note = document.createElement("span");
    note.className = "pi-live-note";
    note.setAttribute("role", "status");
    note.textContent = text;
    list.insertBefore(note, list.firstChild);
    window.setTimeout(function () { note.remove(); }, 4000);
  }

  function stalePrompt(list) {
    if (list.querySelector(".pi-live-stale")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pi-btn pi-btn--small pi-live-stale";
    button.textContent = LABELS.stale;
    button.addEventListener("click", function () { window.location.reload(); });
    list.insertBefore(button, list.firstChild);
  }

  function refresh(ids) {
    fetch(window.location.href, {
      credentials: "same-origin",
      headers: { Accept: "text/html", "X-Pandu-Live": "1" }
    })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        liveLists().forEach(function (list) {
          if (!list.id || !ids.some(function (id) { return concerns(list, id); })) return;
          var replacement = fresh.getElementById(list.id);
          if (!replacement) { stalePrompt(list); return; }
          replacement.setAttribute("data-refreshed", String(Date.now()));
          list.replaceWith(replacement);
          flash(replacement, LABELS.refreshed);
        });
        state.refreshes += 1;
      })
      .catch(function () {
        liveLists().forEach(function (list) {
          if (ids.some(function (id) { return concerns(list, id); })) stalePrompt(list);
        });
      });
  }

  function caseChanged() {
    if (document.getElementById("pi-case-changed")) return;
    var live = document.getElementById("pi-live");
    var bar = document.createElement("div");
    bar.id = "pi-case-changed";
    bar.className = "pi-alert pi-info pi-case-changed";
    bar.setAttribute("role", "status");
    var text = document.createElement("span");
    text.textContent = LABELS.caseChanged + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pi-btn pi-btn--small";
    button.textContent = LABELS.reload;
    button.addEventListener("click", function () {
      window.location.href = window.location.pathname;
    });
    bar.appendChild(text);
    bar.appendChild(button);
    var head = document.querySelector(".pi-page .pi-head");
    if (head) head.after(bar); else if (live) live.before(bar);
  }

  document.addEventListener("pandu:notification", function (event) {
    var note = event.detail || {};
    var id = note.innovation ? String(note.innovation) : "";
    var live = document.getElementById("pi-live");
    if (live && id && live.getAttribute("data-innovation") === id) caseChanged();
    var lists = liveLists().filter(function (list) { return concerns(list, id); });
    if (!lists.length) return;
    // Several notifications at once (one action, many rows) make one refresh.
    state.pendingIds[id] = true;
    window.clearTimeout(state.refreshTimer);
    state.refreshTimer = window.setTimeout(function () {
      var ids = Object.keys(state.pendingIds);
      state.pendingIds = {};
      refresh(ids);
    }, 200);
  });

  // --- per page ----------------------------------------------------------------------------------

  function loadLabels() {
    // The page's language: <div id="pi-case-labels" data-*> (templates/portal/includes).
    var el = document.getElementById("pi-case-labels");
    if (!el) return;
    Object.keys(el.dataset).forEach(function (k) { if (k in LABELS) LABELS[k] = el.dataset[k]; });
  }

  function bind() {
    loadLabels();
    document.querySelectorAll("form[data-review-form]").forEach(syncParameter);
  }

  window.PanduCase = { bind: bind, state: state };
  document.addEventListener("turbo:load", bind);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
