/**
 * Gates a hypothesis must pass to become an edge candidate, each with its value and threshold so a
 * failure says why:
 *
 *   n           events ≥ min_n
 *   q           BH q over the whole ledger ≤ the level (--q)
 *   ci_costs    lower bootstrap CI bound − round-trip cost > 0 (the CI clear of zero after costs)
 *   stability   share of regimes and years (≥ 20 events each) with the overall sign ≥ 0.6
 *   simplicity  context terms ≤ the cap
 */
import type { Hypothesis } from './hypotheses.js';

export interface GateCheck {
  readonly name: 'n' | 'q' | 'ci_costs' | 'stability' | 'simplicity';
  readonly pass: boolean;
  readonly value: number;
  readonly threshold: string;
}

export interface GateSettings {
  readonly minN: number;
  readonly qLevel: number;
  readonly minStability: number;
  readonly maxConditions: number;
}

export const GATE_NAMES = ['n', 'q', 'ci_costs', 'stability', 'simplicity'] as const;

export function gateChecks(h: Hypothesis, q: number, s: GateSettings): GateCheck[] {
  const ciCost = h.stats.ciLoBps - h.stats.costBps;
  return [
    { name: 'n', pass: h.stats.n >= s.minN, value: h.stats.n, threshold: `≥ ${s.minN}` },
    { name: 'q', pass: q <= s.qLevel, value: q, threshold: `≤ ${s.qLevel}` },
    { name: 'ci_costs', pass: ciCost > 0, value: ciCost, threshold: '> 0 bp' },
    { name: 'stability', pass: h.stats.stability >= s.minStability, value: h.stats.stability, threshold: `≥ ${s.minStability}` },
    { name: 'simplicity', pass: h.terms <= s.maxConditions, value: h.terms, threshold: `≤ ${s.maxConditions} terms` },
  ];
}
