import { checkPeriod, outputArray } from './check.js';

/**
 * Rolling maximum (`sign = 1`) or minimum (`sign = -1`) over the last p values with a monotonic
 * deque of indices (a ring buffer allocated once): each index enters and leaves once, so O(n)
 * amortised. Shared by `highest` and `lowest`; NaN while a non-finite input is in the window.
 */
export function extremeWindow(name: string, x: Float64Array, period: number, sign: 1 | -1, out?: Float64Array): Float64Array {
  checkPeriod(name, period);
  const n = x.length;
  const y = outputArray(name, n, out);
  const dq = new Int32Array(period + 1);
  const cap = period + 1;
  let head = 0; // index into dq of the front (the current extreme)
  let size = 0;
  let run = 0;
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    if (!Number.isFinite(v)) {
      run = 0;
      size = 0;
      y[t] = NaN;
      continue;
    }
    run++;
    const sv = sign * v;
    // drop from the back every index whose value cannot be the extreme any more
    while (size > 0) {
      const back = dq[(head + size - 1) % cap]!;
      if (sign * x[back]! <= sv) size--;
      else break;
    }
    dq[(head + size) % cap] = t;
    size++;
    // drop the front when it has left the window
    if (dq[head]! <= t - period) {
      head = (head + 1) % cap;
      size--;
    }
    y[t] = run >= period ? x[dq[head]!]! : NaN;
  }
  return y;
}
