/**
 * Digest of a backtest result: every per-step series byte for byte, then the canonical JSON of
 * orders, fills, trades, breaches, costs and attribution totals. Two runs with the same inputs give
 * the same digest (the engine is deterministic); any difference in any number changes it.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical.js';
import type { BacktestResult } from './types.js';

export function resultDigest(r: BacktestResult): string {
  const h = createHash('sha256');
  const arrays: [string, Float64Array | Uint8Array | Uint32Array][] = [
    ['ts', r.ts], ['nav', r.nav], ['cash', r.cash], ['gross', r.gross], ['net', r.net],
    ['drawdown', r.drawdown], ['mode', r.mode], ['breachCount', r.breachCount],
  ];
  for (const m of r.models) arrays.push([`model:${m.name}`, m.pnl]);
  for (const [name, a] of arrays) {
    h.update(`${name}:${a.length};`);
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  h.update(
    canonicalJson({
      profile: r.profile,
      orders: r.orders,
      fills: r.fills,
      trades: r.trades,
      breaches: r.breaches,
      costs: r.costs,
      models: r.models.map(({ pnl: _pnl, ...rest }) => rest),
      assets: r.assets,
      finalMode: r.finalMode,
    }),
  );
  return h.digest('hex');
}
