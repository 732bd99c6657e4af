/** Defaults and validation of the generator's options (errors a user can fix are UserErrors). */
import { UserError } from '../../core/errors.js';
import { DAY, parseUtc, isoUtc } from '../../core/time.js';
import {
  DEFAULT_EDGES,
  DEFAULT_EQUITY_START,
  DEFAULT_START,
  DEFAULT_SYMBOLS,
  DEFAULT_YEARS,
} from './params.js';
import { EDGE_IDS, type EdgeSettings, type ResolvedOptions, type SyntheticOptions } from './types.js';

const SYMBOL_RE = /^[A-Z0-9]{1,20}$/;

export const isCryptoSymbol = (s: string): boolean => s.endsWith('USDT') && s.length > 4;

function dayOf(value: string | number, what: string): number {
  const ms = typeof value === 'number' ? value : parseUtc(value);
  if (!Number.isFinite(ms)) throw new UserError(`${what} is not a time`, what);
  return Math.floor(ms / DAY) * DAY;
}

/** start + years: whole years by the calendar, the fraction as 365.25-day years, floored to a day. */
export function addYears(startMs: number, years: number): number {
  const whole = Math.floor(years);
  const d = new Date(startMs);
  const base = Date.UTC(d.getUTCFullYear() + whole, d.getUTCMonth(), d.getUTCDate());
  return base + Math.floor((years - whole) * 365.25) * DAY;
}

/** Longest span from equity_start to the end, and with `long` (--long). */
export const MAX_SPAN_YEARS = 40;
export const LONG_SPAN_YEARS = 200;

export function resolveOptions(o: SyntheticOptions): ResolvedOptions {
  const years = o.years ?? DEFAULT_YEARS;
  // 10 years of 15m bars is about 350 000 bars per crypto symbol (a few seconds, ~0.3 GB each).
  if (!Number.isFinite(years) || years <= 0 || years > 10) {
    throw new UserError(`years must be more than 0 and at most 10, got ${years} (longer ETF history: --equity-start)`, '--years');
  }
  const startMs = dayOf(o.start ?? DEFAULT_START, '--start');
  const endMs = addYears(startMs, years);
  if (endMs - startMs < 2 * DAY) throw new UserError('the span must cover at least 2 days', '--years');
  const equityStartMs = Math.min(dayOf(o.equityStart ?? DEFAULT_EQUITY_START, 'equity_start'), startMs);
  if (startMs < Date.UTC(1970, 0, 1)) throw new UserError(`start ${isoUtc(startMs)} is before 1970`, '--start');
  // The ETF, macro and regime series run from equity_start to the end: bound that span too, or a
  // far --start (or an early --equity-start) asks for centuries of bars.
  const maxSpan = o.long ? LONG_SPAN_YEARS : MAX_SPAN_YEARS;
  if (endMs > addYears(equityStartMs, maxSpan)) {
    throw new UserError(
      `the market would span ${isoUtc(equityStartMs).slice(0, 10)} .. ${isoUtc(endMs).slice(0, 10)}, more than ${maxSpan} years` +
        (o.long ? '' : ` (pass --long to allow up to ${LONG_SPAN_YEARS})`),
      '--start',
    );
  }

  const symbols = (o.symbols ?? DEFAULT_SYMBOLS).map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
  if (symbols.length === 0) throw new UserError('no symbols given (e.g. --symbols BTCUSDT,SPY)', '--symbols');
  const seen = new Set<string>();
  for (const s of symbols) {
    if (!SYMBOL_RE.test(s)) throw new UserError(`'${s}' is not a symbol (letters and digits, e.g. BTCUSDT or SPY)`, '--symbols');
    if (seen.has(s)) throw new UserError(`'${s}' is listed twice`, '--symbols');
    seen.add(s);
  }
  const edges = mergeEdges(o.edges);
  return {
    seed: o.seed ?? null,
    startMs,
    endMs,
    equityStartMs,
    years,
    cryptoSymbols: symbols.filter(isCryptoSymbol),
    equitySymbols: symbols.filter((s) => !isCryptoSymbol(s)),
    placebo: o.placebo ?? false,
    edges,
  };
}

function mergeEdges(over: SyntheticOptions['edges']): EdgeSettings {
  const out: Record<string, Record<string, number>> = {};
  for (const id of EDGE_IDS) {
    const merged: Record<string, number> = { ...DEFAULT_EDGES[id] };
    for (const [k, v] of Object.entries(over?.[id] ?? {})) {
      if (v === undefined) continue;
      if (!(k in merged)) throw new UserError(`unknown parameter '${k}' for edge ${id}`, `synthetic.edges.${id}`);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${k} must be a number`, `synthetic.edges.${id}.${k}`);
      merged[k] = v;
    }
    for (const [k, v] of Object.entries(merged)) {
      const integer = k.endsWith('_bars') || k === 'lookback' || k === 'history' || k === 'lookback_days';
      if (integer && (!Number.isInteger(v) || v < 1)) {
        throw new UserError(`${k} must be a whole number ≥ 1, got ${v}`, `synthetic.edges.${id}.${k}`);
      }
    }
    out[id] = merged;
  }
  return out as unknown as EdgeSettings;
}
