/**
 * `discover`, `edges`, `edges show` and `export edges` through the real dispatcher on a small
 * synthetic market (BTCUSDT, ETHUSDT, SPY, QQQ) and a temporary results database:
 *   - must-show 3: a second run (other settings, other bars) grows the ledger and its q-values are
 *     stricter, visibly; an identical re-run is not a new test: same run id, ledger and output;
 *   - must-show 4: an exported candidate's p and q re-derived from its row and the ledger, with a
 *     t tail integrated numerically and the cluster procedure (Simes within, Benjamini–Yekutieli
 *     across) written out here (not the code's);
 *   - must-show 5: unknown family, too few events, all-NaN input, a dataset without funding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import type { CommandResult, TableBlock, TextBlock } from '../../src/core/result.js';
import type { Dataset } from '../../src/core/table.js';
import { tableDigest, sliceTable } from '../../src/core/table.js';
import { ledgerPValues, ledgerSizes, listCandidates } from '../../src/store/ledger.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-discover-'));
const db = join(dir, 'results.duckdb');
let shell: Shell;
const run = (line: string): Promise<CommandResult> => shell.dispatcher.execute(line).then((e) => e.result);
const tableOf = (r: CommandResult, prefix: string): TableBlock => r.blocks.find((b): b is TableBlock => b.kind === 'table' && (b.title ?? '').startsWith(prefix))!;
const errorText = async (line: string): Promise<string> => {
  const r = await run(line);
  expect(r.status, line).toBe('error');
  return (r.blocks[0] as TextBlock).text;
};

beforeAll(async () => {
  const config = configSchema.parse({ session: { results_db: db }, synthetic: { symbols: ['BTCUSDT', 'ETHUSDT', 'SPY', 'QQQ'] } });
  shell = await createShell({ config, seed: 42 });
  expect((await run('ingest synthetic')).status).toBe('ok');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** q-values of the gates table by hypothesis (family, group, condition, action, h). */
function qByHypothesis(r: CommandResult): Map<string, { q: number; qAlone: number }> {
  const t = tableOf(r, 'gates');
  const col = (name: string): number => t.columns.indexOf(name);
  return new Map(t.rows.map((row) => [[0, 1, 2, 3, 4].map((i) => row[i]).join('|'), { q: row[col('q')] as number, qAlone: row[col('q alone')] as number }]));
}

/** Upper tail of Student's t by Simpson's rule on the density (Lanczos log-gamma), written out here. */
function lgamma(x: number): number {
  const g = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = 0.99999999999980993;
  const t = x + 7.5;
  g.forEach((c, i) => (a += c / (x + i + 1)));
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
function tUpperTail(t: number, df: number): number {
  const logC = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const pdf = (x: number): number => Math.exp(logC - ((df + 1) / 2) * Math.log(1 + (x * x) / df));
  // ∫_0^t pdf by Simpson (20 000 panels); tail = ½ − that
  const n = 20_000;
  const h = t / n;
  let s = pdf(0) + pdf(t);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * pdf(i * h);
  return 0.5 - (s * h) / 3;
}
/** BH q-values written out: rank by p, q_(i) = min over j ≥ i of m p_(j) / j. */
function bhAll(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const m = ps.length;
  const q = new Array<number>(m);
  let run = 1;
  for (let j = m; j >= 1; j--) {
    run = Math.min(run, (m * order[j - 1]![0]) / j);
    q[order[j - 1]![1]] = run;
  }
  return q;
}

/**
 * The cluster procedure of docs/discovery.md written out independently: a cluster is a run's
 * hypotheses of one family, parameters and group (the key up to its second '|'); a cluster tested
 * again keeps only its latest run; within it the with/against pair of a (condition, horizon) is one
 * two-sided test 2·min p credited to the smaller side; BH within; Simes = the smallest within q;
 * Benjamini–Yekutieli over the ledger's clusters; h selected at α when its within q ≤ α R / (M c(M)).
 */
function clusterDerivation(ledger: readonly { p: number; key: string; run: string }[], pos: number) {
  const clusterOf = (i: number): string => `${ledger[i]!.run}#${ledger[i]!.key.split('|').slice(0, 2).join('|')}`;
  const latestRun = new Map<string, string>();
  for (const x of ledger) latestRun.set(x.key.split('|').slice(0, 2).join('|'), x.run);
  const members = new Map<string, number[]>();
  ledger.forEach((_, i) => members.set(clusterOf(i), [...(members.get(clusterOf(i)) ?? []), i]));
  const within = new Map<number, number>();
  const clusterP = new Map<string, number>();
  for (const [id, idx] of members) {
    const live = latestRun.get(id.split('#')[1]!) === id.split('#')[0];
    const pairs = new Map<string, number>();
    for (const i of idx) {
      const parts = ledger[i]!.key.split('|');
      const pair = parts.slice(2, -2).join('|') + '@' + parts.at(-1);
      const other = pairs.get(pair);
      if (other === undefined || ledger[i]!.p < ledger[other]!.p) pairs.set(pair, i);
    }
    const leads = [...pairs.values()];
    const q = bhAll(leads.map((i) => Math.min(1, 2 * ledger[i]!.p)));
    for (const i of idx) within.set(i, live && leads.includes(i) ? Math.min(1, q[leads.indexOf(i)]!) : 1);
    clusterP.set(id, Math.min(...idx.map((i) => within.get(i)!)));
  }
  const ps = [...clusterP.values()];
  const M = ps.length;
  let c = 0;
  for (let i = 1; i <= M; i++) c += 1 / i;
  const sorted = [...ps].sort((a, b) => a - b);
  const mine = clusterP.get(clusterOf(pos))!;
  const ids = [...clusterP.keys()];
  const rank = 1 + ids.filter((id, k) => ps[k]! < mine || (ps[k]! === mine && k < ids.indexOf(clusterOf(pos)))).length;
  const selectedAt = (alpha: number): boolean => {
    let R = 0;
    for (let j = M; j >= 1 && R === 0; j--) if (sorted[j - 1]! <= (j * alpha) / (M * c)) R = j;
    return R > 0 && within.get(pos)! <= (R * alpha) / (M * c);
  };
  return { clusters: M, clusterSize: members.get(clusterOf(pos))!.length, withinQ: within.get(pos)!, clusterP: mine, rank, selectedAt };
}

/** The run id a discover summary names. */
const runIdOf = (r: CommandResult): string => /^discover (disc-[0-9a-f]{16}):/.exec(r.summary ?? '')?.[1] ?? `(no run id in '${r.summary}')`;
const spent = (r: CommandResult): Record<string, unknown> => Object.fromEntries(tableOf(r, 'tests spent').rows.map((row) => [row[0], row[1]]));

describe('discover: the ledger across runs (must-show 3)', () => {
  let first: CommandResult;
  let again: CommandResult;
  let second: CommandResult;
  beforeAll(async () => {
    first = await run('discover funding_extreme');
    again = await run('discover funding_extreme'); // identical: not a new test
    second = await run('discover funding_extreme --q 0.05'); // the same tests at another level: a new run, charged
    expect((await run('discover all')).status).toBe('ok'); // candidates for the export tests below
  }, 300_000);

  it('an identical re-run is read back: same run id, same output byte for byte, nothing added to the ledger or the candidates', async () => {
    expect(first.status, first.summary).toBe('ok');
    expect(runIdOf(again)).toBe(runIdOf(first));
    expect(JSON.stringify(again.blocks)).toBe(JSON.stringify(first.blocks));
    expect(again.summary).toBe(first.summary);
    // the next run's 'earlier' counts the first run's tests once
    expect(spent(second)['earlier in the ledger']).toBe(spent(first)['this run']);
    const mine = (await listCandidates(db)).filter((c) => c.run_id === runIdOf(first));
    const shown = tableOf(first, 'edge candidates').rows.map((row) => row[0]);
    expect(mine.map((c) => c.id)).toEqual(shown);
    expect(tableOf(again, 'edge candidates').rows.map((row) => row[0])).toEqual(shown);
  });

  it('the gates pane block: one line per candidate, passing when it stands all probes, naming failed probes', async () => {
    const g = second.blocks.find((b) => b.kind === 'gates')!;
    expect(g.kind === 'gates' && g.title).toBe(`discover ${runIdOf(second)}: candidates and their probes`);
    const cands = (await listCandidates(db)).filter((c) => c.run_id === runIdOf(second));
    if (g.kind !== 'gates') return;
    expect(g.gates.map((x) => x.pass)).toEqual(cands.map((c) => c.stands));
    for (const x of g.gates.filter((y) => !y.pass)) expect(x.reason).toMatch(/^failed: (perturbation|time split|2× costs|placebo)/);
  });

  it('the second run pays for the first: ledger grows, tests spent say so', () => {
    expect(first.status, first.summary).toBe('ok');
    expect(second.status, second.summary).toBe('ok');
    expect(runIdOf(second)).not.toBe(runIdOf(first));
    const a = spent(first);
    const b = spent(second);
    expect(a['earlier in the ledger']).toBe(0);
    expect(a['ledger size (BH m)']).toBe(a['this run']);
    expect(b['earlier in the ledger']).toBe(a['this run']);
    expect(b['ledger size (BH m)']).toBe((a['this run'] as number) + (b['this run'] as number));
    expect(second.summary).toMatch(new RegExp(`ledger synthetic/seed=42 now ${b['ledger size (BH m)'] as number} tests \\(${a['this run'] as number} earlier\\)`));
  });

  it("the same hypotheses get stricter q in the second run (M and c(M) grow, a repeat look adds no evidence); 'q alone' shows the price", () => {
    const q1 = qByHypothesis(first);
    const q2 = qByHypothesis(second);
    let compared = 0;
    let stricter = 0;
    for (const [key, { q }] of q1) {
      const later = q2.get(key)!;
      expect(later, key).toBeDefined();
      expect(later.q).toBeGreaterThanOrEqual(q);
      if (q < 1) {
        compared++;
        if (later.q > q) stricter++;
      }
    }
    expect(compared).toBeGreaterThan(5);
    expect(stricter).toBe(compared);
    // hand-worked: funding_extreme runs on one cluster (crypto_perp 15m). First run: M = 1, c(1) = 1,
    // so q = the within-cluster q v. Second run: M = 2 with the first entry superseded (p = 1),
    // c(2) = 3/2: q = min(1, 3/2 · 2 · min(v/1, 1/2)) = min(1, 3v) — every q triples (up to 1)
    for (const [key, { q }] of q1) expect(q2.get(key)!.q).toBeCloseTo(Math.min(1, 3 * q), 3);
    // in the second run's own table: q over the ledger vs q over this run alone (M = 1)
    for (const { q, qAlone } of q2.values()) {
      expect(q).toBeGreaterThanOrEqual(qAlone);
      expect(q).toBeCloseTo(Math.min(1, 3 * qAlone), 3);
    }
    expect(tableOf(second, 'tests spent').rows).toContainEqual(['clusters sharing events (BY M)', 2]);
  });

  it('re-run after the ledger grew: read back as it stood (same blocks), one more line says the ledger has grown since', async () => {
    const late = await run('discover funding_extreme');
    expect(runIdOf(late)).toBe(runIdOf(first));
    const extra = late.blocks.filter((b) => !first.blocks.some((f) => JSON.stringify(f) === JSON.stringify(b)));
    expect(extra).toHaveLength(1);
    const grown = (await ledgerSizes(db)).find((l) => l.ledger === 'synthetic/seed=42')!.tests;
    expect(grown).toBeGreaterThan(spent(first)['ledger size (BH m)'] as number);
    expect((extra[0] as TextBlock).text).toBe(
      `${runIdOf(first)} was recorded before (same tests, data and settings) and is read back as it stood then; the ledger has grown to ${grown} tests since — the later runs pay for these tests (docs/discovery.md)`,
    );
    expect(late.blocks.filter((b) => b !== extra[0]).map((b) => JSON.stringify(b))).toEqual(first.blocks.map((b) => JSON.stringify(b)));
  }, 120_000);

  it('new bars (another data digest) are a new test: the ledger grows and q pays for the first look', async () => {
    const line = 'discover funding_extreme --on BTCUSDT:15m --ledger new-bars';
    const before = await run(line);
    expect(before.status, before.summary).toBe('ok');
    const bars = shell.session.dataset('BTCUSDT:15m');
    const cut = sliceTable(bars.table, 0, bars.table.length - 2000); // as if the data ended three weeks earlier
    try {
      shell.session.datasets.set(bars.name, { ...bars, table: cut, digest: tableDigest(cut) });
      const after = await run(line);
      expect(after.status, after.summary).toBe('ok');
      expect(runIdOf(after)).not.toBe(runIdOf(before));
      const a = spent(before);
      const b = spent(after);
      expect(b['earlier in the ledger']).toBe(a['this run']);
      expect(b['ledger size (BH m)']).toBe((a['this run'] as number) + (b['this run'] as number));
      expect((await ledgerSizes(db)).find((l) => l.ledger === 'new-bars')).toEqual({ ledger: 'new-bars', tests: b['ledger size (BH m)'], runs: 2 });
      // one cluster looked at twice: the first look counts as p = 1, M = 2, c(2) = 3/2, so q = min(1, 3 · q alone)
      expect(b['clusters sharing events (BY M)']).toBe(2);
      for (const { q, qAlone } of qByHypothesis(after).values()) expect(q).toBeCloseTo(Math.min(1, 3 * qAlone), 3);
    } finally {
      shell.session.datasets.set(bars.name, bars);
    }
  }, 120_000);
});

describe('export edges (must-show 4) and edges / edges show', () => {
  it('re-derives an exported candidate’s p (from t, df) and q (from the ledger) independently', async () => {
    const cands = await listCandidates(db);
    expect(cands.length).toBeGreaterThan(0);
    const csv = join(dir, 'edges.csv');
    const ex = await run(`export edges ${csv}`);
    expect(ex.status, ex.summary).toBe('ok');
    expect((ex.blocks[0] as TextBlock).text).toBe(`exported ${cands.length} edge candidates to ${csv}`);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const rows = (await conn.runAndReadAll(`SELECT * FROM read_csv('${csv}', header = true)`)).getRowObjectsJS();
    conn.closeSync();
    inst.closeSync();
    expect(rows).toHaveLength(cands.length);
    for (const row of rows.slice(0, 6)) {
      const num = (k: string): number => Number(row[k]);
      // t from the row's mean and day-clustered SE; p its upper tail with the row's df
      const t = num('mean_bps') / num('se_bps');
      expect(t).toBeCloseTo(num('t'), 6);
      expect(tUpperTail(t, num('df'))).toBeCloseTo(num('p'), 7);
      // q: the cluster procedure written out over the ledger as it stood after the candidate's run
      const ledger = await ledgerPValues(db, String(row['ledger']), await lastSeqOfRun(String(row['run_id'])));
      expect(ledger).toHaveLength(num('ledger_size'));
      const pos = ledger.findIndex((x) => x.seq === num('test_seq'));
      expect(ledger[pos]!.p).toBeCloseTo(num('p'), 12);
      const d = clusterDerivation(ledger, pos);
      expect(d.clusters).toBe(num('clusters'));
      expect(d.clusterSize).toBe(num('cluster_size'));
      expect(d.withinQ).toBeCloseTo(num('within_q'), 12);
      expect(d.clusterP).toBeCloseTo(num('cluster_p'), 12);
      expect(d.rank).toBe(num('bh_rank'));
      // selected at the stored q (a hair above), not a hair below: q is the smallest level selecting it
      expect(d.selectedAt(num('q') * (1 + 1e-9))).toBe(true);
      expect(d.selectedAt(num('q') * (1 - 1e-6))).toBe(false);
      expect(num('q')).toBeLessThanOrEqual(num('q_level'));
    }
  });

  it('parquet export has the same rows; a bad extension is one clear line', async () => {
    const pq = join(dir, 'edges.parquet');
    expect((await run(`export edges ${pq}`)).status).toBe('ok');
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const n = Number((await conn.runAndReadAll(`SELECT COUNT(*) AS n FROM read_parquet('${pq}')`)).getRowObjectsJS()[0]!['n']);
    conn.closeSync();
    inst.closeSync();
    expect(n).toBe((await listCandidates(db)).length);
    expect(await errorText(`export edges ${join(dir, 'edges.txt')}`)).toMatch(/unknown export format '\.txt'/);
  });

  it('edges lists the candidates; edges show ID spells out q, the ledger and the four probes', async () => {
    const r = await run('edges');
    expect(r.status).toBe('ok');
    const cands = await listCandidates(db);
    expect(tableOf(r, 'edge candidates').rows.map((row) => row[0])).toEqual(cands.map((c) => c.id));
    const s = await run(`edges show ${cands[0]!.id}`);
    expect(s.status).toBe('ok');
    const fields = Object.fromEntries(tableOf(s, 'edge candidate').rows.map((row) => [row[0], row[1]]));
    expect(fields['ledger size']).toBe(cands[0]!.ledger_size);
    for (const probe of ['probe perturbation', 'probe time split', 'probe 2× costs', 'probe placebo']) expect(String(fields[probe])).toMatch(/^(pass|fail): /);
    expect(await errorText('edges show E999')).toMatch(/no edge candidate 'E999'/);
  });
});

/** A run's last test sequence number, read straight from the database. */
async function lastSeqOfRun(runId: string): Promise<number> {
  const inst = await DuckDBInstance.create(db);
  const conn = await inst.connect();
  const rows = (await conn.runAndReadAll('SELECT last_test FROM discovery_runs WHERE id = $1', [runId])).getRowObjectsJS();
  conn.closeSync();
  inst.closeSync();
  return Number(rows[0]!['last_test']);
}

describe('bad input (must-show 5): one clear line, the session survives', () => {
  it('an unknown family names the families (with a suggestion)', async () => {
    expect(await errorText('discover fundng_extreme')).toMatch(/unknown event family 'fundng_extreme'; did you mean 'funding_extreme'\? \(families: vol_compression, funding_extreme/);
  });

  it('a dataset without funding: funding_extreme on SPY:1d says so', async () => {
    expect(await errorText('discover funding_extreme --on SPY:1d')).toMatch(/funding_extreme: SPY:1d has no funding rates \(load SPY:funding/);
  });

  it('too few events: the count, the horizon and the --min-n it misses', async () => {
    const msg = await errorText('discover forced_flow --on BTCUSDT:15m --min-n 100000');
    expect(msg).toMatch(/nothing to test: forced_flow on crypto_perp 15m: \d+ events at horizon \d+, fewer than --min-n 100000/);
  });

  it('all-NaN input: liquidity_vacuum on a dataset whose volume is all NaN', async () => {
    const spy = shell.session.dataset('SPY:1d');
    const nanVolume: Dataset = {
      ...spy,
      name: 'NANVOL:1d',
      symbol: 'NANVOL',
      meta: {},
      table: { length: spy.table.length, columns: { ...spy.table.columns, volume: new Float64Array(spy.table.length).fill(NaN) } },
    };
    shell.session.datasets.set(nanVolume.name, nanVolume);
    expect(await errorText('discover liquidity_vacuum --on NANVOL:1d')).toMatch(/liquidity_vacuum: volume of NANVOL:1d is all NaN/);
    // in a wider run the same reason is a warning line and the rest is tested
    const r = await run('discover liquidity_vacuum range_breakout --on NANVOL:1d,SPY:1d --ledger nan-check');
    expect(r.status, r.summary).toBe('ok');
    expect(r.blocks.some((b) => b.kind === 'text' && /liquidity_vacuum skipped: volume of the dataset is all NaN \(NANVOL:1d\)/.test(b.text))).toBe(true);
    shell.session.datasets.delete(nanVolume.name);
  }, 120_000);

  it('bad --horizons and an unknown --on dataset', async () => {
    expect(await errorText('discover all --horizons 4,x')).toMatch(/bad --horizons '4,x'/);
    expect(await errorText('discover all --on NOPE:1d')).toMatch(/unknown dataset 'NOPE:1d'/);
    expect((await run('datasets')).status).toBe('ok');
  });
});

describe('determinism', () => {
  it('same data, seed and fresh ledger: byte-identical result (bootstrap and placebo draws seeded)', async () => {
    const results: string[] = [];
    for (const k of [1, 2]) {
      const other = join(dir, `det-${k}.duckdb`);
      const config = configSchema.parse({ session: { results_db: other }, synthetic: { symbols: ['BTCUSDT', 'ETHUSDT'], years: 1 } });
      const s = await createShell({ config, seed: 7 });
      expect((await s.dispatcher.execute('ingest synthetic')).result.status).toBe('ok');
      const r = (await s.dispatcher.execute('discover vol_compression funding_extreme --horizons 16,32')).result;
      expect(r.status, r.summary).toBe('ok');
      results.push(JSON.stringify(r.blocks));
    }
    expect(results[1]).toBe(results[0]);
    expect(results[0]).toMatch(/"kind":"table"/);
  }, 120_000);
});
