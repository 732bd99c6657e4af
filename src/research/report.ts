/** Blocks the discover and edges commands show: the gates table, candidates, tests spent. */
import { table, type Cell, type TableBlock } from '../core/result.js';
import type { StoredCandidate } from '../store/ledger.js';
import { actionName } from './hypotheses.js';
import type { GatedHypothesis } from './discover.js';
import { GATE_NAMES } from './gates.js';

const r1 = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);
const r4 = (x: number): number | null => (Number.isFinite(x) ? Number(x.toPrecision(4)) : null);

/** One row per hypothesis (smallest p first), one column per gate: 'pass' or '✗ value'. */
export function gatesTable(rows: readonly GatedHypothesis[], ledgerSize: number): TableBlock {
  const sorted = [...rows].sort((a, b) => a.h.stats.p - b.h.stats.p || a.h.key.localeCompare(b.h.key));
  const cell = (g: GatedHypothesis, name: string): Cell => {
    const c = g.gates.find((x) => x.name === name)!;
    return c.pass ? 'pass' : `✗ ${Number.isInteger(c.value) ? c.value : (r4(c.value) ?? 'NaN')}`;
  };
  return table(
    ['family', 'group', 'condition', 'action', 'h', 'n', 'mean bp', 't', 'p', 'q', 'q alone', ...GATE_NAMES],
    sorted.map((g) => [
      g.h.family, g.h.group, g.h.condition, actionName(g.h.action), g.h.horizon, g.h.stats.n, r1(g.h.stats.meanBps),
      r4(g.h.stats.t), r4(g.h.stats.p), r4(g.q), r4(g.qAlone), ...GATE_NAMES.map((n) => cell(g, n)),
    ]),
    `gates: ${rows.length} hypotheses, q over the ledger's ${ledgerSize} tests in ${rows[0]?.clusters ?? 0} cluster(s) (q alone: this run only)`,
  );
}

export function candidatesTable(cands: readonly StoredCandidate[], title: string): TableBlock {
  return table(
    ['id', 'family', 'group', 'condition', 'action', 'h', 'n', 'mean bp', 'CI bp', 'q', 'ledger', 'expectancy bp', 'stands'],
    cands.map((c) => [
      c.id, c.family, c.grp, c.condition, c.action, c.horizon, c.n, r1(c.mean_bps), `${r1(c.ci_lo_bps)} .. ${r1(c.ci_hi_bps)}`,
      r4(c.q), c.ledger_size, r1(c.expectancy_bps), c.stands ? 'yes' : 'no',
    ]),
    title,
  );
}

/** Every field of one candidate, with the probes spelled out. */
export function candidateDetail(c: StoredCandidate): TableBlock {
  const rows: [string, Cell][] = [
    ['family', c.family], ['parameters', c.params], ['group', c.grp], ['datasets', c.datasets], ['condition', c.condition],
    ['action', c.action], ['horizon (bars)', c.horizon], ['baseline', c.baseline], ['events n', c.n], ['days (clusters)', c.days],
    ['mean bp', r4(c.mean_bps)], ['sd bp', r4(c.sd_bps)], ['SE bp (day-clustered)', r4(c.se_bps)], ['hit rate', r4(c.hit_rate)],
    ['t', r4(c.t)], ['df', c.df], ['p (one-sided)', r4(c.p)], ['cluster rank', c.bh_rank], ['ledger', c.ledger], ['ledger size', c.ledger_size],
    ['cluster size', c.cluster_size ?? null], ['q within cluster', r4(c.within_q ?? NaN)], ['cluster p (Simes)', r4(c.cluster_p ?? NaN)],
    ['clusters in ledger (M)', c.clusters ?? null], ['BY factor c(M)', r4(c.by_factor ?? NaN)],
    ['q', r4(c.q)], ['q level', c.q_level], ['CI bp', `${r1(c.ci_lo_bps)} .. ${r1(c.ci_hi_bps)}`], ['cost bp (round trip)', c.cost_bps],
    ['expectancy bp', r1(c.expectancy_bps)], ['regime/year stability', r4(c.stability)],
    ['probe perturbation', c.probe_perturbation], ['probe time split', c.probe_time_split], ['probe 2× costs', c.probe_double_costs],
    ['probe placebo', c.probe_placebo], ['stands', c.stands ? 'yes: survives all four probes' : 'no'], ['run', c.run_id],
  ];
  return table(['field', 'value'], rows, `edge candidate ${c.id}`);
}
