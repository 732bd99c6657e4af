/**
 * Macro series linked to the regime path.
 *
 * Curve slope (10Y − 2Y, percentage points), each weekday d, known at 21:00 UTC:
 *   y_d = y_{d−1} + κ (θ(S_d) − y_{d−1}) + σ n_d,  κ = 1/60, σ = 0.035, y_0 = 1.2  (rounded to 0.01)
 * PMI-like index for month m, released on the first weekday of month m + 1 at 14:00 UTC:
 *   P_m = 50 + φ (P_{m−1} − 50) + (1 − φ) τ̄_m + σ n_m,  φ = 0.6, σ = 1.2, P_{−1} = 50 + τ̄_0
 * where τ̄_m is the month's average regime target (bull +4.5, bear −5, choppy +0.5, crash −9;
 * rounded to 0.1). Inversions and PMI < 50 therefore cluster in bear and crash spells.
 * Streams: synthetic/macro/curve_slope, synthetic/macro/pmi.
 */
import type { RngFactory, SyntheticTable } from './types.js';
import { DAY, HOUR } from '../../core/time.js';
import { MACRO_REGIME } from './params.js';
import { firstWeekdayFrom, monthStart, nextMonthStart, weekdays } from './calendar.js';
import { encodeRuns } from './rle.js';

/** Regime code of a UTC day (clamped to the path). */
type RegimeOf = (ms: number) => number;

export function macroTables(
  rngFactory: RngFactory,
  fromMs: number,
  toMs: number,
  regimeOf: RegimeOf,
): SyntheticTable[] {
  // Curve slope.
  const days = weekdays(fromMs, toMs);
  const rc = rngFactory('synthetic/macro/curve_slope');
  const cts = new Float64Array(days.length);
  const cval = new Float64Array(days.length);
  const ccodes = new Uint8Array(days.length);
  let y = 1.2;
  for (let i = 0; i < days.length; i++) {
    const s = regimeOf(days[i]!);
    y += (MACRO_REGIME.curveTarget[s]! - y) / 60 + 0.035 * rc.normal();
    cts[i] = days[i]! + 21 * HOUR;
    cval[i] = Math.round(y * 100) / 100;
    ccodes[i] = regimeOf(cts[i]!);
  }
  // PMI: one value per complete month whose release falls before the end.
  const rp = rngFactory('synthetic/macro/pmi');
  const pts: number[] = [];
  const pval: number[] = [];
  const pcodes: number[] = [];
  let prev = Number.NaN;
  for (let m = monthStart(fromMs); ; m = nextMonthStart(m)) {
    const next = nextMonthStart(m);
    const release = firstWeekdayFrom(next) + 14 * HOUR;
    if (release >= toMs) break;
    let sum = 0;
    let count = 0;
    for (let d = m; d < next; d += DAY) {
      sum += MACRO_REGIME.pmiTarget[regimeOf(d)]!;
      count++;
    }
    const target = sum / count;
    if (Number.isNaN(prev)) prev = 50 + target;
    const p = 50 + 0.6 * (prev - 50) + 0.4 * target + 1.2 * rp.normal();
    prev = p;
    pts.push(release);
    pval.push(Math.round(p * 10) / 10);
    pcodes.push(regimeOf(release));
  }
  return [
    {
      name: 'MACRO:curve_slope',
      kind: 'series',
      assetClass: 'macro',
      table: { length: days.length, columns: { ts: cts, value: cval } },
      regimeRuns: encodeRuns(ccodes),
      edges: [],
      events: {},
      notes: { value: '10Y − 2Y yield spread in percentage points', ts: 'when known: 21:00 UTC of each weekday' },
    },
    {
      name: 'MACRO:pmi',
      kind: 'series',
      assetClass: 'macro',
      table: { length: pts.length, columns: { ts: Float64Array.from(pts), value: Float64Array.from(pval) } },
      regimeRuns: encodeRuns(pcodes),
      edges: [],
      events: {},
      notes: {
        value: 'PMI-like diffusion index (50 = no change) for the previous calendar month',
        ts: 'release: first weekday of the next month, 14:00 UTC',
      },
    },
  ];
}
