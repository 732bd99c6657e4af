/**
 * Must-show 2 (crash safety): the paper loop runs in its own process (`edgelab run -` with
 * `paper start`), is killed with SIGKILL at random bars — the parent watches the performance log
 * and kills the child once it passes a bar drawn from a seeded generator, so the kill lands
 * anywhere inside a bar, between a log line and its commit, or inside a checkpoint — and is
 * resumed each time with `paper resume-from`. After the last resume runs to the end, every log
 * (trades, orders, performance) is byte for byte the log of an uninterrupted run of the same
 * session in another data root, the last commit has the same cash and positions, and the printed
 * result digest is the same: nothing lost, nothing doubled.
 *
 * EDGELAB_PAPER_KILLS sets the number of kills (3 here; `npm run stress`-style runs use more).
 * Needs the build (bin/edgelab.js builds when sources changed).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastCommit } from '../../src/paper/commits.js';
import { paperPaths } from '../../src/paper/files.js';
import { root } from './helpers.js';

const KILLS = Number(process.env['EDGELAB_PAPER_KILLS'] ?? 3);
const ID = 'crash';
const START = `ingest synthetic\npaper start --id ${ID} --from 2020-01-01 --to 2020-12-31 --speed max --checkpoint-every 97\n`;
const RESUME = `ingest synthetic\npaper resume-from ${ID}\n`;
const bin = join(root, 'bin', 'edgelab.js');

interface Ran {
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly out: string;
}

/** Run a script in a child; with `killAtBar`, SIGKILL it once the performance log holds that many bars. */
function runChild(dataRoot: string, script: string, killAtBar?: number): Promise<Ran> {
  return new Promise((done) => {
    const p = spawn('node', [bin, 'run', '-', '--no-transcript'], { cwd: root, env: { ...process.env, EDGELAB_DATA_ROOT: dataRoot } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.stdin.end(script);
    const perf = paperPaths(dataRoot, ID).logs.performance;
    // performance lines are ~170 bytes; count them exactly only when the size says we are close
    const timer =
      killAtBar === undefined
        ? undefined
        : setInterval(() => {
            if (!existsSync(perf) || statSync(perf).size < killAtBar * 120) return;
            if (readFileSync(perf, 'utf8').split('\n').length - 1 >= killAtBar) p.kill('SIGKILL');
          }, 2);
    p.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      done({ code, signal, out });
    });
  });
}

/** Park–Miller minimal standard generator: the kill bars, reproducible from the seed. */
function draws(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

const digestOf = (out: string): string | undefined => /result digest ([0-9a-f]{12})/.exec(out)?.[1];

describe('paper loop: SIGKILL at random bars, resume, same end state', () => {
  it(`${KILLS} kills and resumes give the uninterrupted run's logs, book and result`, async () => {
    const reference = mkdtempSync(join(tmpdir(), 'edgelab-paper-ref-'));
    const whole = await runChild(reference, START);
    expect(whole.code, whole.out).toBe(0);
    const total = readFileSync(paperPaths(reference, ID).logs.performance, 'utf8').split('\n').length - 1;
    expect(total).toBeGreaterThan(1000);

    const crashed = mkdtempSync(join(tmpdir(), 'edgelab-paper-crash-'));
    const next = draws(20261205);
    const targets = Array.from({ length: KILLS }, () => 1 + Math.floor(next() * (total - 2))).sort((a, b) => a - b);
    let killed = 0;
    let last: Ran | undefined;
    for (const target of targets) {
      const started = existsSync(paperPaths(crashed, ID).spec);
      const ran = await runChild(crashed, started ? RESUME : START, target);
      if (ran.signal === 'SIGKILL') killed++;
      else expect(ran.code, ran.out).toBe(0);
      last = ran;
      // what a killed process left: the last commit parses and is not ahead of the logs
      const commit = lastCommit(paperPaths(crashed, ID).commits);
      if (commit) expect(commit.logs.performance).toBeLessThanOrEqual(statSync(paperPaths(crashed, ID).logs.performance).size);
    }
    expect(killed).toBeGreaterThan(0);
    if (last?.signal === 'SIGKILL' || !/replay finished/.test(last?.out ?? '')) {
      last = await runChild(crashed, RESUME);
      expect(last.code, last.out).toBe(0);
    }
    expect(last!.out).toMatch(/finished · bar (\d+)\/\1/);

    const a = paperPaths(reference, ID);
    const b = paperPaths(crashed, ID);
    for (const name of ['trades', 'orders', 'performance'] as const) {
      expect(readFileSync(b.logs[name], 'utf8').length, name).toBe(readFileSync(a.logs[name], 'utf8').length);
      expect(readFileSync(b.logs[name]).equals(readFileSync(a.logs[name])), `${name}.jsonl differs from the uninterrupted run's`).toBe(true);
    }
    const ca = lastCommit(a.commits)!;
    const cb = lastCommit(b.commits)!;
    expect({ step: cb.step, cash: cb.cash, positions: cb.positions, status: cb.status }).toEqual({ step: ca.step, cash: ca.cash, positions: ca.positions, status: ca.status });
    expect(digestOf(last!.out)).toBe(digestOf(whole.out));
  }, 600_000);
});
