/**
 * `clean` for one raw dataset: bars, trades or funding in; clean datasets (each with its readiness
 * gate) and the quarantined rows (with file lines) out. The session, lake and command wrap this.
 */
import { UserError } from '../../core/errors.js';
import { tableDigest, type ColumnTable, type Dataset } from '../../core/table.js';
import type { Interval } from '../../core/time.js';
import type { DataConfig } from '../../config/sections/data.js';
import type { LineInfo } from '../files/read-file.js';
import type { RejectedRow } from '../files/rejects.js';
import { stepText } from '../files/shape.js';
import { computeReadiness, type ReadinessContext } from '../readiness/compute.js';
import { cleanBars } from './clean-bars.js';
import { cleanFundingEvents, onSchedule, seriesFundingMode, type CleanFunding, type FundingMode } from './funding.js';
import { resolveLines } from './lines.js';
import { countByReason, type QuarantinedRow } from './quarantine.js';
import { resolveTargets } from './targets.js';
import { cleanSeries } from './series.js';

/** What `ingest file` (and the network ingesters) put in a raw dataset's meta. */
export interface RawMeta {
  readonly rawKind?: 'bars' | 'trades' | 'funding';
  readonly medianStepMs?: number;
  readonly lines?: LineInfo;
  readonly rejects?: readonly RejectedRow[];
  readonly facts?: readonly string[];
  readonly file?: string;
}

export interface CleanRequest {
  readonly raw: Dataset;
  /** `--to`: 'native' (default), 'all', or a comma list of intervals. */
  readonly targets?: string;
  /** Funding settlements (raw or clean `SYMBOL:funding`) to align to perpetual-swap bars. */
  readonly funding?: Dataset;
  /** Open-interest observations (ts plus `open_interest` or `value`), joined as of each bar close. */
  readonly openInterest?: Dataset;
  /** Label for output names (`LABEL:1h`); defaults to the raw dataset's symbol. For a series, the full name. */
  readonly label?: string;
  /** Series only: delay from observation date to known time for rows without a release date (ms). */
  readonly lagMs?: number;
}

export interface CleanResponse {
  readonly datasets: Dataset[];
  readonly quarantine: QuarantinedRow[];
  readonly notes: string[];
}

const metaOf = (ds: Dataset): RawMeta => (ds.meta ?? {}) as RawMeta;
const col = (t: ColumnTable, k: string): Float64Array | undefined => (t.columns[k] instanceof Float64Array ? (t.columns[k] as Float64Array) : undefined);

function fundingFrom(ds: Dataset, cfg: DataConfig): CleanFunding {
  const ts = col(ds.table, 'ts');
  const rate = col(ds.table, 'rate') ?? col(ds.table, 'funding_rate');
  if (!ts || !rate) throw new UserError('not a funding dataset (needs ts and rate columns)', ds.name);
  return cleanFundingEvents(ts, rate, cfg);
}

function withLines(rows: QuarantinedRow[], meta: RawMeta): QuarantinedRow[] {
  const lines = resolveLines(meta.lines, rows.map((r) => r.row));
  const rejected: QuarantinedRow[] = (meta.rejects ?? []).map((r) => ({ row: -1, line: r.line, ts: NaN, reason: 'unparseable_row', detail: `${r.reason}: ${r.text}` }));
  return [...rejected, ...rows.map((r) => ({ ...r, line: lines.get(r.row) ?? null }))].sort((a, b) => (a.line ?? a.row) - (b.line ?? b.row));
}

function baseFacts(meta: RawMeta): Record<string, string | number> {
  const facts: Record<string, string | number> = {};
  if (meta.facts?.length) facts['ingest notes'] = meta.facts.join('; ');
  return facts;
}

export function cleanDataset(req: CleanRequest, config: { readonly data: DataConfig }): CleanResponse {
  const cfg = config.data;
  const raw = req.raw;
  const meta = metaOf(raw);
  const kind = meta.rawKind ?? (raw.kind === 'funding' ? 'funding' : raw.kind === 'trades' ? 'trades' : 'bars');
  const label = req.label ?? raw.symbol ?? raw.name.replace(/^raw:/, '').split(':')[0]!;
  const notes: string[] = [];
  const inputRows = raw.table.length + (meta.rejects?.length ?? 0);

  if (raw.kind === 'series' && !meta.rawKind) {
    const name = req.label ?? raw.name.replace(/^raw:/, '');
    const c = cleanSeries(raw.table, raw.name, req.lagMs !== undefined ? { lagMs: req.lagMs } : {});
    const quarantine = withLines(c.quarantined, meta);
    const facts: Record<string, string | number> = {
      ...baseFacts(meta),
      'value column': c.valueColumn,
      'known time': c.rule,
      'missing values dropped': c.missingValues,
      'superseded at release': c.superseded,
    };
    const ctx: ReadinessContext = { inputRows, quarantined: countByReason(quarantine), facts };
    const draft: Dataset = {
      name,
      kind: 'series',
      stage: 'clean',
      ...(raw.symbol ? { symbol: raw.symbol } : {}),
      ...(raw.assetClass ? { assetClass: raw.assetClass } : {}),
      source: raw.source,
      table: c.table,
      digest: tableDigest(c.table),
      meta: { clean: ctx, from: raw.name, fromDigest: raw.digest },
    };
    notes.push(`${name}: ${c.table.length} values, ${c.rule}`);
    return { datasets: [{ ...draft, gate: computeReadiness(draft, config, ctx) }], quarantine, notes };
  }

  if (kind === 'funding') {
    const f = fundingFrom(raw, cfg);
    const quarantine = withLines(f.quarantined, meta);
    const schedule = onSchedule(f.phaseHour, f.scheduleHours, cfg);
    const mode: FundingMode = seriesFundingMode(f, cfg);
    const cadenceH = f.scheduleHours;
    const hours = [];
    for (let h = f.phaseHour; h < 24; h += cadenceH) hours.push(String(h).padStart(2, '0'));
    const facts: Record<string, string | number> = {
      ...baseFacts(meta),
      'settlement hours (UTC)': cadenceH >= 24 ? `${hours[0]}:00 daily` : cadenceH === 1 ? 'every hour' : `${hours.join('/')}`,
      'stamps floored to the hour': f.floored,
      'off-schedule settlements': f.offSchedule,
    };
    if (!schedule) facts['schedule note'] = `settlements at hour ${f.phaseHour} (mod ${cadenceH}) are off the configured phases ${cfg.funding.phase_hours.join(', ')}: a time-zone offset? (--tz-offset)`;
    if (f.reordered.length) facts['reordered rows'] = f.reordered.length;
    const table: ColumnTable = { length: f.ts.length, columns: { ts: f.ts, rate: f.rate } };
    const ctx: ReadinessContext = { inputRows, quarantined: countByReason(quarantine), fundingMode: mode, facts };
    const draft: Dataset = {
      name: `${label}:funding`,
      kind: 'funding',
      stage: 'clean',
      symbol: label,
      ...(raw.assetClass ? { assetClass: raw.assetClass } : {}),
      source: raw.source,
      table,
      digest: tableDigest(table),
      meta: { clean: ctx, from: raw.name, fromDigest: raw.digest },
    };
    notes.push(`${draft.name}: ${f.ts.length} settlements every ${stepText(f.cadenceMs)}, mode ${mode}`);
    return { datasets: [{ ...draft, gate: computeReadiness(draft, config, ctx) }], quarantine, notes };
  }

  const targets: Interval[] = resolveTargets(req.targets, raw.interval, kind === 'trades' ? 0 : meta.medianStepMs ?? NaN);
  const funding = req.funding ? fundingFrom(req.funding, cfg) : undefined;
  let oi: { ts: Float64Array; value: Float64Array } | undefined;
  if (req.openInterest) {
    const ts = col(req.openInterest.table, 'ts');
    const value = col(req.openInterest.table, 'open_interest') ?? col(req.openInterest.table, 'value');
    if (!ts || !value) throw new UserError('not an open-interest series (needs ts and open_interest or value)', req.openInterest.name);
    oi = { ts, value };
  }
  const result = cleanBars(
    { kind, table: raw.table, interval: raw.interval, medianStepMs: meta.medianStepMs ?? NaN, assetClass: raw.assetClass ?? 'other' },
    targets,
    cfg,
    funding,
    oi,
  );
  const quarantine = withLines(result.quarantined, meta);
  const counts = countByReason(quarantine);
  if (result.reordered.length) {
    const first = resolveLines(meta.lines, [result.reordered[0]!]).get(result.reordered[0]!);
    const shown = raw.source.startsWith('file:') ? raw.source.slice(5) : undefined;
    const where = shown && first !== undefined ? `${shown}:${first}` : `row ${result.reordered[0]! + 1}`;
    notes.push(
      cfg.clean.out_of_order === 'sort'
        ? `${result.reordered.length} rows out of order (first at ${where}); sorted into place`
        : `${result.reordered.length} rows out of order (first at ${where}); quarantined`,
    );
  }
  const datasets: Dataset[] = result.outputs.map((o) => {
    const facts: Record<string, string | number> = { ...baseFacts(meta), ...o.facts };
    if (result.reordered.length) facts['reordered rows'] = result.reordered.length;
    const ctx: ReadinessContext = { inputRows, quarantined: counts, fundingMode: o.fundingMode, ...(o.session ? { session: o.session } : {}), facts };
    const draft: Dataset = {
      name: `${label}:${o.interval}`,
      kind: 'bars',
      stage: 'clean',
      symbol: label,
      interval: o.interval,
      ...(raw.assetClass ? { assetClass: raw.assetClass } : {}),
      source: raw.source,
      table: o.table,
      digest: tableDigest(o.table),
      meta: { clean: ctx, from: raw.name, fromDigest: raw.digest },
    };
    return { ...draft, gate: computeReadiness(draft, config, ctx) };
  });
  return { datasets, quarantine, notes };
}
