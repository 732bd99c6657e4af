/**
 * Asset-class keys for per-class settings (costs, lots, class caps): a key matches a symbol's
 * asset class exactly, or through a group ('crypto' = crypto_perp + crypto_spot, 'equities' =
 * equity + etf + index), or is 'default'. Lookup order: exact, group, default.
 */
import { UserError } from '../core/errors.js';
import type { AssetClass } from '../core/table.js';

export function classGroup(assetClass: AssetClass): string | null {
  switch (assetClass) {
    case 'crypto_perp':
    case 'crypto_spot':
      return 'crypto';
    case 'equity':
    case 'etf':
    case 'index':
      return 'equities';
    default:
      return null;
  }
}

/** Does a class-cap key ('crypto', 'etf', …) cover this asset class? ('default' covers nothing.) */
export function keyCovers(key: string, assetClass: AssetClass): boolean {
  return key === assetClass || key === classGroup(assetClass);
}

/** The setting for an asset class from a record keyed by class / group / 'default'. */
export function byClass<T>(record: Readonly<Record<string, T>>, assetClass: AssetClass, what: string): T {
  const exact = record[assetClass];
  if (exact !== undefined) return exact;
  const g = classGroup(assetClass);
  const grouped = g ? record[g] : undefined;
  if (grouped !== undefined) return grouped;
  const d = record['default'];
  if (d !== undefined) return d;
  const keys = Object.keys(record).sort().join(', ') || 'none';
  throw new UserError(
    `no ${what} for asset class '${assetClass}' (keys: ${keys}); add '${assetClass}', '${g ?? assetClass}' or 'default'`,
    `config backtest.${what}`,
  );
}
