// The dashboard's behaviour (no inline scripts: CSP script-src 'self').
// - the CSRF token (meta csrf-token) goes with every htmx request as X-CSRF-Token
// - the theme toggle (light/dark, remembered in localStorage)
// - one EventSource on /api/v1/events (body[data-events]); each event is re-dispatched on <body> as
//   "av:<type>" and, for groups, "av:fleet" / "av:queue" / "av:attention" / "av:tasks", so a fragment
//   refreshes itself with hx-trigger="av:fleet from:body"; "reconnecting…" shows while it is down
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
  var GROUPS = {
    fleet: /^(worker_|task_started|task_completed|task_failed|task_cancelled|task_progress|task_step|task_queued)/,
    queue: /^(queue_updated|task_queued|task_started|task_cancelled|task_created|task_failed|task_completed)/,
    attention: /^clarification_/,
    tasks: /^(task_|queue_updated|clarification_)/
  };
  var TYPES = ['task_created', 'task_queued', 'task_started', 'task_progress', 'task_step', 'task_completed',
    'task_failed', 'task_cancelled', 'queue_updated', 'worker_registered', 'worker_health_changed',
    'clarification_requested', 'clarification_answered'];

  function dispatch(type, data) {
    var body = document.body;
    body.dispatchEvent(new CustomEvent('av:' + type, { detail: data }));
    Object.keys(GROUPS).forEach(function (g) {
      if (GROUPS[g].test(type)) {
        body.dispatchEvent(new CustomEvent('av:' + g, { detail: data }));
      }
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
    window.addEventListener('pagehide', function () { source.close(); });
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
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
  document.addEventListener('htmx:afterSettle', updateNotifyButtons);
})();
