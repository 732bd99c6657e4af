/**
 * Promotion gates (docs/lifecycle.md, "Gates"). Each stage adds its own gates to those of the
 * stages before it, and a promotion re-checks all of them against the evidence as it stands:
 *
 * | stage     | its own gates                                                                  |
 * | --------- | ------------------------------------------------------------------------------ |
 * | candidate | readiness of the data, bias probes, a walk-forward record, discovery q (edges)  |
 * | paper     | walk-forward OOS Sharpe, OOS trades, OOS max drawdown, deflated Sharpe          |
 * | live      | paper tracking error against the backtest of the same period                   |
 *
 * Pure: evidence in, gates out.
 */
import type { Gate } from '../core/result.js';
import type { LifecycleConfig } from '../config/sections/lifecycle.js';
import type { StoredWalkForward } from '../walkforward/store.js';
import { STAGES, stageIndex, type Stage } from './stages.js';

export interface EdgeEvidence {
  readonly id: string;
  readonly q: number;
  readonly qLevel: number;
  readonly stands: boolean;
}

export interface PaperEvidence {
  /** Annualised tracking error of paper returns against the backtest of the same period. */
  readonly trackingError: number;
  readonly from: string;
  readonly to: string;
  readonly observations: number;
}

export interface PromotionEvidence {
  readonly walkForward?: StoredWalkForward;
  /** Present when the model is an edge candidate (edge:ID). */
  readonly edge?: EdgeEvidence;
  readonly paper?: PaperEvidence;
  /** Why there is no paper evidence (shown by the live gate). */
  readonly paperMissing?: string;
}

const NO_WF = 'no walk-forward record: run `walkforward MODEL` first';
const num = (v: number | null | undefined, digits = 4): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));

function candidateGates(e: PromotionEvidence, c: LifecycleConfig): Gate[] {
  const wf = e.walkForward;
  const ready = wf ? Object.entries(wf.readiness) : [];
  const notReady = ready.filter(([, ok]) => !ok).map(([name]) => name);
  const failedProbes = wf ? wf.probes.filter((g) => !g.pass).map((g) => g.name) : [];
  const gates: Gate[] = [
    wf
      ? { name: 'readiness', value: `${ready.length - notReady.length}/${ready.length} ready`, threshold: 'every dataset ready', pass: notReady.length === 0, ...(notReady.length ? { reason: `not ready: ${notReady.join(', ')}` } : {}) }
      : { name: 'readiness', value: null, threshold: 'every dataset ready', pass: false, reason: NO_WF },
    wf
      ? { name: 'bias probes', value: `${wf.probes.length - failedProbes.length}/${wf.probes.length} pass`, threshold: 'all pass', pass: wf.probes.length > 0 && failedProbes.length === 0, ...(failedProbes.length ? { reason: `failed: ${failedProbes.join(', ')}` } : wf.probes.length === 0 ? { reason: 'the record has no probes' } : {}) }
      : { name: 'bias probes', value: null, threshold: 'all pass', pass: false, reason: NO_WF },
    wf
      ? { name: 'walk-forward', value: `${wf.id}: ${wf.summary.folds} folds`, threshold: '≥ 1 fold', pass: wf.summary.folds >= 1 }
      : { name: 'walk-forward', value: null, threshold: '≥ 1 fold', pass: false, reason: NO_WF },
  ];
  if (e.edge) {
    const q = e.edge.q;
    gates.push({ name: 'discovery q', value: num(q), threshold: `≤ ${c.max_q}`, pass: Number.isFinite(q) && q <= c.max_q, ...(Number.isFinite(q) && q <= c.max_q ? {} : { reason: `${e.edge.id}: q ${num(q)} over the ledger` }) });
  }
  return gates;
}

function paperGates(e: PromotionEvidence, c: LifecycleConfig): Gate[] {
  const s = e.walkForward?.summary;
  const at = (name: string, value: number | null | undefined, threshold: string, pass: (v: number) => boolean, digits = 4): Gate => {
    if (!s) return { name, value: null, threshold, pass: false, reason: NO_WF };
    const v = value ?? NaN;
    return { name, value: num(v, digits), threshold, pass: Number.isFinite(v) && pass(v), ...(Number.isFinite(v) ? {} : { reason: 'undefined on the stitched curve' }) };
  };
  return [
    at('OOS Sharpe', s?.oosSharpe, `≥ ${c.min_oos_sharpe}`, (v) => v >= c.min_oos_sharpe, 3),
    at('OOS trades', s?.oosTrades, `≥ ${c.min_trades}`, (v) => v >= c.min_trades, 0),
    at('OOS max drawdown', s?.oosMaxDrawdown, `≤ ${c.max_drawdown}`, (v) => v <= c.max_drawdown),
    at('deflated Sharpe', s?.dsr, `≥ ${c.min_dsr}`, (v) => v >= c.min_dsr, 3),
  ];
}

function liveGates(e: PromotionEvidence, c: LifecycleConfig): Gate[] {
  if (!e.paper) return [{ name: 'paper tracking error', value: null, threshold: `≤ ${c.max_tracking_error}`, pass: false, reason: e.paperMissing ?? 'no paper record' }];
  const te = e.paper.trackingError;
  return [{ name: 'paper tracking error', value: num(te), threshold: `≤ ${c.max_tracking_error}`, pass: Number.isFinite(te) && te <= c.max_tracking_error, reason: `${e.paper.from} .. ${e.paper.to}, ${e.paper.observations} returns` }];
}

const OWN_GATES: Record<Exclude<Stage, 'research'>, (e: PromotionEvidence, c: LifecycleConfig) => Gate[]> = {
  candidate: candidateGates,
  paper: paperGates,
  live: liveGates,
};

/** Every gate a model must pass to stand at `stage`: its own and those of each stage before it. */
export function gatesFor(stage: Stage, e: PromotionEvidence, c: LifecycleConfig): Gate[] {
  return STAGES.slice(1, stageIndex(stage) + 1).flatMap((s) => OWN_GATES[s as Exclude<Stage, 'research'>](e, c));
}
