/**
 * Funding: cleaning settlement events and aligning them to a bar grid.
 *
 * Cleaning floors each stamp to the hour when it is at most `jitter_ms` after it (exchanges stamp
 * settlements 0–50 ms late; freqtrade's file has 0–19 ms), quarantines NaN and implausible rates,
 * sorts, and drops repeated settlements.
 *
 * Alignment gives each bar `funding_rate` = the sum of rates settled in (bar open, bar close] — the
 * carry a position held through the bar pays (positive rate: longs pay). Point in time: a rate is
 * known at its settlement, which is at or before the close of the bar it lands in. The alignment
 * mode names what happened:
 * - 'aligned': every settlement lands on a bar boundary (or, for bars coarser than the cadence, on
 *   the configured schedule hours);
 * - 'misaligned': some settlements fall inside bars or off schedule (a time-zone error looks like
 *   this: UTC+3 stamps put Binance's 00/08/16 settlements at 03/11/19);
 * - 'partial': fewer settlements than the cadence implies over the bars' span;
 * - 'constant': every rate is the same value (a placeholder series);
 * - 'missing': no settlement overlaps the bars at all;
 * - 'none': not a perpetual swap, so no funding is expected.
 */
import { HOUR } from '../../core/time.js';
import type { DataConfig } from '../../config/sections/data.js';
import type { QuarantinedRow } from './quarantine.js';
import { orderRows, dedupe, gather } from './order.js';

export type FundingMode = 'aligned' | 'misaligned' | 'partial' | 'constant' | 'missing' | 'none';

export interface CleanFunding {
  readonly ts: Float64Array;
  readonly rate: Float64Array;
  readonly quarantined: QuarantinedRow[];
  /** Stamps moved to the hour. */
  readonly floored: number;
  /** Rows earlier than a previous row (sorted into place). */
  readonly reordered: number[];
  /** Median spacing of settlements, ms. */
  readonly cadenceMs: number;
  /** Hours of the schedule grid: the configured interval when the cadence is a multiple of it, else the cadence. */
  readonly scheduleHours: number;
  /** The most common settlement hour modulo `scheduleHours` (UTC). */
  readonly phaseHour: number;
  /** Settlements off that phase or not on a whole hour. */
  readonly offSchedule: number;
  readonly constant: boolean;
}

export function cleanFundingEvents(tsIn: Float64Array, rateIn: Float64Array, cfg: DataConfig): CleanFunding {
  const n = tsIn.length;
  const ts = new Float64Array(n);
  const keep = new Uint8Array(n);
  const quarantined: QuarantinedRow[] = [];
  let floored = 0;
  for (let i = 0; i < n; i++) {
    const t = tsIn[i]!;
    const r = rateIn[i]!;
    const hour = Math.floor(t / HOUR) * HOUR;
    ts[i] = t - hour <= cfg.funding.jitter_ms ? hour : t;
    if (ts[i] !== t) floored++;
    if (!Number.isFinite(t)) quarantined.push({ row: i, line: null, ts: t, reason: 'bad_timestamp', detail: '' });
    else if (!Number.isFinite(r)) quarantined.push({ row: i, line: null, ts: t, reason: 'nan_rate', detail: String(r) });
    else if (Math.abs(r) > cfg.funding.max_abs_rate)
      quarantined.push({ row: i, line: null, ts: t, reason: 'implausible_rate', detail: `${r} (limit ±${cfg.funding.max_abs_rate})` });
    else keep[i] = 1;
  }
  const { order, outOfOrder } = orderRows(ts, keep);
  const { kept, duplicates } = dedupe(ts, order, cfg.clean.duplicates);
  for (const d of duplicates)
    quarantined.push({ row: d.row, line: null, ts: tsIn[d.row]!, reason: 'duplicate_timestamp', detail: `same settlement as row ${d.of + 1}` });
  const outTs = gather(ts, kept);
  const outRate = gather(rateIn, kept);
  const steps: number[] = [];
  for (let i = 1; i < outTs.length; i++) steps.push(outTs[i]! - outTs[i - 1]!);
  steps.sort((a, b) => a - b);
  const cadenceMs = steps.length ? steps[Math.floor((steps.length - 1) / 2)]! : cfg.funding.interval_hours * HOUR;
  const detectedH = Math.max(1, Math.round(cadenceMs / HOUR));
  const cadenceH = detectedH % cfg.funding.interval_hours === 0 ? cfg.funding.interval_hours : detectedH;
  const phaseCounts = new Map<number, number>();
  for (let i = 0; i < outTs.length; i++) {
    const h = Math.floor(outTs[i]! / HOUR) % cadenceH;
    phaseCounts.set(h, (phaseCounts.get(h) ?? 0) + 1);
  }
  let phaseHour = 0;
  let best = -1;
  for (const [h, c] of [...phaseCounts.entries()].sort((a, b) => a[0] - b[0])) if (c > best) [phaseHour, best] = [h, c];
  let offSchedule = 0;
  for (let i = 0; i < outTs.length; i++) {
    const t = outTs[i]!;
    if (t % HOUR !== 0 || Math.floor(t / HOUR) % cadenceH !== phaseHour) offSchedule++;
  }
  let constant = outRate.length >= 3;
  for (let i = 1; i < outRate.length && constant; i++) constant = outRate[i] === outRate[0];
  quarantined.sort((a, b) => a.row - b.row);
  return { ts: outTs, rate: outRate, quarantined, floored, reordered: outOfOrder, cadenceMs, scheduleHours: cadenceH, phaseHour, offSchedule, constant };
}

/** Whether a settlement phase is on the configured schedule (phase_hours are taken modulo the schedule grid). */
export function onSchedule(phaseHour: number, scheduleHours: number, cfg: DataConfig): boolean {
  return cfg.funding.phase_hours.some((h) => h % scheduleHours === phaseHour);
}

export interface FundingAlignment {
  /** Per bar: sum of rates settled in (open, close]. */
  readonly fundingRate: Float64Array;
  readonly mode: FundingMode;
  /** Settlements inside the bars' span. */
  readonly events: number;
  /** Settlements the cadence implies over the bars' span. */
  readonly expected: number;
  /** Settlements that fell strictly inside a bar (bars ≤ cadence) or off schedule. */
  readonly misaligned: number;
  /** Settlements in a gap between bars (their carry has no bar). */
  readonly inGaps: number;
}

/**
 * Align cleaned settlements to bars. `open`/`close` are each bar's start and end (close_ts or
 * open + interval), sorted. Two pointers, O(bars + events).
 */
export function alignFunding(open: Float64Array, close: Float64Array, fund: CleanFunding, cfg: DataConfig): FundingAlignment {
  const n = open.length;
  const fundingRate = new Float64Array(n);
  const ev = fund.ts;
  const first = n ? open[0]! : 0;
  const last = n ? close[n - 1]! : 0;
  let j = 0;
  while (j < ev.length && ev[j]! <= first) j++;
  let events = 0;
  let misaligned = 0;
  let inGaps = 0;
  const barStep = n > 1 ? close[0]! - open[0]! : Infinity;
  const fine = barStep <= fund.cadenceMs;
  const schedOk = onSchedule(fund.phaseHour, fund.scheduleHours, cfg);
  for (let i = 0; i < n && j < ev.length; i++) {
    while (j < ev.length && ev[j]! <= close[i]!) {
      const e = ev[j]!;
      if (e > open[i]!) {
        fundingRate[i] = fundingRate[i]! + fund.rate[j]!;
        events++;
        if ((fine && e !== close[i]) || !schedOk || e % HOUR !== 0) misaligned++;
      } else {
        inGaps++;
        events++;
      }
      j++;
    }
  }
  const span = n ? last - first : 0;
  const expected = Math.floor(span / (fund.scheduleHours * HOUR));
  let mode: FundingMode;
  if (events === 0) mode = 'missing';
  else if (misaligned / events > cfg.funding.max_off_schedule_fraction) mode = 'misaligned';
  else if (expected > 0 && events < expected * (1 - cfg.funding.max_missing_fraction)) mode = 'partial';
  else if (fund.constant) mode = 'constant';
  else mode = 'aligned';
  return { fundingRate, mode, events, expected, misaligned, inGaps };
}

/**
 * The mode of a funding series on its own (no bars): 'misaligned' when its settlement phase is off
 * the configured schedule or too many settlements are off it, 'partial' when settlements are missing
 * beyond `max_missing_fraction`, 'constant' for one repeated value, else 'aligned'.
 */
export function seriesFundingMode(f: CleanFunding, cfg: DataConfig): FundingMode {
  if (f.ts.length === 0) return 'missing';
  const offFrac = f.offSchedule / f.ts.length;
  if (!onSchedule(f.phaseHour, f.scheduleHours, cfg) || offFrac > cfg.funding.max_off_schedule_fraction) return 'misaligned';
  const expected = f.ts.length > 1 ? Math.round((f.ts[f.ts.length - 1]! - f.ts[0]!) / (f.scheduleHours * HOUR)) + 1 : 1;
  if (1 - f.ts.length / expected > cfg.funding.max_missing_fraction) return 'partial';
  return f.constant ? 'constant' : 'aligned';
}
