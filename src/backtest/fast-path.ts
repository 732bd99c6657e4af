/**
 * The single-asset fast path (docs/backtest-engine.md "Fast path"): one model with a vectorised
 * signal (`Model.targetsVector`) on one symbol, simulated in one loop over preallocated typed
 * arrays with the event engine's execution rules, so the result is the one `runBacktest` gives,
 * number for number (test/backtest/fast-path*.test.ts checks that, digests included).
 *
 * Per bar (= per step: one symbol's closes are the clock): the pending market order fills at this
 * bar's open, funding settles at its close, NAV and drawdown are marked at the close; where the
 * side changes the model "decides" (weight = side × sizeWeight at this close and NAV), targets go
 * through the risk limits, and the order to target is sent (filled next open, or at once with
 * `same_close`); drift beyond the rebalance band re-sends it; then the step is recorded. No
 * allocation per bar except on orders and fills.
 *
 * It only covers what keeps the risk engine out of the way. When a limit would bind or the risk
 * mode would leave NORMAL (drawdown modes, kill switch), it stops and says why; the caller then runs
 * the event engine (fast-path-select.ts).
 */
import { throwIfAborted } from '../core/errors.js';
import { isoUtc } from '../core/time.js';
import { roundToLot } from '../execution/lots.js';
import { sizeWeight } from '../models/lib/sizing.js';
import type { Model } from '../models/types.js';
import { applyRiskLimits } from '../risk/limits.js';
import { nextRiskMode } from '../risk/mode.js';
import { MODE_NORMAL } from '../risk/types.js';
import type { SignalTrace } from './probes.js';
import { assemble } from './engine-assemble.js';
import { prepareRun } from './engine-setup.js';
import { FastBook } from './fast-path-book.js';
import type { BacktestInput, BacktestResult } from './types.js';

/** The model to run on the fast path, and what the probes' trace wrapper would have done. */
export interface FastModel {
  /** The model as built: it must have `targetsVector`. */
  readonly model: Model;
  /** Warm-up in bars (a warm-up probe overrides the model's). */
  readonly warmupBars: number;
  /** Filled like probes.ts `traceModel` fills it: one entry per decide call. */
  readonly trace?: SignalTrace;
  /** The trace records weight signs only. */
  readonly signsOnly?: boolean;
}

export type FastOutcome = { readonly ok: true; readonly result: BacktestResult } | { readonly ok: false; readonly reason: string };

const stop = (reason: string): FastOutcome => ({ ok: false, reason });

export function runFastPath(input: BacktestInput, fm: FastModel): FastOutcome {
  const cfg = input.config;
  const prep = prepareRun(input);
  const { kStart, kEnd } = prep;
  const d = prep.data[0]!;
  const lc = prep.limitContext;
  const limits = lc.limits;
  const B = prep.budgets.base[0]!;
  for (const r of prep.budgets.regimes) {
    if (r.budgets[0] !== B) return stop(`regime budget ${r.key} changes the model's budget`);
  }
  if (!fm.model.targetsVector) return stop(`model '${fm.model.name}' has no vectorised signal`);
  const tv = fm.model.targetsVector(input.symbols[0]!.bars.columns);
  const side = tv.side;
  const sizing = tv.sizing;
  if (side.length < d.n) return stop(`the signal has ${side.length} rows for ${d.n} bars`);

  const book = new FastBook(d, input.symbols[0]!.assetClass, prep.rates[0]!, prep.lots[0]!, cfg.execution.adv_days, cfg.initial_capital);
  const lot = book.lot;
  const sameClose = cfg.execution.fill === 'same_close';
  const band = cfg.execution.rebalance_band;
  const funding = cfg.execution.funding ? d.funding : null;
  const raw = new Float64Array(1);
  const current = new Float64Array(1);
  const target = new Float64Array(1);

  const steps = kEnd - kStart + 1;
  const tsA = new Float64Array(steps);
  const navA = new Float64Array(steps);
  const cashA = new Float64Array(steps);
  const grossA = new Float64Array(steps);
  const netA = new Float64Array(steps);
  const ddA = new Float64Array(steps);
  const pnl = new Float64Array(steps);

  const times = prep.clock.times;
  const offset = prep.clock.offset;
  const barTs = d.ts;
  const open = d.open;
  const close = d.close;
  const initialCapital = cfg.initial_capital;
  const warmNeed = Math.max(1, Math.floor(fm.warmupBars));
  const k0 = Math.max(kStart, warmNeed - 1);
  const trace = fm.trace;
  const tT = trace?.t as number[] | undefined;
  const tK = trace?.k as string[] | undefined;
  const tS = trace?.s as string[] | undefined;
  const signs = fm.signsOnly ?? false;
  // Decisions for the trace (bar, key, direction key); the trace itself is written after the loop.
  const decK: number[] = [];
  const decKey: string[] = [];
  const decDir: string[] = [];

  const checkEvery = Math.max(1, input.checkEvery ?? 65536);
  let nextCheck = Math.ceil(kStart / checkEvery) * checkEvery;
  const signal = input.signal;
  const onProgress = input.onProgress;

  let cash = book.cash;
  let q = 0;
  let mark = NaN;
  let peak = initialCapital;
  let lastSide = NaN;
  let cs = 0;
  let prevTarget = 0;
  let tgt = 0;
  let changed = false;
  let pending = false;

  for (let k = kStart; k <= kEnd; k++) {
    const t = times[k]! + offset;
    if (k === nextCheck) {
      nextCheck += checkEvery;
      throwIfAborted(signal);
      if (onProgress) onProgress({ step: k - kStart, steps, t });
    }
    // 1. bar k closes at t: the pending order fills at its open, funding settles at its close
    if (pending && book.pendingPlaced <= barTs[k]!) {
      const o = book.pending!;
      book.pending = null;
      pending = false;
      book.cash = cash;
      book.execute(o, book.pendingQty, open[k]!, barTs[k]!, k);
      cash = book.cash;
      q = book.q[0]!;
    }
    mark = close[k]!;
    if (funding !== null && q !== 0) {
      book.cash = cash;
      book.onFunding(funding[k]!, mark);
      cash = book.cash;
    }
    // 2. NAV, drawdown, risk mode (must stay NORMAL)
    const pos = q !== 0 ? q * mark : 0;
    const nav = cash + pos;
    if (nav > peak) peak = nav;
    const dd = peak > 0 ? 1 - nav / peak : 0;
    if (nextRiskMode(MODE_NORMAL, dd, t, limits) !== MODE_NORMAL) {
      return stop(t >= limits.killAt ? `the kill switch fires at ${isoUtc(t)}` : `the drawdown reaches ${dd.toFixed(4)} at ${isoUtc(t)} (risk mode leaves NORMAL)`);
    }
    const r = k - kStart;
    // 3. the model decides where its side changes; 4. targets
    if (k >= k0) {
      const sd = side[k]!;
      if (sd === sd && sd !== lastSide) {
        lastSide = sd;
        const w = sd === 0 ? 0 : sd * sizeWeight(sizing, mark, B * nav);
        if (!Number.isFinite(w)) return stop(`weight ${w} at ${isoUtc(t)}`);
        book.decisionsM[0]!++;
        if (tK) {
          decK.push(k);
          decKey.push(String((signs ? Math.sign(w) : w) + 0));
          decDir.push(String(Math.sign(w) + 0));
        }
        const c = B * w;
        raw[0] = 0;
        raw[0] += c;
        current[0] = nav > 0 && q !== 0 ? (q * mark) / nav : 0;
        applyRiskLimits(lc, raw, current, MODE_NORMAL, false, t, r, target, book.breaches);
        if (book.breaches.length > 0) return stop(`risk limit ${book.breaches[0]!.kind} binds at ${isoUtc(t)}`);
        tgt = target[0]!;
        const rw = raw[0]!;
        const f = rw !== 0 ? tgt / rw : 1;
        if (Math.abs(tgt - prevTarget) > 1e-12) changed = true;
        prevTarget = tgt;
        cs = c * f;
        book.refresh(cs, nav, mark);
      }
    }
    // 5. orders: to target when it changed, else when the weight drifted beyond the band
    if ((tgt !== 0 || q !== 0 || pending) && nav > 0) {
      let send = changed;
      if (!changed && band !== Infinity) {
        const dv = tgt - (q * mark) / nav;
        if (!(dv <= band && dv >= -band) && !pending) {
          book.refresh(cs, nav, mark);
          send = true;
        }
      }
      if (send) {
        changed = false;
        const qty = roundToLot((tgt * nav) / mark - q, mark, lot);
        book.cancelPending(t);
        pending = false;
        if (qty !== 0) {
          const o = book.order(qty, t);
          if (sameClose) {
            book.cash = cash;
            book.execute(o, qty, mark, t, k);
            cash = book.cash;
            q = book.q[0]!;
          } else {
            book.pending = o;
            book.pendingQty = qty;
            book.pendingPlaced = t;
            pending = true;
          }
        }
      }
    }
    // 6. record
    const pos2 = q !== 0 ? q * mark : 0;
    const nav2 = cash + pos2;
    if (nav2 > peak) peak = nav2;
    tsA[r] = t;
    navA[r] = nav2;
    cashA[r] = cash;
    grossA[r] = nav2 > 0 ? (pos2 < 0 ? -pos2 : pos2) / nav2 : 0;
    netA[r] = nav2 > 0 ? pos2 / nav2 : 0;
    ddA[r] = peak > 0 ? 1 - nav2 / peak : 0;
    pnl[r] = nav2 - initialCapital;
  }
  if (tT && tK && k0 <= kEnd) fillTrace(tT, tK, tS, times, offset, k0, kEnd, decK, decKey, decDir);
  throwIfAborted(signal);
  if (onProgress) onProgress({ step: steps, steps, t: times[kEnd]! + offset });
  book.cash = cash;
  book.mark[0] = mark;
  const result = assemble(
    input,
    book,
    { ts: tsA, navA, cashA, grossA, netA, ddA, modeA: new Uint8Array(steps), breachCount: new Uint32Array(steps), pnlM: [pnl] },
    MODE_NORMAL,
  );
  return { ok: true, result };
}

/**
 * What probes.ts `traceModel` records, one entry per decide call (bars k0..kEnd): the decision time
 * and the effective weights key (and direction key), which only change at decisions. Written in
 * bulk: the arrays are sized once and the keys filled per run of equal values (pushing 3 × 1M
 * entries one by one cost more than the whole simulation).
 */
function fillTrace(
  tT: number[], tK: string[], tS: string[] | undefined, times: Float64Array, offset: number, k0: number, kEnd: number,
  decK: readonly number[], decKey: readonly string[], decDir: readonly string[],
): void {
  const base = tT.length;
  const m = kEnd - k0 + 1;
  tT.length = base + m;
  for (let k = k0; k <= kEnd; k++) tT[base + k - k0] = times[k]! + offset;
  // probes.ts keyOf({}) before the first decision
  const fill = (arr: string[], keys: readonly string[]): void => {
    const from = arr.length;
    arr.length = from + m;
    let at = from;
    let key = '0';
    for (let i = 0; i < decK.length; i++) {
      const to = from + decK[i]! - k0;
      arr.fill(key, at, to);
      at = to;
      key = keys[i]!;
    }
    arr.fill(key, at, from + m);
  };
  fill(tK, decKey);
  if (tS) fill(tS, decDir);
}
