/**
 * Column mapping: which source column (or pair of columns, for a date and a time) feeds each
 * canonical column. From `--map ts=Date+Time,close=Close` (names are matched case-insensitively,
 * `#3` means the third column), from a preset's layout, and otherwise by known aliases.
 */
import { UserError } from '../../core/errors.js';

/** Canonical columns a file may feed. Anything else numeric passes through under a snake_case name. */
export const CANONICAL = [
  'ts', 'open', 'high', 'low', 'close', 'volume', 'adj_close', 'open_interest', 'quote_volume', 'trades',
  'taker_buy_volume', 'taker_buy_quote_volume', 'liquidations_long', 'liquidations_short', 'funding_rate',
  'rate', 'price', 'amount', 'side', 'bid', 'ask', 'symbol',
] as const;
export type CanonicalColumn = (typeof CANONICAL)[number];

/** Columns kept as text; every other mapped column is a number. */
export const TEXT_COLUMNS: ReadonlySet<string> = new Set(['side', 'symbol']);

/** Source column references for each mapped canonical column (two references = joined with a space). */
export type ColumnMap = Partial<Record<CanonicalColumn, readonly string[]>>;

const key = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

const ALIASES: Record<string, CanonicalColumn> = {};
const alias = (c: CanonicalColumn, names: string[]): void => names.forEach((n) => (ALIASES[key(n)] = c));
alias('ts', ['ts', 'date', 'datetime', 'timestamp', 'time', 'opentime', 'open_time', 'unix', 'datetimeutc', 'timestamputc', 't']);
alias('open', ['open', 'o', 'openprice']);
alias('high', ['high', 'h', 'highprice']);
alias('low', ['low', 'l', 'lowprice']);
alias('close', ['close', 'c', 'closeprice', 'last']);
alias('volume', ['volume', 'vol', 'v', 'basevolume', 'baseassetvolume']);
alias('adj_close', ['adjclose', 'adjustedclose']);
alias('open_interest', ['openinterest', 'oi', 'sumopeninterest']);
alias('quote_volume', ['quotevolume', 'quoteassetvolume']);
alias('trades', ['count', 'numberoftrades', 'trades', 'tradecount']);
alias('taker_buy_volume', ['takerbuyvolume', 'takerbuybaseassetvolume', 'takerbuybasevolume']);
alias('taker_buy_quote_volume', ['takerbuyquotevolume', 'takerbuyquoteassetvolume']);
alias('liquidations_long', ['liquidationslong', 'longliquidations']);
alias('liquidations_short', ['liquidationsshort', 'shortliquidations']);
alias('rate', ['rate', 'funding']);
alias('funding_rate', ['fundingrate']);
alias('price', ['price', 'px']);
alias('amount', ['amount', 'qty', 'quantity', 'size']);
alias('side', ['side', 'takerside']);
alias('bid', ['bid', 'bidprice']);
alias('ask', ['ask', 'offer', 'askprice', 'offerprice']);
alias('symbol', ['symbol', 'pair', 'ticker', 'instrument']);

export const canonicalOf = (name: string): CanonicalColumn | undefined => ALIASES[key(name)];

/** snake_case name for a pass-through column ('Optix_Close' → 'optix_close', 'Adj Close' → 'adj_close'). */
export const snakeName = (name: string): string =>
  name.trim().replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'column';

/** Resolve one reference ('Close', 'close', '#5') to a source column name. */
export function resolveRef(ref: string, names: readonly string[], where: string): string {
  const r = ref.trim();
  if (/^#\d+$/.test(r)) {
    const i = Number(r.slice(1));
    if (i < 1 || i > names.length) throw new UserError(`column ${r} does not exist (the file has ${names.length} columns)`, where);
    return names[i - 1]!;
  }
  const exact = names.find((n) => n === r) ?? names.find((n) => n.toLowerCase() === r.toLowerCase());
  if (exact === undefined) throw new UserError(`no column '${r}' (columns: ${names.join(', ')})`, where);
  return exact;
}

/** Parse `ts=Date+Time,close=Close,volume=#6` into a ColumnMap of source references. */
export function parseMapSpec(spec: string): ColumnMap {
  const out: Record<string, string[]> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UserError(`cannot read '${part}' (expected target=SourceColumn, e.g. close=Close or ts=Date+Time)`, 'map');
    const target = part.slice(0, eq).trim().toLowerCase();
    if (!(CANONICAL as readonly string[]).includes(target))
      throw new UserError(`unknown target column '${target}' (one of ${CANONICAL.join(', ')})`, 'map');
    const refs = part.slice(eq + 1).split('+').map((r) => r.trim()).filter(Boolean);
    if (refs.length === 0 || refs.length > 2 || (refs.length === 2 && target !== 'ts'))
      throw new UserError(`'${part}': give one source column (two joined by + only for ts, e.g. ts=Date+Time)`, 'map');
    out[target] = refs;
  }
  return out as ColumnMap;
}

/**
 * Complete a map: explicit references first (resolved against `names`), then aliases for the rest.
 * A 'Date' + 'Time' pair becomes ts = Date+Time. Returns the map in source names and the columns
 * left unmapped.
 */
export function completeMap(names: readonly string[], explicit: ColumnMap, where: string): { map: ColumnMap; unmapped: string[] } {
  const map: Record<string, string[]> = {};
  const used = new Set<string>();
  for (const [target, refs] of Object.entries(explicit)) {
    const resolved = refs!.map((r) => resolveRef(r, names, where));
    map[target] = resolved;
    resolved.forEach((n) => used.add(n));
  }
  if (!map['ts']) {
    const date = names.find((n) => key(n) === 'date');
    const time = names.find((n) => key(n) === 'time');
    if (date && time && !used.has(date) && !used.has(time)) {
      map['ts'] = [date, time];
      used.add(date);
      used.add(time);
    }
  }
  for (const n of names) {
    if (used.has(n)) continue;
    const c = canonicalOf(n);
    if (c && !map[c]) {
      map[c] = [n];
      used.add(n);
    }
  }
  return { map: map as ColumnMap, unmapped: names.filter((n) => !used.has(n)) };
}
