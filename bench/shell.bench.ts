/**
 * Shell workloads, in a real pseudo-terminal through `script`: cold start of the interactive shell
 * to its first prompt, to the full screen and to the demo data loaded; key echo while idle and
 * while a 1M-bar backtest runs in its worker; headless replay of the demo script.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { BenchFigure, BenchWorkload } from './types.js';
import { PtyShell } from './pty.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const bin = join(repo, 'bin', 'edgelab.js');

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

interface StartTimes {
  readonly prompt: number;
  readonly screen: number;
  readonly data: number;
}

/** Start the shell in a PTY: time to the first prompt, to the full screen, to the demo data loaded. */
async function coldStartOnce(): Promise<StartTimes> {
  const shell = new PtyShell(bin, repo);
  try {
    const prompt = await shell.waitFor(/edgelab> /);
    // The full screen: the log pane's frame (the first frame has none).
    const screen = await shell.waitFor(/┌ log/);
    const data = await shell.waitFor(/data: \d+ sets/);
    return { prompt, screen, data };
  } finally {
    shell.close();
  }
}

const coldStart: BenchWorkload = {
  name: 'shell.cold-start',
  description: 'interactive shell start (PTY, median of 5): first prompt drawn (goal < 500 ms), full screen, demo data loaded; beside a bare `node -e 0`',
  async run(): Promise<BenchFigure[]> {
    const runs: StartTimes[] = [];
    for (let i = 0; i < 5; i++) runs.push(await coldStartOnce());
    const bare: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      spawnSync('node', ['-e', '0']);
      bare.push(performance.now() - t0);
    }
    const prompt = median(runs.map((r) => r.prompt));
    return [
      { name: 'cold start to prompt drawn (median)', value: prompt, unit: 'ms' },
      { name: 'cold start to prompt drawn (max)', value: Math.max(...runs.map((r) => r.prompt)), unit: 'ms' },
      { name: 'baseline: node -e 0 (median)', value: median(bare), unit: 'ms' },
      { name: 'prompt / bare node start', value: prompt / median(bare), unit: '×' },
      { name: 'cold start to full screen (median)', value: median(runs.map((r) => r.screen)), unit: 'ms' },
      { name: 'cold start to demo data ready (median)', value: median(runs.map((r) => r.data)), unit: 'ms' },
    ];
  },
};

/** Type one character and time until the prompt shows it. */
export async function echoMs(shell: PtyShell, typed: string, ch: string): Promise<number> {
  const from = shell.screen.length;
  const t0 = performance.now();
  shell.send(ch);
  return shell.waitFor(new RegExp(`edgelab> ${typed}${ch}`), { from, since: t0, timeoutMs: 60_000 });
}

/** The 1M-bar job: three crypto perpetuals, 10 years of 15m bars (3 × 350,688 bars). */
export const LONG_DATA = 'ingest synthetic --symbols BTCUSDT,ETHUSDT,SOLUSDT --years 10';
export const MILLION_BAR_BACKTEST = 'backtest crypto_momentum --params symbols=BTCUSDT|ETHUSDT|SOLUSDT --interval 15m --no-store';

const echoDuringJob: BenchWorkload = {
  name: 'shell.echo-during-backtest',
  description: 'key echo at the prompt (PTY) while idle and while a 1M-bar backtest runs in its worker',
  async run(): Promise<BenchFigure[]> {
    const shell = new PtyShell(bin, repo);
    try {
      await shell.waitFor(/data: \d+ sets/);
      let from = shell.screen.length;
      shell.send(`${LONG_DATA}\r`);
      await shell.waitFor(/3 crypto 15m/, { from, timeoutMs: 300_000 });
      const letters = 'abcdefgh';
      const idle: number[] = [];
      for (let i = 0; i < letters.length; i++) idle.push(await echoMs(shell, letters.slice(0, i), letters[i]!));
      shell.send('\u0015'); // Ctrl+U clears the line
      from = shell.screen.length;
      shell.send(`${MILLION_BAR_BACKTEST}\r`);
      await shell.waitFor(/\d+% backtest/, { from, timeoutMs: 300_000 });
      const busy: number[] = [];
      for (let i = 0; i < letters.length; i++) busy.push(await echoMs(shell, letters.slice(0, i), letters[i]!));
      from = shell.screen.length;
      const stillRunning = /\d+% backtest/.test(shell.screen.slice(from - 400));
      shell.send('\u0003');
      return [
        { name: 'echo at an idle prompt (median)', value: median(idle), unit: 'ms' },
        { name: 'echo during the 1M-bar backtest (median)', value: median(busy), unit: 'ms' },
        { name: 'echo during the 1M-bar backtest (max)', value: Math.max(...busy), unit: 'ms' },
        { name: 'busy / idle echo', value: median(busy) / median(idle), unit: '×' },
        { name: 'backtest still running at the last key', value: stillRunning ? 1 : 0, unit: 'yes=1' },
      ];
    } finally {
      shell.close();
    }
  },
};

const demoReplay: BenchWorkload = {
  name: 'shell.demo-replay',
  description: 'headless run of sessions/demo.edgelab, then replay --check of its transcript',
  async run(): Promise<BenchFigure[]> {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-bench-'));
    try {
      const transcript = join(dir, 'demo.jsonl');
      // a fresh data root, as the replay's: the project's own results database may already hold runs that `runs` would list
      const env = { ...process.env, EDGELAB_DATA_ROOT: join(dir, 'data') };
      const t0 = performance.now();
      const run = spawnSync('node', [bin, 'run', join(repo, 'sessions', 'demo.edgelab'), '--transcript', transcript], { cwd: repo, encoding: 'utf8', env });
      const t1 = performance.now();
      if (run.status !== 0) throw new Error(`demo run exited ${run.status}: ${run.stderr.slice(0, 400)}`);
      const replay = spawnSync('node', [bin, 'replay', transcript, '--check'], { cwd: repo, encoding: 'utf8' });
      const t2 = performance.now();
      if (replay.status !== 0) throw new Error(`replay --check exited ${replay.status}: ${replay.stderr.slice(0, 400)}`);
      return [
        { name: 'headless run of the demo script', value: t1 - t0, unit: 'ms' },
        { name: 'replay --check of its transcript', value: t2 - t1, unit: 'ms' },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export const workloads: BenchWorkload[] = [coldStart, echoDuringJob, demoReplay];
