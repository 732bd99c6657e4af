/**
 * Trader snapshots (docs/backtest-engine.md "Snapshots"): the whole state of a Trader between two
 * events — the broker's account (cash, positions, cost ledger, open and closed trades), its orders
 * (working orders, model stops, the order and fill logs, client ids), the model sleeves, the targets
 * and budgets, the risk mode and peak, each model's `ctx.state`, and the series recorded so far — as
 * plain data. A snapshot restored into a fresh Trader built from the same inputs (in this process,
 * another thread or another process) continues exactly as the original would have: same fills, same
 * result, byte for byte.
 *
 * Models keep everything they remember in `ctx.state` (models/types.ts), which the snapshot copies
 * with the structured-clone algorithm (typed arrays included). `encodeSnapshot` / `decodeSnapshot`
 * turn a snapshot into bytes and back (node:v8 serialisation, the same algorithm); `snapshotDigest`
 * is a stable sha256: typed arrays hashed as their bytes, everything else as canonical JSON.
 */
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { InvariantError, UserError } from '../core/errors.js';
import { canonicalJson } from '../core/canonical.js';
import type { OpenTrade } from '../backtest/engine-trades.js';
import type { TradeRecord } from '../backtest/types.js';
import type { FillRecord, OrderRecord } from '../execution/types.js';
import type { RiskBreach } from '../risk/types.js';
import type { Series } from '../backtest/engine-assemble.js';
import type { Trader, TraderProgress } from './trader.js';

export const SNAPSHOT_FORMAT = 1;

export interface TraderSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  /** What run this is: symbols with their data digests, models with versions, first and last recorded steps. */
  readonly run: string;
  readonly progress: TraderProgress;
  readonly warm: Uint8Array;
  readonly mark: Float64Array;
  readonly series: Series;
  readonly modelState: readonly Record<string, unknown>[];
  readonly account: {
    readonly cash: number;
    readonly totals: readonly number[];
    readonly byAsset: readonly Float64Array[];
    readonly position: Float64Array;
    readonly trades: { readonly open: readonly (OpenTrade | null)[]; readonly closed: readonly TradeRecord[] };
  };
  readonly broker: {
    readonly version: number;
    readonly now: number;
    readonly orders: readonly OrderRecord[];
    readonly fills: readonly FillRecord[];
    readonly clientIds: readonly (readonly [string, number])[];
    readonly barIndex: Int32Array;
    readonly hasOrders: Uint8Array;
    readonly workingKind: Uint8Array;
    readonly workingQty: Float64Array;
    readonly workingLevel: Float64Array;
    readonly workingPlacedAt: Float64Array;
    /** Order id of each working order / model stop (0: none). */
    readonly workingOrderId: Int32Array;
    readonly stopLevel: Float64Array;
    readonly stopPlacedAt: Float64Array;
    readonly stopOrderId: Int32Array;
  };
  readonly sleeves: { readonly arrays: readonly Float64Array[]; readonly stopFired: boolean };
  readonly targets: { readonly arrays: readonly Float64Array[]; readonly changed: Uint8Array; readonly version: number; readonly breaches: readonly RiskBreach[] };
}

/** The identity of a Trader's run: a snapshot restores only into a Trader of the same run. */
function runKey(trader: Trader): string {
  const { input, prep } = trader;
  return canonicalJson({
    symbols: input.symbols.map((s) => [s.symbol, s.digest]),
    models: input.models.map((m) => [m.model.name, m.model.version, m.budget]),
    steps: [prep.kStart, prep.kEnd],
  });
}

const sleeveArrays = (t: Trader): Float64Array[] => {
  const s = t.sleeves;
  return [s.weight, s.scaledContribution, s.targetQty, s.qty, s.cash, s.fees, s.slippage, s.impact, s.funding, s.borrow, s.decisions];
};
const targetArrays = (t: Trader): Float64Array[] => {
  const g = t.targets;
  return [g.budget, g.limitHint, g.contribution, g.netted, g.current, g.target, g.previousTarget];
};
const accountArrays = (t: Trader): Float64Array[] => {
  const a = t.broker.account;
  return [a.cashByAsset, a.feesByAsset, a.slippageByAsset, a.impactByAsset, a.fundingByAsset, a.borrowByAsset, a.tradedByAsset];
};

/** The Trader's state now (a deep copy: the Trader may go on stepping). */
export function snapshotTrader(trader: Trader): TraderSnapshot {
  recordsSeries(trader);
  const b = trader.broker;
  const a = b.account;
  return structuredClone({
    format: SNAPSHOT_FORMAT,
    run: runKey(trader),
    progress: trader.progress,
    warm: trader.warm,
    mark: trader.mark,
    series: trader.series,
    modelState: trader.contexts.map((c) => c.state),
    account: {
      cash: a.cash,
      totals: [a.fees, a.slippage, a.impact, a.fundingPaid, a.borrowPaid, a.traded],
      byAsset: accountArrays(trader),
      position: a.position,
      trades: a.trades.exportState(),
    },
    broker: {
      version: b.version,
      now: b.now,
      orders: b.orders,
      fills: b.fills,
      clientIds: b.clientIdEntries(),
      barIndex: b.barIndex,
      hasOrders: b.hasOrders,
      workingKind: b.workingKind,
      workingQty: b.workingQty,
      workingLevel: b.workingLevel,
      workingPlacedAt: b.workingPlacedAt,
      workingOrderId: b.workingOrderId,
      stopLevel: b.stopLevel,
      stopPlacedAt: b.stopPlacedAt,
      stopOrderId: b.stopOrderId,
    },
    sleeves: { arrays: sleeveArrays(trader), stopFired: trader.sleeves.stopFired },
    targets: { arrays: targetArrays(trader), changed: trader.targets.changed, version: trader.targets.version, breaches: trader.targets.breaches },
  } satisfies TraderSnapshot);
}

/** Snapshots copy the series as written at every step: a Trader that derives them (StepRecording 'log' or 'none') has none to copy. */
function recordsSeries(trader: Trader): void {
  if (trader.recording !== 'series') throw new InvariantError(`a snapshot needs a Trader that records every series at every step, not '${trader.recording}'`);
}

const copyInto = (to: readonly (Float64Array | Int32Array | Uint8Array)[], from: readonly (Float64Array | Int32Array | Uint8Array)[]): void => {
  to.forEach((arr, i) => arr.set(from[i]!));
};

/**
 * Put a snapshot's state into `trader`, a Trader just built from the same inputs (nothing stepped).
 * Throws a UserError when the snapshot is of another run or format.
 */
export function restoreTrader(trader: Trader, snapshot: TraderSnapshot): void {
  recordsSeries(trader);
  if (snapshot.format !== SNAPSHOT_FORMAT) throw new UserError(`snapshot format ${String(snapshot.format)} is not ${SNAPSHOT_FORMAT}`, 'snapshot');
  const key = runKey(trader);
  if (snapshot.run !== key) throw new UserError(`the snapshot is of another run (${snapshot.run}), not of ${key}`, 'snapshot');
  const s = structuredClone(snapshot);
  Object.assign(trader.progress, s.progress);
  trader.warm.set(s.warm);
  trader.mark.set(s.mark);
  const sr = trader.series;
  sr.breachCount.set(s.series.breachCount);
  copyInto([sr.ts, sr.navA, sr.cashA, sr.grossA, sr.netA, sr.ddA, sr.modeA, ...sr.pnlM], [
    s.series.ts, s.series.navA, s.series.cashA, s.series.grossA, s.series.netA, s.series.ddA, s.series.modeA, ...s.series.pnlM,
  ]);
  trader.contexts.forEach((c, m) => Object.assign(c.state, s.modelState[m]));
  // The regime the budgets were set for: the lookup at the last recorded step (the step loop compares by identity).
  const last = s.progress.lastStep;
  trader.lastRegime = last >= trader.prep.kStart ? trader.input.regimeAt(trader.prep.clock.times[last]! + trader.prep.clock.offset) : null;
  const a = trader.broker.account;
  a.cash = s.account.cash;
  [a.fees, a.slippage, a.impact, a.fundingPaid, a.borrowPaid, a.traded] = s.account.totals as [number, number, number, number, number, number];
  copyInto(accountArrays(trader), s.account.byAsset);
  a.position.set(s.account.position);
  a.changes++;
  a.trades.importState(s.account.trades);
  trader.broker.restoreOrders(s.broker);
  copyInto(sleeveArrays(trader), s.sleeves.arrays);
  trader.sleeves.stopFired = s.sleeves.stopFired;
  copyInto(targetArrays(trader), s.targets.arrays);
  trader.targets.changed.set(s.targets.changed);
  trader.targets.version = s.targets.version;
  trader.targets.breaches.splice(0, trader.targets.breaches.length, ...s.targets.breaches);
}

/** Stable digest of a snapshot: typed arrays as bytes (with their path and length), the rest as canonical JSON. */
export function snapshotDigest(snapshot: TraderSnapshot): string {
  const h = createHash('sha256');
  const rest = (v: unknown, path: string): unknown => {
    if (ArrayBuffer.isView(v)) {
      h.update(`${path}:${v.byteLength};`);
      h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return `<bytes ${path}>`;
    }
    if (Array.isArray(v)) return v.map((x, i) => rest(x, `${path}[${i}]`));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = rest((v as Record<string, unknown>)[k], `${path}.${k}`);
      return out;
    }
    return v;
  };
  const json = canonicalJson(rest(snapshot, ''));
  h.update(json);
  return h.digest('hex');
}

export const encodeSnapshot = (snapshot: TraderSnapshot): Buffer => serialize(snapshot);
export const decodeSnapshot = (bytes: Uint8Array): TraderSnapshot => deserialize(bytes) as TraderSnapshot;
