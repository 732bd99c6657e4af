/**
 * What a file's name says: symbol, interval, asset class and layout for the naming schemes of the
 * sources we know (freqtrade, Binance's kline archive, the historical-funding-rates fetcher,
 * Yahoo-style `orcl-1995-2014.txt`). Everything here is a default the flags override.
 */
import { basename } from 'node:path';
import { INTERVALS, type Interval } from '../../core/time.js';
import type { AssetClass } from '../../core/table.js';

export interface NameHints {
  readonly symbol: string;
  readonly interval?: Interval;
  /** The interval text when it is not one edgelab knows ('3m', '2h'). */
  readonly intervalText?: string;
  readonly assetClass?: AssetClass;
  readonly preset?: string;
  /** freqtrade candle type, funding venue, etc. */
  readonly facts: readonly string[];
}

const asInterval = (s: string): Interval | undefined => ((INTERVALS as readonly string[]).includes(s) ? (s as Interval) : undefined);

const FREQTRADE = /^([A-Z0-9]+)_([A-Z0-9]+)(?:_([A-Z0-9]+))?-(\d+[smhdwM]|trades)(?:-(futures|mark|funding_rate|index|premiumIndex|spot))?\.(feather|json|json\.gz|parquet|jsongz)$/;
const BINANCE = /^([A-Z0-9]+)-(\d+[smhdwM])-\d{4}-\d{2}(?:-\d{2})?\.csv$/;
const FUNDING_FETCHER = /^([A-Z0-9]+)-([A-Z0-9]+)_([a-z0-9]+)_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_funding_history\.csv$/;
const TICKER_YEARS = /^([a-z]{1,6})-\d{4}(?:-\d{4})?\.(txt|csv)$/i;
/** `EURX_1d.csv`, `aapl-1h.parquet`: a name, then an interval edgelab knows, then the extension. */
const NAME_INTERVAL = /^(.+?)[_-](\d+[mhdwM])\.(csv|txt|parquet|json|feather|arrow)(\.gz)?$/;

/** Venues whose fetcher CSVs were written in UTC+3 local time (data/README.md). */
export const UTC_PLUS_3_VENUES: ReadonlySet<string> = new Set(['binance', 'bybit', 'htx', 'kucoin', 'mexc']);

export function hintsFromName(path: string): NameHints {
  const name = basename(path);
  let m = FREQTRADE.exec(name);
  if (m) {
    const [, base, quote, settle, iv, candle] = m;
    const symbol = `${base}${quote}`;
    const facts = [`freqtrade file: pair ${base}/${quote}${settle ? `:${settle}` : ''}${candle ? `, candle type ${candle}` : ''}`];
    if (iv === 'trades') return { symbol, assetClass: settle ? 'crypto_perp' : 'crypto_spot', preset: 'freqtrade', facts };
    const interval = asInterval(iv!);
    return {
      symbol,
      ...(interval ? { interval } : { intervalText: iv! }),
      assetClass: settle || candle === 'futures' || candle === 'mark' || candle === 'funding_rate' ? 'crypto_perp' : 'crypto_spot',
      preset: candle === 'funding_rate' ? 'freqtrade-funding' : 'freqtrade',
      facts,
    };
  }
  m = BINANCE.exec(name);
  if (m) {
    const interval = asInterval(m[2]!);
    return { symbol: m[1]!, ...(interval ? { interval } : { intervalText: m[2]! }), assetClass: 'crypto_spot', preset: 'binance-kline', facts: ['Binance kline archive file name'] };
  }
  m = FUNDING_FETCHER.exec(name);
  if (m) {
    const venue = m[3]!;
    const facts = [`funding-rate fetcher file: venue ${venue}`];
    if (UTC_PLUS_3_VENUES.has(venue)) facts.push(`the fetcher wrote ${venue} times in UTC+3 local time: pass --tz-offset +03:00`);
    return { symbol: `${m[1]}${m[2]}`, assetClass: 'crypto_perp', preset: 'funding-csv', facts };
  }
  m = TICKER_YEARS.exec(name);
  if (m) return { symbol: m[1]!.toUpperCase(), facts: [] };
  const cleanSymbol = (stem: string): string => stem.toUpperCase().replace(/[^A-Z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  m = NAME_INTERVAL.exec(name);
  const named = m ? asInterval(m[2]!) : undefined;
  if (m && named && cleanSymbol(m[1]!)) return { symbol: cleanSymbol(m[1]!), interval: named, facts: [`interval ${named} and symbol from the file name`] };
  const stem = name.replace(/\.(gz|zip)$/i, '').replace(/\.[^.]+$/, '');
  return { symbol: cleanSymbol(stem) || 'FILE', facts: [] };
}
