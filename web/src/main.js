// The dashboard: three views over the /v1 API (genres, companies, runs and
// data quality), every one reading the run chosen in the header. The view's
// state lives in the fragment (#view=companies&company=3&run=...), so a view
// can be bookmarked or shared without its token.
import './style.css';
import { AuthError, adoptFragmentToken, api, token } from './api.js';
import { currentCharts, destroyCharts } from './charts.js';
import { el } from './dom.js';
import { renderGenres } from './genres.js';
import { renderCompanies } from './companies.js';
import { renderRuns } from './runs.js';

const views = { genres: renderGenres, companies: renderCompanies, runs: renderRuns };
const main = document.getElementById('main');
const status = document.getElementById('status');
let generation = 0;

export const state = {
  view: 'genres', run: '', by: 'popularity_total', from: '', to: '', metric: 'revenue',
  genres: '', companies: '', attribution: 'full',
};

function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  for (const key of Object.keys(state)) if (params.has(key)) state[key] = params.get(key);
  if (!views[state.view]) state.view = 'genres';
}

function writeFragment() {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v) params.set(k, v);
  history.replaceState(null, '', `${location.pathname}${location.search}#${params}`);
}

// Changes the state and redraws the current view.
export function update(changes) {
  Object.assign(state, changes);
  writeFragment();
  render();
}

function showSignIn(reason) {
  document.body.dataset.ready = 'sign-in';
  token.clear();
  destroyCharts();
  main.replaceChildren();
  document.getElementById('sign-in-reason').textContent = reason;
  document.getElementById('sign-in').hidden = false;
  document.body.classList.add('signed-out');
  document.getElementById('token-input').focus();
}

export function fail(error) {
  if (error instanceof AuthError) return showSignIn(error.message);
  status.textContent = error.message;
  status.classList.add('error');
}

async function fillRuns() {
  const select = document.getElementById('run-select');
  const { run: published, runs } = await api('/v1/runs');
  select.replaceChildren(
    el('option', { value: '' }, `published${published ? ` (${published})` : ''}`),
    ...runs.filter((r) => r.servable && r.run_id !== published).map((r) =>
      el('option', { value: r.run_id }, `${r.run_id} (${r.status})`)));
  if (state.run && ![...select.options].some((o) => o.value === state.run)) {
    select.append(el('option', { value: state.run }, `${state.run} (unavailable)`));
  }
  select.value = state.run;
}

async function render() {
  const mine = ++generation;
  for (const b of document.querySelectorAll('nav button')) b.setAttribute('aria-current', b.dataset.view === state.view ? 'page' : 'false');
  status.textContent = 'Loading…';
  status.classList.remove('error');
  main.setAttribute('aria-busy', 'true');
  document.getElementById('run-select').value = state.run;
  const old = currentCharts();
  try {
    const content = await views[state.view](state);
    if (mine !== generation) return;  // a newer render started meanwhile
    destroyCharts(old);
    main.replaceChildren(content);
    status.textContent = '';
    document.body.dataset.ready = `${state.view}:${state.run}`;
  } catch (error) {
    if (mine === generation) fail(error);
  } finally {
    if (mine === generation) main.removeAttribute('aria-busy');
  }
}

async function start() {
  document.body.dataset.ready = 'starting';
  document.getElementById('sign-in').hidden = true;
  document.body.classList.remove('signed-out');
  try {
    await fillRuns();
  } catch (error) {
    return fail(error);
  }
  render();
}

adoptFragmentToken();
readFragment();
// A dashboard link pasted into an open tab changes only the fragment.
window.addEventListener('hashchange', () => {
  if (!new URLSearchParams(location.hash.slice(1)).has('token')) return;
  adoptFragmentToken();
  readFragment();
  start();
});
document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', () => update({ view: b.dataset.view })));
document.getElementById('run-select').addEventListener('change', (e) => update({ run: e.target.value }));
document.getElementById('sign-out').addEventListener('click', () => showSignIn('Signed out. Paste a token to sign in again.'));
document.getElementById('sign-in-form').addEventListener('submit', (e) => {
  e.preventDefault();
  token.set(document.getElementById('token-input').value);
  document.getElementById('token-input').value = '';
  start();
});
start();
