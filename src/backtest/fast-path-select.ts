/**
 * Which engine runs a backtest: the single-asset fast path (fast-path.ts) when the run is one model
 * with a vectorised signal on one symbol, else the event engine (engine.ts). Both give the same
 * result, so the choice is recorded beside the result (`EngineChoice`), never inside it: the result
 * digest does not depend on it.
 */
import { runBacktest } from './engine.js';
import { runFastPath, type FastModel } from './fast-path.js';
import type { BacktestInput, BacktestResult } from './types.js';

export interface EngineChoice {
  readonly path: 'fast' | 'event';
  /** Why: what made the run eligible, or what the fast path does not support. */
  readonly reason: string;
}

export interface AutoRun {
  readonly result: BacktestResult;
  readonly engine: EngineChoice;
}

/**
 * The one place the engine is chosen. `fast` is the single model as built (null when the caller
 * already knows the fast path does not apply, with `refused` saying why). Conditions the run can
 * only discover while it runs (a risk limit binding, the risk mode leaving NORMAL) make the fast
 * path stop; `runBacktestAuto` then runs the event engine.
 */
export function chooseEngine(input: BacktestInput, fast: FastModel | null, refused?: string): EngineChoice {
  const event = (reason: string): EngineChoice => ({ path: 'event', reason });
  if (refused !== undefined) return event(refused);
  if (input.models.length !== 1) return event(`${input.models.length} models (the fast path runs one)`);
  if (input.symbols.length !== 1) return event(`${input.symbols.length} symbols (the fast path runs one)`);
  if (fast === null) return event('no model to vectorise');
  const cap = input.config.execution.max_participation;
  if (typeof cap === 'number') return event(`execution.max_participation ${cap} caps fills by bar volume (the fast path fills whole orders)`);
  const m = fast.model;
  if (typeof m.targetsVector !== 'function') return event(`model '${m.name}' has no vectorised signal (targetsVector)`);
  if (m.universe.length !== 1 || m.universe[0] !== input.symbols[0]!.symbol) return event(`model '${m.name}' trades ${m.universe.join(', ')}`);
  return { path: 'fast', reason: `one model ('${m.name}') with a vectorised signal on one symbol; it stops and hands over if a risk limit binds or a short meets a borrow fee` };
}

/**
 * Run the chosen engine; when the fast path stops part-way, run the event engine. The fast path
 * writes the probes' trace only once it has run to the end (fast-path.ts), so a stopped run leaves
 * none behind.
 */
export function runBacktestAuto(input: BacktestInput, fast: FastModel | null, refused?: string): AutoRun {
  const choice = chooseEngine(input, fast, refused);
  if (choice.path === 'event' || fast === null) return { result: runBacktest(input), engine: choice };
  const out = runFastPath(input, fast);
  if (out.ok) return { result: out.result, engine: choice };
  return { result: runBacktest(input), engine: { path: 'event', reason: `the fast path stopped: ${out.reason}` } };
}
