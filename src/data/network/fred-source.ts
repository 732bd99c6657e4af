/**
 * FRED macro series: GET {base}/fred/series (checks the series, tells its frequency and units)
 * and {base}/fred/series/observations (paged by limit/offset, ascending), file_type=json, with the
 * API key from the environment variable the config names.
 *
 * Point in time: FRED's default answer is the latest revision of every observation, and `date` is
 * the period the value describes, not when it became known. We ask ALFRED's real-time API for the
 * initial release only (`realtime_start=1776-07-04&realtime_end=9999-12-31&output_type=4`): every
 * row is the value as first published, with `realtime_start` = the day it was published. The raw
 * table keeps `ts` = the observation date (00:00 UTC), `value` (NaN for FRED's '.') and
 * `realtime_start`; `clean` (src/data/clean/series.ts) stamps each value at the end of its release
 * day, so a backtest never reads a value before it was published nor a later revision of it.
 */
import { registerSecret } from '../../core/redact.js';
import { UserError, throwIfAborted } from '../../core/errors.js';
import { DAY } from '../../core/time.js';
import type { NetworkConfig } from '../../config/sections/network.js';
import { ColumnBuilder, emitPage, num } from './columns.js';
import { getJson, type JsonAnswer } from './http.js';
import { HttpSource } from './http-source.js';
import type { FetchRequest, NetworkDeps, NetworkSource, PageSink, SourceSymbol } from './types.js';

export const FRED_DEFAULT_BASE = 'https://api.stlouisfed.org';
export const FRED_COLUMNS = ['ts', 'value', 'realtime_start'] as const;

interface FredObservation {
  realtime_start: string;
  realtime_end: string;
  date: string;
  value: string;
}

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const dayMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);

export class FredSource extends HttpSource implements NetworkSource {
  readonly id = 'fred' as const;

  constructor(config: NetworkConfig, deps: NetworkDeps) {
    super(config, deps, 'fred observations', config.fred.rate_limit_ms);
  }

  private key(): string {
    const name = this.config.fred.api_key_env;
    const key = this.deps.env[name];
    if (!key) throw new UserError(`fred needs an API key: set ${name} in the environment (name from network.fred.api_key_env)`, 'network');
    return key;
  }

  private url(path: string, params: Record<string, string>): string {
    const base = (this.config.fred.base_url || FRED_DEFAULT_BASE).replace(/\/+$/, '');
    const key = this.key();
    registerSecret(key); // whatever variable it came from, it is redacted everywhere
    const q = new URLSearchParams({ ...params, api_key: key, file_type: 'json' });
    return `${base}${path}?${q}`;
  }

  /** FRED's errors are {"error_code":400,"error_message":"Bad Request.  The series does not exist."}. */
  private refusal(series: string, a: JsonAnswer): UserError {
    const msg = (a.body as { error_message?: string } | undefined)?.error_message ?? a.text.slice(0, 160);
    if (/series does not exist/i.test(msg)) return new UserError(`fred has no series '${series}' (${msg.replace(/\s+/g, ' ')})`, `symbol ${series}`);
    if (/api_key/i.test(msg)) {
      return new UserError(`fred refused the API key (${msg.replace(/\s+/g, ' ')}); check ${this.config.fred.api_key_env}`, 'network');
    }
    return new UserError(`fred refused the request for '${series}' (HTTP ${a.status}): ${msg.replace(/\s+/g, ' ')}`, `symbol ${series}`);
  }

  async resolve(symbol: string): Promise<SourceSymbol> {
    const name = symbol.trim().toUpperCase();
    const a = await getJson(this.http, this.url('/fred/series', { series_id: name }));
    const s = (a.body as { seriess?: { id: string; frequency_short?: string; units_short?: string; title?: string }[] } | undefined)?.seriess?.[0];
    if (a.status >= 400 || !s) throw this.refusal(name, a);
    return {
      name: s.id,
      id: s.id,
      assetClass: 'macro',
      meta: { frequency: s.frequency_short ?? '', units: s.units_short ?? '', title: s.title ?? '' },
    };
  }

  async fetch(sym: SourceSymbol, req: FetchRequest, sink: PageSink): Promise<void> {
    if (req.what !== 'series') throw new UserError(`fred serves series only, not ${req.what}`, '--what');
    const { from, to } = req.window;
    const limit = this.config.fred.page_limit;
    const params = {
      series_id: sym.id,
      // Whole days: a window starting inside a day begins at the next day's observation.
      observation_start: dateOf(Math.ceil(from / DAY) * DAY),
      observation_end: dateOf(to - 1),
      sort_order: 'asc',
      limit: String(limit),
      // Initial release only, over all real time: each row's value as first published, and the day
      // it was published (realtime_start), which `clean` turns into the time it was known.
      realtime_start: '1776-07-04',
      realtime_end: '9999-12-31',
      output_type: '4',
    };
    for (let offset = 0; ; ) {
      throwIfAborted(this.deps.signal);
      const a = await getJson(this.http, this.url('/fred/series/observations', { ...params, offset: String(offset) }));
      const body = a.body as { count?: number; observations?: FredObservation[] } | undefined;
      if (a.status >= 400 || !body) throw this.refusal(sym.id, a);
      const obs = body.observations ?? [];
      if (obs.length === 0) break;
      const page = new ColumnBuilder(FRED_COLUMNS);
      for (const o of obs) {
        const ts = dayMs(o.date);
        if (ts >= from && ts < to) page.push([ts, num(o.value), dayMs(o.realtime_start)]);
      }
      await emitPage(page, this.stats, sink);
      offset += obs.length;
      const count = body.count ?? offset;
      this.deps.progress?.(`fred ${sym.id}`, count ? offset / count : 1);
      if (offset >= count) break;
    }
  }
}
