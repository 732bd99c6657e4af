/**
 * The readiness gate: one verdict per dataset, from thresholds in `data.readiness` (configs/base.yaml).
 * Works on any bars or funding dataset — cleaned here, synthetic, or fetched — so every dataset in a
 * session can carry one. `features`, `discover`, `fit` and `backtest` refuse a failed dataset unless
 * --force (src/data/ready.ts).
 *
 * Bars: rows, coverage on the dataset's calendar, gap count, longest gap (bars), quarantined
 * fraction, funding alignment (perpetual swaps), timestamps strictly increasing.
 * Funding: the same over settlements (the cadence is the grid), plus the settlement schedule.
 * Series (ts = when known): rows, quarantined fraction, timestamps strictly increasing.
 */
import type { Gate } from '../../core/result.js';
import type { Dataset, ReadinessGate } from '../../core/table.js';
import { HOUR, intervalMs, shortUtc, isoUtc } from '../../core/time.js';
import type { DataConfig } from '../../config/sections/data.js';
import { findGaps, type GapReport } from '../clean/gaps.js';
import { calendarFor, describeCalendar } from '../clean/calendar-choice.js';
import { cleanFundingEvents, seriesFundingMode, type FundingMode } from '../clean/funding.js';
import { formatReasonCounts } from '../clean/quarantine.js';
import { stepText } from '../files/shape.js';
import type { SessionTimes } from '../clean/calendar.js';

/** What clean knows beyond the dataset itself; read from `dataset.meta.clean` when not given. */
export interface ReadinessContext {
  /** Rows clean started from (raw rows, or settlements). */
  readonly inputRows?: number;
  readonly quarantined?: Readonly<Record<string, number>>;
  readonly fundingMode?: FundingMode;
  readonly session?: SessionTimes;
  /** Extra facts to show beside the gates. */
  readonly facts?: Readonly<Record<string, string | number>>;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

function fundingModeFromColumn(ds: Dataset): FundingMode {
  if (ds.assetClass !== 'crypto_perp') return 'none';
  const fr = ds.table.columns['funding_rate'];
  if (!(fr instanceof Float64Array)) return 'missing';
  let nonZero = 0;
  let first = NaN;
  let constant = true;
  for (let i = 0; i < fr.length; i++) {
    const x = fr[i]!;
    if (x !== 0 && Number.isFinite(x)) {
      if (nonZero === 0) first = x;
      else if (x !== first) constant = false;
      nonZero++;
    }
  }
  if (nonZero === 0) return 'missing';
  return constant && nonZero >= 3 ? 'constant' : 'aligned';
}

function gapGates(report: GapReport, rows: number, r: DataConfig['readiness'], unit: string, step: (g: GapReport['longest']) => string): Gate[] {
  const longest = report.longest?.missing ?? 0;
  return [
    {
      name: 'rows',
      value: rows,
      threshold: `≥ ${r.min_rows}`,
      pass: rows >= r.min_rows,
      ...(rows < r.min_rows ? { reason: `only ${rows} ${unit}` } : {}),
    },
    {
      name: 'coverage',
      value: Number(report.coverage.toFixed(4)),
      threshold: `≥ ${r.min_coverage}`,
      pass: report.coverage >= r.min_coverage,
      ...(report.coverage < r.min_coverage ? { reason: `${report.missing} ${unit} missing` } : {}),
    },
    {
      name: 'gaps',
      value: report.gaps.length,
      threshold: `≤ ${r.max_gaps}`,
      pass: report.gaps.length <= r.max_gaps,
      ...(report.gaps.length > r.max_gaps ? { reason: `${report.gaps.length} runs of missing ${unit}` } : {}),
    },
    {
      name: `longest gap (${unit})`,
      value: longest,
      threshold: `≤ ${r.max_longest_gap_bars}`,
      pass: longest <= r.max_longest_gap_bars,
      ...(longest > r.max_longest_gap_bars ? { reason: step(report.longest) } : {}),
    },
  ];
}

/** The readiness gate of `ds` under `config.data` (thresholds) and what clean reports in `ctx`. */
export function computeReadiness(ds: Dataset, config: { readonly data: DataConfig }, ctx?: ReadinessContext): ReadinessGate {
  const cfg = config.data;
  const r = cfg.readiness;
  const c: ReadinessContext = ctx ?? ((ds.meta?.['clean'] as ReadinessContext | undefined) ?? {});
  const ts = ds.table.columns['ts'];
  if (!(ts instanceof Float64Array)) {
    return { pass: false, gates: [{ name: 'timestamps', value: 'absent', threshold: 'a ts column', pass: false, reason: 'the table has no ts column' }], facts: {} };
  }
  const n = ts.length;
  let increasing = true;
  for (let i = 1; i < n && increasing; i++) increasing = ts[i]! > ts[i - 1]!;
  const facts: Record<string, string | number> = {
    rows: n,
    range: n ? `${isoUtc(ts[0]!)} .. ${isoUtc(ts[n - 1]!)}` : 'empty',
  };
  const gates: Gate[] = [];
  const inputRows = c.inputRows ?? n;
  const qCounts = c.quarantined ?? {};
  const qTotal = Object.values(qCounts).reduce((s, x) => s + x, 0);
  const qFrac = inputRows > 0 ? qTotal / inputRows : 0;

  if (ds.kind === 'funding') {
    const steps: number[] = [];
    for (let i = 1; i < n; i++) steps.push(ts[i]! - ts[i - 1]!);
    steps.sort((a, b) => a - b);
    const cadence = steps.length ? steps[Math.floor((steps.length - 1) / 2)]! : cfg.funding.interval_hours * HOUR;
    const report = increasing && n ? findGaps(ts, { kind: 'continuous', grid: { kind: 'fixed', step: cadence, anchor: 0 } }) : { gaps: [], missing: 0, coverage: n ? 1 : 0, longest: null };
    gates.push(
      ...gapGates(report, n, { ...r, max_longest_gap_bars: cfg.funding.max_longest_gap_settlements }, 'settlements', (g) =>
        g ? `${g.missing} settlements missing after ${shortUtc(g.after)}` : '',
      ),
    );
    const rate = ds.table.columns['rate'] ?? ds.table.columns['funding_rate'];
    const mode = c.fundingMode ?? (rate instanceof Float64Array && increasing ? seriesFundingMode(cleanFundingEvents(ts, rate, cfg), cfg) : 'missing');
    facts['cadence'] = stepText(cadence);
    if (cadence !== cfg.funding.interval_hours * HOUR) facts['cadence note'] = `config expects ${cfg.funding.interval_hours} h`;
    facts['funding mode'] = mode;
    gates.push(fundingGate(mode, cfg));
    addGapFacts(facts, report);
  } else if (ds.kind === 'series') {
    // An observation series (ts = when each value became known): no bar grid, so no gap gates.
    const min = r.min_series_values;
    gates.push({ name: 'values', value: n, threshold: `≥ ${min}`, pass: n >= min, ...(n < min ? { reason: `only ${n} values` } : {}) });
    const steps: number[] = [];
    for (let i = 1; i < n; i++) steps.push(ts[i]! - ts[i - 1]!);
    steps.sort((a, b) => a - b);
    if (steps.length) facts['median step'] = stepText(steps[Math.floor((steps.length - 1) / 2)]!);
  } else {
    if (!ds.interval) {
      gates.push({ name: 'interval', value: 'irregular', threshold: 'a bar interval', pass: false, reason: 'clean the dataset to a bar interval first' });
    } else {
      const cal = calendarFor(ts, ds.interval, ds.assetClass, r.session_gap_weekdays, c.session);
      const report = increasing ? findGaps(ts, cal) : { gaps: [], missing: 0, coverage: 0, longest: null };
      const step = intervalMs(ds.interval);
      gates.push(
        ...gapGates(report, n, r, 'bars', (g) => (g ? `${g.missing} bars (${stepText(g.missing * step)}) missing after ${shortUtc(g.after)}` : '')),
      );
      facts['calendar'] = describeCalendar(cal);
      addGapFacts(facts, report);
    }
    const mode = c.fundingMode ?? fundingModeFromColumn(ds);
    facts['funding mode'] = mode;
    if (ds.assetClass === 'crypto_perp' || mode !== 'none') gates.push(fundingGate(mode, cfg));
  }
  gates.push({
    name: 'quarantined',
    value: Number(qFrac.toFixed(4)),
    threshold: `≤ ${r.max_quarantined_fraction}`,
    pass: qFrac <= r.max_quarantined_fraction,
    ...(qFrac > r.max_quarantined_fraction ? { reason: `${qTotal} of ${inputRows} rows: ${formatReasonCounts(qCounts)}` } : {}),
  });
  gates.push({
    name: 'ordered',
    value: increasing ? 'yes' : 'no',
    threshold: 'strictly increasing ts',
    pass: increasing,
    ...(increasing ? {} : { reason: 'timestamps repeat or go backwards: run clean' }),
  });
  facts['quarantined'] = qTotal ? `${qTotal} (${formatReasonCounts(qCounts)})` : 0;
  for (const [k, v] of Object.entries(c.facts ?? {})) facts[k] = v;
  return { pass: gates.every((g) => g.pass), gates, facts };
}

function fundingGate(mode: FundingMode, cfg: DataConfig): Gate {
  const failing = (cfg.readiness.fail_on_funding_modes as readonly string[]).includes(mode);
  return {
    name: 'funding alignment',
    value: mode,
    threshold: `not ${cfg.readiness.fail_on_funding_modes.join('/') || '(none)'}`,
    pass: !failing,
    ...(failing
      ? { reason: mode === 'missing' ? 'no funding settlements for this perpetual swap: ingest a funding file and clean with --funding' : 'settlements off the bar grid or schedule: check --tz-offset' }
      : {}),
  };
}

function addGapFacts(facts: Record<string, string | number>, report: GapReport): void {
  facts['coverage'] = pct(report.coverage);
  facts['gaps'] = report.gaps.length;
  facts['longest gap'] = report.longest ? `${report.longest.missing} after ${shortUtc(report.longest.after)}` : 0;
}
