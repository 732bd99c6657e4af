// A child process for the reliability tests: one lake operation on the compiled code (dist/).
// node lake-child.mjs raw LAKE SEED ROWS  → writes one raw version (content from SEED) to one partition
// node lake-child.mjs clean LAKE SEED ROWS → writes one clean version of DEMO:1d
// Prints one JSON line: {"ok":true,...} or {"ok":false,"message":...}; exit 0 either way unless killed.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const { writeRaw } = await import(`${repo}/dist/src/data/lake/raw.js`);
const { writeClean } = await import(`${repo}/dist/src/data/lake/clean-store.js`);
const { tableDigest } = await import(`${repo}/dist/src/core/table.js`);

const [op, lake, seedText, rowsText] = process.argv.slice(2);
const seed = Number(seedText);
const rows = Number(rowsText ?? 500);

function table() {
  const ts = new Float64Array(rows);
  const close = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    ts[i] = Date.UTC(2020, 0, 1) + (i + seed * rows) * 86_400_000;
    close[i] = 100 + seed + i / 7;
  }
  return { length: rows, columns: { ts, open: close, high: close, low: close, close, volume: close } };
}

try {
  const t = table();
  if (op === 'raw') {
    const r = await writeRaw(lake, { source: 'file', symbol: 'DEMO', interval: '1d' }, t, { origin: `seed ${seed}` });
    console.log(JSON.stringify({ ok: true, version: r.entry.version, digest: r.entry.digest, created: r.created, recovered: r.recovered ?? [] }));
  } else if (op === 'clean') {
    const digest = tableDigest(t);
    const ds = { name: 'DEMO:1d', kind: 'bars', stage: 'clean', symbol: 'DEMO', interval: '1d', source: `seed ${seed}`, table: t, digest };
    const q = { length: 1, columns: { ts: Float64Array.of(0), reason: ['duplicate_timestamp'] } };
    const r = await writeClean(lake, ds, q);
    console.log(JSON.stringify({ ok: true, version: r.entry.version, digest: r.entry.digest, created: r.created, recovered: r.recovered ?? [] }));
  } else {
    throw new Error(`unknown op ${op}`);
  }
} catch (err) {
  console.log(JSON.stringify({ ok: false, message: String(err?.message ?? err), user: err?.name === 'UserError' }));
}
