// The Costs page's charts (uPlot, from its WebJar; no inline script: CSP script-src 'self').
// The daily series come as JSON in #costs-charts[data-chart]: {days: [epoch seconds], types: [...],
// cost: [[per day] per type], tasks: [[per day] per type]}. Each .chart[data-series] draws one of them,
// one line per type, coloured from the theme's --chart-N variables; drawn again when the theme (the
// toggle's data-theme or the system's preference) or the width changes.
(function () {
  'use strict';

  var charts = [];

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function money(v) {
    if (v == null) { return '–'; }
    return '$' + (Math.abs(v) >= 1 || v === 0 ? v.toFixed(2) : v.toFixed(4));
  }

  function day(ts) {
    return ts == null ? '–' : new Date(ts * 1000).toISOString().slice(0, 10);
  }

  function shortDay(ts) {
    return new Date(ts * 1000).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  }

  function whole(v) {
    return v == null ? '–' : Math.round(v).toLocaleString('en-US');
  }

  function options(el, data, series) {
    var text = cssVar('--muted');
    var grid = cssVar('--border');
    var format = series === 'cost' ? money : whole;
    var lines = data.types.map(function (type, i) {
      var colour = cssVar('--chart-' + ((i % 8) + 1));
      return {
        label: type,
        stroke: colour,
        width: 2,
        points: { show: true, size: 6, fill: colour },
        value: function (u, v) { return format(v); }
      };
    });
    var axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    return {
      width: Math.max(el.clientWidth, 200),
      height: 210,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      series: [{ label: 'Day (UTC)', value: function (u, ts) { return day(ts); } }].concat(lines),
      axes: [
        Object.assign({}, axis, {
          incrs: [86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400, 91 * 86400, 365 * 86400],
          values: function (u, ticks) { return ticks.map(shortDay); }
        }),
        Object.assign({}, axis, {
          size: 64,
          // Tasks are whole: ticks at whole numbers only.
          incrs: series === 'cost' ? undefined : [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 100000],
          values: function (u, ticks) { return ticks.map(format); }
        })
      ],
      legend: { show: true },
      cursor: { points: { size: 8 } }
    };
  }

  function draw() {
    var holder = document.getElementById('costs-charts');
    if (!holder || !window.uPlot) { return; }
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    var data = JSON.parse(holder.getAttribute('data-chart'));
    holder.querySelectorAll('.chart[data-series]').forEach(function (el) {
      var series = el.getAttribute('data-series');
      var columns = [data.days].concat(data[series]);
      charts.push(new uPlot(options(el, data, series), columns, el));
    });
    holder.setAttribute('data-drawn', String(charts.length));
  }

  var pending = false;
  function redrawSoon() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; draw(); });
  }

  function start() {
    draw();
    new MutationObserver(draw).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    if (window.matchMedia) {
      window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', draw);
    }
    window.addEventListener('resize', redrawSoon);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
