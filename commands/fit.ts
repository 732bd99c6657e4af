import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';
import { UserError, throwIfAborted } from '../src/core/errors.js';
import { parseUtc, shortUtc } from '../src/core/time.js';
import { panelBefore } from '../src/alpha/panel.js';
import { fitAlphaBundle } from '../src/alpha/fit.js';
import { fitBlocks } from '../src/alpha/report.js';
import { checkModelName, saveBundle } from '../src/alpha/store.js';
import { BUILTIN_SIGNALS } from '../src/alpha/signals.js';
import { horizonBars, panelDataset, panelFor, panelTable, parseGating, parseIntervalArg } from '../src/alpha/workflow.js';
import { gbdtFitFields, runGbdtFit } from '../src/ml/fit-command.js';

export default defineCommand({
  name: 'fit',
  summary: 'fit an AlphaBundle (cross-sectional signals → orthogonalisation → ridge with purged CV → calibration); `fit apply NAME`',
  usage: '[--universe top_liquid_v1|all] [--horizon 4h] [--signals tsmom,xsmom,meanrev,carry,orderflow] [--orth residual|lowdin|none] [--end DATE] [--out NAME]',
  subcommands: true,
  job: true,
  schema: z.object({
    universe: z.enum(['top_liquid_v1', 'all']).default('top_liquid_v1').describe('universe rule: top_liquid_v1 (ADV over --adv-window bars ≥ --min-usd per day) or all'),
    horizon: z.string().default('4h').describe('label horizon: a duration (4h, 1d) or a number of bars'),
    signals: z.string().default('tsmom,xsmom,meanrev,carry,orderflow').describe(`comma-separated: ${BUILTIN_SIGNALS.join(', ')}, xsz:COLUMN, xsrank:COLUMN`),
    orth: z.enum(['residual', 'lowdin', 'none']).default('residual').describe('orthogonalisation: residual (in the --signals order), lowdin (symmetric) or none'),
    out: z.string().default('alpha_bundle').describe('model name: saved as <data root>/models/NAME.json'),
    interval: z.string().optional().describe('bar interval of the universe (default: the interval with the most perpetuals)'),
    symbols: z.string().optional().describe('comma-separated symbols (default: every loaded perpetual at the interval)'),
    minUsd: z.coerce.number().min(0).default(1_000_000).describe('top_liquid_v1: minimum average dollar volume per day'),
    advWindow: z.coerce.number().int().min(1).default(24).describe('top_liquid_v1: bars in the ADV window'),
    top: z.coerce.number().int().min(0).default(0).describe('top_liquid_v1: keep at most N most liquid (0: no cap)'),
    lambdas: z.string().default('0.001,0.01,0.1,1,10').describe('ridge λ grid (scaled by the number of rows)'),
    folds: z.coerce.number().int().min(2).max(20).default(5).describe('blocked CV folds'),
    embargo: z.coerce.number().int().min(0).optional().describe('bars embargoed after each test block (default: the horizon)'),
    calibration: z.enum(['isotonic', 'linear', 'binned']).default('isotonic').describe('score → expected return calibration, fitted on out-of-fold scores'),
    gate: z.string().optional().describe('regime gating, e.g. crypto:RISK_OFF=0.5,vol:HIGH=0 (score multipliers)'),
    volScaled: z.boolean().default(false).describe('divide labels by the symbol\'s volatility × √horizon'),
    onchain: z.string().optional().describe('on-chain flow file (CSV or Parquet with ts, symbol, value) for the onchain signal'),
    end: z.string().optional().describe('fit on bars before this UTC date or time only (later bars stay out of sample for backtest --start)'),
    ...gbdtFitFields,
  }),
  completion: { universe: ['top_liquid_v1', 'all'], orth: ['residual', 'lowdin', 'none'], calibration: ['isotonic', 'linear', 'binned'], onchain: 'path' },
  examples: ['ingest synthetic --universe 50 --years 1', 'fit --horizon 4h --out xs1', 'fit --end 2019-09-01 --orth lowdin --out xs_train', 'fit apply xs1', 'backtest alpha_bundle --model xs_train --interval 1h --start 2019-09-01', 'fit --model gbdt --target regime --horizons 1d --threads 2 --out rstate'],
  async run(session, args, io) {
    if (args.model === 'gbdt') return runGbdtFit(session, args, io);
    checkModelName(args.out);
    const interval = parseIntervalArg(args.interval, session.datasets);
    const horizon = horizonBars(args.horizon, interval);
    const lambdas = args.lambdas.split(',').map((s) => Number(s.trim()));
    if (lambdas.some((l) => !(l >= 0))) throw new UserError(`expected non-negative numbers, got '${args.lambdas}'`, '--lambdas');
    const signals = args.signals.split(',').map((s) => s.trim()).filter(Boolean);
    if (new Set(signals).size !== signals.length) throw new UserError('a signal is listed twice', '--signals');
    io.progress({ label: 'panel' });
    const loaded = await panelFor(session, interval, args.symbols?.split(',').map((s) => s.trim().toUpperCase()), args.onchain);
    const panel = args.end !== undefined ? panelBefore(loaded.panel, parseUtcArg(args.end, '--end')) : loaded.panel;
    const data = loaded.data;
    throwIfAborted(io.signal);
    const result = fitAlphaBundle(panel, {
      name: args.out, signals, horizon, volScaledLabel: args.volScaled, orth: args.orth, lambdas, folds: args.folds,
      embargo: args.embargo ?? horizon, calibration: args.calibration, gating: parseGating(args.gate), data,
      universe: { id: args.universe, window: args.advWindow, minUsdPerDay: args.minUsd, top: args.top },
    }, (label, done, total) => io.progress({ label, fraction: total ? done / total : 0 }), io.signal);
    // The absolute path goes to the log, not the result: a replay saves under another data root.
    io.log(`saved ${saveBundle(session.dataRoot, result.bundle)}`);
    session.addDataset(panelDataset(result.bundle, panelTable(result.bundle, panel)));
    const b = result.bundle;
    const summary = `${b.name}: ${panel.symbols.length} symbols × ${panel.ts.length} ${interval} bars, ${result.design.rows} rows (members ${result.members.min}–${result.members.max}), horizon ${horizon} bars · OOF IC ${result.oofIc.mean.toFixed(4)} (t ${result.oofIc.t.toFixed(1)}) · λ ${b.ridge.lambda} · digest ${b.digest.slice(0, 12)}`;
    const lines = [
      summary,
      `trained on ${shortUtc(b.training.from)} .. ${shortUtc(b.training.to)}; saved as models/${b.name}.json; panel in panel:${b.name} (export panel ${b.name} PATH)`,
      `score turnover ${(result.turnover * 100).toFixed(1)}% per bar · calibration ${b.calibration.method} (${b.calibration.mu.length} knots)${Object.keys(b.gating).length ? ` · gating ${Object.entries(b.gating).map(([k, v]) => `${k}×${v}`).join(', ')}` : ''}`,
    ];
    return ok('fit', [text(lines.join('\n')), ...fitBlocks(result)], summary);
  },
});

/** A --end value as epoch ms; a bad one is named by its flag. */
function parseUtcArg(s: string, flag: string): number {
  try {
    return parseUtc(s);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(err.message, flag);
    throw err;
  }
}
