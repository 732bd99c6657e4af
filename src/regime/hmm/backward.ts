/**
 * The scaled backward recursion (Rabiner 1989, §V.A), sharing the forward pass's normalisers:
 *
 *   β̂_n(i) = 1,   β̂_t(i) = Σ_j a_ij b'_j(x_{t+1}) β̂_{t+1}(j) / c_{t+1}
 *
 * so that γ_t(i) = α̂_t(i) β̂_t(i) is the smoothed posterior P(s_t = i | x_1..x_n). Smoothed values
 * look ahead: they are used only inside Baum–Welch, never exposed to models. O(n·k²).
 */
import type { ForwardResult } from './forward.js';
import type { HmmParams } from './params.js';

export function backwardScaled(fw: ForwardResult, n: number, p: HmmParams): Float64Array {
  const { k, trans } = p;
  const { b, scale } = fw;
  const beta = new Float64Array(n * k);
  for (let j = 0; j < k; j++) beta[(n - 1) * k + j] = 1;
  for (let t = n - 2; t >= 0; t--) {
    const c = scale[t + 1]!;
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += trans[i * k + j]! * b[(t + 1) * k + j]! * beta[(t + 1) * k + j]!;
      beta[t * k + i] = s / c;
    }
  }
  return beta;
}
