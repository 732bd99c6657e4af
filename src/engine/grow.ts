/**
 * A Trader that grows in place (docs/paper.md "Live feed"): `appendBars(trader, bars)` appends
 * newly closed bars to the Trader's own data and clock, and the caller steps the new bar-close events
 * with the same Trader. A live session then costs O(1) per bar instead of rebuilding a Trader over
 * the grown data and re-stepping every bar since the start.
 *
 * What grows, and how each stays what a Trader built over the grown data from scratch would hold:
 *
 *   - each symbol's columns (ts, OHLCV, and close_ts / funding / any other column, NaN where the new
 *     bar has no value): backing arrays with spare capacity, doubled when full (amortised O(1)), and
 *     the SymbolData fields re-pointed at `subarray(0, n)` views — every reader (the bar views, the
 *     model contexts, the broker) sees exactly n rows, as before;
 *   - the common clock: the new close times, which all lie after the last one (a live feed grows the
 *     data only up to the close every symbol has reached), appended in order; a single symbol's
 *     clock stays its own ts column with the interval as offset, as engine-data.ts builds it;
 *   - the last recorded step (`prep.kEnd`, up to the run's end) and the Trader's per-step series;
 *   - the simulated broker's ADV, which it recomputes on the next fill that needs it (adv.ts reads
 *     only days before the bar, so earlier values are unchanged).
 *
 * A bar that is not after the symbol's last one, or has a non-positive price, is refused (one line,
 * nothing changed). `test/engine/grow.test.ts` checks a grown Trader against one built from
 * scratch over the same bars, byte for byte.
 */
import { InvariantError, UserError } from '../core/errors.js';
import { tableDigest, type BarFrame } from '../core/table.js';
import { isoUtc, parseUtc } from '../core/time.js';
import type { SymbolData } from '../backtest/engine-data.js';
import type { Clock } from '../backtest/engine-data.js';
import type { PreparedRun } from '../backtest/engine-setup.js';
import type { Series } from '../backtest/engine-assemble.js';
import type { SimulatedVenue } from '../execution/simulated-venue.js';
import type { Trader } from './trader.js';

/** One newly closed bar (epoch ms UTC open time; close at ts + interval). */
export interface NewBar {
  readonly symbol: string;
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A column with spare room: `view()` is its first `n` values. */
class GrowingColumn<A extends Float64Array | Uint8Array | Uint32Array> {
  n: number;
  constructor(private buf: A, n: number) {
    this.n = n;
  }

  static from<A extends Float64Array | Uint8Array | Uint32Array>(values: A, extra = 0): GrowingColumn<A> {
    const buf = new (values.constructor as new (n: number) => A)(Math.max(64, 2 * (values.length + extra)));
    buf.set(values);
    return new GrowingColumn(buf, values.length);
  }

  /** Make room for `n` values (the new ones are 0 until written). */
  resize(n: number): void {
    if (n > this.buf.length) {
      const next = new (this.buf.constructor as new (n: number) => A)(Math.max(2 * this.buf.length, n));
      next.set(this.buf.subarray(0, this.n));
      this.buf = next;
    }
    this.n = n;
  }

  push(v: number): void {
    this.resize(this.n + 1);
    this.buf[this.n - 1] = v;
  }

  view(): A {
    return this.buf.subarray(0, this.n) as A;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface SymbolGrowth {
  readonly data: Mutable<SymbolData>;
  /** Every column of the symbol's frame, by name (ts, OHLCV and whatever else it has). */
  readonly columns: Map<string, GrowingColumn<Float64Array>>;
}

interface Growth {
  readonly symbols: SymbolGrowth[];
  /** The merged clock of several symbols (null: one symbol, whose ts or close_ts column is the clock). */
  readonly clock: GrowingColumn<Float64Array> | null;
  readonly series: Map<string, GrowingColumn<Float64Array | Uint8Array | Uint32Array>>;
}

const growths = new WeakMap<object, Growth>();

function growthOf(trader: Trader<SimulatedVenue>): Growth {
  let g = growths.get(trader);
  if (g) return g;
  const symbols = trader.prep.data.map((d): SymbolGrowth => {
    const columns = new Map<string, GrowingColumn<Float64Array>>();
    for (const [name, col] of Object.entries(d.columns)) if (col instanceof Float64Array) columns.set(name, GrowingColumn.from(col.subarray(0, d.n)));
    return { data: d as Mutable<SymbolData>, columns };
  });
  const clock = trader.prep.data.length > 1 ? GrowingColumn.from(trader.prep.clock.times.subarray(0, trader.prep.clock.length)) : null;
  const sr = trader.series;
  const series = new Map<string, GrowingColumn<Float64Array | Uint8Array | Uint32Array>>();
  for (const k of ['ts', 'navA', 'cashA', 'grossA', 'netA', 'ddA', 'modeA', 'breachCount'] as const) series.set(k, GrowingColumn.from(sr[k]));
  sr.pnlM.forEach((p, m) => series.set(`pnl${m}`, GrowingColumn.from(p)));
  g = { symbols, clock, series };
  growths.set(trader, g);
  return g;
}

/** The close time of a new bar of symbol s. */
const closeOfNew = (d: SymbolData, b: NewBar): number => b.ts + d.step;

/**
 * Append closed bars (any symbols of the Trader, each symbol's in time order) to the Trader's data
 * and clock. Returns the last clock step now available to step; the events after the Trader's last
 * step are `HistoricalClock(times, offset, lastStep + 1, returned)`.
 */
export function appendBars(trader: Trader<SimulatedVenue>, bars: readonly NewBar[]): number {
  const prep = trader.prep as Mutable<PreparedRun>;
  const byName = prep.symbolIndex;
  // refuse before changing anything
  const lastTs = prep.data.map((d) => (d.n > 0 ? d.ts[d.n - 1]! : -Infinity));
  const lastClose = prep.clock.length > 0 ? prep.clock.times[prep.clock.length - 1]! + prep.clock.offset : -Infinity;
  for (const b of bars) {
    const s = byName.get(b.symbol);
    if (s === undefined) throw new UserError(`a new bar for ${b.symbol}, which this session does not trade (${[...byName.keys()].join(', ')})`, 'paper');
    const d = prep.data[s]!;
    if (d.closeTs !== null) throw new InvariantError(`${b.symbol}: bars with a close_ts column cannot grow in place`);
    if (!(b.ts > lastTs[s]!)) throw new UserError(`a new bar for ${b.symbol} at ${isoUtc(b.ts)} is not after its last bar (${isoUtc(lastTs[s]!)})`, 'paper');
    if (!(closeOfNew(d, b) > lastClose)) throw new InvariantError(`a new bar for ${b.symbol} closes at ${isoUtc(closeOfNew(d, b))}, not after the clock's last close ${isoUtc(lastClose)}`);
    if (![b.open, b.high, b.low, b.close].every((v) => v > 0 && v < Infinity)) {
      throw new UserError(`a new bar for ${b.symbol} at ${isoUtc(b.ts)} has a non-positive or missing price; not traded`, 'paper');
    }
    lastTs[s] = b.ts;
  }
  if (bars.length === 0) return prep.kEnd;
  const g = growthOf(trader);
  const grown = new Set<number>();
  const newCloses: number[] = [];
  for (const b of bars) {
    const s = byName.get(b.symbol)!;
    const { columns } = g.symbols[s]!;
    for (const [name, col] of columns) col.push(name in b ? (b as unknown as Record<string, number>)[name]! : NaN);
    grown.add(s);
    newCloses.push(closeOfNew(prep.data[s]!, b));
  }
  for (const s of grown) repoint(trader, g.symbols[s]!, s);
  // the clock
  if (g.clock === null) {
    const d = prep.data[0]!;
    prep.clock = { times: d.ts, offset: d.step, length: d.n } satisfies Clock;
  } else {
    newCloses.sort((a, b) => a - b);
    for (let i = 0; i < newCloses.length; i++) if (i === 0 || newCloses[i] !== newCloses[i - 1]) g.clock.push(newCloses[i]!);
    prep.clock = { times: g.clock.view(), offset: 0, length: g.clock.n } satisfies Clock;
  }
  // the last recorded step: up to the run's end
  const end = trader.input.end ?? (trader.input.config.end !== null ? parseUtc(trader.input.config.end) : Infinity);
  let kEnd = prep.kEnd;
  while (kEnd + 1 < prep.clock.length && prep.clock.times[kEnd + 1]! + prep.clock.offset <= end) kEnd++;
  if (kEnd !== prep.kEnd) {
    prep.kEnd = kEnd;
    growSeries(trader.series, g, kEnd - prep.kStart + 1);
  }
  return prep.kEnd;
}

/** Point the symbol's data (and the dataset it came from, for the result's digest) at its grown columns. */
function repoint(trader: Trader<SimulatedVenue>, sg: SymbolGrowth, s: number): void {
  const d = sg.data;
  const columns: Record<string, Float64Array> = {};
  for (const [name, col] of sg.columns) columns[name] = col.view();
  const n = sg.columns.get('ts')!.n;
  d.n = n;
  d.ts = columns['ts']!;
  d.open = columns['open']!;
  d.high = columns['high']!;
  d.low = columns['low']!;
  d.close = columns['close']!;
  d.volume = columns['volume']!;
  if (d.funding !== null) d.funding = columns['funding_rate']!;
  d.columns = columns;
  (trader.broker as { dataGrew?(s: number): void }).dataGrew?.(s);
  // the result names its data by content digest: that of the grown frame, computed when read
  const sym = trader.input.symbols[s]!;
  const frame = { length: n, columns } as unknown as BarFrame;
  let digest: string | undefined;
  Object.defineProperty(sym, 'bars', { value: frame, configurable: true, enumerable: true });
  Object.defineProperty(sym, 'digest', { get: () => (digest ??= tableDigest(frame)), configurable: true, enumerable: true });
}

function growSeries(sr: Series, g: Growth, steps: number): void {
  const view = (k: string): GrowingColumn<Float64Array | Uint8Array | Uint32Array> => {
    const col = g.series.get(k)!;
    col.resize(steps);
    return col;
  };
  sr.ts = view('ts').view() as Float64Array;
  sr.navA = view('navA').view() as Float64Array;
  sr.cashA = view('cashA').view() as Float64Array;
  sr.grossA = view('grossA').view() as Float64Array;
  sr.netA = view('netA').view() as Float64Array;
  sr.ddA = view('ddA').view() as Float64Array;
  sr.modeA = view('modeA').view() as Uint8Array;
  sr.breachCount = view('breachCount').view() as Uint32Array;
  sr.pnlM = sr.pnlM.map((_, m) => view(`pnl${m}`).view() as Float64Array);
}
