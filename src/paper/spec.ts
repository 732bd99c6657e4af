/**
 * What a paper session trades (docs/paper.md): the configured portfolio or one model, over a
 * replay window of the session's data, at a speed, through a broker. The spec is written once when
 * the session starts (spec.json) with the effective configuration, so `paper resume-from ID` in
 * another process rebuilds exactly the same Trader (a snapshot restores only into the same run:
 * same symbols and data digests, models, steps — engine/snapshot.ts).
 */
import { UserError } from '../core/errors.js';
import { digestOf } from '../core/canonical.js';
import { isoUtc, parseUtc, type Interval } from '../core/time.js';
import type { Dataset } from '../core/table.js';
import type { EdgelabConfig } from '../config/schema.js';
import { portfolioPlan, singleModelPlan, type BacktestPlan } from '../backtest/run-backtest-plan.js';
import { prepareBacktest } from '../backtest/run-backtest.js';
import { prepareRun } from '../backtest/engine-setup.js';
import { findModelSpec, modelNames } from '../models/registry.js';
import { suggest } from '../core/suggest.js';
import { Trader } from '../engine/trader.js';
import type { LiveWindow } from './live-source.js';

export const PAPER_SPEC_FORMAT = 1;

export interface PaperSpec {
  readonly format: typeof PAPER_SPEC_FORMAT;
  readonly id: string;
  /** One model's name, or null for the configured portfolio. */
  readonly model: string | null;
  /** Parameters of the one model (as `backtest MODEL --params`). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly mode: 'replay' | 'live';
  /** Replay window: first decision time and last bar time (ISO UTC), null = the data's own. */
  readonly from: string | null;
  readonly to: string | null;
  /** Replay pace: bar time advances `speed` × wall time; null = as fast as possible ("max"). */
  readonly speed: number | null;
  /** 'sim' (the PaperBroker) or a venue adapter's name. */
  readonly broker: string;
  readonly seed: number;
  /** One model: the bar interval (default backtest.interval) and whether the configured risk limits apply (as `backtest --risk`). */
  readonly interval?: Interval;
  readonly keepRisk?: boolean;
  /** The effective configuration the session was started with. */
  readonly config: EdgelabConfig;
  /** Live sessions: the feed and the history window (live-source.ts). */
  readonly live?: LiveWindow;
  /** Venue brokers: 'live' trades the venue's real account (confirmed at start); default its sandbox. */
  readonly venueMode?: 'sandbox' | 'live';
}

/** `--speed N|max` → bar-time milliseconds per wall millisecond (null: max). */
export function parseSpeed(value: string | undefined): number | null {
  if (value === undefined || value === 'max') return null;
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new UserError(`--speed takes a positive number or 'max', got '${value}'`, '--speed');
  return n;
}

export function checkModel(name: string): void {
  if (findModelSpec(name)) return;
  const hint = suggest(name, modelNames());
  throw new UserError(`unknown model '${name}'${hint ? `; did you mean '${hint}'?` : ''} (models: ${modelNames().join(', ')})`, 'model');
}

/** The backtest plan the paper session's Trader runs (the same plan `backtest` would build). */
export function planOf(spec: PaperSpec): BacktestPlan {
  let plan =
    spec.model === null
      ? portfolioPlan(spec.config)
      : singleModelPlan(spec.config, spec.model, { params: { ...spec.params }, keepRisk: spec.keepRisk ?? false, ...(spec.interval ? { interval: spec.interval } : {}) });
  if (spec.model === null && spec.interval) plan = { ...plan, interval: spec.interval };
  if (spec.from !== null || spec.to !== null) {
    const start = spec.from ?? plan.backtest.start;
    const end = spec.to ?? plan.backtest.end;
    if (start !== null && end !== null && !(parseUtc(start) < parseUtc(end))) throw new UserError(`--from ${start} is not before --to ${end}`, '--from');
    plan = { ...plan, backtest: { ...plan.backtest, start, end } };
  }
  return plan;
}

export function isoDate(value: string | undefined, flag: string): string | null {
  if (value === undefined) return null;
  const ms = parseUtc(value);
  if (!Number.isFinite(ms)) throw new UserError(`${flag} needs a UTC date or time (2021-03-01, 2021-03-01T12:00), got '${value}'`, flag);
  return isoUtc(ms);
}

/**
 * The id of a replay on the sim broker: a digest of the spec (its id aside), the bar budget
 * (`--bars`) and the datasets it reads (names and content digests). Such a session is a
 * deterministic function of these, so starting the identical replay again is the same session,
 * read back rather than run twice (docs/paper.md, "Session ids"), and a headless script or its
 * replay on a fresh data root names it alike. Live and venue sessions keep paper-N.
 */
export function replaySessionId(spec: Omit<PaperSpec, 'id'>, bars: number | null, datasets: ReadonlyMap<string, Dataset>): string {
  const data = prepareBacktest(planOf({ ...spec, id: '' }), datasets, false, (m) => m).data.map((d) => [d.name, d.digest]);
  return `paper-${digestOf({ spec, bars, data }).slice(0, 12)}`;
}

/** A fresh Trader for the spec over the session's datasets (nothing stepped). */
export function buildTrader(spec: PaperSpec, datasets: ReadonlyMap<string, Dataset>): Trader {
  const { input } = prepareBacktest(planOf(spec), datasets, false, (m) => m);
  return new Trader(input, prepareRun(input));
}
