/**
 * Independent reference implementations for the indicator tests: written differently from the
 * kernels on purpose (each window recomputed from scratch, O(n·p), plain arrays, recursion by
 * textbook formula), so an error in a kernel's running state shows up as a mismatch.
 */

export type Arr = ArrayLike<number>;

const finiteWindow = (x: Arr, t: number, p: number): number[] | null => {
  if (t - p + 1 < 0) return null;
  const w: number[] = [];
  for (let i = t - p + 1; i <= t; i++) {
    if (!Number.isFinite(x[i]!)) return null;
    w.push(x[i]!);
  }
  return w;
};

/** Apply `f` to every full, finite window; NaN otherwise. */
export function windowed(x: Arr, p: number, f: (w: number[], t: number) => number): number[] {
  const out: number[] = [];
  for (let t = 0; t < x.length; t++) {
    const w = finiteWindow(x, t, p);
    out.push(w ? f(w, t) : NaN);
  }
  return out;
}

export const mean = (w: number[]): number => w.reduce((a, b) => a + b, 0) / w.length;

export function variance(w: number[], ddof: number): number {
  const m = mean(w);
  return w.reduce((a, b) => a + (b - m) * (b - m), 0) / (w.length - ddof);
}

export const refSma = (x: Arr, p: number): number[] => windowed(x, p, mean);

export const refStd = (x: Arr, p: number, ddof = 1): number[] => windowed(x, p, (w) => Math.sqrt(variance(w, ddof)));

export const refWma = (x: Arr, p: number): number[] =>
  windowed(x, p, (w) => {
    let num = 0;
    let den = 0;
    w.forEach((v, i) => {
      num += (i + 1) * v;
      den += i + 1;
    });
    return num / den;
  });

export const refHighest = (x: Arr, p: number): number[] => windowed(x, p, (w) => Math.max(...w));
export const refLowest = (x: Arr, p: number): number[] => windowed(x, p, (w) => Math.min(...w));

export const refZScore = (x: Arr, p: number): number[] =>
  windowed(x, p, (w) => {
    const sd = Math.sqrt(variance(w, 1));
    return sd > 0 ? (w[w.length - 1]! - mean(w)) / sd : NaN;
  });

/** pandas rolling rank(pct=True), method 'average': sort the window and average the tied positions. */
export const refPercentRank = (x: Arr, p: number): number[] =>
  windowed(x, p, (w) => {
    const cur = w[w.length - 1]!;
    const sorted = [...w].sort((a, b) => a - b);
    const positions: number[] = [];
    sorted.forEach((v, i) => {
      if (v === cur) positions.push(i + 1);
    });
    return mean(positions) / p;
  });

/**
 * Recursive smoothing by textbook formula: restart after every non-finite input, seed with the
 * mean of the first p finite inputs, then y = (1 - alpha)·y + alpha·x.
 */
export function refSmooth(x: Arr, p: number, alpha: number): number[] {
  const out: number[] = [];
  let buf: number[] = [];
  let y = NaN;
  for (let t = 0; t < x.length; t++) {
    const v = x[t]!;
    if (!Number.isFinite(v)) {
      buf = [];
      y = NaN;
      out.push(NaN);
      continue;
    }
    if (buf.length < p) {
      buf.push(v);
      if (buf.length === p) y = mean(buf);
      out.push(buf.length === p ? y : NaN);
      continue;
    }
    y = (1 - alpha) * y + alpha * v;
    out.push(y);
  }
  return out;
}

export const refEma = (x: Arr, p: number): number[] => refSmooth(x, p, 2 / (p + 1));
export const refWilder = (x: Arr, p: number): number[] => refSmooth(x, p, 1 / p);

export function refTrueRange(h: Arr, l: Arr, c: Arr): number[] {
  const out: number[] = [NaN];
  for (let t = 1; t < h.length; t++) {
    const hi = Math.max(h[t]!, c[t - 1]!);
    const lo = Math.min(l[t]!, c[t - 1]!);
    const ok = [h[t]!, l[t]!, c[t - 1]!].every(Number.isFinite);
    out.push(ok ? hi - lo : NaN);
  }
  return out.slice(0, h.length);
}

export const refAtr = (h: Arr, l: Arr, c: Arr, p: number): number[] => refWilder(refTrueRange(h, l, c), p);

/** RSI as 100 - 100/(1 + RS) with Wilder averages of the up and down moves. */
export function refRsi(c: Arr, p: number): number[] {
  const up: number[] = [NaN];
  const down: number[] = [NaN];
  for (let t = 1; t < c.length; t++) {
    const d = c[t]! - c[t - 1]!;
    up.push(Number.isFinite(d) ? Math.max(d, 0) : NaN);
    down.push(Number.isFinite(d) ? Math.max(-d, 0) : NaN);
  }
  const au = refWilder(up, p);
  const ad = refWilder(down, p);
  return au.map((u, i) => {
    const d = ad[i]!;
    if (!Number.isFinite(u)) return NaN;
    if (d === 0) return u === 0 ? 50 : 100;
    return 100 - 100 / (1 + u / d);
  });
}

export function refLag(x: Arr, k: number, f: (now: number, then: number) => number): number[] {
  const out: number[] = [];
  for (let t = 0; t < x.length; t++) out.push(t >= k ? f(x[t]!, x[t - k]!) : NaN);
  return out;
}

export function refRealizedVol(c: Arr, p: number, a: number): number[] {
  const r = refLag(c, 1, (now, then) => Math.log(now / then));
  return windowed(r, p, (w) => Math.sqrt((a * w.reduce((s, v) => s + v * v, 0)) / p));
}

export function refStochRaw(h: Arr, l: Arr, c: Arr, p: number): number[] {
  const hh = refHighest(h, p);
  const ll = refLowest(l, p);
  return hh.map((hi, t) => {
    const lo = ll[t]!;
    if (!Number.isFinite(hi) || !Number.isFinite(lo) || !Number.isFinite(c[t]!)) return NaN;
    return hi === lo ? 50 : ((c[t]! - lo) / (hi - lo)) * 100;
  });
}

export function refSignRun(x: Arr): number[] {
  const out: number[] = [];
  for (let t = 0; t < x.length; t++) {
    const v = x[t]!;
    if (Number.isNaN(v)) {
      out.push(NaN);
      continue;
    }
    const s = Math.sign(v);
    if (s === 0) {
      out.push(0);
      continue;
    }
    let k = 0;
    for (let i = t; i >= 0 && Math.sign(x[i]!) === s; i--) k++;
    out.push(s * k);
  }
  return out;
}
