/**
 * Per-symbol signal kernels over one symbol's contiguous columns (oldest first). Each returns a
 * column of the same length whose value at bar t reads bars ≤ t only (NaN through warm-up or where
 * an input is NaN). The same kernels run over whole columns when fitting and over a model's history
 * window when trading, so the formulas exist once (docs/alpha.md "Signals").
 *
 * Rolling windows are O(n) with running sums; a window containing a NaN yields NaN.
 */

/** Log return of each bar against the previous close (NaN at bar 0). */
export function logReturns(close: Float64Array): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  for (let t = 1; t < close.length; t++) out[t] = Math.log(close[t]! / close[t - 1]!);
  return out;
}

/**
 * Rolling sample standard deviation (n − 1) of `x` over the last `window` values ending at t.
 * NaN until `window` finite values are in the window.
 */
export function rollingSd(x: Float64Array, window: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let sum = 0, sumSq = 0, bad = 0;
  for (let t = 0; t < x.length; t++) {
    const v = x[t]!;
    if (Number.isFinite(v)) { sum += v; sumSq += v * v; } else bad++;
    if (t >= window) {
      const old = x[t - window]!;
      if (Number.isFinite(old)) { sum -= old; sumSq -= old * old; } else bad--;
    }
    if (t >= window - 1 && bad === 0) {
      const mean = sum / window;
      out[t] = Math.sqrt(Math.max(0, (sumSq - window * mean * mean) / (window - 1)));
    }
  }
  return out;
}

/** Rolling mean of `x` over the last `window` values (NaN while the window is short or holds a NaN). */
export function rollingMean(x: Float64Array, window: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let sum = 0, bad = 0;
  for (let t = 0; t < x.length; t++) {
    const v = x[t]!;
    if (Number.isFinite(v)) sum += v; else bad++;
    if (t >= window) {
      const old = x[t - window]!;
      if (Number.isFinite(old)) sum -= old; else bad--;
    }
    if (t >= window - 1 && bad === 0) out[t] = sum / window;
  }
  return out;
}

/**
 * Multi-horizon time-series momentum: the mean over horizons h of log(close[t] / close[t−h]) /
 * (vol[t] · √h), a vol-scaled trend (Moskowitz, Ooi & Pedersen 2012, "Time series momentum").
 */
export function timeSeriesMomentum(close: Float64Array, vol: Float64Array, horizons: readonly number[]): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  // log(close[t] / close[t−h]) = ln close[t] − ln close[t−h]: one logarithm per bar, not one per horizon
  const logClose = new Float64Array(close.length);
  for (let t = 0; t < close.length; t++) logClose[t] = Math.log(close[t]!);
  const rootH = horizons.map(Math.sqrt);
  const longest = Math.max(...horizons);
  for (let t = longest; t < close.length; t++) {
    const v = vol[t]!;
    if (!(v > 0)) continue;
    let s = 0;
    for (let k = 0; k < horizons.length; k++) s += (logClose[t]! - logClose[t - horizons[k]!]!) / (v * rootH[k]!);
    if (Number.isFinite(s)) out[t] = s / horizons.length;
  }
  return out;
}

/** The past `h`-bar log return (cross-sectional momentum ranks it across the universe). */
export function pastReturn(close: Float64Array, h: number): Float64Array {
  const out = new Float64Array(close.length).fill(NaN);
  for (let t = h; t < close.length; t++) out[t] = Math.log(close[t]! / close[t - h]!);
  return out;
}

/**
 * Stateful mean reversion: an exponentially decaying sum of recent log returns,
 * s[t] = λ · s[t−1] + r[t], signalled as −s[t] / vol[t] (recent winners expected to give back).
 * The state restarts at 0 after a NaN return.
 */
export function meanReversion(ret: Float64Array, vol: Float64Array, decay: number): Float64Array {
  const out = new Float64Array(ret.length).fill(NaN);
  let state = 0;
  for (let t = 0; t < ret.length; t++) {
    const r = ret[t]!;
    state = Number.isFinite(r) ? decay * state + r : 0;
    if (vol[t]! > 0) out[t] = -state / vol[t]!;
  }
  return out;
}

/** Funding carry adjusted for volatility: −funding[t] / vol[t] (a crowded long pays funding). */
export function fundingCarry(funding: Float64Array, vol: Float64Array): Float64Array {
  const out = new Float64Array(funding.length).fill(NaN);
  for (let t = 0; t < funding.length; t++) if (vol[t]! > 0 && Number.isFinite(funding[t]!)) out[t] = -funding[t]! / vol[t]!;
  return out;
}

/** Order-flow imbalance: Σ(2·takerBuy − volume) / Σ volume over the last `window` bars, in [−1, 1]. */
export function orderflowImbalance(volume: Float64Array, takerBuy: Float64Array, window: number): Float64Array {
  const imbalance = new Float64Array(volume.length);
  for (let t = 0; t < volume.length; t++) imbalance[t] = 2 * takerBuy[t]! - volume[t]!;
  const num = rollingMean(imbalance, window);
  const den = rollingMean(volume, window);
  const out = new Float64Array(volume.length).fill(NaN);
  for (let t = 0; t < volume.length; t++) if (den[t]! > 0) out[t] = num[t]! / den[t]!;
  return out;
}

/** Dollar volume per bar averaged over `window` bars (the ADV proxy of a liquidity universe). */
export function averageDollarVolume(close: Float64Array, volume: Float64Array, window: number): Float64Array {
  const dollars = new Float64Array(close.length);
  for (let t = 0; t < close.length; t++) dollars[t] = close[t]! * volume[t]!;
  return rollingMean(dollars, window);
}
