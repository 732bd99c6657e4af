/**
 * Digest of a backtest result (scheme 4, docs/backtest-engine.md "Result digest"): sha256 over the
 * primary per-step series (the clock's times as runs of equal steps, the NAV as bytes, the risk mode
 * and breach counts as runs of equal values), then every record table (orders, fills, trades,
 * breaches, the cost ledger, the model and asset attribution) as typed columns, each in the most
 * compact form its content allows (record-columns.ts `Form`: a column of one repeated value is
 * written once, a column of numbers as its float64s alone). Two runs with the
 * same inputs give the same digest (the engine is deterministic); any difference in the NAV, the
 * clock, the mode, a breach or any field of any record changes it.
 *
 * The derived series (cash, gross, net, drawdown, the models' P&L) are not hashed: each follows
 * from the NAV, the records and the bars (whose content digests the report digest holds), and
 * hashing them cost more than the run (64 MB per 1M steps). The test suites compare them field by
 * field between the engines, and scheme 1 (test/helpers/reference-digest.ts) still covers them.
 *
 * No number is formatted to text to be hashed: numbers go into the hash as the 8 bytes of a
 * float64, strings as UTF-8 through a per-column dictionary (a column of 40 000 fills holds one
 * symbol), and the hash is fed column by column as each is built. Only the execution profile (a
 * small nested object of configuration) is written as canonical JSON. A result is a fact, so its
 * digest is computed once and remembered (the `backtest` command asks for it for the report and
 * again for the stored run).
 */
import { createHash, type Hash } from 'node:crypto';
import { canonicalJson } from '../core/canonical.js';
import type { BacktestResult } from './types.js';
import { fromFastClock, unreadRecordColumns, unreadZeroSeries } from './fast-path-result.js';
import { bytesOf, hashColumns, hashTable } from './record-columns.js';

export { hashTable } from './record-columns.js';

/** First bytes hashed: a result digest of another scheme can never collide with this one by layout. */
export const RESULT_DIGEST_SCHEME = 'edgelab result digest v4\n';

/**
 * A series as runs of equal steps: (first value, step, count) triples as float64. A run goes on
 * while `a[i] === a[i - 1] + step` holds exactly, so the series is the runs' values, bit for bit (a
 * regular clock of 1M steps is one triple). −0 is written as 0 and every NaN as the one NaN.
 */
export function stepRuns(a: Float64Array): Float64Array {
  const n = a.length;
  const out: number[] = [];
  let i = 0;
  while (i < n) {
    const first = a[i]!;
    let step = 0;
    let j = i + 1;
    if (j < n) {
      const d = a[j]! - first;
      if (first + d === a[j]!) {
        step = d;
        j = runEnd(a, j + 1, step);
      }
    }
    out.push(canonicalNumber(first), canonicalNumber(step), j - i);
    i = j;
  }
  return Float64Array.from(out);
}

/** The end of a run of equal steps from j: the first index whose value is not the previous plus `step`. */
function runEnd(a: Float64Array, j: number, step: number): number {
  const n = a.length;
  let prev = a[j - 1]!;
  for (; j < n; j++) {
    const v = a[j]!;
    if (prev + step !== v) break;
    prev = v;
  }
  return j;
}

/** A series as runs of equal values: (value, count) pairs as float64. */
export function valueRuns(a: Uint8Array | Uint32Array): Float64Array {
  const out: number[] = [];
  if (a instanceof Uint8Array) pushValueRuns8(a, out);
  else pushValueRuns32(a, out);
  return Float64Array.from(out);
}

// One loop per array type, so each stays monomorphic (a 1M-step run scans two of them).
function pushValueRuns8(a: Uint8Array, out: number[]): void {
  const n = a.length;
  for (let i = 0; i < n; ) {
    const v = a[i]!;
    let j = i + 1;
    while (j < n && a[j] === v) j++;
    out.push(v, j - i);
    i = j;
  }
}

function pushValueRuns32(a: Uint32Array, out: number[]): void {
  const n = a.length;
  for (let i = 0; i < n; ) {
    const v = a[i]!;
    let j = i + 1;
    while (j < n && a[j] === v) j++;
    out.push(v, j - i);
    i = j;
  }
}

/** A model's attribution row without its P&L series (copied key by key, so a lazy series is not built). */
function withoutPnl(m: BacktestResult['models'][number]): object {
  const row: Record<string, unknown> = {};
  for (const key of Object.keys(m)) if (key !== 'pnl') row[key] = (m as unknown as Record<string, unknown>)[key];
  return row;
}

/** The runs of a series known to be `value` at each of `steps` steps (none when steps is 0), or null when not known. */
const zeroOr = (value: 0 | null, steps: number): Float64Array | null => (value === null ? null : steps === 0 ? new Float64Array(0) : Float64Array.of(value, steps));

const canonicalNumber = (v: number): number => (v === 0 ? 0 : v !== v ? NaN : v);

const remembered = new WeakMap<BacktestResult, string>();

export function resultDigest(r: BacktestResult): string {
  const known = remembered.get(r);
  if (known !== undefined) return known;
  const h = createHash('sha256');
  h.update(RESULT_DIGEST_SCHEME);
  const series: [string, number, Float64Array][] = [
    // a fast-path result's runs are remembered per clock (the same bars give the same runs)
    ['ts', r.ts.length, fromFastClock(r, 'step runs', stepRuns) ?? stepRuns(r.ts)],
    ['nav', r.nav.length, r.nav],
    ['mode', r.ts.length, zeroOr(unreadZeroSeries(r, 'mode'), r.ts.length) ?? valueRuns(r.mode)],
    ['breachCount', r.ts.length, zeroOr(unreadZeroSeries(r, 'breachCount'), r.ts.length) ?? valueRuns(r.breachCount)],
  ];
  for (const [name, length, a] of series) {
    h.update(`${name}:${length};`);
    h.update(bytesOf(a));
  }
  h.update(`profile;${canonicalJson(r.profile)};finalMode;${r.finalMode};`);
  // a fast-path result hands over its orders and fills as columns when they were not read as records
  const orders = unreadRecordColumns(r, 'orders');
  if (orders) hashColumns(h, 'orders', orders.rows, orders.fields);
  else hashTable(h, 'orders', r.orders);
  const fills = unreadRecordColumns(r, 'fills');
  if (fills) hashColumns(h, 'fills', fills.rows, fills.fields);
  else hashTable(h, 'fills', r.fills);
  const trades = unreadRecordColumns(r, 'trades');
  if (trades) hashColumns(h, 'trades', trades.rows, trades.fields);
  else hashTable(h, 'trades', r.trades);
  hashTable(h, 'breaches', r.breaches);
  hashTable(h, 'costs', [r.costs]);
  hashTable(h, 'models', r.models.map(withoutPnl));
  hashTable(h, 'assets', r.assets);
  const digest = h.digest('hex');
  remembered.set(r, digest);
  return digest;
}
