import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { INTERVALS, isoUtc, parseUtc, shortUtc, type Interval } from '../src/core/time.js';
import { suggest } from '../src/core/suggest.js';
import { findModelSpec, modelNames } from '../src/models/registry.js';
import { edgeTemplateFor } from '../src/research/edge-template.js';
import { loadCandidate } from '../src/store/ledger.js';
import { loadBundle } from '../src/alpha/store.js';
import { loadMeta } from '../src/ml/meta.js';
import { portfolioPlan, singleModelPlan } from '../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../src/backtest/run-backtest.js';
import { backtestBlocks, summaryLines } from '../src/backtest/report-blocks.js';
import { backtestRecord, resultsDbPath, storeBacktestRun } from '../src/store/index.js';
import { reportFactsOf } from '../src/store/run-extras.js';
import { buildRunData } from '../src/report/run-data-build.js';
import { exportRun } from '../src/report/export-run.js';
import { tearSheet } from '../src/report/tear-sheet.js';
import { reportBlocks } from '../src/report/blocks.js';
import { reportConfigOf } from '../src/config/sections/report.js';
import type { RunData } from '../src/report/run-data.js';
import type { RunRecord } from '../src/store/record.js';
import type { BacktestReport } from '../src/backtest/run-backtest.js';
import type { Session } from '../src/shell/session.js';

/** Flags that only make sense for one model, with the parameter they set. */
const MODEL_FLAGS = ['symbol', 'fast', 'slow', 'short', 'size', 'params', 'borrowBps', 'maxParticipation', 'bundle'] as const;

/** 'k=v,k2=v2' → { k: v, k2: v2 } with numbers and booleans parsed. */
function parseParams(spec: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UserError(`expected key=value pairs separated by commas, got '${part}'`, '--params');
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    out[k] = v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v.includes('|') ? v.split('|') : v;
  }
  return out;
}

export default defineCommand({
  name: 'backtest',
  summary: 'backtest the configured portfolio, or one model, with bias probes, metrics, costs and risk modes',
  job: true,
  usage: '[MODEL] [--symbol S] [--fast N --slow N] [--short] [--size units:N|equity:F] [--interval 1d] [--fill next_open|same_close] [--commission-pct P] [--borrow-bps B] [--max-participation F] [--start DATE] [--end DATE] [--benchmark SYMBOL] [--export DIR [--export-format csv|parquet]]',
  positional: ['model'],
  flagAliases: { model: 'bundle' },
  schema: z.object({
    model: z.string().optional().describe(`one model instead of the configured portfolio: ${modelNames().join(', ')}`),
    symbol: z.string().optional().describe('symbol for a single-symbol model (sma_cross, vol_compression_v1)'),
    fast: z.coerce.number().int().positive().optional().describe('sma_cross: fast SMA period in bars'),
    slow: z.coerce.number().int().positive().optional().describe('sma_cross: slow SMA period in bars'),
    short: z.boolean().default(false).describe('sma_cross: go short below the slow average (default long-only)'),
    size: z.string().optional().describe("position size: 'units:N' or 'equity:F' (fraction of equity)"),
    params: z.string().optional().describe("other model parameters as key=value pairs, e.g. 'trail_atr=2,max_hold_bars=32' (lists: a|b)"),
    interval: z.enum(INTERVALS as [Interval, ...Interval[]]).optional().describe('bar interval of the run (default backtest.interval)'),
    fill: z.enum(['next_open', 'same_close']).optional().describe('market orders fill at the next open or the decision close'),
    commissionPct: z.coerce.number().min(0).max(10).optional().describe('commission in % of notional on every fill (single model; slippage and impact then 0)'),
    slippageBps: z.coerce.number().min(0).max(1000).optional().describe('slippage in bps on taker fills (single model)'),
    borrowBps: z.coerce.number().min(0).max(100_000).optional().describe('borrow fee on short positions, bps per year (single model; never on perpetual swaps)'),
    maxParticipation: z.coerce.number().gt(0).max(1).optional().describe('largest fraction of a bar\'s volume an order fills in that bar; the rest works on later bars (single model)'),
    risk: z.boolean().default(false).describe('single model: keep the configured risk limits and rebalance band'),
    skipProbes: z.boolean().default(false).describe('skip the look-ahead and warm-up probes (faster; the gates are then missing)'),
    force: z.boolean().default(false).describe('run on datasets whose readiness gate failed'),
    rows: z.coerce.number().int().min(0).max(10_000).default(20).describe('rows of the trades and orders logs to show'),
    db: z.string().optional().describe('results database to store the run in (default: config session.results_db)'),
    noStore: z.boolean().default(false).describe('do not store the run in the results database'),
    start: z.string().optional().describe('first decision time (UTC date or time); warm-up uses the bars before it'),
    end: z.string().optional().describe('last bar time of the run (UTC date or time)'),
    benchmark: z.string().optional().describe('benchmark symbol (buy-and-hold); default: the traded assets, equal weight'),
    export: z.string().optional().describe('write fills, orders, trades, equity, positions, metrics, config and manifest to this folder'),
    exportFormat: z.enum(['csv', 'parquet']).default('csv').describe('format of the exported tables'),
    bundle: z.string().optional().describe('alpha_bundle / hybrid_alpha: the fitted model to trade, by name (see `models`; default alpha_bundle, meta)'),
  }),
  completion: { model: modelNames(), symbol: 'symbol', benchmark: 'symbol', fill: ['next_open', 'same_close'], interval: [...INTERVALS], db: 'path', export: 'path', exportFormat: ['csv', 'parquet'] },
  examples: [
    'backtest',
    'backtest sma_cross --symbol SPY --fast 10 --slow 30',
    'backtest sma_cross --symbol SPY --interval 1d --size units:10 --commission-pct 0.1',
    'backtest vol_compression_v1 --symbol BTCUSDT --interval 15m --params trail_atr=2',
    'backtest sma_cross --symbol SPY --interval 1d --start 2022-01-01 --end 2023-01-01 --export /tmp/sma-run',
    'backtest --benchmark SPY',
    'backtest alpha_bundle --model xs1 --interval 1h --start 2019-09-01',
  ],
  async run(session, args, io) {
    let plan;
    if (args.model === undefined) {
      const given = MODEL_FLAGS.filter((k) => args[k] !== undefined && args[k] !== false);
      if (given.length) {
        const flag = `--${given[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        throw new UserError(`${flag} applies to one model, e.g. \`backtest sma_cross --symbol SPY\``, flag);
      }
      plan = portfolioPlan(session.config);
    } else {
      // `edge:ID`: a discovery candidate traded by the edge_template model (src/research/edge-template.ts)
      const edge = args.model.startsWith('edge:') ? edgeTemplateFor(await loadCandidate(resultsDbPath(session, args.db), args.model.slice(5)), session.datasets) : undefined;
      if (edge) {
        args.model = 'edge_template';
        args.params = undefined;
        args.interval ??= edge.interval;
      }
      if (!findModelSpec(args.model)) {
        const hint = suggest(args.model, modelNames());
        throw new UserError(`unknown model '${args.model}'${hint ? `; did you mean '${hint}'?` : ''} (models: ${modelNames().join(', ')})`, 'model');
      }
      const params: Record<string, unknown> = { ...(args.params !== undefined ? parseParams(args.params) : {}), ...(edge ? edge.params : {}) };
      if (args.symbol !== undefined) params['symbol'] = args.symbol.toUpperCase();
      if (args.fast !== undefined) params['fast'] = args.fast;
      if (args.slow !== undefined) params['slow'] = args.slow;
      if (args.short) params['short'] = true;
      if (args.size !== undefined) params['size'] = args.size;
      if (args.model === 'hybrid_alpha') params['meta'] = loadMeta(session.dataRoot, args.bundle ?? 'meta');
      else if (args.bundle !== undefined || args.model === 'alpha_bundle') params['bundle'] = loadBundle(session.dataRoot, args.bundle ?? 'alpha_bundle');
      const flagOf = (field: string): string => {
        const top = field.split('.')[0]!;
        return (MODEL_FLAGS as readonly string[]).includes(top) && args[top as (typeof MODEL_FLAGS)[number]] !== undefined ? `--${top}` : `--params ${top}`;
      };
      plan = singleModelPlan(session.config, args.model, {
        params,
        ...(args.interval !== undefined ? { interval: args.interval } : {}),
        ...(args.fill !== undefined ? { fill: args.fill } : {}),
        ...(args.commissionPct !== undefined ? { commissionPct: args.commissionPct } : {}),
        ...(args.slippageBps !== undefined ? { slippageBps: args.slippageBps } : {}),
        ...(args.borrowBps !== undefined ? { borrowBps: args.borrowBps } : {}),
        ...(args.maxParticipation !== undefined ? { maxParticipation: args.maxParticipation } : {}),
        keepRisk: args.risk,
        where: flagOf,
      });
    }
    if (args.model === undefined && args.interval !== undefined) plan = { ...plan, interval: args.interval };
    if (args.start !== undefined || args.end !== undefined) {
      // The engine decides from --start on; bars before it still feed the models' warm-up.
      const start = args.start !== undefined ? isoUtc(parseWhen(args.start, '--start')) : plan.backtest.start;
      const end = args.end !== undefined ? isoUtc(parseWhen(args.end, '--end')) : plan.backtest.end;
      if (start !== null && end !== null && !(parseUtc(start) < parseUtc(end))) throw new UserError(`--start ${args.start ?? start} is not before --end ${args.end ?? end}`, '--start');
      plan = { ...plan, backtest: { ...plan.backtest, start, end } };
    }
    const started = performance.now();
    let lastPhase = '';
    let phaseStart = started;
    const report = await runBacktestReport(plan, session.datasets, {
      force: args.force,
      probes: !args.skipProbes,
      signal: io.signal,
      onProgress: (p) => {
        const now = performance.now();
        if (p.phase !== lastPhase) {
          lastPhase = p.phase;
          phaseStart = now;
        }
        const secs = (now - phaseStart) / 1000;
        const rate = p.steps !== undefined && secs > 0.05 ? `${Math.round(p.steps / secs).toLocaleString('en-US')} steps/s` : undefined;
        io.progress({ label: `${p.phase}${p.t !== undefined ? ` ${shortUtc(p.t, true)}` : ''}`, fraction: p.fraction, ...(rate ? { rate } : {}) });
      },
    });
    session.state.set('backtest', report);
    // Which engine ran is a fact about speed, not about results (both give identical digests).
    io.log(`engine: ${report.engine.path} (${report.engine.reason})`);
    const record = recordOf(session, report);
    const run = buildRunData(report, record, session.datasets, args.benchmark !== undefined ? { benchmark: args.benchmark } : {});
    const window = reportConfigOf(session.config).rolling_window;
    if (!args.noStore) {
      // Said through the log, not the result: the run id hashes the code revision, and a replay of
      // this command under a later revision must still produce the same result digest.
      const stored = await store(session, report, record, run, args.db);
      io.log(stored.id ? `stored as run ${stored.id} in ${stored.path}` : stored.warning!);
    }
    if (args.export !== undefined) {
      // Logged, not in the result: the manifest names the run id, which hashes the code revision.
      const files = await exportRun(run, session.resolvePath(args.export), args.exportFormat, window);
      io.log(`exported run ${run.id} to ${args.export}: ${files.join(', ')}`);
    }
    const summary = summaryLines(report)[1 + (report.plan.kind === 'portfolio' ? 1 : 0)]!;
    const blocks = [...backtestBlocks(report, { logRows: args.rows }), ...reportBlocks(tearSheet(run, window))];
    return ok(`backtest ${report.plan.label}`, blocks, summary);
  },
});

/** A --start / --end value as epoch ms; a bad one is named by its flag. */
function parseWhen(s: string, flag: string): number {
  try {
    return parseUtc(s);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(err.message, flag);
    throw err;
  }
}

/** The run record: reproducibility (config digest, code revision, data digests, seed), metrics, result digest. */
function recordOf(session: Session, report: BacktestReport): RunRecord {
  const p = session.provenance;
  const metrics: Record<string, number | string | null> = {};
  for (const [k, v] of Object.entries(report.metrics)) metrics[k] = Number.isFinite(v) ? v : v === Infinity ? 'Infinity' : null;
  for (const g of report.gates) metrics[`probe_${g.name}`] = g.pass ? 'pass' : 'fail';
  const extra: Record<string, string> = {};
  for (const d of report.data) extra[d.name] = d.digest;
  const plan = report.plan;
  return backtestRecord({
    result: report.result,
    config: { kind: plan.kind, interval: plan.interval, models: plan.models, backtest: plan.backtest, regime: plan.regime },
    codeRevision: p.git ?? `v${p.version}`,
    seed: session.seed,
    metrics,
    extraDataDigests: extra,
    label: plan.label,
    resultDigest: report.digest,
  });
}

/**
 * Store the run with its reproducibility record (config digest, code revision, data digests,
 * seed) and its report data (so `runs export` and `report` work in a later session). The run id is
 * a content hash, so it is shown; whether the row was new is not (a replay must print the same). A
 * store failure (another process held the database past the wait bound) fails the command.
 */
async function store(session: Session, report: BacktestReport, record: RunRecord, run: RunData, db: string | undefined): Promise<{ id?: string; path?: string; warning?: string }> {
  const withReport = { ...record, summary: { ...record.summary, report: reportFactsOf(run) } };
  try {
    const out = await storeBacktestRun(resultsDbPath(session, db), withReport, report.result, {}, run);
    return { id: out.id, path: out.path };
  } catch (err) {
    // Loud, not a log line: a command that reports success must have stored its run.
    if (err instanceof UserError) throw new UserError(`the run was computed but NOT stored: ${err.where ? err.message.replace(`${err.where}: `, '') : err.message}`, err.where);
    throw err;
  }
}
