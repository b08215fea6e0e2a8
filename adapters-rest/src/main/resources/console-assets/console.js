// The console's only script: copy buttons, confirmations, live event rows, the health page's figures.
(function () {
  'use strict';
  document.addEventListener('click', function (e) {
    var copy = e.target.closest('[data-copy]');
    if (copy) {
      var text = document.getElementById(copy.getAttribute('data-copy')).textContent;
      navigator.clipboard.writeText(text).then(function () { copy.textContent = 'Copied'; },
        function () { copy.textContent = 'Select and copy'; });
    }
  });
  document.addEventListener('submit', function (e) {
    var message = e.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) { e.preventDefault(); }
  });

  // Events: fetch the rows of the same filters every 3 s and replace the table's body.
  var rows = document.getElementById('event-rows');
  if (rows) {
    var form = document.getElementById('event-filters');
    var status = document.getElementById('live-status');
    var poll = function () {
      var query = new URLSearchParams(new FormData(form)).toString();
      fetch(rows.getAttribute('data-poll') + '?' + query, { credentials: 'same-origin' })
        .then(function (r) {
          if (r.redirected || r.status === 303) { status.textContent = 'Signed out: live updates stopped.'; return null; }
          return r.text();
        })
        .then(function (html) {
          if (html !== null && html !== undefined && rows.innerHTML !== html) { rows.innerHTML = html; }
          if (html !== null) { status.textContent = 'Live: updated ' + new Date().toLocaleTimeString() + '.'; }
        })
        .catch(function () { status.textContent = 'Live updates paused: the service did not answer.'; });
    };
    setInterval(poll, 3000);
  }

  // Health: read /q/metrics every 5 s and show rates per channel over the last minutes.
  var health = document.getElementById('health');
  if (health) {
    var history = [];
    var parse = function (text) {
      var series = {};
      text.split('\n').forEach(function (line) {
        if (!line || line[0] === '#') { return; }
        var m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+([^\s]+)/);
        if (m) { series[m[1] + (m[2] || '')] = parseFloat(m[3]); }
      });
      return series;
    };
    var sum = function (series, name, label) {
      var total = 0, found = false;
      Object.keys(series).forEach(function (k) {
        if (k === name || k.indexOf(name + '{') === 0) {
          if (!label || k.indexOf(label) >= 0) { total += series[k]; found = true; }
        }
      });
      return found ? total : null;
    };
    var set = function (id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } };
    var refresh = function () {
      fetch('/q/metrics', { credentials: 'same-origin' }).then(function (r) { return r.text(); }).then(function (text) {
        var s = parse(text), now = Date.now();
        history.push({ at: now, s: s });
        while (history.length > 1 && now - history[0].at > 5 * 60 * 1000) { history.shift(); }
        var first = history[0], seconds = (now - first.at) / 1000;
        ['sequence', 'mantle', 'grpc'].forEach(function (ch) {
          var label = 'source="' + ch + '"';
          var a = sum(first.s, 'usage_events_total', label), b = sum(s, 'usage_events_total', label);
          set('rate-' + ch, b === null ? 'no figure yet' : (seconds > 0 ? ((b - a) / seconds).toFixed(2) + ' events/s over ' + Math.round(seconds) + ' s' : 'measuring...') + ' (' + b + ' since start)');
        });
        var bc = sum(s, 'usage_commit_group_events_count'), bs = sum(s, 'usage_commit_group_events_sum');
        set('batch-size', bc ? (bs / bc).toFixed(1) + ' events per commit (mean of ' + bc + ' commits)' : 'no commit yet');
        var dc = sum(s, 'usage_ingest_commit_delay_seconds_count'), ds = sum(s, 'usage_ingest_commit_delay_seconds_sum');
        set('batch-delay', dc ? (1000 * ds / dc).toFixed(1) + ' ms mean from receipt to commit; ' + (sum(s, 'usage_commit_queue') || 0) + ' writes queued' : 'no commit yet');
        var active = sum(s, 'agroal_active_count'), avail = sum(s, 'agroal_available_count');
        set('db-pool', active === null ? 'no pool figures' : active + ' connections in use, ' + avail + ' idle');
        set('health-updated', 'Updated ' + new Date().toLocaleTimeString());
      }).catch(function () { set('health-updated', 'The metrics did not load.'); });
      fetch('/q/health/ready').then(function (r) { return r.json(); }).then(function (h) {
        set('db-state', h.status + ': ' + (h.checks || []).map(function (c) { return c.name + ' ' + c.status; }).join(', '));
      }).catch(function () { set('db-state', 'DOWN or unreachable'); });
    };
    refresh();
    setInterval(refresh, 5000);
  }
})();
