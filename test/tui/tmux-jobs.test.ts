/**
 * Must-show: in tmux, while a 1M-bar backtest (3 × 350,688 15m bars) runs in its worker, typed keys
 * echo, `jobs` answers, and Ctrl+C cancels. Skips with a message when tmux or the build is missing
 * (.ci/run installs tmux; npm test builds). The echo latency itself is measured by
 * `npm run bench -- shell.echo`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TmuxShell, tmuxSkipReason } from './tmux-harness.js';

const skip = tmuxSkipReason('tmux jobs test', 'src/shell/jobs/worker.js');
const shell = new TmuxShell('jobs');
afterAll(() => shell.kill());

describe.skipIf(skip !== '')('jobs in tmux during a 1M-bar backtest', () => {
  it('typed keys echo, jobs answers, Ctrl+C cancels', async () => {
    shell.start({ columns: 120, rows: 40 });
    await shell.ready(180_000);
    shell.line('ingest synthetic --symbols BTCUSDT,ETHUSDT,SOLUSDT --years 10');
    await shell.waitFor(/3 crypto 15m/, 300_000);
    shell.line('backtest crypto_momentum --params symbols=BTCUSDT|ETHUSDT|SOLUSDT --interval 15m --no-store');
    await shell.waitFor(/\d+% backtest/, 300_000);

    shell.type('xyz');
    const echoed = await shell.waitFor(/edgelab> xyz/, 60_000);
    expect(echoed).toMatch(/\d+% backtest/); // still running when the keys showed

    shell.keys('C-u');
    shell.line('jobs');
    const listed = await shell.waitFor(/fg\s+running/, 60_000);
    expect(listed).toContain('backtest crypto_momentum');

    shell.keys('C-c');
    const cancelled = await shell.waitFor(/backtest: cancelled/, 60_000);
    expect(cancelled).toMatch(/edgelab> /);
  }, 900_000);
});
