import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { gates, ok, table, text, type Block } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { canonicalJson, digestOf } from '../src/core/canonical.js';
import type { Dataset } from '../src/core/table.js';
import { byClass } from '../src/execution/classes.js';
import { truthOf } from '../src/data/synthetic/index.js';
import { resultsDbPath } from '../src/store/index.js';
import { recordTests, storeCandidates, listCandidates, type CandidateRow, type StoredCandidate } from '../src/store/ledger.js';
import { assetBars, studyDatasets } from '../src/research/inputs.js';
import { groupAssets, studyAsset } from '../src/research/study.js';
import { FAMILY_IDS, type FamilyId } from '../src/research/types.js';
import { isFamilyId } from '../src/research/families/index.js';
import { gateAll, standsAll, type DiscoverSettings } from '../src/research/discover.js';
import { discoverOnBullmq, discoverPhases, discoverProbes } from '../src/scale/discover-jobs.js';
import { actionName } from '../src/research/hypotheses.js';
import { candidatesTable, gatesTable } from '../src/research/report.js';
import { suggest } from '../src/core/suggest.js';

/** The ledger (dataset family) of the studied datasets: synthetic seed and mode, else their sources. */
export function ledgerName(datasets: readonly Dataset[]): string {
  const names = new Set<string>();
  for (const d of datasets) {
    const t = truthOf(d);
    names.add(t ? `synthetic/seed=${t.seed}${t.placebo ? '/placebo' : ''}` : d.source);
  }
  return [...names].sort().join('+');
}

function parseHorizons(s: string): number[] {
  const hs = s.split(',').map((x) => Number(x.trim()));
  if (hs.length === 0 || hs.some((h) => !Number.isInteger(h) || h < 1 || h > 10_000)) {
    throw new UserError(`bad --horizons '${s}': give bar counts like 4,16,32 (whole numbers from 1)`, '--horizons');
  }
  return [...new Set(hs)].sort((a, b) => a - b);
}

function parseFamilies(list: readonly string[]): FamilyId[] {
  if (list.length === 0 || list.includes('all')) return [...FAMILY_IDS];
  return list.map((f) => {
    if (isFamilyId(f)) return f;
    const hint = suggest(f, [...FAMILY_IDS]);
    throw new UserError(`unknown event family '${f}'${hint ? `; did you mean '${hint}'?` : ''} (families: ${FAMILY_IDS.join(', ')}, or all)`, f);
  });
}

const failedProbes = (c: StoredCandidate): string[] =>
  (
    [
      ['perturbation', c.probe_perturbation],
      ['time split', c.probe_time_split],
      ['2× costs', c.probe_double_costs],
      ['placebo', c.probe_placebo],
    ] as const
  )
    .filter(([, v]) => v.startsWith('fail'))
    .map(([k]) => k);

/** Skips and too-few notes, one line per family and reason (listing where), so a demo run's notes stay short. */
function groupedNotes(phases: { skips: readonly { family: string; where: string; reason: string }[]; tooFew: readonly { family: string; group: string; horizon: number; n: number; condition: string }[] }, minN: number): string[] {
  const lines = new Map<string, string[]>();
  const add = (head: string, where: string): void => {
    const list = lines.get(head) ?? [];
    if (!list.includes(where)) list.push(where);
    lines.set(head, list);
  };
  for (const k of phases.skips) add(`${k.family} skipped: ${k.reason.replaceAll(k.where, 'the dataset')}`, k.where);
  for (const t of phases.tooFew.filter((x) => x.condition === 'all')) add(`${t.family} not tested on ${t.group}: fewer events than --min-n ${minN} at horizon`, `${t.horizon} (${t.n})`);
  return [...lines].map(([head, where]) => `${head} (${where.join(', ')})`);
}

export default defineCommand({
  name: 'discover',
  summary: 'event studies and conditional hypotheses with cluster-adjusted q-values (Simes within events, Benjamini–Yekutieli across) over a persistent test ledger, gates and robustness probes → edge candidates',
  usage: '[FAMILY…|all] [--on DATASET…] [--horizons 1,4,16,32] [--q 0.1] [--max-conditions 1] [--min-n 30] [--cost-bps B] [--ledger NAME] [--db PATH] [--backend local|bullmq] [--redis URL]',
  positional: ['families'],
  job: true,
  schema: z.object({
    families: z.array(z.string()).default([]).describe(`event families to study: ${FAMILY_IDS.join(', ')}, or all (default all)`),
    on: z.string().optional().describe('comma-separated datasets or symbols to study (default: every clean bars dataset)'),
    horizons: z.string().default('1,4,16,32').describe('forward-return horizons in bars, comma-separated'),
    q: z.coerce.number().gt(0).lt(1).default(0.1).describe('false discovery rate level for the q gate (cluster-adjusted q, docs/discovery.md)'),
    maxConditions: z.coerce.number().int().min(0).max(2).default(1).describe('simplicity cap: context conditions per hypothesis (0–2)'),
    minN: z.coerce.number().int().min(5).default(30).describe('fewest events a hypothesis needs to be tested (and the n gate)'),
    costBps: z.coerce.number().min(0).max(1000).optional().describe('round-trip cost in bp (default: two maker fees from backtest.costs)'),
    ledger: z.string().optional().describe('test ledger name (default: the dataset family, e.g. synthetic/seed=42)'),
    db: z.string().optional().describe('results database (default: config session.results_db)'),
    force: z.boolean().default(false).describe('use datasets whose readiness gate failed'),
    backend: z.enum(['local', 'bullmq']).default('local').describe('local: here; bullmq: each (family, asset group) study and the probes as BullMQ jobs for workers over Redis (edgelab worker --redis URL); same results'),
    redis: z.string().optional().describe('Redis URL for --backend bullmq (default: config scale.redis_url)'),
  }),
  completion: { on: 'dataset', families: [...FAMILY_IDS, 'all'], db: 'path', backend: ['local', 'bullmq'] },
  examples: ['discover all', 'discover funding_extreme forced_flow --horizons 16,32', 'discover range_breakout --on SPY:1d,QQQ:1d --q 0.05', 'discover all --backend bullmq --redis redis://127.0.0.1:6379'],
  async run(session, args, io) {
    const families = parseFamilies(args.families);
    const bullmq = discoverOnBullmq(session, args, io);
    const horizons = parseHorizons(args.horizons);
    const on = args.on ? args.on.split(',').map((s) => s.trim()).filter(Boolean) : [];
    const chosen = studyDatasets(session.datasets, on, args.force);
    io.progress({ label: 'discover: loading bars', fraction: 0 });
    const groups = groupAssets(chosen.map((d) => studyAsset(assetBars(d, session.datasets))));
    const costs = session.config.backtest.costs as Record<string, { maker_bps: number }>;
    const settings: DiscoverSettings = {
      families,
      horizons,
      qLevel: args.q,
      maxConditions: args.maxConditions,
      minN: args.minN,
      minStability: 0.6,
      costBps: (cls) => args.costBps ?? 2 * byClass(costs, cls, 'costs').maker_bps,
      bootstrapDraws: 400,
      blockDays: 5,
      level: 0.95,
      rngFor: (stream) => session.rng(stream),
      signal: io.signal,
      progress: (label, fraction) => io.progress({ label: `discover: ${label}`, fraction: 0.8 * fraction }),
    };
    const phases = await discoverPhases(groups, settings, bullmq);
    const hyps = phases.hypotheses;
    const ledger = args.ledger ?? ledgerName(chosen);
    const path = resultsDbPath(session, args.db);
    io.progress({ label: `discover: recording ${hyps.length} tests in the ledger`, fraction: 0.8 });
    const rec = await recordTests(
      path,
      {
        ledger,
        // every option that shapes the tests or their gates: part of the run's identity (recordTests)
        command: `discover ${families.join(' ')} --horizons ${horizons.join(',')} --q ${args.q} --max-conditions ${args.maxConditions} --min-n ${args.minN}${args.costBps === undefined ? '' : ` --cost-bps ${args.costBps}`}`,
        seed: session.seed,
        // the configuration discover reads (the cost model), not the whole session config, whose paths differ between data roots
        configDigest: digestOf({ backtest: { costs } }),
        dataDigests: canonicalJson(Object.fromEntries(chosen.map((d) => [d.name, d.digest]))),
        qLevel: args.q,
      },
      hyps.map((h) => ({
        key: h.key, family: h.family, params: canonicalJson(h.params), group: h.group, condition: h.condition, action: actionName(h.action),
        horizon: h.horizon, n: h.stats.n, days: h.stats.days, meanBps: h.stats.meanBps, sdBps: h.stats.sdBps, seBps: h.stats.seBps,
        t: h.stats.t, df: h.stats.df, p: h.stats.p,
      })),
    );
    const entries = Array.from(rec.ledgerP, (p, i) => ({ run: rec.ledgerRuns[i]!, key: rec.ledgerKeys[i]!, p }));
    const gated = gateAll(hyps, entries, rec.offset, settings);
    const cands = gated.filter((g) => g.candidate);
    const probes = await discoverProbes(cands, phases, { ...settings, progress: (l, f) => io.progress({ label: `discover: ${l}`, fraction: 0.85 + 0.15 * f }) }, groups, bullmq);
    const rows: CandidateRow[] = cands.map((c, i) => {
      const p = probes[i]!;
      const s = c.h.stats;
      const verdict = (x: { pass: boolean; detail: string }): string => `${x.pass ? 'pass' : 'fail'}: ${x.detail}`;
      return {
        run_id: rec.runId, ledger, test_seq: rec.firstSeq + hyps.indexOf(c.h), family: c.h.family, params: canonicalJson(c.h.params),
        grp: c.h.group, datasets: c.h.datasets.join(','), condition: c.h.condition, action: actionName(c.h.action), horizon: c.h.horizon,
        baseline: c.h.baseline, n: s.n, days: s.days, mean_bps: s.meanBps, sd_bps: s.sdBps, se_bps: s.seBps, hit_rate: s.hitRate, t: s.t,
        df: s.df, p: s.p, bh_rank: c.rank, ledger_size: rec.ledgerP.length, q: c.q, q_level: args.q, ci_lo_bps: s.ciLoBps, ci_hi_bps: s.ciHiBps,
        cost_bps: s.costBps, expectancy_bps: s.expectancyBps, stability: s.stability, probe_perturbation: verdict(p.perturbation),
        probe_time_split: verdict(p.timeSplit), probe_double_costs: verdict(p.doubleCosts), probe_placebo: verdict(p.placebo), stands: standsAll(p),
        cluster_size: c.clusterSize, within_q: c.withinQ, cluster_p: c.clusterP, clusters: c.clusters, by_factor: c.byFactor,
      };
    });
    const ids = await storeCandidates(path, rows);
    const stored = (await listCandidates(path)).filter((c) => ids.includes(c.id));
    const earlier = rec.ledgerP.length - hyps.length;
    const standing = rows.filter((r) => r.stands).length;
    const clusters = gated[0]?.clusters ?? 0;
    const summary = `discover ${rec.runId}: ${hyps.length} hypotheses tested, ledger ${ledger} now ${rec.ledgerP.length} tests (${earlier} earlier) in ${clusters} cluster${clusters === 1 ? '' : 's'}; ${cands.length} candidates at q ≤ ${args.q}, ${standing} stand all probes`;
    const blocks: Block[] = [text(summary, cands.length ? 'good' : 'info'), gatesTable(gated, rec.ledgerP.length)];
    blocks.push(
      cands.length
        ? candidatesTable(stored, `edge candidates (${cands.length}); \`edges show ID\` for the probes`)
        : text(`no candidates: no hypothesis passed every gate (see the gates table)`, 'info'),
    );
    blocks.push(
      table(
        ['tests spent', 'value'],
        [
          ['this run', hyps.length],
          ['earlier in the ledger', earlier],
          ['ledger size (BH m)', rec.ledgerP.length],
          ['clusters sharing events (BY M)', clusters],
          ['BY factor c(M)', Number((gated[0]?.byFactor ?? 1).toFixed(4))],
          ['BH level', args.q],
          ['candidates', cands.length],
          ['stand all probes', standing],
          ['baseline', [...new Set(hyps.map((h) => h.baseline))].join(', ')],
        ],
        `tests spent · ledger ${ledger}`,
      ),
    );
    const notes = groupedNotes(phases, args.minN);
    if (notes.length) blocks.push(text(notes.join('\n'), 'warn'));
    if (rec.reused && rec.ledgerSizeNow > rec.ledgerP.length) {
      blocks.push(
        text(
          `${rec.runId} was recorded before (same tests, data and settings) and is read back as it stood then; the ledger has grown to ${rec.ledgerSizeNow} tests since — the later runs pay for these tests (docs/discovery.md)`,
          'info',
        ),
      );
    }
    // the gates pane: one line per candidate, passing when it stands all four probes
    blocks.push(
      gates(
        `discover ${rec.runId}: candidates and their probes`,
        stored.map((c) => ({
          name: `${c.id} ${c.family} ${c.condition} ${c.action} h${c.horizon}`,
          value: Number(c.q.toPrecision(3)),
          threshold: `q ≤ ${args.q}, all probes`,
          pass: c.stands,
          ...(c.stands ? {} : { reason: `failed: ${failedProbes(c).join(', ')}` }),
        })),
      ),
    );
    return ok('discover', blocks, summary);
  },
});
