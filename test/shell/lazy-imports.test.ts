/**
 * Start-up stays light: loading the command registry (what the interactive shell does before its
 * full screen) must not load DuckDB or apache-arrow — each costs the main thread 0.5–1 s on a cold
 * start. They load on first use (src/core/duckdb-lazy.ts, data/files/feather.ts). Checked in a
 * child process on the build: ESM imports through a resolve hook, CommonJS loads through
 * require.cache. Then a database query in the same process shows DuckDB does load when needed.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = resolve(__dirname, '../..');
const registry = join(repo, 'dist', 'src', 'shell', 'registry.js');
const built = existsSync(registry);
if (!built) console.warn('lazy imports: skipped, no build (run npm run build)');
const HEAVY = ['@duckdb/node-api', '@duckdb/node-bindings', 'apache-arrow'];

function loadedPackages(script: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'edgelab-lazy-'));
  const out = join(dir, 'imports.txt');
  writeFileSync(out, '');
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  if (!/^(\\.|\\/|node:|file:|data:)/.test(spec)) appendFileSync(${JSON.stringify(out)}, spec + '\\n');
  return next(spec, ctx);
}`,
  );
  const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(pathToFileURL(hooks).href)})`;
  const child = spawnSync('node', ['--import', register, '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8', env: { ...process.env, EDGELAB_DATA_ROOT: dir } });
  expect(child.status, child.stderr).toBe(0);
  const cjs = child.stdout.trim().split('\n').filter(Boolean);
  const esm = readFileSync(out, 'utf8').split('\n').filter(Boolean);
  return [...new Set([...esm, ...cjs])];
}

const cjsProbe = `import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
for (const f of Object.keys(cache)) { const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f); if (m) console.log(m[1]); }`;

describe.skipIf(!built)('start-up imports', () => {
  it('loading every command does not load DuckDB or apache-arrow', () => {
    const loaded = loadedPackages(`const { loadRegistry } = await import(${JSON.stringify(pathToFileURL(registry).href)}); await loadRegistry();\n${cjsProbe}`);
    expect(loaded).toContain('zod'); // the probe sees what commands do load
    for (const heavy of HEAVY) expect(loaded, heavy).not.toContain(heavy);
  });

  it('DuckDB loads on first use', () => {
    const db = pathToFileURL(join(repo, 'dist', 'src', 'data', 'lake', 'duck.js')).href;
    const loaded = loadedPackages(`const { withDuck } = await import(${JSON.stringify(db)}); await withDuck(async (c) => c.run('SELECT 1'));\n${cjsProbe}`);
    expect(loaded).toContain('@duckdb/node-api');
  });
});
