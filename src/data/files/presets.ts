/**
 * Presets: the layouts of the file formats we know, so `ingest file PATH --preset NAME` needs no
 * column mapping. A preset may fix the column names (headerless layouts), map columns, fix the
 * timestamp format, say what kind of data it is, and drop columns that carry nothing.
 */
import type { AssetClass } from '../../core/table.js';
import type { ColumnMap } from './mapping.js';

export type DataKind = 'bars' | 'trades' | 'funding';

export interface Preset {
  readonly name: string;
  readonly summary: string;
  readonly kind?: DataKind;
  /** Column names for the file's fields in order (used when the file has no header, or always with `forceNames`). */
  readonly names?: readonly string[];
  readonly forceNames?: boolean;
  readonly map?: ColumnMap;
  readonly tsFormat?: string;
  readonly assetClass?: AssetClass;
  readonly interval?: string;
  readonly drop?: readonly string[];
  /** Names for freqtrade's JSON array-of-arrays rows. */
  readonly jsonNames?: readonly string[];
  readonly facts?: readonly string[];
}

export const BINANCE_KLINE_NAMES = [
  'open_time', 'open', 'high', 'low', 'close', 'volume', 'close_time', 'quote_volume', 'count',
  'taker_buy_volume', 'taker_buy_quote_volume', 'ignore',
] as const;

export const PRESETS: Readonly<Record<string, Preset>> = {
  yahoo: {
    name: 'yahoo',
    summary: 'Yahoo Finance daily CSV: Date,Open,High,Low,Close,Adj Close,Volume',
    kind: 'bars',
    map: { ts: ['Date'], open: ['Open'], high: ['High'], low: ['Low'], close: ['Close'], adj_close: ['Adj Close'], volume: ['Volume'] },
    tsFormat: 'iso',
    assetClass: 'equity',
    interval: '1d',
    facts: ['Yahoo daily bars: O/H/L/C split-adjusted, adj_close also dividend-adjusted'],
  },
  'binance-kline': {
    name: 'binance-kline',
    summary: "Binance public kline archive CSV (12 fields, with or without header; open time in ms or µs)",
    kind: 'bars',
    names: BINANCE_KLINE_NAMES,
    forceNames: true,
    map: { ts: ['open_time'], trades: ['count'] },
    assetClass: 'crypto_spot',
    drop: ['close_time', 'ignore'],
  },
  freqtrade: {
    name: 'freqtrade',
    summary: 'freqtrade OHLCV (.feather, .json[.gz], .parquet) and trades files',
    jsonNames: ['date', 'open', 'high', 'low', 'close', 'volume'],
    tsFormat: 'ms',
  },
  'freqtrade-funding': {
    name: 'freqtrade-funding',
    summary: "freqtrade funding-rate file: OHLCV layout with the rate in 'open'",
    kind: 'funding',
    map: { ts: ['date'], rate: ['open'] },
    jsonNames: ['date', 'open', 'high', 'low', 'close', 'volume'],
    drop: ['high', 'low', 'close', 'volume'],
    assetClass: 'crypto_perp',
    tsFormat: 'ms',
    facts: ["freqtrade funding file: the rate is the 'open' column; settlement stamps carry ms jitter (floored in clean)"],
  },
  backtrader: {
    name: 'backtrader',
    summary: "backtrader CSV: Date[,Time],Open,High,Low,Close,Volume,OpenInterest (naive local time)",
    kind: 'bars',
    assetClass: 'index',
    facts: ['backtrader data: times are naive local time of an unnamed exchange; pass --tz-offset to place them in UTC'],
  },
  'funding-csv': {
    name: 'funding-csv',
    summary: 'funding-rate CSV: Symbol,Date,Funding Rate (historical-funding-rates-fetcher)',
    kind: 'funding',
    map: { symbol: ['Symbol'], ts: ['Date'], rate: ['Funding Rate'] },
    assetClass: 'crypto_perp',
  },
  'kraken-trades': {
    name: 'kraken-trades',
    summary: 'Kraken trades CSV export without header: unix_seconds,price,volume',
    kind: 'trades',
    names: ['ts', 'price', 'amount'],
    tsFormat: 's',
    assetClass: 'crypto_spot',
  },
};

export const PRESET_NAMES = Object.keys(PRESETS);

/** freqtrade's trades layout (JSON rows and Parquet columns). */
export const FREQTRADE_TRADES_NAMES = ['timestamp', 'id', 'type', 'side', 'price', 'amount', 'cost'] as const;
