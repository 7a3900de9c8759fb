// pageout report page: reads the JSON in #report-data and draws it with uPlot (inlined before
// this script). Plain browser JavaScript, no build step; it runs from file:// with no network.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var app = document.getElementById('app');
  var charts = [];
  // twelve: compare's default is eleven curves (ten policies and mach), each its own colour
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22', '#000000', '#aec7e8'];
  var THRESHOLDS = [
    ['vm_page_free_target', 'free_target', '#2ca02c'],
    ['vm_page_free_min', 'free_min', '#ff7f0e'],
    ['vm_page_free_reserved', 'free_reserved', '#d62728'],
    ['vm_pageout_reserved_internal', 'reserved_internal', '#9467bd'],
    ['vm_pageout_reserved_really', 'reserved_really', '#8c564b']
  ];

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : (Math.round(v * 10000) / 10000).toString();
    return String(v);
  }
  function compact(v) {
    if (v === null || v === undefined) return '';
    var a = Math.abs(v);
    if (a >= 1e9) return +(v / 1e9).toPrecision(3) + 'G';
    if (a >= 1e6) return +(v / 1e6).toPrecision(3) + 'M';
    if (a >= 1e4) return +(v / 1e3).toPrecision(3) + 'k';
    return String(+v.toPrecision(4));
  }
  function seconds(ns) { return ns / 1e9; }
  function fmtTime(ns) {
    if (ns >= 1e9) return (ns / 1e9).toFixed(3) + ' s';
    if (ns >= 1e6) return (ns / 1e6).toFixed(3) + ' ms';
    return ns + ' ns';
  }
  function width() { return Math.max(320, Math.min(1140, app.clientWidth - 8)); }

  function lineChart(parent, title, xLabel, yLabel, x, ys, opts) {
    opts = opts || {};
    var box = el('div', { class: 'chart' });
    parent.appendChild(el('h3', { text: title }));
    parent.appendChild(box);
    var series = [{ label: xLabel }];
    var cols = [x];
    ys.forEach(function (s, i) {
      series.push({
        label: s.label,
        stroke: s.color || COLORS[i % COLORS.length],
        width: s.width || 1.5,
        dash: s.dash,
        spanGaps: true,
        points: { show: !!opts.points }
      });
      cols.push(s.values);
    });
    var u = new uPlot({
      width: width(),
      height: opts.height || 240,
      scales: { x: opts.logX ? { time: false, distr: 3, log: 10 } : { time: false } },
      series: series,
      axes: [
        { label: xLabel },
        { label: yLabel, size: 60, values: function (u, splits) { return splits.map(compact); } }
      ],
      legend: { live: true }
    }, cols, box);
    charts.push(u);
    return u;
  }

  function kv(rows) {
    var t = el('table');
    rows.forEach(function (r) {
      t.appendChild(el('tr', null, [el('th', { text: r[0] }), el('td', { class: 'num', text: fmt(r[1]) })]));
    });
    return t;
  }

  function summary(parent, run) {
    var r = run.result;
    var ok = r.outcome === 'completed';
    var line = el('p', null, [el('span', { class: 'outcome ' + (ok ? 'completed' : 'bad'), text: ok ? 'completed' : r.outcome.toUpperCase() })]);
    if (!ok && r.outcomeDetail) line.appendChild(document.createTextNode(' ' + r.outcomeDetail));
    if (r.truncated) line.appendChild(document.createTextNode(' (stopped at the time limit)'));
    parent.appendChild(line);
    var lost = r.integrity.lostWrites - r.integrity.lostWritesFromInjectedErrors;
    var grid = el('div', { class: 'grid' });
    grid.appendChild(el('div', null, [el('h3', { text: 'Run' }), kv([
      ['simulated time', fmtTime(r.simulatedTimeNs)], ['memory (pages)', r.totalPages], ['preset', r.preset], ['seed', r.seed],
      ['faults', r.vmStat.faults], ['pageins', r.vmStat.pageins], ['pageouts', r.vmStat.pageouts],
      ['reactivations', r.vmStat.reactivations], ['lost writes', lost], ['reads checked', r.integrity.readsChecked]
    ])]));
    grid.appendChild(el('div', null, [el('h3', { text: 'Daemon' }), kv([
      ['min free count', r.minFreeCount], ['max laundry count', r.maxLaundryCount], ['burst_wait at end', r.finalBurstWait],
      ['selection pauses', r.selectionPauses], ['timed pauses', r.pauses], ['wakeups', r.daemonWakeups],
      ['double pagings', r.doublePaged], ['defect hits', r.defects.length]
    ])]));
    grid.appendChild(el('div', null, [el('h3', { text: 'Pageout counters' }), kv(Object.keys(r.pageoutCounters).map(function (k) { return [k, r.pageoutCounters[k]]; }))]));
    grid.appendChild(el('div', null, [el('h3', { text: 'Thresholds (pages)' }), kv(Object.keys(r.thresholds).map(function (k) { return [k, r.thresholds[k]]; }).concat([['inactive target (end)', r.inactiveTarget]]))]));
    parent.appendChild(grid);
    var tasks = el('table');
    tasks.appendChild(el('tr', null, ['task', 'references', 'faults', 'finished', 'lost writes'].map(function (h) { return el('th', { text: h }); })));
    r.tasks.forEach(function (t) {
      tasks.appendChild(el('tr', null, [el('td', { text: t.name }), el('td', { class: 'num', text: fmt(t.references) }),
        el('td', { class: 'num', text: fmt(t.faults) }), el('td', { text: t.finishedNs === null ? 'no' : t.error ? 'killed at ' + fmtTime(t.finishedNs) + ': ' + t.error : fmtTime(t.finishedNs) }),
        el('td', { class: 'num', text: fmt(t.lostWrites) })]));
    });
    parent.appendChild(el('h3', { text: 'Tasks' }));
    parent.appendChild(tasks);
    if (r.defects.length > 0) {
      // the seed's defects B1-B3, where and when the run met them (the first few)
      var hits = el('table');
      hits.appendChild(el('tr', null, ['defect', 'step', 'time', 'page', 'the run'].map(function (h) { return el('th', { text: h }); })));
      r.defects.slice(0, 20).forEach(function (d) {
        hits.appendChild(el('tr', null, [el('td', { text: d.defect }), el('td', { text: d.step }), el('td', { text: fmtTime(d.t) }), el('td', { class: 'num', text: d.page < 0 ? '—' : fmt(d.page) }), el('td', { text: d.fixed ? 'had it fixed' : 'faithful' })]));
      });
      parent.appendChild(el('h3', { text: 'Seed defects hit' + (r.defects.length > 20 ? ' (first 20 of ' + r.defects.length + ')' : '') }));
      parent.appendChild(hits);
    }
  }

  function constant(n, v) { var a = new Array(n); for (var i = 0; i < n; i++) a[i] = v; return a; }

  function runCharts(parent, run) {
    var s = run.series;
    if (!s || s.t.length === 0) {
      parent.appendChild(el('p', { class: 'note', text: 'No time series was recorded for this run.' }));
      return;
    }
    var x = s.t.map(seconds);
    var n = x.length;
    var th = run.result.thresholds;
    var note = 'Sampled every ' + fmtTime(run.sampleIntervalNs) + ' of simulated time' +
      (s.samplesPerPoint > 1 ? '; each point covers ' + s.samplesPerPoint + ' samples (the free line shows the last value, the dashed one the minimum).' : '.');
    parent.appendChild(el('p', { class: 'note', text: note }));
    var free = [{ label: 'free', values: s.free, color: '#1f77b4', width: 2 }];
    if (s.samplesPerPoint > 1) free.push({ label: 'free (min)', values: s.freeMin, color: '#6baed6', dash: [4, 3] });
    // a threshold above the memory is not drawn: a reserve below the seed's constant wraps
    // reserved_internal/really to ~4.29e9 (unsigned int), which would flatten every other line
    THRESHOLDS.forEach(function (t) {
      if (th[t[0]] <= run.result.totalPages) free.push({ label: t[1], values: constant(n, th[t[0]]), color: t[2], dash: [8, 4], width: 1 });
    });
    lineChart(parent, 'Free pages and thresholds', 'simulated time (s)', 'pages', x, free);
    lineChart(parent, 'Active and inactive queues', 'simulated time (s)', 'pages', x, [
      { label: 'active', values: s.active }, { label: 'inactive', values: s.inactive },
      { label: 'inactive target', values: s.inactiveTarget, dash: [8, 4], color: '#7f7f7f' }
    ]);
    lineChart(parent, 'Laundry', 'simulated time (s)', 'pages', x, [
      { label: 'laundry', values: s.laundry, color: '#8c564b' }, { label: 'laundry (max)', values: s.laundryMax, color: '#c49c94', dash: [4, 3] }
    ], { height: 200 });
    lineChart(parent, 'burst_wait', 'simulated time (s)', 'ms per page', x, [{ label: 'burst_wait', values: s.burstWait, color: '#d62728' }], { height: 180 });
    lineChart(parent, 'Faults, pageins and pageouts per second', 'simulated time (s)', 'per second', x, [
      { label: 'faults/s', values: s.faultsPerSec }, { label: 'pageins/s', values: s.pageinsPerSec },
      { label: 'pageouts/s', values: s.pageoutsPerSec }, { label: 'reactivations/s', values: s.reactivationsPerSec }
    ]);
    if (s.taskRefs.length > 0) {
      lineChart(parent, 'Per-task progress', 'simulated time (s)', 'references done', x, s.taskRefs.map(function (refs, i) {
        var t = run.result.tasks[i];
        return { label: t ? t.name : 'task ' + i, values: refs };
      }), { height: 220 });
    }
  }

  function curvesChart(parent, c) {
    // one x grid: the union of every policy's sizes; a policy without a point there is a gap
    var sizes = [];
    var seen = {};
    c.curves.forEach(function (k) { k.sizes.forEach(function (v) { if (!seen[v]) { seen[v] = true; sizes.push(v); } }); });
    sizes.sort(function (a, b) { return a - b; });
    var index = {};
    sizes.forEach(function (v, i) { index[v] = i; });
    var ys = c.curves.map(function (k) {
      var vals = constant(sizes.length, null);
      k.sizes.forEach(function (v, i) { vals[index[v]] = k.missRatios[i]; });
      return { label: k.policy, values: vals };
    });
    parent.appendChild(el('h2', { text: 'Miss-ratio curves' }));
    // sizes over two decades or more (mrc's default list is log-spaced) on a log axis, where a
    // linear one crammed the small sizes against its left edge
    var logX = sizes.length > 1 && sizes[0] > 0 && sizes[sizes.length - 1] / sizes[0] >= 100;
    lineChart(parent, 'Miss ratio by cache size', 'cache size (' + c.sizeUnit + (logX ? ', log scale' : '') + ')', 'miss ratio', sizes, ys, { height: 320, points: true, logX: logX });
  }

  var runPanel = null;
  var tableRows = [];
  function showRun(i) {
    charts.splice(0).forEach(function (u) { u.destroy(); });
    if (curvesBox) { curvesBox.textContent = ''; curvesChart(curvesBox, data.curves); }
    runPanel.textContent = '';
    var run = data.runs[i];
    if (!run) return;
    if (data.runs.length > 1) runPanel.appendChild(el('h2', { text: run.label }));
    summary(runPanel, run);
    runCharts(runPanel, run);
    tableRows.forEach(function (tr) { tr.classList.toggle('selected', Number(tr.dataset.run) === i); });
    if (picker) picker.value = String(i);
    document.documentElement.dataset.charts = String(charts.length);
  }

  app.textContent = '';
  app.appendChild(el('h1', { text: data.title }));
  if (data.subtitle) app.appendChild(el('div', { class: 'subtitle', text: data.subtitle }));

  var curvesBox = null;
  if (data.curves && data.curves.curves.length > 0) { curvesBox = el('div'); app.appendChild(curvesBox); }

  if (data.table) {
    app.appendChild(el('h2', { text: data.kind === 'sweep' ? 'Sweep points' : 'Results' }));
    var t = el('table');
    t.appendChild(el('tr', null, data.table.columns.map(function (c) { return el('th', { text: c }); })));
    data.table.rows.forEach(function (row, ri) {
      var runIndex = data.table.runIndex ? data.table.runIndex[ri] : null;
      var tr = el('tr', runIndex !== null && runIndex !== undefined ? { class: 'pick', 'data-run': String(runIndex) } : null,
        row.map(function (v) { return el('td', { class: typeof v === 'number' ? 'num' : '', text: fmt(v) }); }));
      if (runIndex !== null && runIndex !== undefined) {
        tr.addEventListener('click', function () { showRun(runIndex); });
        tableRows.push(tr);
      }
      t.appendChild(tr);
    });
    app.appendChild(el('div', { class: 'results' }, [t]));
    if (tableRows.length) app.appendChild(el('p', { class: 'note', text: 'Click a row to chart that point.' }));
  }

  var picker = null;
  if (data.runs.length > 1) {
    picker = el('select', { 'aria-label': 'run' });
    data.runs.forEach(function (r, i) { picker.appendChild(el('option', { value: String(i), text: r.label })); });
    picker.addEventListener('change', function () { showRun(Number(picker.value)); });
    app.appendChild(el('p', null, [document.createTextNode('Run: '), picker]));
  }
  runPanel = el('div');
  app.appendChild(runPanel);
  if (data.runs.length > 0) showRun(0);
  else {
    if (curvesBox) curvesChart(curvesBox, data.curves);
    document.documentElement.dataset.charts = String(charts.length);
  }

  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { charts.forEach(function (u) { u.setSize({ width: width(), height: u.height }); }); }, 100);
  });
})();
