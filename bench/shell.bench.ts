/**
 * Shell workloads: cold start of the interactive shell to its first prompt with the demo data
 * loaded (in a real pseudo-terminal through `script`), and headless replay of the demo script.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { BenchFigure, BenchWorkload } from './types.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const bin = join(repo, 'bin', 'edgelab.js');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Start the shell in a PTY and wait until the prompt shows with the demo data loaded. */
function coldStartOnce(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', `node ${bin}`, '/dev/null'], {
      cwd: repo,
      env: { ...process.env, COLUMNS: '120', LINES: '40', TERM: 'xterm-256color', HOME: mkdtempSync(join(tmpdir(), 'edgelab-home-')) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let seen = '';
    let done = false;
    const timer = setTimeout(() => {
      if (!done) {
        child.kill('SIGKILL');
        reject(new Error('the shell did not show a ready prompt within 60 s'));
      }
    }, 60_000);
    child.stdout.on('data', (d: Buffer) => {
      // Strip ANSI escapes: the prompt and the log are drawn with colours and cursor moves.
      seen += d.toString('utf8').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
      // Ready = the synthetic data has been loaded (the ingest summary is in the log) and the prompt is drawn.
      if (!done && /edgelab>/.test(seen) && /data: \d+ sets/.test(seen)) {
        done = true;
        const ms = performance.now() - t0;
        clearTimeout(timer);
        child.stdin.write('\x04');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
        resolvePromise(ms);
      }
    });
    child.on('error', reject);
  });
}

const coldStart: BenchWorkload = {
  name: 'shell.cold-start',
  description: 'interactive shell start to first prompt with the demo data loaded (PTY, median of 5)',
  async run(): Promise<BenchFigure[]> {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(await coldStartOnce());
    return [
      { name: 'cold start to first prompt (median)', value: median(times), unit: 'ms' },
      { name: 'cold start (min)', value: Math.min(...times), unit: 'ms' },
    ];
  },
};

const demoReplay: BenchWorkload = {
  name: 'shell.demo-replay',
  description: 'headless run of sessions/demo.edgelab, then replay --check of its transcript',
  async run(): Promise<BenchFigure[]> {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-bench-'));
    try {
      const transcript = join(dir, 'demo.jsonl');
      const t0 = performance.now();
      const run = spawnSync('node', [bin, 'run', join(repo, 'sessions', 'demo.edgelab'), '--transcript', transcript], { cwd: repo, encoding: 'utf8' });
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

export const workloads: BenchWorkload[] = [coldStart, demoReplay];
