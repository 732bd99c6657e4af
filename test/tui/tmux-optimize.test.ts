/**
 * Optimiser must-show: in tmux, while an `optimize` sweep runs (its trials on the worker pool inside
 * the job's worker thread), typed keys echo and Ctrl+C cancels it. Skips with a message when tmux or
 * the build is missing (.ci/run installs tmux; npm test builds).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const built = existsSync(join(repo, 'dist', 'src', 'optimize', 'trial-worker.js'));
if (!hasTmux) console.warn('tmux optimize test skipped: tmux is not installed (apt-get install tmux)');
if (!built) console.warn('tmux optimize test skipped: run npm run build first');

const session = `edgelab-optimize-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', session);

async function waitForScreen(pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (pattern.test(s)) return s;
    if (Date.now() > deadline) throw new Error(`tmux screen never showed ${pattern}:\n${s}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['kill-session', '-t', session]);
});

(hasTmux && built ? describe : describe.skip)('optimize in tmux', () => {
  it('typed keys echo during the sweep, and Ctrl+C cancels it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'edgelab-home-'));
    const data = mkdtempSync(join(tmpdir(), 'edgelab-data-'));
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `cd ${repo} && HOME=${home} EDGELAB_DATA_ROOT=${data} node bin/edgelab.js; sleep 30`);
    await waitForScreen(/data: \d+ sets/, 180_000);
    tmux('send-keys', '-t', session, 'optimize sma_cross --grid fast=5..50:5,slow=20..200:10 --no-store', 'Enter');
    await waitForScreen(/grid · \d+\/\d+ trials/, 300_000);

    tmux('send-keys', '-t', session, 'xyz');
    const echoed = await waitForScreen(/edgelab> xyz/, 60_000);
    expect(echoed).toMatch(/grid · \d+\/\d+ trials/); // still running when the keys showed

    tmux('send-keys', '-t', session, 'C-u');
    tmux('send-keys', '-t', session, 'C-c');
    const cancelled = await waitForScreen(/optimize: cancelled/, 60_000);
    expect(cancelled).toMatch(/edgelab> /);
  }, 900_000);
});
