// Checks a Parquet run directory's footers against its manifest and input:
//   node check_run.mjs RUN_DIR INPUT_FILE [CODEC]
// - tables/ holds only <table>.parquet files (no temporary leftovers), exactly
//   the tables manifest.json lists, with the manifest's row counts;
// - manifest says format parquet and the input's sha256 (computed here with
//   node's crypto, not Marquee's OpenSSL call);
// - every file's footer has a created_by and key-value metadata holding the
//   input's sha256 and the manifest's marquee_version (key names are the
//   writer's choice, so only the values are looked for);
// - with CODEC (ZSTD, SNAPPY, UNCOMPRESSED), every column chunk uses it.
// Footers are read with hyparquet. Exit 0 when all hold, 1 otherwise.
import { createHash } from 'node:crypto'
import { createReadStream, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parquetMetadata } from 'hyparquet'

async function sha256(path) {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk)
  return hash.digest('hex')
}

function footer(path) {
  const bytes = readFileSync(path)
  return parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

async function main() {
  const [runDir, input, codec] = process.argv.slice(2)
  if (!runDir || !input) {
    process.stderr.write('usage: node check_run.mjs RUN_DIR INPUT_FILE [CODEC]\n')
    process.exit(2)
  }
  const problems = []
  const inputSha = await sha256(input)
  const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'))
  if (manifest.format !== 'parquet') problems.push(`manifest format ${manifest.format}, expected parquet`)
  if (manifest.input?.sha256 !== inputSha) problems.push(`manifest input sha256 ${manifest.input?.sha256}, actual ${inputSha}`)

  const files = readdirSync(join(runDir, 'tables'))
  for (const file of files.filter(f => !f.endsWith('.parquet'))) problems.push(`tables/${file}: not a .parquet file (leftover?)`)
  const listed = manifest.tables ?? {}
  for (const name of Object.keys(listed)) {
    if (!files.includes(`${name}.parquet`)) problems.push(`manifest lists ${name}, but tables/${name}.parquet is absent`)
  }
  for (const file of files.filter(f => f.endsWith('.parquet'))) {
    const name = file.slice(0, -'.parquet'.length)
    const entry = listed[name]
    const metadata = footer(join(runDir, 'tables', file))
    const values = (metadata.key_value_metadata ?? []).map(kv => kv.value)
    if (!entry) problems.push(`${file}: not listed in manifest.json`)
    else {
      if (entry.file !== `tables/${file}`) problems.push(`${file}: manifest file ${entry.file}`)
      if (Number(metadata.num_rows) !== entry.rows) problems.push(`${file}: ${metadata.num_rows} rows, manifest says ${entry.rows}`)
    }
    if (!metadata.created_by) problems.push(`${file}: no created_by`)
    const codecs = new Set(metadata.row_groups.flatMap(group => group.columns.map(chunk => chunk.meta_data?.codec)))
    if (codec && [...codecs].some(c => c !== codec)) problems.push(`${file}: codecs ${[...codecs].join(', ')}, expected ${codec}`)
    if (!values.includes(inputSha)) problems.push(`${file}: no key-value metadata holds the input sha256 ${inputSha}`)
    if (!values.includes(String(manifest.marquee_version))) {
      problems.push(`${file}: no key-value metadata holds marquee_version ${manifest.marquee_version}`)
    }
  }
  for (const problem of problems) process.stdout.write(`FAIL run: ${problem}\n`)
  process.stdout.write(`check_run: ${problems.length ? 'FAIL' : 'PASS'}: ${files.length} files, ` +
    `${Object.keys(listed).length} tables in the manifest, ${problems.length} problems (${runDir})\n`)
  process.exitCode = problems.length ? 1 : 0
}

await main()
