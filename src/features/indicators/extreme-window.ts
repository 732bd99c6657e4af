import { checkPeriod, outputArray } from './check.js';

/**
 * Rolling maximum (`sign = 1`) or minimum (`sign = -1`) over the last p values with a monotonic
 * deque of indices in a power-of-two ring buffer allocated once: each index enters and leaves
 * once, so O(n) amortised. Shared by `highest` and `lowest`; NaN while a non-finite input is in
 * the window.
 */
export function extremeWindow(name: string, x: Float64Array, period: number, sign: 1 | -1, out?: Float64Array): Float64Array {
  checkPeriod(name, period);
  const n = x.length;
  const y = outputArray(name, n, out);
  let cap = 1;
  while (cap < period + 1) cap <<= 1;
  const mask = cap - 1;
  const dq = new Int32Array(cap);
  let head = 0; // position of the front (the current extreme); positions grow and are masked
  let tail = 0; // one past the back
  let run = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    if (!Number.isFinite(v)) {
      run = 0;
      head = tail = 0;
      y[t] = NaN;
      continue;
    }
    run++;
    const sv = sign * v;
    // drop from the back every index whose value cannot be the extreme any more
    while (tail > head && sign * x[dq[(tail - 1) & mask]!]! <= sv) tail--;
    dq[tail & mask] = t;
    tail++;
    // drop the front when it has left the window
    if (dq[head & mask]! <= t - period) head++;
    y[t] = run >= period ? x[dq[head & mask]!]! : NaN;
  }
  return y;
}
