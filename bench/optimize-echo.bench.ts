/**
 * Key echo while a sweep runs (issue 16, must-show 4: the shell stays responsive during the sweep):
 * the interactive shell in a real pseudo-terminal (bench/pty.ts), 350k 15m bars ingested, then
 * `optimize sma_cross` over 100 combos (fast 5..50:5 × slow 60..240:20) on the worker pool; keys
 * typed at the prompt are timed until they are drawn, first idle, then while the sweep's progress
 * line is up. Figures: idle and busy echo (median, max), their ratio, and whether the sweep was
 * still running at the last key.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchFigure, BenchWorkload } from './types.js';
import { PtyShell } from './pty.js';
import { echoMs, median } from './shell.bench.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const bin = join(repo, 'bin', 'edgelab.js');

const DATA = 'ingest synthetic --symbols BTCUSDT --years 10';
const SWEEP = 'optimize sma_cross --grid fast=5..50:5,slow=60..240:20,symbol=BTCUSDT --no-store';
/** The sweep's progress line: "grid · 12/100 trials …". */
const RUNNING = /grid · \d+\/100 trials/;

const echoDuringSweep: BenchWorkload = {
  name: 'shell.echo-during-optimize',
  description: 'key echo at the prompt (PTY) while idle and while `optimize sma_cross` sweeps 100 combos over 350k 15m bars on the worker pool',
  async run(): Promise<BenchFigure[]> {
    const shell = new PtyShell(bin, repo);
    try {
      await shell.waitFor(/data: \d+ sets/);
      let from = shell.screen.length;
      shell.send(`${DATA}\r`);
      await shell.waitFor(/1 crypto 15m/, { from, timeoutMs: 300_000 });
      from = shell.screen.length;
      shell.send('config set backtest.interval 15m\r');
      await shell.waitFor(/15m/, { from, timeoutMs: 60_000 });
      const letters = 'abcdefgh';
      const idle: number[] = [];
      for (let i = 0; i < letters.length; i++) idle.push(await echoMs(shell, letters.slice(0, i), letters[i]!));
      shell.send('\u0015'); // Ctrl+U clears the line
      from = shell.screen.length;
      shell.send(`${SWEEP}\r`);
      await shell.waitFor(RUNNING, { from, timeoutMs: 300_000 });
      const busy: number[] = [];
      for (let i = 0; i < letters.length; i++) busy.push(await echoMs(shell, letters.slice(0, i), letters[i]!));
      const stillRunning = !/\b100\/100 trials/.test(shell.screen.slice(from));
      shell.send('\u0003');
      return [
        { name: 'echo at an idle prompt (median)', value: median(idle), unit: 'ms' },
        { name: 'echo during the sweep (median)', value: median(busy), unit: 'ms' },
        { name: 'echo during the sweep (max)', value: Math.max(...busy), unit: 'ms' },
        { name: 'busy / idle echo', value: median(busy) / median(idle), unit: '×' },
        { name: 'sweep still running at the last key', value: stillRunning ? 1 : 0, unit: 'yes=1' },
      ];
    } finally {
      shell.close();
    }
  },
};

export const workloads: BenchWorkload[] = [echoDuringSweep];
