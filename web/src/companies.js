// Companies: prefix search as you type; for each chosen company (several
// side by side) budget, revenue and profit per year with the full/split
// attribution, average popularity per year, and releases by genre per year.
import { api } from './api.js';
import { chartPanel, PALETTE } from './charts.js';
import { radios, yearRange, years } from './controls.js';
import { el } from './dom.js';
import { count, decimal, money } from './format.js';
import { fail, update } from './main.js';

const MAX_COMPANIES = 4;
const TOP_GENRES = 7;  // then "Other": more colours would stop being distinguishable

function chosen(state) {
  return state.companies ? state.companies.split(',').map(Number).filter((n) => n > 0) : [];
}

function searchBox(state) {
  const results = el('ul', { class: 'results', id: 'company-results', 'aria-live': 'polite' });
  let timer = 0;
  let asked = 0;
  const search = async (q) => {
    const mine = ++asked;
    if (!q.trim()) return results.replaceChildren();
    try {
      const answer = await api('/v1/companies', { q: q.trim(), limit: 20, run: state.run || undefined });
      if (mine !== asked) return;
      const ids = chosen(state);
      results.replaceChildren(...answer.companies.map((c) => el('li', {},
        el('button', { type: 'button', 'data-company': c.id, disabled: ids.includes(c.id) || ids.length >= MAX_COMPANIES,
          onclick: () => update({ companies: [...ids, c.id].join(',') }) },
        `${c.name} (${count.exact(c.movie_count)} movies)`))));
      if (answer.total > answer.companies.length)
        results.append(el('li', { class: 'more' }, `…and ${count.exact(answer.total - answer.companies.length)} more: type more of the name`));
      if (!answer.total) results.append(el('li', { class: 'more' }, 'No company name starts with that.'));
    } catch (error) {
      fail(error);
    }
  };
  const input = el('input', { type: 'search', id: 'company-search', placeholder: 'Company name starts with…',
    autocomplete: 'off', 'aria-controls': 'company-results',
    oninput: (e) => { clearTimeout(timer); timer = setTimeout(() => search(e.target.value), 200); } });
  return el('div', { class: 'search' }, el('label', { for: 'company-search' }, 'Find a company'), input, results);
}

async function companyPanels(id, state) {
  const run = state.run || undefined;
  const [money_, genres] = await Promise.all([
    api(`/v1/companies/${id}/years`, { ...years(state), attribution: state.attribution, run }),
    api(`/v1/companies/${id}/genres`, { ...years(state), run }),
  ]);
  const ys = money_.years.map((r) => r.year);
  const col = (k) => money_.years.map((r) => r[k]);
  const moneyChart = chartPanel({
    id: `company-money-${id}`, csvName: `company-${id}-money-${state.attribution}`,
    title: `Budget, revenue and profit per year (${state.attribution === 'split' ? 'split' : 'full'} attribution)`,
    years: ys, format: money,
    columns: [{ label: 'Movies', values: col('movie_count') }],
    series: [{ label: 'Budget', values: col('budget'), color: PALETTE[0] },
      { label: 'Revenue', values: col('revenue'), color: PALETTE[2] },
      { label: 'Profit', values: col('profit'), color: PALETTE[3] }],
  });
  const popularity = chartPanel({
    id: `company-popularity-${id}`, csvName: `company-${id}-popularity`, title: 'Average popularity per year',
    years: ys, format: decimal, series: [{ label: 'Average popularity', values: col('average_popularity'), color: PALETTE[4] }],
  });
  // Releases by genre: the genres with most releases, the rest as "Other".
  const totals = new Map();
  for (const y of genres.years) for (const g of y.genres) {
    const t = totals.get(g.genre_id) ?? { name: g.genre_name, n: 0 };
    t.n += g.movie_count;
    totals.set(g.genre_id, t);
  }
  const top = [...totals.entries()].sort((a, b) => b[1].n - a[1].n || a[0] - b[0]).slice(0, TOP_GENRES);
  const topIds = new Set(top.map(([gid]) => gid));
  const gys = genres.years.map((y) => y.year);
  const series = top.map(([gid, t], i) => ({ label: t.name, color: PALETTE[i],
    values: genres.years.map((y) => y.genres.find((g) => g.genre_id === gid)?.movie_count ?? 0) }));
  if (totals.size > TOP_GENRES) series.push({ label: 'Other', color: '#999999',
    values: genres.years.map((y) => y.genres.filter((g) => !topIds.has(g.genre_id)).reduce((s, g) => s + g.movie_count, 0)) });
  const releases = chartPanel({
    id: `company-genres-${id}`, csvName: `company-${id}-releases-by-genre`,
    title: 'Releases by genre per year (a movie counts once for each of its genres)',
    years: gys, kind: 'stacked', format: count, series,
  });
  return { name: money_.company.name, panels: [moneyChart, popularity, releases] };
}

export async function renderCompanies(state) {
  const ids = chosen(state);
  // A company absent from the chosen run is said so, not an error for the whole view.
  const companies = await Promise.all(ids.map((id) => companyPanels(id, state).catch((error) => {
    if (error.status !== 404) throw error;
    return { name: `Company ${id}`, panels: [el('p', { class: 'empty' }, 'Not in this run.')] };
  })));
  const remove = (id) => update({ companies: ids.filter((x) => x !== id).join(',') });
  return el('div', { class: 'view', 'data-view': 'companies' },
    el('div', { class: 'controls' }, searchBox(state),
      radios('attribution', 'Attribution', state.attribution,
        [['full', 'Full (each company gets the whole movie)'], ['split', 'Split (shared equally among its companies)']]),
      yearRange(state)),
    ids.length ? null : el('p', { class: 'empty' }, `Search for a company and pick up to ${MAX_COMPANIES} to compare side by side.`),
    el('div', { class: 'companies' }, ...companies.map((c, i) => el('article', { class: 'company', 'data-company-id': ids[i] },
      el('header', {}, el('h2', {}, c.name),
        el('button', { type: 'button', class: 'link', 'aria-label': `Remove ${c.name}`, onclick: () => remove(ids[i]) }, 'Remove')),
      ...c.panels))));
}
