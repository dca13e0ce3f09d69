// Shared form controls for the views.
import { el } from './dom.js';
import { update } from './main.js';

export function select(label, key, value, options) {
  return el('label', {}, `${label} `,
    el('select', { 'data-control': key, onchange: (e) => update({ [key]: e.target.value }) },
      ...options.map(([v, text]) => el('option', { value: v, selected: v === value }, text))));
}

// A year range; applied on change (Enter or leaving the field).
export function yearRange(state) {
  const field = (key, label) => el('label', {}, `${label} `,
    el('input', { type: 'number', min: 0, max: 9999, inputmode: 'numeric', value: state[key], 'data-control': key,
      placeholder: label === 'From' ? 'first' : 'last', onchange: (e) => update({ [key]: e.target.value }) }));
  return el('span', { class: 'range' }, field('from', 'From'), field('to', 'To'));
}

export function radios(name, label, value, options) {
  return el('fieldset', { class: 'radios' }, el('legend', {}, label),
    ...options.map(([v, text]) => el('label', {},
      el('input', { type: 'radio', name, value: v, checked: v === value, 'data-control': `${name}-${v}`,
        onchange: () => update({ [name]: v }) }), ` ${text}`)));
}

export function years(state) {
  const out = {};
  if (state.from !== '') out.from = state.from;
  if (state.to !== '') out.to = state.to;
  return out;
}
