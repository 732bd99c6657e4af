/**
 * The AlphaBundle's session workflow behind the `fit`, `fit apply`, `models` and `export panel`
 * commands: find the universe's datasets, build the panel, fit or score, and lay the panel out as a
 * long table (one row per bar and symbol) that `show` and `export` can read. The engine side stays
 * free of the shell: anything with datasets, a data root and regime inputs works.
 */
import { extname } from 'node:path';
import { UserError } from '../core/errors.js';
import { tableDigest, type ColumnTable, type Dataset } from '../core/table.js';
import { intervalMs, parseInterval, type Interval } from '../core/time.js';
import { withDuck, sqlString, duckMessage } from '../data/lake/duck.js';
import { queryTable } from '../data/lake/columns.js';
import { getRegimeLookup, type RegimeSessionLike } from '../regime/state.js';
import type { RegimeSnapshot } from '../regime/types.js';
import type { AlphaBundleFile } from './bundle.js';
import { scorePanel } from './apply.js';
import { buildPanel, joinExternal, universeDatasets, type Panel } from './panel.js';
import { purgedFolds } from './folds.js';
import { buildDesign } from './design.js';
import { demeanAcross, forwardReturns } from './labels.js';
import { buildSignals } from './signals.js';
import { universeMembership } from './universe.js';

export interface AlphaSessionLike extends RegimeSessionLike {
  readonly dataRoot: string;
  resolvePath(p: string): string;
}

/** The interval with the most crypto bar datasets (ties: the shorter), or a UserError when none. */
export function defaultUniverseInterval(datasets: ReadonlyMap<string, Dataset>): Interval {
  const count = new Map<Interval, number>();
  for (const d of datasets.values()) {
    if (d.kind === 'bars' && d.interval && d.stage !== 'raw' && (d.assetClass === 'crypto_perp' || d.assetClass === 'crypto_spot')) count.set(d.interval, (count.get(d.interval) ?? 0) + 1);
  }
  const best = [...count].sort((a, b) => b[1] - a[1] || intervalMs(a[0]) - intervalMs(b[0]))[0];
  if (!best || best[1] < 2) throw new UserError('no crypto universe loaded: `ingest synthetic --universe 50` makes one, or load perpetuals with `ingest`', 'fit');
  return best[0];
}

/** A horizon like '4h', '1d' or a bare bar count, in bars of `interval`. */
export function horizonBars(spec: string, interval: Interval): number {
  if (/^\d+$/.test(spec)) return Number(spec);
  const m = /^(\d+)([mhdw])$/.exec(spec);
  if (!m) throw new UserError(`expected a horizon like 4h, 1d or a number of bars, got '${spec}'`, '--horizon');
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'm' | 'h' | 'd' | 'w'];
  const ms = Number(m[1]) * unit;
  const step = intervalMs(interval);
  if (ms % step !== 0 || ms < step) throw new UserError(`horizon ${spec} is not a whole number of ${interval} bars`, '--horizon');
  return ms / step;
}

export async function readExternalSeries(path: string): Promise<ColumnTable> {
  const reader = extname(path).toLowerCase() === '.parquet' ? 'read_parquet' : 'read_csv_auto';
  return withDuck(async (conn) => {
    try {
      return await queryTable(conn, `SELECT ts, symbol, value FROM ${reader}(${sqlString(path)}) ORDER BY ts`);
    } catch (err) {
      throw new UserError(`cannot read an on-chain series (columns ts, symbol, value): ${duckMessage(err)}`, path);
    }
  });
}

/** The panel of `symbols` (default: every loaded crypto universe symbol) at `interval`, with an optional on-chain series. */
export async function panelFor(session: AlphaSessionLike, interval: Interval, symbols?: readonly string[], onchainPath?: string): Promise<{ panel: Panel; data: Record<string, string> }> {
  const bars = universeDatasets(session.datasets, interval, symbols);
  let panel = buildPanel(bars, session.datasets, interval);
  if (onchainPath) {
    const t = await readExternalSeries(session.resolvePath(onchainPath));
    panel = joinExternal(panel, 'onchain', t.columns['ts'] as Float64Array, (t.columns['symbol'] as string[]).map(String), t.columns['value'] as Float64Array);
  }
  const data: Record<string, string> = {};
  for (const d of bars) data[d.name] = d.digest;
  return { panel, data };
}

/** Regime snapshot at a time, or null when the session has no regime inputs at all. */
export function regimeAtFor(session: AlphaSessionLike, gating: Readonly<Record<string, number>>): ((t: number) => RegimeSnapshot | null) | null {
  if (Object.keys(gating).length === 0) return null;
  const lookup = getRegimeLookup(session);
  return (t) => lookup(t);
}

/** Parse 'crypto:RISK_OFF=0.5,vol:HIGH=0' into a gating map. */
export function parseGating(spec: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!spec) return out;
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(equity|vol|crypto|macro):([A-Z_]+)=([0-9.]+)$/.exec(part);
    if (!m || !(Number(m[3]) >= 0)) throw new UserError(`expected DIMENSION:LEVEL=SCALE (e.g. crypto:RISK_OFF=0.5), got '${part}'`, '--gate');
    out[`${m[1]}:${m[2]}`] = Number(m[3]);
  }
  return out;
}

/**
 * The panel as a long table: ts, symbol, member, each signal, y (the demeaned forward label), fold
 * (the CV test block the row falls in, −1 outside the fit's design) and, when scored, score and mu.
 */
export function panelTable(bundle: AlphaBundleFile, panel: Panel): ColumnTable {
  const N = panel.symbols.length;
  const T = panel.ts.length;
  const scored = scorePanel(bundle, panel, null);
  const member = scored.member;
  const signals = buildSignals(panel, bundle.signals, member, bundle.signalParams);
  const y = demeanAcross(forwardReturns(panel, { horizon: bundle.label.horizon, volScaled: bundle.label.volScaled, volWindow: bundle.signalParams.volWindow }), N, member);
  const design = buildDesign(signals, bundle.signals, N, member, y);
  const fold = new Float64Array(T * N).fill(-1);
  for (const f of purgedFolds(design.bar, { folds: bundle.cv.folds, horizon: bundle.label.horizon, embargo: bundle.cv.embargo })) {
    for (const r of f.test) fold[design.bar[r]! * N + design.symbol[r]!] = f.index;
  }
  const keep: number[] = [];
  for (let c = 0; c < T * N; c++) if (Number.isFinite(panel.close[c]!)) keep.push(c);
  const pick = (m: Float64Array | Uint8Array): Float64Array => Float64Array.from(keep, (c) => m[c]!);
  const columns: Record<string, Float64Array | string[]> = {
    ts: Float64Array.from(keep, (c) => panel.ts[Math.floor(c / N)]!),
    symbol: keep.map((c) => panel.symbols[c % N]!),
    member: pick(member),
  };
  for (const name of bundle.signals) columns[name] = pick(signals.get(name)!);
  columns['y'] = pick(y);
  columns['fold'] = pick(fold);
  columns['score'] = pick(scored.score);
  columns['mu'] = pick(scored.mu);
  return { length: keep.length, columns };
}

export function panelDataset(bundle: AlphaBundleFile, table: ColumnTable): Dataset {
  return {
    name: `panel:${bundle.name}`, kind: 'table', stage: 'derived', interval: bundle.interval, source: `alpha_bundle:${bundle.name}`,
    table, digest: tableDigest(table), meta: { model: bundle.name, digest: bundle.digest, note: 'y: forward log return over the label horizon, demeaned across members; fold: CV test block (−1: not in the design)' },
  };
}

export const parseIntervalArg = (s: string | undefined, datasets: ReadonlyMap<string, Dataset>): Interval => (s ? parseInterval(s) : defaultUniverseInterval(datasets));
