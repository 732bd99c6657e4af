// Transpile TypeScript to dist/ with esbuild (one output file per input, no bundling) so the shell
// starts from compiled JavaScript. Type checking is `npm run typecheck` (tsc --noEmit).
// WebAssembly text (.wat, src/optimize/sweep-scan.wat) is assembled with wabt into a .wasm beside
// the compiled JavaScript that loads it (the binary is generated, so it lives in dist/ only).
// The new tree is written to a temporary folder and swapped in, so dist/ is never half-built or
// missing while another process (a running shell, a test) reads it.
import { build } from 'esbuild';
import wabt from 'wabt';
import { readdirSync, readFileSync, statSync, rmSync, renameSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const roots = ['src', 'commands', 'bench'];
const files = [];
const wats = [];
const walk = (dir) => {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.tsx?$/.test(e) && !e.endsWith('.d.ts')) files.push(p);
    else if (e.endsWith('.wat')) wats.push(p);
  }
};
roots.forEach(walk);
const tmp = `dist.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
// The stamp's time is the build's start: a source saved during the build counts as newer
// (bin/edgelab.js rebuilds when any source is newer than dist/.built).
mkdirSync(tmp, { recursive: true });
writeFileSync(join(tmp, '.built'), `${new Date().toISOString()}\n`);
await build({
  entryPoints: files,
  outdir: tmp,
  outbase: '.',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: 'linked',
  logLevel: 'warning',
});
const assembler = wats.length > 0 ? await wabt() : null;
for (const p of wats) {
  const out = join(tmp, p.replace(/\.wat$/, '.wasm'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, assembler.parseWat(p, readFileSync(p, 'utf8')).toBinary({}).buffer);
}
const old = `dist.old-${process.pid}`;
if (existsSync('dist')) renameSync('dist', old);
renameSync(tmp, 'dist');
rmSync(old, { recursive: true, force: true });
