/**
 * Regime results kept in the session (`session.state.get('regime')`), computed on demand. The key
 * is a digest of the regime config and of every loaded dataset's name and content digest, so a
 * cached timeline is reused only while its inputs are unchanged. The engine does not import the
 * shell: anything with `config.regime`, `datasets` and `state` works (a Session does).
 */
import { digestOf } from '../core/canonical.js';
import type { Dataset } from '../core/table.js';
import type { RegimeConfig } from '../config/sections/regime.js';
import { computeRuleRegimes, ruleInputsFrom, type ExplicitInputs } from './compute.js';
import { dailySeries } from './daily.js';
import { hmmObservations } from './hmm/observations.js';
import { runHmm, type HmmTimeline } from './hmm/walk-forward.js';
import { requireBars } from './resolve.js';
import type { RegimeTimeline } from './timeline.js';
import type { RegimeLookup } from './types.js';

export interface RegimeSessionLike {
  readonly seed: number;
  readonly config: { readonly regime: RegimeConfig };
  readonly datasets: ReadonlyMap<string, Dataset>;
  readonly state: Map<string, unknown>;
}

export interface RegimeState {
  /** Digest of the inputs the rule timeline was computed from. */
  readonly key: string;
  readonly timeline: RegimeTimeline;
  /** Datasets the rule regimes read. */
  readonly used: readonly string[];
  readonly hmm?: { readonly key: string; readonly timeline: HmmTimeline };
}

export const REGIME_STATE_KEY = 'regime';

function inputsKey(session: RegimeSessionLike, extra: unknown): string {
  const ds = [...session.datasets.values()].map((d) => [d.name, d.digest]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  return digestOf({ regime: session.config.regime, ds, extra });
}

export function readRegimeState(session: RegimeSessionLike): RegimeState | undefined {
  const s = session.state.get(REGIME_STATE_KEY);
  return s && typeof s === 'object' && 'timeline' in s ? (s as RegimeState) : undefined;
}

/** The rule timeline for the session's datasets and config (cached in session.state). */
export function ruleTimelineFor(session: RegimeSessionLike, explicit: ExplicitInputs = {}): RegimeState {
  const key = inputsKey(session, explicit);
  const cached = readRegimeState(session);
  if (cached && cached.key === key) return cached;
  const inputs = ruleInputsFrom(session.datasets, session.config.regime, explicit);
  const timeline = computeRuleRegimes(inputs, session.config.regime);
  const state: RegimeState = { key, timeline, used: inputs.used.map((d) => d.name) };
  session.state.set(REGIME_STATE_KEY, state);
  return state;
}

/**
 * Point-in-time regime lookup for backtests and models: the stored timeline when it is current,
 * otherwise computed now from the loaded datasets (missing inputs stay neutral).
 */
export function getRegimeLookup(session: RegimeSessionLike): RegimeLookup {
  return ruleTimelineFor(session).timeline.lookup;
}

export interface HmmRequest {
  /** Dataset name or symbol (default: config regime.hmm.on). */
  readonly on?: string;
  readonly states?: number;
  readonly fitWindow?: RegimeConfig['hmm']['fit_window'];
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The HMM timeline (cached beside the rule timeline in session.state). */
export function hmmTimelineFor(session: RegimeSessionLike, req: HmmRequest = {}): HmmTimeline {
  const cfg = { ...session.config.regime.hmm, ...(req.fitWindow ? { fit_window: req.fitWindow } : {}) };
  const spec = req.on ?? cfg.on;
  const key = inputsKey(session, { hmm: spec, states: req.states ?? cfg.states, fit: cfg.fit_window, seed: session.seed });
  // Attach to whatever rule timeline is stored (it may use inputs named on the command line).
  const base = readRegimeState(session) ?? ruleTimelineFor(session);
  if (base.hmm && base.hmm.key === key) return base.hmm.timeline;
  const ds = requireBars(session.datasets, spec, 'intraday', req.on !== undefined ? '--on' : 'regime.hmm.on');
  const obs = hmmObservations(dailySeries(ds), cfg);
  const timeline = runHmm(obs, cfg, {
    seed: session.seed,
    ...(req.states !== undefined ? { states: req.states } : {}),
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
  });
  session.state.set(REGIME_STATE_KEY, { ...base, hmm: { key, timeline } } satisfies RegimeState);
  return timeline;
}

/** Filtered HMM lookup (see HmmSnapshot.inSample for whether the parameters saw later data). */
export function getHmmLookup(session: RegimeSessionLike): HmmTimeline['lookup'] {
  return hmmTimelineFor(session).lookup;
}
