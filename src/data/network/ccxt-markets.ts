/**
 * Matching what a user types to an exchange's market list. Accepted spellings: the exchange's id
 * ('BTCUSDT', 'XXBTZUSD'), Kraken's altname ('XBTUSD'), ccxt's unified symbol ('BTC/USDT:USDT',
 * 'BTC/USD') and base+quote without separators ('BTCUSD'). Datasets and the lake use one name per
 * market: the Binance id, or base+quote for Kraken.
 */
import type { MarketInterface as Market } from 'ccxt';
import { UserError } from '../../core/errors.js';
import { suggest } from '../../core/suggest.js';
import type { AssetClass } from '../../core/table.js';
import type { CcxtId } from './ccxt-exchange.js';
import type { SourceSymbol } from './types.js';

/** Markets this source downloads from: spot for binance and kraken, linear contracts for binanceusdm. */
function eligible(id: CcxtId, m: Market): boolean {
  if (id === 'binanceusdm') return m.linear === true && (m.swap === true || m.future === true);
  return m.spot === true;
}

function nameOf(id: CcxtId, m: Market): string {
  return id === 'kraken' ? `${m.base}${m.quote}` : String(m.id);
}

function spellings(m: Market): string[] {
  const info = (m.info ?? {}) as Record<string, unknown>;
  const out = [String(m.id), String(m.symbol), `${m.base}${m.quote}`, `${m.base}/${m.quote}`];
  if (typeof info['altname'] === 'string') out.push(info['altname']);
  return out.map((s) => s.toUpperCase());
}

export function resolveMarket(id: CcxtId, markets: Readonly<Record<string, Market | undefined>>, typed: string): SourceSymbol {
  const want = typed.trim().toUpperCase();
  const list = Object.keys(markets)
    .sort()
    .map((k) => markets[k]!)
    .filter((m) => eligible(id, m));
  // Perpetuals before dated futures so 'BTCUSDT' means the perpetual on binanceusdm.
  const ordered = [...list.filter((m) => m.swap), ...list.filter((m) => !m.swap)];
  const hit = ordered.find((m) => spellings(m).includes(want));
  if (!hit) {
    const names = [...new Set(list.map((m) => nameOf(id, m)))];
    const hint = suggest(want, names);
    const what = id === 'binanceusdm' ? 'USDⓈ-M contract' : 'spot market';
    throw new UserError(
      `${id} does not list a ${what} '${typed}'${hint ? `; did you mean '${hint}'?` : ''} (${names.length} listed)`,
      `symbol ${typed}`,
    );
  }
  const assetClass: AssetClass = id === 'binanceusdm' ? 'crypto_perp' : 'crypto_spot';
  return {
    name: nameOf(id, hit),
    id: String(hit.symbol),
    assetClass,
    meta: {
      exchange_id: String(hit.id),
      unified: String(hit.symbol),
      active: hit.active === false ? 'no' : 'yes',
    },
  };
}
