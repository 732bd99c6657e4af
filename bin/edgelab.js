#!/usr/bin/env node
// Entry point. Runs the compiled CLI in dist/ (built once by `npm ci`/`npm install` through the
// `prepare` script, and again here only when a source file is newer than the last build). For the
// interactive shell it draws the first frame and a working prompt before loading anything heavy
// (docs/shell.md, "Start-up").
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.built');
const SOURCES = ['src', 'commands', 'bench'];

/** Is any .ts/.tsx source newer than the last build (or is there no build)? */
function stale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const newer = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() ? newer(p) : /\.tsx?$/.test(e.name) && statSync(p).mtimeMs > built) return true;
    }
    return false;
  };
  return SOURCES.some((d) => newer(join(root, d)));
}

if (stale() && existsSync(join(root, 'scripts', 'build.mjs')) && existsSync(join(root, 'node_modules', 'esbuild'))) {
  process.stderr.write('edgelab: sources changed since the last build; building…\n');
  const cwd = process.cwd();
  process.chdir(root);
  await import('../scripts/build.mjs');
  process.chdir(cwd);
}

const args = process.argv.slice(2);
const onTerminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
// Ink draws nothing until exit when it thinks it runs in CI (its is-in-ci check: CI or
// CONTINUOUS_INTEGRATION set), which freezes a full-screen command at its first frame. On a real
// terminal the shell and the paper dashboard are interactive, so they clear both for themselves
// before Ink loads (docs/shell.md, "Start-up").
if (onTerminal && (args.length === 0 || (args[0] === 'paper' && args[1] === 'dash'))) {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}
if (args.length === 0 && onTerminal) {
  try {
    const { paintFirstFrame } = await import('../dist/src/tui/first-paint.js');
    const { version } = JSON.parse((await import('node:fs')).readFileSync(join(root, 'package.json'), 'utf8'));
    paintFirstFrame(version);
  } catch {
    // No first frame (an old build): the shell still starts, a little later.
  }
}

import('../dist/src/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli.js')) {
    console.error('edgelab: not built yet; run `npm run build` (or `npm ci`, which builds)');
    process.exit(2);
  }
  throw err;
});
