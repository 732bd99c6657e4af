/**
 * `backtest edge:ID`: a discovery candidate traded through the normal engine by the edge_template
 * model. Every trade opens at the next bar's open after one of the candidate's events (re-derived
 * here from the family's detector), on the side its action gives; bad ids get one clear line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import type { CommandResult, TextBlock } from '../../src/core/result.js';
import { listCandidates } from '../../src/store/ledger.js';
import { listRuns, loadTrades } from '../../src/store/index.js';
import { FAMILIES } from '../../src/research/families/index.js';
import { assetBars } from '../../src/research/inputs.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-backtest-edge-'));
const db = join(dir, 'results.duckdb');
let shell: Shell;
const run = (line: string): Promise<CommandResult> => shell.dispatcher.execute(line).then((e) => e.result);

beforeAll(async () => {
  const config = configSchema.parse({ session: { results_db: db }, synthetic: { symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], years: 2 } });
  shell = await createShell({ config, seed: 42 });
  expect((await run('ingest synthetic')).status).toBe('ok');
  expect((await run('discover vol_compression --horizons 16')).status).toBe('ok');
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backtest edge:ID', () => {
  it('trades the candidate: entries at its events’ trigger closes (next open), on its side', async () => {
    const c = (await listCandidates(db)).find((x) => x.condition === 'all')!;
    expect(c, 'a vol_compression candidate').toBeDefined();
    const r = await run(`backtest edge:${c.id} --skip-probes`);
    expect(r.status, r.summary).toBe('ok');
    const runs = await listRuns(db);
    const trades = await loadTrades(db, runs[runs.length - 1]!.id);
    expect(trades.length).toBeGreaterThan(20);
    // the events, re-derived: trigger close → entry fill at that time (next open = the next bar's ts)
    const side = c.action === 'with' ? 1 : -1;
    const entries = new Map<string, Map<number, number>>();
    for (const name of c.datasets.split(',')) {
      const a = assetBars(shell.session.dataset(name), shell.session.datasets);
      const evs = FAMILIES.vol_compression.detect(a, JSON.parse(c.params) as Record<string, number>);
      entries.set(a.symbol, new Map(evs.map((e) => [a.ts[e.row]! + a.barMs, side * e.direction])));
    }
    for (const t of trades.slice(0, 50)) {
      const expectedSide = entries.get(t.symbol)!.get(t.entryTs);
      expect(expectedSide, `${t.symbol} trade at ${t.entryTs}`).toBeDefined();
      expect(t.side).toBe(expectedSide! > 0 ? 'long' : 'short');
    }
  }, 180_000);

  it('an unknown candidate is one clear line', async () => {
    const r = await run('backtest edge:E999');
    expect(r.status).toBe('error');
    expect((r.blocks[0] as TextBlock).text).toMatch(/no edge candidate 'E999'/);
  });
});
