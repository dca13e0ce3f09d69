// Runs and data quality: every snapshot, the published one marked, with its
// manifest's figures; choosing one shows every view for that run.
import { api } from './api.js';
import { el } from './dom.js';
import { count } from './format.js';
import { update } from './main.js';

const COUNTS = [['records_read', 'Records read'], ['movies_kept', 'Kept'], ['rejected', 'Rejected'],
  ['repaired', 'Repaired'], ['duplicates', 'Duplicates'], ['warnings', 'Warnings']];

function report(manifest) {
  if (!manifest) return el('p', { class: 'empty' }, 'No manifest.');
  const counts = manifest.counts ?? {};
  const reasons = Object.entries(manifest.diagnostics ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return el('div', { class: 'report' },
    el('dl', { class: 'counts' }, ...COUNTS.map(([k, label]) => el('div', {}, el('dt', {}, label),
      el('dd', { 'data-count': k }, count.exact(counts[k]))))),
    el('table', { class: 'reasons' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Severity / reason'), el('th', { scope: 'col' }, 'Lines'))),
      el('tbody', {}, ...reasons.map(([k, n]) => el('tr', { 'data-reason': k }, el('th', { scope: 'row' }, k),
        el('td', {}, count.exact(n)))))),
    el('p', { class: 'input' }, `Input: ${manifest.input?.name ?? '?'}, ${count.exact(manifest.input?.size)} bytes, sha256 `,
      el('code', {}, (manifest.input?.sha256 ?? '').slice(0, 16)), '…'));
}

export async function renderRuns(state) {
  const { run: published, runs } = await api('/v1/runs');
  return el('div', { class: 'view', 'data-view': 'runs' },
    el('p', {}, 'Every snapshot in the database, newest first. The figures are from each run\'s manifest: every record read is kept, rejected or a duplicate (docs/ERROR_LOG.md).'),
    ...runs.map((r) => el('article', { class: `run${r.run_id === published ? ' published' : ''}`, 'data-run': r.run_id },
      el('header', {},
        el('h2', {}, r.run_id),
        el('span', { class: 'badge' }, r.run_id === published ? 'published' : r.status),
        el('span', { class: 'when' }, `created ${r.created_at ?? '?'}`),
        r.servable ? el('button', { type: 'button', 'data-show-run': r.run_id,
          onclick: () => update({ run: r.run_id === published ? '' : r.run_id, view: 'genres' }),
          'aria-pressed': String((state.run || published) === r.run_id) }, 'Show this run') : null),
      report(r.manifest))));
}
