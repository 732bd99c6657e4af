/**
 * Finding the datasets a regime input refers to. A spec is either a dataset name ('SPY:1d',
 * 'BTCUSDT:15m') or a symbol ('SPY'): for a symbol, the clean bar datasets of that symbol are
 * candidates, daily bars preferred for closes and the finest intraday bars preferred for the HMM
 * (intraday bars give a daily realised volatility).
 */
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import { DAY, intervalMs } from '../core/time.js';

export type BarPreference = 'daily' | 'intraday';

/** The bar dataset a spec names, or undefined when nothing matches. */
export function findBars(datasets: ReadonlyMap<string, Dataset>, spec: string, prefer: BarPreference): Dataset | undefined {
  const exact = datasets.get(spec);
  if (exact) return exact;
  const cands = [...datasets.values()].filter(
    (d) => d.kind === 'bars' && d.stage !== 'raw' && d.symbol === spec && d.interval !== undefined && intervalMs(d.interval) <= DAY,
  );
  if (cands.length === 0) return undefined;
  const rank = (d: Dataset): number => {
    const ms = intervalMs(d.interval!);
    return prefer === 'daily' ? (ms === DAY ? -1 : ms) : ms === DAY ? Number.MAX_SAFE_INTEGER : ms;
  };
  cands.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return cands[0];
}

/** Like findBars, but a UserError naming the spec and the bar symbols that do exist when nothing matches. */
export function requireBars(datasets: ReadonlyMap<string, Dataset>, spec: string, prefer: BarPreference, where: string): Dataset {
  const ds = findBars(datasets, spec, prefer);
  if (ds) return ds;
  const symbols = [...new Set([...datasets.values()].filter((d) => d.kind === 'bars' && d.symbol).map((d) => d.symbol!))].sort();
  const known = symbols.length
    ? `; symbols with bars: ${symbols.slice(0, 8).join(', ')}${symbols.length > 8 ? ', …' : ''}`
    : ' (no bar datasets are loaded: try `ingest synthetic`)';
  throw new UserError(`no dataset or symbol '${spec}' with price bars${known}`, where);
}
