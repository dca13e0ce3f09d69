// One chart panel: a uPlot chart over years, its legend doubling as the
// tooltip (exact values), a table of the same figures under it and a CSV
// download. Colours: Okabe-Ito first (distinguishable with the common colour
// vision deficiencies), then Paul Tol's muted set.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from './dom.js';

export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442',
  '#882255', '#44AA99', '#999933', '#332288', '#AA4499', '#DDCC77', '#117733', '#88CCEE', '#CC6677', '#777777'];
const DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

const charts = new Set();
const observer = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const chart = entry.target.uplot;
    if (chart) chart.setSize({ width: Math.max(240, entry.contentRect.width), height: chart.height });
  }
});

// The charts drawn so far: a view being replaced destroys only these, not
// the ones its successor has already made.
export function currentCharts() {
  return [...charts];
}

export function destroyCharts(list = currentCharts()) {
  for (const c of list) {
    observer.unobserve(c.root.parentElement);
    c.destroy();
    charts.delete(c);
  }
}

function csvCell(v) {
  const s = String(v ?? '');
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function download(name, rows) {
  const text = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const a = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// spec: {id, title, years, series: [{label, values, color?}], format, kind:
// 'line' | 'bars' | 'stacked', columns?: extra leading table columns
// [{label, values, format?}], tableSeries?: the table's figures when they are
// not the chart's series, csvName}
export function chartPanel(spec) {
  const { id, title, years, series, format, kind = 'line' } = spec;
  const host = el('div', { class: 'chart' });
  const panel = el('section', { class: 'panel', 'data-chart': id, 'aria-label': title },
    el('h3', {}, title));
  if (!years.length) {
    panel.append(el('p', { class: 'empty' }, 'No data in this range.'));
    return panel;
  }
  panel.append(host);

  let data = series.map((s) => s.values);
  if (kind === 'stacked') {
    // Cumulative sums, drawn from the top down so each bar's lower part stays visible.
    const acc = years.map(() => 0);
    data = series.map((s) => s.values.map((v, i) => (acc[i] += v ?? 0)));
  }
  const order = kind === 'stacked' ? series.map((_, i) => series.length - 1 - i) : series.map((_, i) => i);
  const bars = kind !== 'line' ? uPlot.paths.bars({ size: [0.8, 48], align: 0 }) : null;
  const opts = {
    width: 600,
    height: 260,
    scales: { x: { time: false } },
    cursor: { focus: { prox: 24 } },
    legend: { live: true },
    axes: [
      { values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      { values: (u, vals) => vals.map((v) => format.short(v)), size: 64 },
    ],
    series: [
      { label: 'Year', value: (u, v) => (v == null ? '—' : String(v)) },
      ...order.map((i, n) => {
        const s = series[i];
        const color = s.color ?? PALETTE[i % PALETTE.length];
        return {
          label: s.label,
          stroke: color,
          fill: bars ? color : undefined,
          width: bars ? 1 : 2,
          dash: bars ? undefined : DASHES[Math.floor(i / 8) % DASHES.length],
          paths: bars ?? undefined,
          points: { show: !bars, size: 5 },
          spanGaps: false,
          value: (u, v, si, idx) => (idx == null ? '—' : format.exact(series[i].values[idx])),
        };
      }),
    ],
  };
  const chart = new uPlot(opts, [years, ...order.map((i) => data[i])], host);
  host.uplot = chart;
  charts.add(chart);
  requestAnimationFrame(() => {
    chart.setSize({ width: Math.max(240, host.clientWidth), height: 260 });
    observer.observe(host);
  });

  // The table: exact figures, one row per year.
  const lead = spec.columns ?? [];
  const shown = spec.tableSeries ?? series;
  const header = ['Year', ...lead.map((c) => c.label), ...shown.map((s) => s.label)];
  const rows = years.map((y, i) => [y, ...lead.map((c) => c.values[i]), ...shown.map((s) => s.values[i])]);
  const table = el('table', { 'data-table': id },
    el('thead', {}, el('tr', {}, ...header.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', { 'data-year': r[0] },
      el('th', { scope: 'row' }, String(r[0])),
      ...lead.map((c, k) => el('td', {}, (c.format ?? String)(r[1 + k]))),
      ...shown.map((s, k) => el('td', { 'data-value': r[1 + lead.length + k] ?? '' },
        format.exact(r[1 + lead.length + k])))))));
  const csvRows = [header, ...rows.map((r) => r.map((v, k) => (k > lead.length ? format.csv(v) : v)))];
  panel.append(
    el('div', { class: 'panel-actions' },
      el('button', { type: 'button', class: 'link', onclick: () => download(`${spec.csvName ?? id}.csv`, csvRows) },
        'Download CSV')),
    el('details', {}, el('summary', {}, 'Table'), el('div', { class: 'table-wrap' }, table)));
  return panel;
}
