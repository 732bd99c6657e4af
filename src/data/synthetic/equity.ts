/**
 * US ETFs on weekdays: 14 segments per day — the overnight gap (variance of OVERNIGHT_STEPS
 * steps) and 13 half-hour session steps (14:30–21:00 UTC). Each segment's log return is
 *
 *   r = β μ(S)·w + β g + e,   w = 4/17 (overnight) or 1/17 (a step),
 *
 * with g the common equity factor and e the ETF's own GARCH-t shock. The two session bars are
 * the steps 14:30–18:30 (8) and 18:30–21:00 (5) with step high/low from the Brownian bridge
 * (intrabar.ts); the daily bar is the exact aggregation of its two session bars.
 * Streams: synthetic/equity/factor and synthetic/equity/<SYMBOL>/{shock, intrabar, flow}.
 */
import type { EdgeId, PlantedEdge, RngFactory, SyntheticTable } from './types.js';
import { garchPath, type GarchPath } from './garch-path.js';
import { bridgeExcursions } from './intrabar.js';
import { EQUITY_FACTOR_VOL, EQUITY_GARCH, EQUITY_REGIME, OVERNIGHT_STEPS, type EquityProfile } from './params.js';
import { SESSION_CLOSE, SESSION_OPEN, SESSION_SPLIT, STEPS_FIRST, STEPS_PER_SESSION } from './calendar.js';
import { reversalSign } from './triggers/equity-reversal.js';
import { encodeRuns } from './rle.js';

export const SEGMENTS = STEPS_PER_SESSION + 1;
const TOTAL_WEIGHT = OVERNIGHT_STEPS + STEPS_PER_SESSION;

/** Per-segment volatility scale: the overnight segment carries OVERNIGHT_STEPS steps of variance. */
function segmentScale(nDays: number, base: number): Float64Array {
  const out = new Float64Array(nDays * SEGMENTS);
  for (let k = 0; k < out.length; k++) out[k] = k % SEGMENTS === 0 ? base * Math.sqrt(OVERNIGHT_STEPS) : base;
  return out;
}

export function segmentRegimes(regimeOfDay: Uint8Array): Uint8Array {
  const out = new Uint8Array(regimeOfDay.length * SEGMENTS);
  for (let i = 0; i < regimeOfDay.length; i++) out.fill(regimeOfDay[i]!, i * SEGMENTS, (i + 1) * SEGMENTS);
  return out;
}

export function equityFactor(rngFactory: RngFactory, regimeSeg: Uint8Array): GarchPath {
  const scale = segmentScale(regimeSeg.length / SEGMENTS, EQUITY_FACTOR_VOL);
  return garchPath(rngFactory('synthetic/equity/factor'), regimeSeg, EQUITY_REGIME.volMult, scale, EQUITY_GARCH, SEGMENTS);
}

/** U-shaped intraday volume weights of the 13 steps (busy open and close), summing to 1. */
const STEP_VOLUME: readonly number[] = (() => {
  const w = Array.from({ length: STEPS_PER_SESSION }, (_, j) => 1 + 1.2 * ((j - 6) / 6) ** 2);
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
})();

export function equityTables(
  rngFactory: RngFactory,
  profile: EquityProfile,
  days: readonly number[],
  regimeOfDay: Uint8Array,
  regimeSeg: Uint8Array,
  factor: GarchPath,
  edge: PlantedEdge | undefined,
): SyntheticTable[] {
  const sym = profile.symbol;
  const nDays = days.length;
  const nSeg = nDays * SEGMENTS;
  const beta = profile.beta;
  const idio = garchPath(
    rngFactory(`synthetic/equity/${sym}/shock`),
    regimeSeg,
    EQUITY_REGIME.volMult,
    segmentScale(nDays, profile.idioVol),
    EQUITY_GARCH,
    SEGMENTS,
  );
  const ret = new Float64Array(nSeg);
  const sd = new Float64Array(nSeg);
  const x = new Float64Array(nSeg);
  for (let k = 0; k < nSeg; k++) {
    const w = (k % SEGMENTS === 0 ? OVERNIGHT_STEPS : 1) / TOTAL_WEIGHT;
    const bf = beta * factor.sd[k]!;
    const e = beta * factor.eps[k]! + idio.eps[k]!;
    const v = Math.sqrt(bf * bf + idio.sd[k]! * idio.sd[k]!);
    sd[k] = v;
    x[k] = e / v;
    ret[k] = beta * EQUITY_REGIME.driftPerDay[regimeSeg[k]!]! * w + e;
  }
  const { up, dn } = bridgeExcursions(rngFactory(`synthetic/equity/${sym}/intrabar`), ret, sd);

  // The reversal rule runs on the published daily closes as they are built; a trigger on day i
  // puts its drift on the 13 session steps of day i + 1.
  const dayEvents: number[] = [];
  const drift = new Float64Array(nSeg);
  const stepDrift = edge ? edge.sizeBps / 1e4 / STEPS_PER_SESSION : 0;

  const flow = rngFactory(`synthetic/equity/${sym}/flow`);
  const sdRef = Math.sqrt((beta * EQUITY_FACTOR_VOL) ** 2 + profile.idioVol ** 2);
  const n4 = nDays * 2;
  const c4 = {
    ts: new Float64Array(n4), open: new Float64Array(n4), high: new Float64Array(n4), low: new Float64Array(n4),
    close: new Float64Array(n4), volume: new Float64Array(n4), close_ts: new Float64Array(n4),
  };
  const c1 = {
    ts: new Float64Array(nDays), open: new Float64Array(nDays), high: new Float64Array(nDays), low: new Float64Array(nDays),
    close: new Float64Array(nDays), volume: new Float64Array(nDays), close_ts: new Float64Array(nDays),
  };
  let lp = Math.log(profile.price0);
  for (let i = 0; i < nDays; i++) {
    const k0 = i * SEGMENTS;
    if (i > 0) lp += ret[k0]! + drift[k0]!;
    for (let b = 0; b < 2; b++) {
      const row = 2 * i + b;
      const from = b === 0 ? 1 : 1 + STEPS_FIRST;
      const to = b === 0 ? 1 + STEPS_FIRST : SEGMENTS;
      const o = Math.exp(lp);
      let hi = lp;
      let lo = lp;
      let vol = 0;
      for (let j = from; j < to; j++) {
        const k = k0 + j;
        const r = ret[k]! + drift[k]!;
        const h = lp + (r > 0 ? r : 0) + up[k]!;
        const l = lp + (r < 0 ? r : 0) - dn[k]!;
        if (h > hi) hi = h;
        if (l < lo) lo = l;
        lp += r;
        const ax = x[k]! < 0 ? -x[k]! : x[k]!;
        const v = profile.volumePerDay * STEP_VOLUME[j - 1]! * Math.pow(sd[k]! / sdRef, 0.7) * (0.7 + 0.3 * ax) * Math.exp(0.4 * (flow.uniform() - 0.5));
        vol += Math.max(1, Math.round(v));
      }
      const c = Math.exp(lp);
      let h = Math.exp(hi);
      let l = Math.exp(lo);
      if (h < Math.max(o, c)) h = Math.max(o, c);
      if (l > Math.min(o, c)) l = Math.min(o, c);
      c4.ts[row] = days[i]! + (b === 0 ? SESSION_OPEN : SESSION_SPLIT);
      c4.close_ts[row] = days[i]! + (b === 0 ? SESSION_SPLIT : SESSION_CLOSE);
      c4.open[row] = o;
      c4.high[row] = h;
      c4.low[row] = l;
      c4.close[row] = c;
      c4.volume[row] = vol;
    }
    const a = 2 * i;
    c1.ts[i] = days[i]!;
    c1.close_ts[i] = days[i]! + SESSION_CLOSE;
    c1.open[i] = c4.open[a]!;
    c1.high[i] = Math.max(c4.high[a]!, c4.high[a + 1]!);
    c1.low[i] = Math.min(c4.low[a]!, c4.low[a + 1]!);
    c1.close[i] = c4.close[a + 1]!;
    c1.volume[i] = c4.volume[a]! + c4.volume[a + 1]!;
    const sign = edge ? reversalSign(c1.close, i, edge.params['sigma']!, edge.params['lookback_days']!) : 0;
    if (sign !== 0) {
      dayEvents.push(sign * (i + 1));
      if (i + 1 < nDays) for (let j = 1; j < SEGMENTS; j++) drift[(i + 1) * SEGMENTS + j] = sign * stepDrift;
    }
  }

  const regime4 = new Uint8Array(n4);
  for (let i = 0; i < nDays; i++) regime4[2 * i] = regime4[2 * i + 1] = regimeOfDay[i]!;
  const ev1: Partial<Record<EdgeId, readonly number[]>> = edge ? { equity_reversal: dayEvents } : {};
  // On the session bars the trigger is the day's second bar and the drift covers the next 2 bars.
  const ev4: Partial<Record<EdgeId, readonly number[]>> = edge
    ? { equity_reversal: dayEvents.map((e) => Math.sign(e) * (2 * (Math.abs(e) - 1) + 2)) }
    : {};
  const edge4: PlantedEdge[] = edge
    ? [{ ...edge, datasets: edge.datasets.map((d) => d.replace(/:1d$/, ':4h')), horizonBars: 2, horizonText: '2 session bars (next session)' }]
    : [];
  const notes = {
    session: 'US session fixed at 14:30–21:00 UTC (no daylight saving), weekdays only (no holidays)',
    units: 'prices in USD, volume in shares',
  };
  return [
    {
      name: `${sym}:1d`, kind: 'bars', symbol: sym, interval: '1d', assetClass: 'etf',
      table: { length: nDays, columns: c1 }, regimeRuns: encodeRuns(regimeOfDay),
      edges: edge ? [edge] : [], events: ev1,
      notes: { ...notes, ts: 'UTC midnight of the trading day; values known at close_ts (21:00 UTC)' },
    },
    {
      name: `${sym}:4h`, kind: 'bars', symbol: sym, interval: '4h', assetClass: 'etf',
      table: { length: n4, columns: c4 }, regimeRuns: encodeRuns(regime4),
      edges: edge4, events: ev4,
      notes: { ...notes, ts: 'session bars 14:30–18:30 and 18:30–21:00 UTC; values known at close_ts' },
    },
  ];
}
