/**
 * Multiplicity over clusters of hypotheses that share events (docs/discovery.md, "Multiplicity").
 *
 * A cluster is one run's hypotheses of one family, parameter set and asset group (same datasets):
 * every condition, action and horizon re-reads the same events, so their p-values fail together
 * and a per-hypothesis BH counts one chance finding many times. Each cluster is one test:
 *
 *   1. within a cluster, the `with` and `against` hypotheses of a (condition, horizon) are one
 *      two-sided test, p₂ = min(1, 2 min(p_with, p_against)), credited to the smaller-p side (the
 *      other side gets 1);
 *   2. the within-cluster q of a hypothesis is BH over its cluster's p₂ values, and the cluster's
 *      p-value is Simes' test, p_c = min_i k p₂_(i) / i = the smallest within-cluster q
 *      (conditions are subsets and horizons overlap: positively dependent statistics, PRDS);
 *   3. clusters are compared over the whole ledger with Benjamini–Yekutieli (step-up at α / c(M),
 *      c(M) = Σ 1/i): families studied on the same assets have dependent p-values of unknown sign;
 *   4. a hypothesis is selected at level α when its cluster is and its within-cluster q is at most
 *      the cluster stage's cut-off α R / (M c(M)) (Benjamini & Bogomolov 2014, with R clusters
 *      selected of M). As one number:
 *
 *        q_h = min(1, c(M) · M · min_{1≤j≤M} max(p_c(j), qwithin_h) / j)
 *
 *      — h is selected at α exactly when q_h ≤ α (the cut-off at j = R admits it); for a
 *      cluster's best hypothesis q_h is the cluster's BY q.
 *
 * A cluster tested again (same family, parameters, group and datasets in a later run) keeps its
 * p only at its latest entry; earlier entries count as p = 1, as every one of their hypotheses.
 */
import { benjaminiHochberg, byFactor } from './stats/index.js';

/** One ledger entry: the run it belongs to, its hypothesis key (hypotheses.ts) and p. */
export interface LedgerEntry {
  readonly run: string;
  readonly key: string;
  readonly p: number;
}

export interface ClusterAdjusted {
  /** Final q per entry (step 4). */
  readonly q: Float64Array;
  /** BH q within the entry's cluster over its two-sided p's (step 2). */
  readonly withinQ: Float64Array;
  /** The cluster's effective Simes p (1 for a cluster superseded by a later run). */
  readonly clusterP: Float64Array;
  /** 1-based rank of the entry's cluster among the ledger's clusters by clusterP. */
  readonly clusterRank: Int32Array;
  /** Hypotheses in the entry's cluster. */
  readonly clusterSize: Int32Array;
  /** M: clusters in the ledger. */
  readonly clusters: number;
  /** c(M) = Σ_{i ≤ M} 1/i. */
  readonly factor: number;
}

/** The hypothesis key split into its cluster part (family+params | group[datasets]) and the rest. */
export function splitKey(key: string): { cluster: string; condition: string; action: string; horizon: string } {
  const parts = key.split('|');
  const horizon = parts.at(-1) ?? '';
  const action = parts.at(-2) ?? '';
  return { cluster: parts.slice(0, 2).join('|'), condition: parts.slice(2, -2).join('|'), action, horizon };
}

const pOf = (p: number): number => (Number.isNaN(p) ? 1 : p);

/** Steps 1–2 for one cluster's entries: the within-cluster q per entry. */
function withinCluster(entries: readonly LedgerEntry[], idx: readonly number[]): number[] {
  const pairs = new Map<string, number>();
  for (const i of idx) {
    const k = splitKey(entries[i]!.key);
    const pair = `${k.condition}|${k.horizon}`;
    const best = pairs.get(pair);
    if (best === undefined || pOf(entries[i]!.p) < pOf(entries[best]!.p)) pairs.set(pair, i);
  }
  const leads = [...pairs.values()];
  const q = benjaminiHochberg(leads.map((i) => Math.min(1, 2 * pOf(entries[i]!.p)))).q;
  const byEntry = new Map(leads.map((i, j) => [i, q[j]!]));
  return idx.map((i) => byEntry.get(i) ?? 1);
}

export function clusteredQ(entries: readonly LedgerEntry[]): ClusterAdjusted {
  const n = entries.length;
  const groups = new Map<string, number[]>();
  const latestRunOf = new Map<string, string>();
  entries.forEach((e, i) => {
    const c = splitKey(e.key).cluster;
    const id = `${e.run}|${c}`;
    const g = groups.get(id);
    if (g) g.push(i);
    else groups.set(id, [i]);
    latestRunOf.set(c, e.run);
  });
  const withinQ = new Float64Array(n).fill(1);
  const clusterSize = new Int32Array(n);
  const ids = [...groups.keys()];
  const clusterP = new Float64Array(ids.length).fill(1);
  ids.forEach((id, g) => {
    const idx = groups.get(id)!;
    const first = entries[idx[0]!]!;
    const superseded = latestRunOf.get(splitKey(first.key).cluster) !== first.run;
    const q = superseded ? idx.map(() => 1) : withinCluster(entries, idx);
    idx.forEach((i, j) => ((withinQ[i] = q[j]!), (clusterSize[i] = idx.length)));
    clusterP[g] = Math.min(1, ...q);
  });
  const M = ids.length;
  const factor = byFactor(M);
  const rankOfCluster = benjaminiHochberg(clusterP).rank;
  const sorted = Float64Array.from(clusterP).sort();
  // suffix minima of p_(j)/j (j = J+1 … M) for the min over the clusters above a value
  const suffixMin = new Float64Array(M + 1).fill(Infinity);
  for (let j = M; j >= 1; j--) suffixMin[j - 1] = Math.min(suffixMin[j]!, sorted[j - 1]! / j);
  const q = new Float64Array(n);
  const clusterRank = new Int32Array(n);
  const clusterPerEntry = new Float64Array(n);
  ids.forEach((id, g) => {
    for (const i of groups.get(id)!) {
      const v = withinQ[i]!;
      let below = 0; // J = #{p_(j) ≤ v}: for those j, max(p_(j), v) / j is smallest at j = J
      while (below < M && sorted[below]! <= v) below++;
      const best = Math.min(below > 0 ? v / below : Infinity, suffixMin[below]!);
      q[i] = Math.min(1, factor * M * best);
      clusterRank[i] = rankOfCluster[g]!;
      clusterPerEntry[i] = clusterP[g]!;
    }
  });
  return { q, withinQ, clusterP: clusterPerEntry, clusterRank, clusterSize, clusters: M, factor };
}
