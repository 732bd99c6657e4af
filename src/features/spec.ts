/**
 * Feature spec strings: `NAME[:P1[,P2...]][@COLUMN]`, optionally prefixed with `daily:` to compute
 * on the symbol's daily bars and join point-in-time onto the target bars.
 *
 *   sma:50            SMA(close, 50)                         → column sma_50
 *   bb:20,2           Bollinger(20, 2)                       → bb_20_2_mid, …_upper, …_lower, …_pctb, …_width
 *   macd              MACD with defaults 12,26,9             → macd_12_26_9_line, …_signal, …_hist
 *   sma:20@volume     SMA of the volume column               → sma_20_volume
 *   daily:sma:200     SMA(200) of daily closes, visible from the bar after each daily close → daily_sma_200
 *
 * Parameters are validated with zod against each indicator's definition (registry.ts); errors
 * name the indicator, the parameter and the value ("sma: period must be a positive integer, got -3").
 */
import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { suggest } from '../core/suggest.js';
import { INDICATORS, indicatorNames, type IndicatorDef, type ParamDef } from './registry.js';

export interface FeatureSpec {
  /** The canonical spec text with all parameters spelled out, e.g. 'bb:20,2'. */
  readonly text: string;
  readonly indicator: string;
  readonly params: readonly number[];
  /** The input column for series indicators ('close' unless `@column` was given). */
  readonly source: string;
  /** 'bar': on the target bars; 'daily': on the symbol's 1d bars, joined as of each bar's open. */
  readonly timeframe: 'bar' | 'daily';
  /** Output column names, in the indicator's output order. */
  readonly columns: readonly string[];
}

const paramSchema = (ind: string, p: ParamDef): z.ZodType<number> => {
  const what =
    p.kind === 'int'
      ? p.min === 1 ? 'a positive integer' : p.min === 0 ? 'a non-negative integer' : `an integer ≥ ${p.min}`
      : p.min === 0 ? 'a non-negative number' : `a number ≥ ${p.min}`;
  const base = p.kind === 'int' ? z.number().int() : z.number();
  return base.min(p.min).refine(Number.isFinite).describe(`${ind}: ${p.name} must be ${what}`);
};

const fmt = (v: number): string => String(v);

function parseParams(def: IndicatorDef, raw: string | undefined): number[] {
  const parts = raw === undefined || raw === '' ? [] : raw.split(',');
  if (parts.length > def.params.length) {
    const names = def.params.map((p) => p.name).join(',');
    throw new UserError(
      def.params.length === 0
        ? `${def.name}: takes no parameters, got '${raw}'`
        : `${def.name}: takes at most ${def.params.length} parameter${def.params.length > 1 ? 's' : ''} (${names}), got ${parts.length}`,
    );
  }
  return def.params.map((p, i) => {
    const text = parts[i]?.trim();
    if (text === undefined || text === '') return p.default;
    const schema = paramSchema(def.name, p);
    const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
    const r = schema.safeParse(value);
    if (!r.success) throw new UserError(`${schema.description ?? def.name}, got ${text}`);
    return r.data;
  });
}

/** Column name for one output: name, parameters, non-default source, output suffix, with `daily_` in front. */
function columnNames(def: IndicatorDef, params: readonly number[], source: string, timeframe: 'bar' | 'daily'): string[] {
  const stem = [timeframe === 'daily' ? 'daily' : '', def.name, ...params.map(fmt), source === 'close' ? '' : source]
    .filter((s) => s !== '')
    .join('_');
  return def.outputs.map((o) => (o === '' ? stem : `${stem}_${o}`));
}

/** Parse one spec string; throws a UserError naming the spec and what is wrong. */
export function parseSpec(input: string): FeatureSpec {
  const full = input.trim();
  if (full === '') throw new UserError('empty feature spec (expected e.g. sma:50, rsi:14, bb:20,2)');
  let rest = full;
  let timeframe: 'bar' | 'daily' = 'bar';
  if (rest.toLowerCase().startsWith('daily:')) {
    timeframe = 'daily';
    rest = rest.slice('daily:'.length);
  }
  let source = 'close';
  const at = rest.indexOf('@');
  if (at >= 0) {
    source = rest.slice(at + 1).trim();
    rest = rest.slice(0, at);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(source)) throw new UserError(`'${source}' is not a column name (after @)`);
  }
  const colon = rest.indexOf(':');
  const name = (colon >= 0 ? rest.slice(0, colon) : rest).trim().toLowerCase();
  const rawParams = colon >= 0 ? rest.slice(colon + 1) : undefined;
  const def = INDICATORS.get(name);
  if (!def) {
    const names = indicatorNames();
    const hint = suggest(name, names);
    throw new UserError(
      `unknown indicator '${name}'${hint ? `; did you mean '${hint}'?` : ''} (indicators: ${names.join(', ')})`,
    );
  }
  if (source !== 'close' && def.input !== 'series') {
    throw new UserError(`${def.name} reads ${def.input === 'bars' ? 'high, low and close' : 'funding rates'}; it takes no @column`);
  }
  if (timeframe === 'daily' && def.input === 'funding') {
    throw new UserError(`${def.name} is computed on funding events and joined as of each bar; drop the daily: prefix`);
  }
  const params = parseParams(def, rawParams);
  if (def.name === 'macd' && params[0]! >= params[1]!) {
    throw new UserError(`macd: fast period must be below slow period, got ${params[0]},${params[1]}`);
  }
  const text = `${timeframe === 'daily' ? 'daily:' : ''}${def.name}${params.length ? `:${params.map(fmt).join(',')}` : ''}${source === 'close' ? '' : `@${source}`}`;
  return { text, indicator: def.name, params, source, timeframe, columns: columnNames(def, params, source, timeframe) };
}

/** Parse a list of specs; duplicate output columns are dropped (the first spec wins). */
export function parseSpecs(inputs: readonly string[]): FeatureSpec[] {
  const out: FeatureSpec[] = [];
  const seen = new Set<string>();
  for (const s of inputs) {
    const spec = parseSpec(s);
    if (spec.columns.every((c) => seen.has(c))) continue;
    spec.columns.forEach((c) => seen.add(c));
    out.push(spec);
  }
  return out;
}
