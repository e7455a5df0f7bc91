/* Pandu Inovasi live notifications: one WebSocket per page, resumed with the last id seen.
 *
 * The database is the truth; this socket is a fast path. On every (re)connect the server
 * replays every notification after `since`, then sends live ones; ids already seen are
 * dropped, so a reconnect never shows a notification twice. No build step: plain ES2017.
 *
 * Works with Turbo Drive: the script may be evaluated on every visit, but only the first
 * evaluation opens the socket; later visits re-bind to the new bell element.
 */
(function () {
  "use strict";
  if (window.PanduNotifications) {
    window.PanduNotifications.bind();
    return;
  }

  var BASE_DELAY_MS = 1000;
  var MAX_DELAY_MS = 30000;
  var WATCHDOG_MS = 70000; // the server pings every ~25 s; silence this long means a dead link
  var TOAST_MS = 8000;
  var MAX_SEEN = 500;

  var LABELS = {
    open: "Buka",
    close: "Tutup",
    empty: "Belum ada notifikasi.",
    markAll: "Tandai semua dibaca",
    offline: "Notifikasi terputus; mencoba menyambung kembali...",
    loginAgain: "Sesi berakhir; masuk kembali untuk menerima notifikasi.",
    newCount: "%(count)s notifikasi belum dibaca"
  };

  var state = {
    socket: null,
    attempt: 0,
    timer: null,
    watchdog: null,
    stopped: false,
    unread: 0,
    seen: {},
    seenOrder: [],
    bell: null,
    userId: null,
    connected: false,
    received: [] // for tests and debugging: ids in the order they were shown
  };

  function $(sel, root) { return (root || document).querySelector(sel); }

  function storageKey() { return "pandu.notifications.last." + state.userId; }

  function lastId() {
    var stored = 0;
    try { stored = parseInt(window.localStorage.getItem(storageKey()) || "0", 10) || 0; } catch (e) { /* private mode */ }
    if (!stored && state.bell) {
      // First visit in this browser: the page was rendered after everything up to this id.
      stored = parseInt(state.bell.getAttribute("data-last-id") || "0", 10) || 0;
    }
    return stored;
  }

  function rememberLastId(id) {
    try {
      if (id > lastId()) window.localStorage.setItem(storageKey(), String(id));
    } catch (e) { /* storage unavailable: the page-rendered id still bounds replays */ }
  }

  function markSeen(id) {
    if (state.seen[id]) return false;
    state.seen[id] = true;
    state.seenOrder.push(id);
    if (state.seenOrder.length > MAX_SEEN) delete state.seen[state.seenOrder.shift()];
    return true;
  }

  function loadLabels() {
    var el = document.getElementById("pi-notification-labels");
    if (!el) return;
    try {
      var given = JSON.parse(el.textContent);
      Object.keys(given).forEach(function (k) { LABELS[k] = given[k]; });
    } catch (e) { /* keep the Indonesian defaults */ }
  }

  function setState(name) {
    if (state.bell) state.bell.setAttribute("data-state", name);
  }

  // --- badge, panel, toasts -------------------------------------------------------------------

  function renderBadge() {
    var badge = $("#pi-bell-badge");
    if (!badge) return;
    badge.setAttribute("data-count", String(state.unread));
    badge.textContent = state.unread > 99 ? "99+" : String(state.unread);
    badge.hidden = state.unread <= 0;
    var button = $(".pi-bell__button", state.bell);
    if (button) button.setAttribute("title", LABELS.newCount.replace("%(count)s", state.unread));
  }

  function safeUrl(url) {
    // Only same-site paths: a notification never links off the site.
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : "#";
  }

  function toastContainer() { return document.getElementById("pi-toasts"); }

  function showToast(note) {
    var box = toastContainer();
    if (!box) return;
    var toast = document.createElement("div");
    toast.className = "pi-toast";
    toast.setAttribute("role", "status");
    toast.setAttribute("data-id", String(note.id));
    var title = document.createElement("strong");
    title.textContent = note.title;
    var body = document.createElement("p");
    body.textContent = note.body || "";
    var actions = document.createElement("div");
    actions.className = "pi-toast__actions";
    var open = document.createElement("a");
    open.href = safeUrl(note.url);
    open.textContent = LABELS.open;
    open.addEventListener("click", function () { markRead([note.id]); });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = LABELS.close;
    close.addEventListener("click", function () { toast.remove(); });
    actions.appendChild(close);
    actions.appendChild(open);
    toast.appendChild(title);
    if (note.body) toast.appendChild(body);
    toast.appendChild(actions);
    box.appendChild(toast);
    while (box.children.length > 4) box.removeChild(box.firstChild);
    window.setTimeout(function () { toast.remove(); }, TOAST_MS);
  }

  function showNotice(text) {
    var box = toastContainer();
    if (!box || box.querySelector(".pi-toast--notice")) return;
    var toast = document.createElement("div");
    toast.className = "pi-toast pi-toast--notice";
    toast.setAttribute("role", "status");
    toast.textContent = text;
    box.appendChild(toast);
    window.setTimeout(function () { toast.remove(); }, TOAST_MS);
  }

  function panel() { return state.bell && $(".pi-bell__panel", state.bell); }

  function renderList(items) {
    var list = state.bell && $(".pi-bell__list", state.bell);
    if (!list) return;
    list.textContent = "";
    if (!items.length) {
      var empty = document.createElement("li");
      empty.className = "pi-bell__empty";
      empty.textContent = LABELS.empty;
      list.appendChild(empty);
      return;
    }
    items.forEach(function (note) {
      var li = document.createElement("li");
      if (!note.read) li.className = "is-unread";
      var a = document.createElement("a");
      a.href = safeUrl(note.url);
      a.textContent = note.title;
      var small = document.createElement("small");
      small.textContent = note.body || "";
      a.appendChild(small);
      a.addEventListener("click", function () { if (!note.read) markRead([note.id]); });
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function togglePanel() {
    var p = panel();
    if (!p) return;
    var opening = p.hidden;
    p.hidden = !opening;
    $(".pi-bell__button", state.bell).setAttribute("aria-expanded", String(opening));
    if (!opening) return;
    fetch(state.bell.getAttribute("data-list-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (body) { renderList(body.results || []); })
      .catch(function () { renderList([]); });
  }

  // --- marking read ---------------------------------------------------------------------------

  function markRead(ids, all) {
    var frame = all ? { type: "read", all: true } : { type: "read", ids: ids };
    if (state.socket && state.socket.readyState === WebSocket.OPEN) {
      state.socket.send(JSON.stringify(frame));
      return;
    }
    // Socket down: the REST endpoint does the same (session + CSRF).
    var body = all ? { all: true } : { ids: ids };
    fetch(state.bell.getAttribute("data-read-url"), {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": state.bell.getAttribute("data-csrf") || ""
      },
      body: JSON.stringify(body)
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (res) { if (res) { state.unread = res.unread; renderBadge(); } })
      .catch(function () { /* next connect brings the right count */ });
  }

  // --- the socket -----------------------------------------------------------------------------

  function onMessage(event) {
    resetWatchdog();
    var msg;
    try { msg = JSON.parse(event.data); } catch (e) { return; }
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "notification" && typeof msg.id === "number") {
      rememberLastId(msg.id);
      if (!markSeen(msg.id)) return; // a duplicate (replay and live overlap)
      state.received.push(msg.id);
      showToast(msg);
      // Pages that show lists of cases refresh the ones this concerns (portal/case.js).
      document.dispatchEvent(new CustomEvent("pandu:notification", { detail: msg }));
    } else if (msg.type === "unread" && typeof msg.count === "number") {
      state.unread = msg.count;
      renderBadge();
      state.attempt = 0; // a full handshake worked: reset the back-off
    } else if (msg.type === "ping") {
      /* heartbeat: resetWatchdog above is all it takes */
    }
  }

  function resetWatchdog() {
    window.clearTimeout(state.watchdog);
    state.watchdog = window.setTimeout(function () {
      if (state.socket) state.socket.close(); // onclose schedules the reconnect
    }, WATCHDOG_MS);
  }

  function scheduleReconnect() {
    if (state.stopped || state.timer) return;
    // Exponential back-off with full jitter, so that a restarted server is not stampeded.
    var ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * Math.pow(2, state.attempt));
    var delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    state.attempt += 1;
    state.timer = window.setTimeout(function () { state.timer = null; connect(); }, delay);
  }

  function connect() {
    if (state.stopped || !state.bell) return;
    if (state.socket && state.socket.readyState <= WebSocket.OPEN) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var url = scheme + window.location.host + state.bell.getAttribute("data-ws-path") +
      "?since=" + encodeURIComponent(String(lastId()));
    var ws;
    try { ws = new WebSocket(url); } catch (e) { scheduleReconnect(); return; }
    state.socket = ws;
    setState("connecting");
    ws.onopen = function () { state.connected = true; setState("open"); resetWatchdog(); };
    ws.onmessage = onMessage;
    ws.onclose = function (event) {
      if (state.socket === ws) state.socket = null;
      state.connected = false;
      window.clearTimeout(state.watchdog);
      if (event.code === 4401) {
        // Not logged in (any more): retrying cannot help until the user logs in again.
        state.stopped = true;
        setState("unauthenticated");
        showNotice(LABELS.loginAgain);
        return;
      }
      setState("offline");
      scheduleReconnect();
    };
    ws.onerror = function () { /* onclose follows and reconnects */ };
  }

  function reconnectNow() {
    if (state.stopped) return;
    window.clearTimeout(state.timer);
    state.timer = null;
    state.attempt = 0;
    connect();
  }

  function bind() {
    var bell = document.getElementById("pi-bell");
    if (!bell) return;
    state.bell = bell;
    state.userId = bell.getAttribute("data-user");
    loadLabels();
    if (bell.getAttribute("data-bound") !== "1") {
      bell.setAttribute("data-bound", "1");
      $(".pi-bell__button", bell).addEventListener("click", togglePanel);
      $(".pi-bell__all", bell).addEventListener("click", function () {
        markRead(null, true);
        var p = panel();
        if (p) p.hidden = true;
      });
    }
    setState(state.connected ? "open" : state.stopped ? "unauthenticated" : "connecting");
    if (state.connected) renderBadge();
    connect();
  }

  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !state.socket) reconnectNow();
  });
  document.addEventListener("turbo:load", bind);
  document.addEventListener("click", function (event) {
    var p = panel();
    if (p && !p.hidden && state.bell && !state.bell.contains(event.target)) p.hidden = true;
  });

  window.PanduNotifications = { bind: bind, state: state, reconnect: reconnectNow };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
