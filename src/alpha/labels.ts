/**
 * Labels: the forward log return over the next `horizon` bars, y[t] = log(close[t+h] / close[t]),
 * whose window (t, t+h] is known only at bar t+h's close. Optionally divided by vol[t]·√h
 * (vol-scaled) and demeaned across the universe's members at each bar (a cross-sectional target).
 * The last `horizon` bars have no label (NaN).
 */
import { logReturns, rollingSd } from './kernels.js';
import { column, setColumn, type Panel } from './panel.js';

export interface LabelSpec {
  /** Horizon in bars. */
  readonly horizon: number;
  /** Divide by the symbol's return vol at t times √h. @default false */
  readonly volScaled: boolean;
  /** Bars in the vol window when vol-scaled. @default 168 */
  readonly volWindow: number;
}

export function forwardReturns(panel: Panel, spec: LabelSpec): Float64Array {
  const N = panel.symbols.length;
  const T = panel.ts.length;
  const out = new Float64Array(T * N).fill(NaN);
  for (let i = 0; i < N; i++) {
    const close = column(panel.close, N, i);
    const y = new Float64Array(T).fill(NaN);
    const vol = spec.volScaled ? rollingSd(logReturns(close), spec.volWindow) : null;
    for (let t = 0; t + spec.horizon < T; t++) {
      const r = Math.log(close[t + spec.horizon]! / close[t]!);
      y[t] = vol ? r / (vol[t]! * Math.sqrt(spec.horizon)) : r;
    }
    setColumn(out, N, i, y);
  }
  return out;
}

/** Subtract each bar's mean across members (NaN for non-members): the market-neutral target. */
export function demeanAcross(y: Float64Array, n: number, member: Uint8Array): Float64Array {
  const rows = y.length / n;
  const out = new Float64Array(y.length).fill(NaN);
  for (let t = 0; t < rows; t++) {
    let s = 0, c = 0;
    for (let i = 0; i < n; i++) {
      const v = y[t * n + i]!;
      if (member[t * n + i] && Number.isFinite(v)) { s += v; c++; }
    }
    if (c < 2) continue;
    for (let i = 0; i < n; i++) {
      const v = y[t * n + i]!;
      if (member[t * n + i] && Number.isFinite(v)) out[t * n + i] = v - s / c;
    }
  }
  return out;
}

