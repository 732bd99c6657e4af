/**
 * Must-show: in tmux, while a 1M-bar backtest (3 × 350,688 15m bars) runs in its worker, typed keys
 * echo, `jobs` answers, and Ctrl+C cancels. Skips with a message when tmux or the build is missing
 * (.ci/run installs tmux; npm test builds). The echo latency itself is measured by
 * `npm run bench -- shell.echo`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(__dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const built = existsSync(join(repo, 'dist', 'src', 'shell', 'jobs', 'worker.js'));
if (!hasTmux) console.warn('tmux jobs test skipped: tmux is not installed (apt-get install tmux)');
if (!built) console.warn('tmux jobs test skipped: run npm run build first');

const session = `edgelab-jobs-${process.pid}`;
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

(hasTmux && built ? describe : describe.skip)('jobs in tmux during a 1M-bar backtest', () => {
  it('typed keys echo, jobs answers, Ctrl+C cancels', async () => {
    const home = mkdtempSync(join(tmpdir(), 'edgelab-home-'));
    const data = mkdtempSync(join(tmpdir(), 'edgelab-data-'));
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `cd ${repo} && HOME=${home} EDGELAB_DATA_ROOT=${data} node bin/edgelab.js; sleep 30`);
    await waitForScreen(/data: \d+ sets/, 180_000);
    tmux('send-keys', '-t', session, 'ingest synthetic --symbols BTCUSDT,ETHUSDT,SOLUSDT --years 10', 'Enter');
    await waitForScreen(/3 crypto 15m/, 300_000);
    tmux('send-keys', '-t', session, 'backtest crypto_momentum --params symbols=BTCUSDT|ETHUSDT|SOLUSDT --interval 15m --no-store', 'Enter');
    await waitForScreen(/\d+% backtest/, 300_000);

    tmux('send-keys', '-t', session, 'xyz');
    const echoed = await waitForScreen(/edgelab> xyz/, 60_000);
    expect(echoed).toMatch(/\d+% backtest/); // still running when the keys showed

    tmux('send-keys', '-t', session, 'C-u');
    tmux('send-keys', '-t', session, 'jobs', 'Enter');
    const listed = await waitForScreen(/fg\s+running/, 60_000);
    expect(listed).toContain('backtest crypto_momentum');

    tmux('send-keys', '-t', session, 'C-c');
    const cancelled = await waitForScreen(/backtest: cancelled/, 60_000);
    expect(cancelled).toMatch(/edgelab> /);
  }, 900_000);
});
