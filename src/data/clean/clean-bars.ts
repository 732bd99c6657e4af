/**
 * Clean bars (or trades) into canonical bars at each target interval: sanity checks, ordering,
 * de-duplication, resampling (session-aware for equities), funding carry and open interest.
 * Pure: tables in, tables and quarantined rows out.
 */
import type { AssetClass, Column, ColumnTable } from '../../core/table.js';
import { DAY, intervalMs, shortUtc, type Interval } from '../../core/time.js';
import type { DataConfig } from '../../config/sections/data.js';
import { BAR_REASONS, checkBars } from './sanity.js';
import { orderRows, dedupe } from './order.js';
import { bucketStarts, bucketEnd, gridFor, nextMonthStart, type Grid } from './buckets.js';
import { resampleBars } from './resample.js';
import { tradesToBars } from './trades.js';
import { SESSION_CLASSES, detectSession, tradesWeekdaysOnly, weekdaysInDayRange, type SessionTimes } from './calendar.js';
import { alignFunding, type CleanFunding, type FundingMode } from './funding.js';
import { forwardFillOpenInterest, asOfJoin } from './open-interest.js';
import type { QuarantinedRow, QuarantineReason } from './quarantine.js';
import { findGaps } from './gaps.js';
import { calendarFor } from './calendar-choice.js';

export interface CleanBarsInput {
  readonly kind: 'bars' | 'trades';
  readonly table: ColumnTable;
  readonly interval: Interval | undefined;
  readonly medianStepMs: number;
  readonly assetClass: AssetClass;
}

export interface CleanBarsOutput {
  readonly interval: Interval;
  readonly table: ColumnTable;
  readonly fundingMode: FundingMode;
  readonly session?: SessionTimes;
  readonly facts: Record<string, string | number>;
}

export interface CleanBarsResult {
  readonly outputs: CleanBarsOutput[];
  readonly quarantined: QuarantinedRow[];
  readonly inputRows: number;
  readonly reordered: number[];
}

const f64 = (t: ColumnTable, k: string): Float64Array => {
  const c = t.columns[k];
  return c instanceof Float64Array ? c : new Float64Array(t.length);
};

function gatherTable(t: ColumnTable, rows: Int32Array): ColumnTable {
  const columns: Record<string, Column> = {};
  for (const [k, c] of Object.entries(t.columns)) {
    if (c instanceof Float64Array) {
      const out = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = c[rows[i]!]!;
      columns[k] = out;
    } else columns[k] = Array.from(rows, (r) => c[r]!);
  }
  return { length: rows.length, columns };
}

function checkTrades(ts: Float64Array, price: Float64Array, amount: Float64Array): (QuarantineReason | null)[] {
  const out: (QuarantineReason | null)[] = new Array(ts.length).fill(null);
  for (let i = 0; i < ts.length; i++) {
    const p = price[i]!;
    const a = amount[i]!;
    if (!Number.isFinite(ts[i]!)) out[i] = 'bad_timestamp';
    else if (!Number.isFinite(p)) out[i] = 'nan_price';
    else if (p <= 0) out[i] = 'non_positive_price';
    else if (Number.isNaN(a)) out[i] = 'nan_volume';
    else if (a < 0) out[i] = 'negative_amount';
  }
  return out;
}

export function cleanBars(
  input: CleanBarsInput,
  targets: readonly Interval[],
  cfg: DataConfig,
  funding?: CleanFunding,
  openInterest?: { readonly ts: Float64Array; readonly value: Float64Array },
): CleanBarsResult {
  const t = input.table;
  const ts = f64(t, 'ts');
  const n = t.length;
  const quarantined: QuarantinedRow[] = [];
  const keep = new Uint8Array(n);
  if (input.kind === 'bars') {
    const codes = checkBars(ts, f64(t, 'open'), f64(t, 'high'), f64(t, 'low'), f64(t, 'close'), f64(t, 'volume'));
    const o = f64(t, 'open'), h = f64(t, 'high'), l = f64(t, 'low'), c = f64(t, 'close'), v = f64(t, 'volume');
    for (let i = 0; i < n; i++) {
      if (codes[i] === 0) keep[i] = 1;
      else quarantined.push({ row: i, line: null, ts: ts[i]!, reason: BAR_REASONS[codes[i]! - 1]!, detail: `o=${o[i]} h=${h[i]} l=${l[i]} c=${c[i]} v=${v[i]}` });
    }
  } else {
    const reasons = checkTrades(ts, f64(t, 'price'), f64(t, 'amount'));
    for (let i = 0; i < n; i++) {
      if (reasons[i] === null) keep[i] = 1;
      else quarantined.push({ row: i, line: null, ts: ts[i]!, reason: reasons[i]!, detail: `price=${f64(t, 'price')[i]} amount=${f64(t, 'amount')[i]}` });
    }
  }
  let { order, outOfOrder } = orderRows(ts, keep);
  if (outOfOrder.length && cfg.clean.out_of_order === 'quarantine') {
    for (const r of outOfOrder) {
      keep[r] = 0;
      quarantined.push({ row: r, line: null, ts: ts[r]!, reason: 'out_of_order', detail: 'earlier than a previous row' });
    }
    order = orderRows(ts, keep).order;
  }
  let rows = order;
  if (input.kind === 'bars') {
    const d = dedupe(ts, order, cfg.clean.duplicates);
    rows = d.kept;
    const close = f64(t, 'close');
    for (const dup of d.duplicates) {
      const same = close[dup.row] === close[dup.of];
      quarantined.push({
        row: dup.row,
        line: null,
        ts: ts[dup.row]!,
        reason: 'duplicate_timestamp',
        detail: `${same ? 'same close as' : `close ${close[dup.row]} differs from ${close[dup.of]} in`} row ${dup.of + 1} (kept)`,
      });
    }
  }
  quarantined.sort((a, b) => a.row - b.row);
  const sorted = gatherTable(t, rows);
  const sts = f64(sorted, 'ts');
  const sourceStep = input.interval ? intervalMs(input.interval) : input.medianStepMs;
  const sessionLike = input.kind === 'bars' && (SESSION_CLASSES.has(input.assetClass) || tradesWeekdaysOnly(sts)) && sourceStep < DAY;
  const session = sessionLike && sts.length ? detectSession(sts, sourceStep) : undefined;

  const sourceFacts: Record<string, string | number> = {};
  if (input.kind === 'bars' && input.interval && sts.length > 1) {
    const g = findGaps(sts, calendarFor(sts, input.interval, input.assetClass, cfg.readiness.session_gap_weekdays, session));
    sourceFacts[`source gaps (${input.interval})`] = g.gaps.length;
    if (g.longest) sourceFacts[`source longest gap (${input.interval} bars)`] = `${g.longest.missing} after ${shortUtc(g.longest.after)}`;
  }
  const outputs: CleanBarsOutput[] = [];
  let finest: { interval: Interval; table: ColumnTable } | undefined;
  for (const target of targets) {
    const facts: Record<string, string | number> = { ...sourceFacts };
    const grid: Grid = session
      ? target === '1d'
        ? { kind: 'session-day', closeOffset: session.closeOffset }
        : intervalMs(target) < DAY
          ? { kind: 'session', step: intervalMs(target), openOffset: session.openOffset, closeOffset: session.closeOffset }
          : gridFor(target)
      : gridFor(target);
    let table: ColumnTable;
    if (input.kind === 'trades') {
      if (!finest) {
        table = tradesToBars(sts, f64(sorted, 'price'), f64(sorted, 'amount'), Array.isArray(sorted.columns['side']) ? (sorted.columns['side'] as string[]) : undefined, grid);
        finest = { interval: target, table };
      } else table = resampleBars(finest.table, bucketStarts(grid, f64(finest.table, 'ts'))).table;
      facts['source'] = `${sorted.length} trades`;
    } else {
      const { table: res, counts } = resampleBars(sorted, bucketStarts(grid, sts));
      table = res;
      // Source bars a full bucket holds: weekdays for weekday daily sources, else length / step.
      const weekdaySource = input.interval === '1d' && (SESSION_CLASSES.has(input.assetClass) || tradesWeekdaysOnly(sts));
      const rts = f64(table, 'ts');
      const endOf = (k: number): number => (grid.kind === 'month' ? nextMonthStart(rts[k]!) : bucketEnd(grid, rts[k]!));
      const expectedAt = (k: number): number =>
        !input.interval || grid.kind === 'session-day'
          ? 0
          : weekdaySource
            ? weekdaysInDayRange(Math.floor(rts[k]! / DAY), Math.floor(endOf(k) / DAY) - 1)
            : Math.round((endOf(k) - rts[k]!) / sourceStep);
      if (counts.length && expectedAt(0) > 1) {
        if (counts[0]! < expectedAt(0)) facts['partial first bar'] = `${shortUtc(rts[0]!)} (${counts[0]} of ${expectedAt(0)} source bars)`;
        const k = counts.length - 1;
        if (k > 0 && counts[k]! < expectedAt(k)) facts['partial last bar'] = `${shortUtc(rts[k]!)} (${counts[k]} of ${expectedAt(k)} source bars)`;
        let incomplete = 0;
        for (let i = 1; i < k; i++) if (counts[i]! < expectedAt(i)) incomplete++;
        if (incomplete) facts['incomplete bars'] = incomplete;
      }
      facts['source'] = `${sorted.length} bars${input.interval ? ` of ${input.interval}` : ''}`;
    }
    const barTs = f64(table, 'ts');
    const ends = new Float64Array(table.length);
    for (let i = 0; i < table.length; i++) ends[i] = grid.kind === 'month' ? nextMonthStart(barTs[i]!) : bucketEnd(grid, barTs[i]!);
    let columns: Record<string, Column> = { ...table.columns };
    if (grid.kind === 'session' || grid.kind === 'session-day') {
      columns['close_ts'] = ends;
      facts['session'] = `bars aligned to the session open; close_ts marks each bar's end`;
    }
    let fundingMode: FundingMode = input.assetClass === 'crypto_perp' ? 'missing' : 'none';
    if (funding) {
      const a = alignFunding(barTs, ends, funding, cfg);
      columns['funding_rate'] = a.fundingRate;
      fundingMode = a.mode;
      facts['funding settlements'] = `${a.events} of ${a.expected} expected${a.misaligned ? `, ${a.misaligned} misaligned` : ''}${a.inGaps ? `, ${a.inGaps} in bar gaps` : ''}`;
    }
    if (openInterest) {
      columns['open_interest'] = asOfJoin(ends, openInterest.ts, openInterest.value, cfg.clean.oi_max_staleness_bars * intervalMs(target));
      facts['open interest'] = 'as of each bar close (last observation at or before it)';
    } else if (columns['open_interest'] instanceof Float64Array) {
      const ff = forwardFillOpenInterest(columns['open_interest'], cfg.clean.oi_max_staleness_bars);
      columns = { ...columns, open_interest: ff.values };
      if (ff.filled || ff.leading) facts['open interest'] = `${ff.filled} bars forward-filled, ${ff.leading} leading bars NaN`;
    }
    outputs.push({ interval: target, table: { length: table.length, columns }, fundingMode, ...(session ? { session } : {}), facts });
  }
  return { outputs, quarantined, inputRows: n, reordered: outOfOrder };
}
