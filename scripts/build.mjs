// Transpile TypeScript to dist/ with esbuild (one output file per input, no bundling) so the shell
// starts from compiled JavaScript. Type checking is `npm run typecheck` (tsc --noEmit).
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['src', 'commands', 'bench'];
const files = [];
const walk = (dir) => {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.tsx?$/.test(e) && !e.endsWith('.d.ts')) files.push(p);
  }
};
roots.forEach(walk);
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: files,
  outdir: 'dist',
  outbase: '.',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: 'linked',
  logLevel: 'warning',
});
