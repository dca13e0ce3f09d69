// Bundles the dashboard with esbuild into OUT_DIR: ui/<name>-<hash>.js and
// .css (content-hashed names, so the server can mark them immutable) and an
// index.html that refers to them. Nothing is loaded from anywhere else.
//   node build.mjs OUT_DIR
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node build.mjs OUT_DIR');
  process.exit(2);
}
const uiDir = join(out, 'ui');
mkdirSync(uiDir, { recursive: true });

const result = await esbuild.build({
  entryPoints: [join(here, 'src/main.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  loader: { '.svg': 'file' },
  outdir: uiDir,
  metafile: true,
  legalComments: 'eof',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const js = outputs.find((n) => n.startsWith('main-') && n.endsWith('.js'));
const css = outputs.find((n) => n.startsWith('main-') && n.endsWith('.css'));
if (!js || !css) {
  console.error(`build.mjs: esbuild did not produce main-*.js and main-*.css (got ${outputs.join(', ')})`);
  process.exit(1);
}
// The favicon, content-hashed like the rest (a missing one would be a 404 in every console).
const icon = readFileSync(join(here, 'src/favicon.svg'));
const iconName = `favicon-${(await import('node:crypto')).createHash('sha256').update(icon).digest('hex').slice(0, 8)}.svg`;
writeFileSync(join(uiDir, iconName), icon);

const html = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replaceAll('{{JS}}', `/ui/${js}`)
  .replaceAll('{{CSS}}', `/ui/${css}`)
  .replaceAll('{{ICON}}', `/ui/${iconName}`);
writeFileSync(join(out, 'index.html'), html);
console.log(`build.mjs: ${out}: index.html, ui/${js}, ui/${css}, ui/${iconName}`);
