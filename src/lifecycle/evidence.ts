/**
 * What the promotion gates read (gates.ts): the model's latest walk-forward record, its discovery
 * candidate when it comes from an edge (edge:ID), and for live its paper record — the NAV a paper
 * session recorded (<data root>/paper/<id>/performance.jsonl, src/paper) against a backtest of the
 * same model, parameters and period on the session's data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../core/table.js';
import type { EdgelabConfig } from '../config/schema.js';
import { isoUtc } from '../core/time.js';
import { loadCandidate } from '../store/ledger.js';
import { latestWalkForward } from '../walkforward/store.js';
import { listSessions } from '../paper/report.js';
import { planOf } from '../paper/spec.js';
import { runBacktestReport } from '../backtest/run-backtest.js';
import type { PaperEvidence, PromotionEvidence } from './gates.js';

/**
 * Annualised tracking error (e.g. Grinold & Kahn, "Active Portfolio Management", ch. 4): the sample
 * standard deviation of the return differences a − b, times √(periods per year). NaN for fewer
 * than two pairs.
 */
export function trackingError(a: readonly number[], b: readonly number[], periodsPerYear: number): number {
  const n = Math.min(a.length, b.length);
  if (n < 2) return NaN;
  const d = Array.from({ length: n }, (_, i) => a[i]! - b[i]!);
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const variance = d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return Math.sqrt(variance) * Math.sqrt(periodsPerYear);
}

/** Simple returns between consecutive NAVs at the times both series share. */
export function pairedReturns(aTs: ArrayLike<number>, aNav: ArrayLike<number>, bTs: ArrayLike<number>, bNav: ArrayLike<number>): { a: number[]; b: number[] } {
  const bAt = new Map<number, number>();
  for (let i = 0; i < bTs.length; i++) bAt.set(bTs[i]!, bNav[i]!);
  const a: number[] = [];
  const b: number[] = [];
  let prev: { a: number; b: number } | undefined;
  for (let i = 0; i < aTs.length; i++) {
    const other = bAt.get(aTs[i]!);
    if (other === undefined) continue;
    if (prev) {
      a.push(aNav[i]! / prev.a - 1);
      b.push(other / prev.b - 1);
    }
    prev = { a: aNav[i]!, b: other };
  }
  return { a, b };
}

interface PaperBar {
  readonly t: number;
  readonly nav: number;
}

/** The paper record of a model compared with its backtest over the same period, or why there is none. */
async function paperEvidence(model: string, dataRoot: string, datasets: ReadonlyMap<string, Dataset>): Promise<{ paper?: PaperEvidence; paperMissing?: string }> {
  const sessions = listSessions(dataRoot).filter((s) => s.spec?.model === model);
  const last = sessions[sessions.length - 1];
  const file = last ? join(dataRoot, 'paper', last.id, 'performance.jsonl') : undefined;
  if (!last || !file || !existsSync(file)) return { paperMissing: `no paper record for ${model}: run it in paper mode first (\`paper ${model} …\`), then promote to live` };
  const bars: PaperBar[] = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as PaperBar);
  if (bars.length < 3) return { paperMissing: `paper record ${last.id} of ${model} has ${bars.length} bars; at least 3 are needed` };
  // The paper session's own plan (model, parameters, interval, config), restricted to its period.
  const plan = planOf(last.spec!);
  const from = bars[0]!.t;
  const to = bars[bars.length - 1]!.t;
  const bt = await runBacktestReport({ ...plan, backtest: { ...plan.backtest, start: isoUtc(from), end: isoUtc(to) } }, datasets, { probes: false });
  const pairs = pairedReturns(bars.map((b) => b.t), bars.map((b) => b.nav), bt.result.ts, bt.result.nav);
  if (pairs.a.length < 2) return { paperMissing: `paper record ${last.id} of ${model} shares fewer than 3 bar times with its backtest` };
  return { paper: { trackingError: trackingError(pairs.a, pairs.b, bt.periodsPerYear), from: isoUtc(from), to: isoUtc(to), observations: pairs.a.length } };
}

export interface EvidenceContext {
  readonly db: string;
  readonly dataRoot: string;
  readonly config: EdgelabConfig;
  readonly datasets: ReadonlyMap<string, Dataset>;
  /** Compute the paper evidence (only promotions to live need it). */
  readonly paper: boolean;
}

export async function gatherEvidence(model: string, ctx: EvidenceContext): Promise<PromotionEvidence> {
  const walkForward = await latestWalkForward(ctx.db, model);
  const edgeId = model.startsWith('edge:') ? model.slice(5) : undefined;
  const edge = edgeId ? await loadCandidate(ctx.db, edgeId) : undefined;
  const paper = ctx.paper ? await paperEvidence(model, ctx.dataRoot, ctx.datasets) : {};
  return {
    ...(walkForward ? { walkForward } : {}),
    ...(edge ? { edge: { id: edge.id, q: edge.q, qLevel: edge.q_level, stands: edge.stands } } : {}),
    ...paper,
  };
}
