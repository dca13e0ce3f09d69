// Number formats: short for axes and headlines ($1.2B, $350M), exact for
// tooltips, tables and CSV.
const exactInt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const exactNum = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

function short(value, unit) {
  const abs = Math.abs(value);
  for (const [size, suffix] of [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']]) {
    if (abs >= size) {
      const n = abs / size;
      const text = n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(0) : n.toFixed(1).replace(/\.0$/, '');
      return `${value < 0 ? '-' : ''}${unit}${text}${suffix}`;
    }
  }
  return `${value < 0 ? '-' : ''}${unit}${exactNum.format(Math.round(abs * 10) / 10)}`;
}

export const money = {
  short: (v) => (v == null ? '—' : short(v, '$')),
  exact: (v) => (v == null ? '—' : `${v < 0 ? '-' : ''}$${exactInt.format(Math.abs(v))}`),
  csv: (v) => (v == null ? '' : String(v)),
};
export const count = {
  short: (v) => (v == null ? '—' : short(v, '')),
  exact: (v) => (v == null ? '—' : exactInt.format(v)),
  csv: (v) => (v == null ? '' : String(v)),
};
export const decimal = {
  short: (v) => (v == null ? '—' : short(v, '')),
  exact: (v) => (v == null ? '—' : exactNum.format(v)),
  csv: (v) => (v == null ? '' : String(v)),
};
