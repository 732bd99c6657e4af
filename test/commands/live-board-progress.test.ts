/**
 * The live leaderboard the commands report (Progress.board, docs/shell.md): on the synthetic SPY,
 * `optimize`'s last board is the final leaderboard's first rows (same points, objective, Sharpe,
 * max DD and trades), and every board along the way is a prefix-consistent ranking of the trials
 * finished so far; `walkforward`'s folds on its boards are the fold table's rows (windows, chosen
 * parameters, IS and OOS score), added one at a time as folds finish.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import optimize from '../../commands/optimize.js';
import walkforward from '../../commands/walkforward.js';
import { Session } from '../../src/shell/session.js';
import { createShell } from '../../src/shell/runtime.js';
import type { CommandIO, Progress } from '../../src/shell/command.js';
import type { LiveBoard } from '../../src/shell/live-board.js';
import type { Dataset } from '../../src/core/table.js';
import type { TableBlock } from '../../src/core/result.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-live-board-'));
let demo: Dataset[] = [];

function fakeIo(): CommandIO & { progressed: Progress[] } {
  const progressed: Progress[] = [];
  return { signal: new AbortController().signal, progress: (p) => progressed.push(p), log: () => {}, execute: () => Promise.reject(new Error('not used')), progressed };
}
function session(): Session {
  const s = new Session({ root, cwd: dir });
  for (const d of demo) s.addDataset(d);
  return s;
}
const boards = (io: { progressed: Progress[] }): LiveBoard[] => io.progressed.flatMap((p) => (p.board ? [p.board] : []));

beforeAll(async () => {
  const shell = await createShell({ root, cwd: dir });
  const out = await shell.dispatcher.execute('ingest synthetic --symbols SPY --start 2021-01-01 --years 1 --equity-start 2014-01-01');
  expect(out.result.status).toBe('ok');
  demo = [...shell.session.datasets.values()];
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('live boards reported by the commands', () => {
  it('optimize: the last board is the final leaderboard’s top; trials/s counts every distinct trial once', async () => {
    const io = fakeIo();
    const r = await optimize.run(session(), optimize.schema.parse({ experiment: 'sma_cross', grid: 'symbol=SPY,fast=5..20:5,slow=40..120:40', workers: 0, noStore: true, rows: 10 }), io);
    expect(r.status).toBe('ok');
    const all = boards(io);
    expect(all.length).toBeGreaterThan(1);
    const last = all[all.length - 1]!;
    expect(last).toMatchObject({ kind: 'optimize', objective: 'bps', done: 12, total: 12, evaluated: 12, params: ['symbol', 'fast', 'slow'] });
    const board = r.blocks.find((b) => b.kind === 'table' && b.title === 'leaderboard') as TableBlock;
    const col = (name: string): number => board.columns.indexOf(name);
    expect(last.top.length).toBe(10);
    last.top.forEach((t, i) => {
      const row = board.rows[i]!;
      expect([t.rank, t.params['fast'], t.params['slow']]).toEqual([row[col('rank')], row[col('fast')], row[col('slow')]]);
      expect(t.objective).toBeCloseTo(row[col('bps')] as number, 4);
      expect(t.sharpe).toBeCloseTo(row[col('sharpe')] as number, 3);
      expect(t.maxDrawdown! * 100).toBeCloseTo(row[col('max dd %')] as number, 2);
      expect(t.trades).toBe(row[col('trades')]);
    });
    // done never goes back, and the best objective never gets worse
    for (let i = 1; i < all.length; i++) {
      expect(all[i]!.done).toBeGreaterThanOrEqual(all[i - 1]!.done);
      if (all[i - 1]!.top[0]?.objective != null) expect(all[i]!.top[0]!.objective!).toBeGreaterThanOrEqual(all[i - 1]!.top[0]!.objective!);
    }
  }, 120_000);

  it('walkforward: the folds on the boards are the fold table’s rows, one more as each fold ends', async () => {
    const io = fakeIo();
    const r = await walkforward.run(session(), walkforward.schema.parse({ grid: 'fast=5..20:5,slow=40..120:40', train: '3y', test: '1y', workers: 0, noStore: true }), io);
    expect(r.status).toBe('ok');
    const table = r.blocks.find((b) => b.kind === 'table' && b.title?.startsWith('folds')) as TableBlock;
    const col = (name: string): number => table.columns.indexOf(name);
    const all = boards(io);
    const last = all[all.length - 1]!;
    expect(last.kind).toBe('walkforward');
    expect(last.foldsTotal).toBe(table.rows.length);
    expect(last.folds!.length).toBe(table.rows.length);
    last.folds!.forEach((f, i) => {
      const row = table.rows[i]!;
      expect(f.fold).toBe(row[col('fold')]);
      expect(f.train).toBe(row[col('train')]);
      expect(f.test).toBe(row[col('test')]);
      expect(Object.entries(f.chosen).map(([k, v]) => `${k}=${v}`).join(' ')).toBe(row[col('chosen')]);
      expect(f.inSample).toBeCloseTo(row[col('IS score')] as number, 4);
      expect(f.outOfSample).toBeCloseTo(row[col('OOS score')] as number, 4);
    });
    // folds arrive one at a time, in order
    const counts = all.map((b) => b.folds!.length);
    for (let i = 1; i < counts.length; i++) expect(counts[i]! - counts[i - 1]!).toBeGreaterThanOrEqual(0);
    expect(new Set(counts)).toEqual(new Set(Array.from({ length: table.rows.length + 1 }, (_, i) => i)));
    // while a fold's in-sample sweep runs, the top list is that sweep: 12 points ranked
    expect(all.some((b) => b.phase?.endsWith('in sample') && b.top.length === 10)).toBe(true);
  }, 180_000);
});
