'use strict';
// The status page: polls /api/status every 2 s, fills the three tables and draws the append and export rates of the
// last five minutes. Rates are computed here, from the counters of two consecutive polls.

const POLL_MS = 2000;
const WINDOW_MS = 5 * 60 * 1000;
const history = [];          // {time, appended, exported}
let previous = null;         // the last response, for per-row rates

function cell(row, text, attrs = {}) {
  const td = document.createElement('td');
  td.textContent = text;
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') td.className = v; else td.setAttribute(k, v);
  }
  row.appendChild(td);
  return td;
}

// 12.3 MiB: one decimal from KiB up, whole bytes below.
function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + ' ' + units[i];
}

// A byte count as people read it; the exact number in the tooltip and in data-bytes.
function byteCell(row, n, metric) {
  return cell(row, bytes(n), { class: 'num', 'data-metric': metric, 'data-bytes': String(n),
    title: n.toLocaleString('en-US') + ' bytes' });
}

// 42 s, 3.5 min, 2.0 h: how old the oldest uncommitted message is; the exact seconds in data-seconds.
function age(seconds) {
  if (seconds < 60) return seconds.toFixed(0) + ' s';
  if (seconds < 3600) return (seconds / 60).toFixed(1) + ' min';
  return (seconds / 3600).toFixed(1) + ' h';
}

function rate(now, before, pick, seconds) {
  if (!before || seconds <= 0) return '–';
  const value = (pick(now) - pick(before)) / seconds;
  return value >= 0 ? value.toFixed(1) : '–';
}

// A stream of another namespace than the default (an S2 basin's) reads "s2.plant-a / readings", and its rows carry
// data-namespace; equal names in two namespaces are two streams.
const isDefault = (s) => !s.namespace || s.namespace === 'default';
const label = (s) => (isDefault(s) ? s.name : s.namespace + ' / ' + s.name);
function mark(row, s) {
  row.dataset.stream = s.name;
  if (!isDefault(s)) row.dataset.namespace = s.namespace;
}

function render(status) {
  const seconds = previous ? (status.time - previous.time) / 1000 : 0;
  const before = (s) => previous && previous.streams.find((p) => p.name === s.name
    && (p.namespace || 'default') === (s.namespace || 'default'));
  const streams = document.querySelector('#streams tbody');
  const exports = document.querySelector('#exports tbody');
  const groups = document.querySelector('#groups tbody');
  streams.replaceChildren();
  exports.replaceChildren();
  groups.replaceChildren();
  let appended = 0;
  let exported = 0;
  for (const s of status.streams) {
    appended += s.appendedMessages;
    const row = document.createElement('tr');
    mark(row, s);
    cell(row, label(s));
    const fill = s.maxBytes > 0 ? s.storedBytes / s.maxBytes : 0;
    const td = cell(row, '');
    const bar = document.createElement('span');
    bar.className = 'bar' + (fill >= 0.9 ? ' full' : fill >= 0.7 ? ' warn' : '');
    const inner = document.createElement('span');
    inner.style.width = Math.min(100, fill * 100).toFixed(1) + '%';
    bar.appendChild(inner);
    td.appendChild(bar);
    td.appendChild(document.createTextNode(' ' + (fill * 100).toFixed(1) + '%'));
    td.setAttribute('data-fill', fill.toFixed(4));
    byteCell(row, s.storedBytes, 'stored_bytes');
    byteCell(row, s.maxBytes, 'max_bytes');
    cell(row, String(s.newestSequenceNumber), { class: 'num', 'data-metric': 'newest_sequence_number' });
    cell(row, rate(s, before(s), (x) => x.appendedMessages, seconds), { class: 'num' });
    streams.appendChild(row);
    for (const e of s.exports) {
      exported += e.exportedMessages;
      const old = before(s) && before(s).exports.find((x) => x.identifier === e.identifier);
      const r = document.createElement('tr');
      mark(r, s);
      r.dataset.export = e.identifier;
      cell(r, label(s));
      cell(r, e.identifier);
      cell(r, e.state, { class: 'state ' + e.state, 'data-metric': 'state' });
      cell(r, String(e.lagMessages), { class: 'num', 'data-metric': 'lag_messages' });
      cell(r, String(e.exportedMessages), { class: 'num', 'data-metric': 'exported_messages' });
      cell(r, rate(e, old, (x) => x.exportedMessages, seconds), { class: 'num' });
      cell(r, e.lastError || '', { class: 'error', 'data-metric': 'last_error' });
      exports.appendChild(r);
    }
    // one row per group and partition: a group over a partitioned stream has a position in each
    for (const g of s.groups || []) {
      const r = document.createElement('tr');
      mark(r, s);
      r.dataset.group = g.group;
      r.dataset.partition = String(g.partition);
      cell(r, label(s));
      cell(r, g.group);
      cell(r, String(g.partition), { class: 'num' });
      cell(r, String(g.committedPosition), { class: 'num', 'data-metric': 'committed_position' });
      cell(r, String(g.lagMessages), { class: 'num', 'data-metric': 'group_lag_messages' });
      cell(r, age(g.lagAgeSeconds), { class: 'num', 'data-metric': 'group_lag_age',
        'data-seconds': String(g.lagAgeSeconds) });
      groups.appendChild(r);
    }
  }
  history.push({ time: status.time, appended, exported });
  while (history.length > 2 && history[0].time < status.time - WINDOW_MS) history.shift();
  draw();
  document.getElementById('updated').textContent = 'updated ' + new Date(status.time).toLocaleTimeString();
  document.body.dataset.loaded = 'true';
  previous = status;
}

function draw() {
  const canvas = document.getElementById('chart');
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  const points = [];
  for (let i = 1; i < history.length; i++) {
    const dt = (history[i].time - history[i - 1].time) / 1000;
    if (dt <= 0) continue;
    points.push({
      time: history[i].time,
      append: Math.max(0, (history[i].appended - history[i - 1].appended) / dt),
      export: Math.max(0, (history[i].exported - history[i - 1].exported) / dt),
    });
  }
  const max = Math.max(1, ...points.map((p) => Math.max(p.append, p.export)));
  const end = history.length ? history[history.length - 1].time : 0;
  const x = (t) => canvas.width - ((end - t) / WINDOW_MS) * canvas.width;
  const y = (v) => canvas.height - 10 - (v / max) * (canvas.height - 20);
  for (const [key, color] of [['append', '#3b82f6'], ['export', '#16a34a']]) {
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    points.forEach((p, i) => (i === 0 ? g.moveTo(x(p.time), y(p[key])) : g.lineTo(x(p.time), y(p[key]))));
    g.stroke();
  }
  g.fillStyle = '#6b7280';
  g.fillText(max.toFixed(1) + ' msg/s', 4, 12);
}

async function poll() {
  try {
    const response = await fetch('api/status', { cache: 'no-store' });
    render(await response.json());
  } catch (e) {
    document.getElementById('updated').textContent = 'cannot reach the daemon: ' + e;
  }
  setTimeout(poll, POLL_MS);
}

poll();
