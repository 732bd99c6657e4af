/**
 * The indicator catalogue behind feature specs: each entry names its parameters (with defaults and
 * bounds), what it reads (one series, the OHLC bars, or funding events), the columns it writes and
 * the kernel call. Adding an indicator is one entry here plus its kernel file.
 */
import type { Interval } from '../core/time.js';
import type { AssetClass } from '../core/table.js';
import * as K from './indicators/index.js';

export interface ParamDef {
  readonly name: string;
  /** 'int': integer ≥ min; 'number': finite number ≥ min. */
  readonly kind: 'int' | 'number';
  readonly min: number;
  readonly default: number;
}

/** What a kernel receives: the bar columns, the chosen series, and facts for annualisation. */
export interface KernelInput {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** The series chosen with `@column` (close by default). */
  readonly series: Float64Array;
  readonly interval: Interval | undefined;
  readonly assetClass: AssetClass | undefined;
}

export interface IndicatorDef {
  readonly name: string;
  readonly summary: string;
  readonly params: readonly ParamDef[];
  /** 'series': one column (`@column` allowed); 'bars': high/low/close; 'funding': funding events. */
  readonly input: 'series' | 'bars' | 'funding';
  /** Output column suffixes; a single '' means one column named after the spec. */
  readonly outputs: readonly string[];
  readonly compute: (x: KernelInput, p: readonly number[]) => readonly Float64Array[];
}

const int = (name: string, dflt: number, min = 1): ParamDef => ({ name, kind: 'int', min, default: dflt });

const calendarOf = (a: AssetClass | undefined): K.TradingCalendar =>
  a === 'crypto_perp' || a === 'crypto_spot' ? '24/7' : 'equity';

/** Funding kernels read the event rates in `series`. */
const defs: readonly IndicatorDef[] = [
  { name: 'ret', summary: 'simple return over k bars, x[t]/x[t-k] - 1', params: [int('k', 1)], input: 'series', outputs: [''], compute: (x, p) => [K.simpleReturns(x.series, p[0]!)] },
  { name: 'logret', summary: 'log return over k bars, ln(x[t]/x[t-k])', params: [int('k', 1)], input: 'series', outputs: [''], compute: (x, p) => [K.logReturns(x.series, p[0]!)] },
  { name: 'sma', summary: 'simple moving average', params: [int('period', 20)], input: 'series', outputs: [''], compute: (x, p) => [K.sma(x.series, p[0]!)] },
  { name: 'ema', summary: 'exponential moving average, alpha 2/(p+1), SMA seed', params: [int('period', 20)], input: 'series', outputs: [''], compute: (x, p) => [K.ema(x.series, p[0]!)] },
  { name: 'wma', summary: 'linearly weighted moving average', params: [int('period', 20)], input: 'series', outputs: [''], compute: (x, p) => [K.wma(x.series, p[0]!)] },
  { name: 'std', summary: 'rolling sample standard deviation (ddof 1)', params: [int('period', 20, 2)], input: 'series', outputs: [''], compute: (x, p) => [K.rollingStd(x.series, p[0]!, 1)] },
  { name: 'tr', summary: 'true range (Wilder)', params: [], input: 'bars', outputs: [''], compute: (x) => [K.trueRange(x.high, x.low, x.close)] },
  { name: 'atr', summary: 'average true range, Wilder smoothing', params: [int('period', 14)], input: 'bars', outputs: [''], compute: (x, p) => [K.atr(x.high, x.low, x.close, p[0]!)] },
  { name: 'rsi', summary: 'relative strength index, Wilder smoothing', params: [int('period', 14)], input: 'series', outputs: [''], compute: (x, p) => [K.rsi(x.series, p[0]!)] },
  {
    name: 'bb', summary: 'Bollinger Bands: mid, upper, lower, %b, width (population σ)',
    params: [int('period', 20), { name: 'k', kind: 'number', min: 0, default: 2 }], input: 'series',
    outputs: ['mid', 'upper', 'lower', 'pctb', 'width'],
    compute: (x, p) => { const b = K.bollinger(x.series, p[0]!, p[1]!); return [b.mid, b.upper, b.lower, b.pctB, b.width]; },
  },
  {
    name: 'macd', summary: 'MACD line, signal and histogram', params: [int('fast', 12), int('slow', 26), int('signal', 9)], input: 'series',
    outputs: ['line', 'signal', 'hist'],
    compute: (x, p) => { const m = K.macd(x.series, p[0]!, p[1]!, p[2]!); return [m.line, m.signal, m.histogram]; },
  },
  {
    name: 'stoch', summary: 'stochastic %K (smoothed) and %D', params: [int('period', 14), int('d', 3), int('smooth', 3)], input: 'bars',
    outputs: ['k', 'd'],
    compute: (x, p) => { const s = K.stochastic(x.high, x.low, x.close, p[0]!, p[1]!, p[2]!); return [s.k, s.d]; },
  },
  { name: 'roc', summary: 'rate of change in percent over k bars', params: [int('k', 10)], input: 'series', outputs: [''], compute: (x, p) => [K.roc(x.series, p[0]!)] },
  { name: 'mom', summary: 'momentum x[t] - x[t-k]', params: [int('k', 10)], input: 'series', outputs: [''], compute: (x, p) => [K.momentum(x.series, p[0]!)] },
  { name: 'highest', summary: 'highest value of the last p bars', params: [int('period', 20)], input: 'series', outputs: [''], compute: (x, p) => [K.highest(x.series, p[0]!)] },
  { name: 'lowest', summary: 'lowest value of the last p bars', params: [int('period', 20)], input: 'series', outputs: [''], compute: (x, p) => [K.lowest(x.series, p[0]!)] },
  { name: 'zscore', summary: 'rolling z-score against the window (ddof 1)', params: [int('period', 20, 2)], input: 'series', outputs: [''], compute: (x, p) => [K.rollingZScore(x.series, p[0]!)] },
  { name: 'pctrank', summary: 'rolling percentile rank in (0, 1]', params: [int('period', 100)], input: 'series', outputs: [''], compute: (x, p) => [K.rollingPercentileRank(x.series, p[0]!)] },
  {
    name: 'rvol', summary: 'realised volatility of log returns, annualised by bars per year', params: [int('period', 30)], input: 'series', outputs: [''],
    compute: (x, p) => [K.realizedVol(x.series, p[0]!, x.interval ? K.periodsPerYear(x.interval, calendarOf(x.assetClass)) : 1)],
  },
  { name: 'rangepct', summary: 'percentile of (high-low)/close among the last p bars', params: [int('period', 100)], input: 'bars', outputs: [''], compute: (x, p) => [K.rangePercentile(x.high, x.low, x.close, p[0]!)] },
  { name: 'funding_mean', summary: 'mean of the last p funding rates (events)', params: [int('period', 21)], input: 'funding', outputs: [''], compute: (x, p) => [K.sma(x.series, p[0]!)] },
  { name: 'funding_z', summary: 'z-score of the funding rate against the last p events', params: [int('period', 90, 2)], input: 'funding', outputs: [''], compute: (x, p) => [K.rollingZScore(x.series, p[0]!)] },
  { name: 'funding_persist', summary: 'signed run length of same-signed funding rates', params: [], input: 'funding', outputs: [''], compute: (x) => [K.signPersistence(x.series)] },
];

export const INDICATORS: ReadonlyMap<string, IndicatorDef> = new Map(defs.map((d) => [d.name, d]));

export const indicatorNames = (): string[] => [...INDICATORS.keys()].sort();
