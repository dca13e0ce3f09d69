// Genres: the most popular genre of each year by a chosen measure, and
// chosen genres' budget, revenue and profit over the years.
import { api } from './api.js';
import { chartPanel, PALETTE } from './charts.js';
import { select, yearRange, years } from './controls.js';
import { el } from './dom.js';
import { count, decimal, money } from './format.js';
import { update } from './main.js';

const MEASURES = [['popularity_total', 'Popularity (total)'], ['popularity_average', 'Popularity (average)'],
  ['movie_count', 'Movie count'], ['revenue', 'Revenue']];
const METRICS = [['budget', 'Budget'], ['revenue', 'Revenue'], ['profit', 'Profit']];
const formatOf = (by) => (by === 'revenue' ? money : by === 'movie_count' ? count : decimal);

export async function renderGenres(state) {
  const run = state.run || undefined;
  const [popular, list, genreYears] = await Promise.all([
    api('/v1/genres/most-popular', { ...years(state), by: state.by, run }),
    api('/v1/genres', { run }),
    api('/v1/genres/years', { ...years(state), run }),
  ]);
  // Colours are handed out per chart in order of importance, so that the few
  // genres on screen get the most distinguishable ones.
  const paint = (ids) => new Map(ids.map((id, i) => [id, PALETTE[i % PALETTE.length]]));

  // Most popular: one bar per year, one series per genre that wins a year.
  const ys = popular.years.map((r) => r.year);
  const wins = new Map();
  for (const r of popular.years) wins.set(r.genre_id, { name: r.genre_name, n: (wins.get(r.genre_id)?.n ?? 0) + 1 });
  const winners = [...wins.entries()].sort((a, b) => b[1].n - a[1].n || a[0] - b[0]).map(([id, w]) => [id, w.name]);
  const winColour = paint(winners.map(([id]) => id));
  const mostPopular = chartPanel({
    id: 'most-popular',
    title: `Most popular genre per year, by ${MEASURES.find(([k]) => k === state.by)[1].toLowerCase()}`,
    years: ys,
    kind: 'bars',
    format: formatOf(state.by),
    columns: [{ label: 'Genre', values: popular.years.map((r) => r.genre_name) }],
    series: winners.map(([id, name]) => ({ label: name, color: winColour.get(id),
      values: popular.years.map((r) => (r.genre_id === id ? r.value : null)) })),
    tableSeries: [{ label: 'Value', values: popular.years.map((r) => r.value) }],
  });

  // Comparison: picked genres (default: the three with most movies).
  const byCount = [...list.genres].sort((a, b) => b.movie_count - a.movie_count || a.id - b.id);
  const picked = state.genres ? state.genres.split(',').map(Number) : byCount.slice(0, 3).map((g) => g.id);
  const pickedSet = new Set(picked);
  const colour = paint(list.genres.filter((g) => pickedSet.has(g.id)).map((g) => g.id));
  const allYears = [...new Set(genreYears.genre_years.map((r) => r.year))].sort((a, b) => a - b);
  const cell = new Map(genreYears.genre_years.map((r) => [`${r.genre_id}/${r.year}`, r]));
  const compare = chartPanel({
    id: 'genre-compare',
    title: `${METRICS.find(([k]) => k === state.metric)?.[1] ?? 'Revenue'} per year by genre`,
    years: allYears,
    format: money,
    series: list.genres.filter((g) => pickedSet.has(g.id)).map((g) => ({
      label: g.name, color: colour.get(g.id),
      values: allYears.map((y) => cell.get(`${g.id}/${y}`)?.[state.metric] ?? null),
    })),
  });
  const toggle = (id) => {
    const next = new Set(pickedSet);
    if (next.has(id)) next.delete(id); else next.add(id);
    update({ genres: [...next].join(',') || '0' });
  };
  const picker = el('fieldset', { class: 'genre-picker' }, el('legend', {}, 'Genres to compare'),
    ...byCount.map((g) => el('label', {},
      el('input', { type: 'checkbox', checked: pickedSet.has(g.id), 'data-genre': g.id, onchange: () => toggle(g.id) }),
      pickedSet.has(g.id) ? el('span', { class: 'swatch', 'data-colour': colour.get(g.id) }) : null, ` ${g.name}`)));

  const view = el('div', { class: 'view', 'data-view': 'genres' },
    el('div', { class: 'controls' }, select('Measure', 'by', state.by, MEASURES), yearRange(state)),
    mostPopular,
    el('div', { class: 'controls' }, select('Figure', 'metric', state.metric, METRICS)),
    picker,
    compare);
  // Swatch colours set through the CSSOM (inline style attributes are refused by the CSP).
  for (const s of view.querySelectorAll('.swatch')) s.style.background = s.dataset.colour;
  return view;
}
