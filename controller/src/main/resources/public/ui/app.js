// The dashboard's behaviour (no inline scripts: CSP script-src 'self').
// - the CSRF token (meta csrf-token) goes with every htmx request as X-CSRF-Token
// - the theme toggle (light/dark, remembered in localStorage)
// - one EventSource on body[data-events] (/api/v1/events?groups=…: only the groups the page shows); each
//   event is re-dispatched on <body> as "av:<type>" and, for each group its data names (data.groups, the
//   server's one definition), "av:fleet" / "av:queue" / "av:attention" / "av:tasks", so a fragment
//   refreshes itself with hx-trigger="av:queue from:body"; "reconnecting…" shows while it is down
// - "cards" frames (the Fleet page's stream, /ui/fleet/stream): the server pushes the rendered cards when they
//   change; they replace the content of [data-cards] (htmx processes their buttons)
// - [data-elapsed-s]: a duration that ticks every second in the browser from the server's figure
//   ([data-elapsed-suffix] appended), so a page needs no refresh to show time passing; counted from
//   [data-age-ms] before now when its region says it was built that long ago (a shared snapshot)
// - optional browser notifications for new clarifications (button[data-notify])
(function () {
  'use strict';

  function csrfToken() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') : '';
  }

  document.addEventListener('htmx:configRequest', function (e) {
    var token = csrfToken();
    if (token) {
      e.detail.headers['X-CSRF-Token'] = token;
    }
  });

  // A message from an action's answer (HX-Trigger: {"av-flash": {kind, message}}) into the flash area.
  document.addEventListener('av-flash', function (e) {
    var area = document.getElementById('flash');
    if (!area || !e.detail) { return; }
    var div = document.createElement('div');
    var kind = ['info', 'success', 'error'].indexOf(e.detail.kind) >= 0 ? e.detail.kind : 'info';
    div.className = 'flash flash-' + kind;
    div.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    div.textContent = e.detail.message || '';
    area.replaceChildren(div);
  });

  // Theme
  function currentTheme() {
    var t = document.documentElement.getAttribute('data-theme');
    if (t) { return t; }
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.addEventListener('click', function (e) {
    var toggle = e.target.closest('[data-theme-toggle]');
    if (!toggle) { return; }
    var next = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.setAttribute('data-theme', next);
    try { localStorage.setItem('agentvine-theme', next); } catch (err) { /* not remembered */ }
  });

  // Live events
  var TYPES = ['task_created', 'task_queued', 'task_started', 'task_progress', 'task_step', 'task_completed',
    'task_failed', 'task_cancelled', 'queue_updated', 'worker_registered', 'worker_health_changed',
    'clarification_requested', 'clarification_answered'];

  function dispatch(type, data) {
    var body = document.body;
    body.dispatchEvent(new CustomEvent('av:' + type, { detail: data }));
    (Array.isArray(data.groups) ? data.groups : []).forEach(function (g) {
      body.dispatchEvent(new CustomEvent('av:' + g, { detail: data }));
    });
    if (type === 'clarification_requested') {
      notify(data);
    }
  }

  function connect() {
    var url = document.body.getAttribute('data-events');
    if (!url || !window.EventSource) { return; }
    var status = document.getElementById('sse-status');
    var source = new EventSource(url);
    document.body.setAttribute('data-sse', 'connecting');
    source.onopen = function () {
      document.body.setAttribute('data-sse', 'open');
      if (status) { status.hidden = true; }
    };
    source.onerror = function () {
      // EventSource reconnects by itself (and resumes with Last-Event-ID); say so meanwhile.
      document.body.setAttribute('data-sse', 'reconnecting');
      if (status) { status.hidden = false; }
    };
    TYPES.forEach(function (type) {
      source.addEventListener(type, function (e) {
        var data = {};
        try { data = JSON.parse(e.data); } catch (err) { /* keep {} */ }
        dispatch(type, data);
      });
    });
    source.addEventListener('cards', function (e) {
      var el = document.querySelector('[data-cards]');
      if (!el) { return; }
      el.innerHTML = e.data; // rendered (and escaped) by the server, as a fragment htmx would swap in
      if (window.htmx) { window.htmx.process(el); }
      stampAged(el);
      document.body.dispatchEvent(new CustomEvent('av:cards'));
    });
    source.addEventListener('signed-out', function () {
      // The session ended (signed out elsewhere, revoked or expired): the stream is over; sign in again.
      source.close();
      window.location.assign('/ui/login');
    });
    window.addEventListener('pagehide', function () { source.close(); });
  }

  // Durations that tick in the browser: the server's figure (seconds) plus the time since it arrived.
  var elapsedSeen = new WeakMap();
  function pad2(n) { return (n < 10 ? '0' : '') + n; }
  function duration(s) { // as the server's Formats.duration: 45s, 3m 05s, 2h 10m, 3d 4h
    s = Math.max(0, Math.floor(s));
    if (s < 60) { return s + 's'; }
    if (s < 3600) { return Math.floor(s / 60) + 'm ' + pad2(s % 60) + 's'; }
    if (s < 86400) { return Math.floor(s / 3600) + 'h ' + pad2(Math.floor((s % 3600) / 60)) + 'm'; }
    return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
  }
  function stampElapsed() { // when each figure arrived (a page load, a fragment swapped in)
    var now = performance.now();
    document.querySelectorAll('[data-elapsed-s]').forEach(function (el) {
      if (!elapsedSeen.has(el)) { elapsedSeen.set(el, now); }
    });
  }
  document.addEventListener('htmx:afterSettle', stampElapsed);
  // A region served from a shared snapshot says how old it is ([data-age-ms]): its durations count from then.
  function stampAged(root) {
    var aged = root && root.querySelector ? root.querySelector('[data-age-ms]') : null;
    if (!aged) { return; }
    var at = performance.now() - (parseInt(aged.getAttribute('data-age-ms'), 10) || 0);
    root.querySelectorAll('[data-elapsed-s]').forEach(function (el) { elapsedSeen.set(el, at); });
  }
  document.addEventListener('htmx:afterSwap', function (e) { stampAged(e.detail && e.detail.target); });
  function tick() {
    var now = performance.now();
    document.querySelectorAll('[data-elapsed-s]').forEach(function (el) {
      if (!elapsedSeen.has(el)) { elapsedSeen.set(el, now); return; } // rendered just now: as the server wrote it
      var base = parseInt(el.getAttribute('data-elapsed-s'), 10);
      if (isNaN(base)) { return; }
      el.textContent = duration(base + (now - elapsedSeen.get(el)) / 1000) + (el.getAttribute('data-elapsed-suffix') || '');
    });
  }

  // Browser notifications (opt-in)
  function notify(data) {
    if (!window.Notification || Notification.permission !== 'granted') { return; }
    var kind = data && data.kind === 'approval' ? 'An approval' : 'A question';
    var n = new Notification('AgentVine: ' + kind + ' waits for you', {
      body: data && data.task_id ? 'Task ' + data.task_id : '',
      tag: data && data.clarification_id ? data.clarification_id : undefined
    });
    n.onclick = function () { window.focus(); window.location.href = '/ui/attention'; };
  }
  function updateNotifyButtons() {
    document.querySelectorAll('[data-notify]').forEach(function (b) {
      if (!window.Notification) {
        b.hidden = true;
      } else if (Notification.permission === 'granted') {
        b.textContent = 'Notifications on';
        b.disabled = true;
      } else if (Notification.permission === 'denied') {
        b.textContent = 'Notifications blocked by the browser';
        b.disabled = true;
      }
    });
  }
  document.addEventListener('click', function (e) {
    var b = e.target.closest('[data-notify]');
    if (!b || !window.Notification) { return; }
    Notification.requestPermission().then(updateNotifyButtons);
  });

  function start() {
    connect();
    updateNotifyButtons();
    stampAged(document.body);
    stampElapsed();
    setInterval(tick, 1000);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
  document.addEventListener('htmx:afterSettle', updateNotifyButtons);
})();
