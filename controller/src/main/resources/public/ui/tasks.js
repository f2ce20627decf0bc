// The Tasks page, the Task page and its live log (no inline scripts: CSP script-src 'self').
// - Tasks list: remembers the checked boxes across live row updates; "select all on this page" and
//   "all matching the filter"; a row whose task changes (an av:tasks event from app.js) is fetched
//   again; on the first page a new task refreshes the rows; the bulk dialog opens when its content arrives.
// - Task page: the panel is fetched again when this task changes; the log of the selected attempt is
//   read from /api/v1/tasks/{id}/log (a finished attempt) or followed on /api/v1/tasks/{id}/log/stream
//   (running), following the bottom unless the reader scrolled up, "reconnecting…" while the stream is down.
(function () {
  'use strict';

  // ---- Tasks list -------------------------------------------------------------------------------
  var selected = new Set();

  function table() { return document.getElementById('tasks-table'); }

  function updateSelection() {
    var t = table();
    if (!t) { return; }
    t.querySelectorAll('input[name="ids"]').forEach(function (box) { box.checked = selected.has(box.value); });
    var matching = document.getElementById('select-matching');
    var count = document.getElementById('selected-count');
    if (count) {
      count.textContent = matching && matching.checked ? 'all tasks matching the filter (the count comes first)'
        : (selected.size > 0 ? selected.size + ' selected' : '');
    }
  }

  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el.name === 'ids' && el.closest('#tasks-table')) {
      if (el.checked) { selected.add(el.value); } else { selected.delete(el.value); }
      var matching = document.getElementById('select-matching');
      if (matching && !el.checked) { matching.checked = false; }
      updateSelection();
    } else if (el.id === 'select-page') {
      table().querySelectorAll('input[name="ids"]').forEach(function (box) {
        if (el.checked) { selected.add(box.value); } else { selected.delete(box.value); }
      });
      updateSelection();
    } else if (el.id === 'select-matching') {
      if (el.checked) {
        table().querySelectorAll('input[name="ids"]').forEach(function (box) { selected.add(box.value); });
      }
      updateSelection();
    } else if (el.id === 'log-attempt') {
      startLog(el.value);
    }
  });

  // One refresh of a row at a time: a second event while one is in flight asks for one more after it.
  // (Two at once lose the newer one: the first swap replaces the row, the second finds its target gone.)
  var rowRefresh = {};
  function refreshRow(taskId) {
    var row = document.getElementById('row-' + taskId);
    if (!row) { return false; }
    if (rowRefresh[taskId]) { rowRefresh[taskId] = 'again'; return true; }
    rowRefresh[taskId] = 'busy';
    var done = function () {
      var again = rowRefresh[taskId] === 'again';
      delete rowRefresh[taskId];
      if (again) { refreshRow(taskId); }
    };
    window.htmx.ajax('GET', '/ui/tasks/' + encodeURIComponent(taskId) + '/row', { target: row, swap: 'outerHTML' })
      .then(done, done);
    return true;
  }

  var rowsPending = null;
  function refreshRows() {
    var t = table();
    if (!t || rowsPending) { return; }
    rowsPending = setTimeout(function () {
      rowsPending = null;
      window.htmx.ajax('GET', t.getAttribute('data-rows-url'), { target: '#task-rows', swap: 'innerHTML' });
    }, 300);
  }

  function onTaskEvent(e) {
    var id = e.detail && e.detail.task_id;
    if (!id) { return; }
    if (table()) {
      refreshRow(id);
    }
    var panel = document.getElementById('task-panel');
    if (panel && panel.getAttribute('data-task') === id) {
      window.htmx.trigger(panel, 'av:task-changed');
    }
  }

  document.addEventListener('htmx:afterSwap', function (e) {
    var target = e.detail.target;
    if (!target) { return; }
    if (target.id === 'bulk-body') {
      var dialog = document.getElementById('bulk-dialog');
      if (dialog && !dialog.open) { dialog.showModal(); }
    }
    if (target.id === 'task-rows' || (target.closest && target.closest('#tasks-table'))) {
      updateSelection();
    }
    if (target.id === 'task-panel') {
      panelChanged();
    }
  });
  // A row swapped by outerHTML is no longer the event's target in the DOM: settle covers it.
  document.addEventListener('htmx:afterSettle', function () { updateSelection(); });

  document.addEventListener('click', function (e) {
    var close = e.target.closest('[data-close-dialog]');
    if (!close) { return; }
    var dialog = close.closest('dialog');
    if (dialog) { dialog.close(); }
    if (close.hasAttribute('data-reload')) {
      selected.clear();
      var matching = document.getElementById('select-matching');
      if (matching) { matching.checked = false; }
      var page = document.getElementById('select-page');
      if (page) { page.checked = false; }
      refreshRowsNow();
    }
  });

  function refreshRowsNow() {
    var t = table();
    if (t) {
      window.htmx.ajax('GET', t.getAttribute('data-rows-url'), { target: '#task-rows', swap: 'innerHTML' });
    }
  }

  // ---- Task page: live log ---------------------------------------------------------------------
  var log = { source: null, attempt: null, task: null, next: null, timer: null };

  function logEl() { return document.getElementById('log-lines'); }
  function setStatus(text, kind) {
    var s = document.getElementById('log-status');
    if (s) {
      s.textContent = text;
      s.setAttribute('data-kind', kind || '');
    }
  }

  function atBottom(el) { return el.scrollTop + el.clientHeight >= el.scrollHeight - 8; }

  function append(lines) {
    var el = logEl();
    if (!el || lines.length === 0) { return; }
    var follow = document.getElementById('log-follow');
    var stick = atBottom(el) && (!follow || follow.checked);
    var frag = document.createDocumentFragment();
    lines.forEach(function (l) {
      var span = document.createElement('span');
      span.className = 'log-line log-' + (l.stream || 'out');
      span.setAttribute('data-id', l.id || '');
      span.textContent = (l.text || '') + '\n';
      frag.appendChild(span);
    });
    el.appendChild(frag);
    if (stick) { el.scrollTop = el.scrollHeight; }
  }

  function stopLog() {
    if (log.source) { log.source.close(); log.source = null; }
    if (log.timer) { clearTimeout(log.timer); log.timer = null; }
  }

  function running() {
    var s = document.getElementById('task-state');
    return s && s.getAttribute('data-running') === 'true';
  }
  function latestAttempt() {
    var s = document.getElementById('task-state');
    return s ? s.getAttribute('data-latest-attempt') : null;
  }

  function startLog(attempt) {
    var section = document.getElementById('live-log');
    if (!section) { return; }
    stopLog();
    log.task = section.getAttribute('data-task');
    log.attempt = attempt;
    log.next = null;
    log.failed = null;
    var el = logEl();
    el.textContent = '';
    if (!attempt || attempt === '0') {
      setStatus('no attempt yet: the log starts when a worker takes the task', 'idle');
      return;
    }
    if (running() && attempt === latestAttempt() && window.EventSource) {
      follow();
    } else {
      readFinished();
    }
  }

  function base() {
    return '/api/v1/tasks/' + encodeURIComponent(log.task) + '/log';
  }

  function follow() {
    var url = base() + '/stream?attempt=' + encodeURIComponent(log.attempt);
    var source = new EventSource(url);
    log.source = source;
    setStatus('connecting…', 'connecting');
    source.onopen = function () { setStatus('live', 'live'); };
    source.onerror = function () {
      if (log.source !== source) { return; }
      if (source.readyState === EventSource.CLOSED) {
        setStatus('the log stream closed; reading what is stored', 'closed');
        log.source = null;
        readFinished();
      } else {
        setStatus('reconnecting…', 'reconnecting');
      }
    };
    source.addEventListener('line', function (e) {
      try { append([JSON.parse(e.data)]); } catch (err) { /* a line we cannot read */ }
      setStatus('live', 'live');
    });
    source.addEventListener('end', function () {
      source.close();
      if (log.source === source) { log.source = null; }
      setStatus('attempt ' + log.attempt + ' finished', 'finished');
    });
    source.addEventListener('signed-out', function () {
      source.close();
      if (log.source === source) { log.source = null; }
      setStatus('signed out: sign in again to follow the log', 'closed');
    });
  }

  function readFinished() {
    var url = base() + '?attempt=' + encodeURIComponent(log.attempt) + '&limit=500'
      + (log.next ? '&after=' + encodeURIComponent(log.next) : '');
    var attempt = log.attempt;
    setStatus('loading…', 'loading');
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      if (attempt !== log.attempt) { return; }
      if (res.status !== 200) {
        log.failed = attempt;
        setStatus(res.body && res.body.message ? res.body.message : 'no log (' + res.status + ')', 'error');
        return;
      }
      append(res.body.lines || []);
      if (res.body.next) { log.next = res.body.next; }
      if ((res.body.lines || []).length >= 500) {
        readFinished();
      } else if (res.body.finished) {
        setStatus('attempt ' + attempt + ' finished', 'finished');
      } else if (running() && attempt === latestAttempt()) {
        // Still running but no stream (or it closed): poll.
        setStatus('live (polling)', 'live');
        log.timer = setTimeout(readFinished, 2000);
      } else {
        setStatus('', '');
      }
    }).catch(function () {
      if (attempt !== log.attempt) { return; }
      setStatus('reconnecting…', 'reconnecting');
      log.timer = setTimeout(readFinished, 2000);
    });
  }

  // The panel changed (a new attempt, a state change): keep the attempt selector and the log in step.
  function panelChanged() {
    var select = document.getElementById('log-attempt');
    var latest = latestAttempt();
    if (!select || !latest || latest === '0') { return; }
    var followingLatest = !log.attempt || log.attempt === '0' || select.value === select.options[select.options.length - 1].value;
    if (!Array.prototype.some.call(select.options, function (o) { return o.value === latest; })) {
      Array.prototype.slice.call(select.options).forEach(function (o) { if (!o.value) { o.remove(); } });
      var o = document.createElement('option');
      o.value = latest;
      o.textContent = latest;
      select.appendChild(o);
    }
    if (followingLatest && (log.attempt !== latest || (running() && !log.source && !log.timer && log.failed !== latest))) {
      select.value = latest;
      startLog(latest);
    }
  }

  function start() {
    document.body.addEventListener('av:tasks', onTaskEvent);
    // A new task (or one queued again) not on the page: the first page shows the newest, so refresh it.
    // (The event's own "type" field is the task's type here, hence the named event.)
    document.body.addEventListener('av:task_queued', function (e) {
      var t = table();
      var id = e.detail && e.detail.task_id;
      if (t && id && !document.getElementById('row-' + id) && t.getAttribute('data-first-page') === 'true') {
        refreshRows();
      }
    });
    var select = document.getElementById('log-attempt');
    if (select) { startLog(select.value); }
    updateSelection();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
  window.addEventListener('pagehide', stopLog);
})();
