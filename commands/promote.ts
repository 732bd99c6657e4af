import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { gates as gatesBlock, table, text, type CommandResult } from '../src/core/result.js';
import { resultsDbPath } from '../src/store/index.js';
import { lifecycleConfigOf } from '../src/config/sections/lifecycle.js';
import { wallClockIso } from '../src/shell/wall-clock.js';
import { STAGES, parseStage, parseVersion, recordDecision, stageHistory, stageIndex, stageOf, type StageDecision, type StoredDecision } from '../src/lifecycle/stages.js';
import { gatesFor } from '../src/lifecycle/gates.js';
import { gatherEvidence } from '../src/lifecycle/evidence.js';
import { writeDossier } from '../src/lifecycle/dossier.js';

/**
 * The history table `promote`, `demote` and `models` show. The wall-clock time of each decision is
 * in the database and the dossier, not here: a replay must give the same result digest.
 */
export function historyTable(history: readonly StoredDecision[], title = 'stage history'): ReturnType<typeof table> {
  return table(
    ['#', 'model', 'version', 'action', 'from', 'to', 'decision', 'reason'],
    history.map((d) => [d.seq, d.model, d.version, d.action, d.fromStage, d.toStage, d.decision, d.reason]),
    title,
  );
}

export default defineCommand({
  name: 'promote',
  summary: 'promote a model one lifecycle stage (research → candidate → paper → live) through that stage\'s gates; passes and refusals are recorded',
  usage: 'MODEL --to candidate|paper|live [--version 1.0.0] [--dossier PATH] [--yes-live]',
  positional: ['model'],
  schema: z.object({
    model: z.string().describe('the model as walked forward: a model name (sma_cross) or edge:ID'),
    to: z.string().describe(`the stage to reach, one after the current: ${STAGES.slice(1).join(', ')}`),
    version: z.string().optional().describe('semantic version MAJOR.MINOR.PATCH of the model (default: its latest recorded, else 1.0.0)'),
    dossier: z.string().optional().describe('write one JSON bundle with the decision, gates, metrics, digests and transcripts here'),
    yesLive: z.boolean().default(false).describe('confirm a promotion to live without the [y/N] question the interactive shell asks (required in headless runs; real capital)'),
    reason: z.string().optional().describe('a note recorded with the decision'),
    db: z.string().optional().describe('results database (default: config session.results_db)'),
  }),
  completion: { to: STAGES.slice(1), dossier: 'path', db: 'path' },
  examples: ['promote sma_cross --to candidate', 'promote sma_cross --to paper --dossier /tmp/sma-dossier.json', 'promote edge:E3 --to candidate', 'promote sma_cross --to live --yes-live'],
  async run(session, args, io): Promise<CommandResult> {
    const db = resultsDbPath(session, args.db);
    const to = parseStage(args.to);
    if (to === 'research') return refuse('research is where every model starts; use `demote MODEL --to research`');
    const history = await stageHistory(db, args.model);
    const version = args.version !== undefined ? parseVersion(args.version) : history[history.length - 1]?.version ?? '1.0.0';
    const from = stageOf(history.filter((d) => d.version === version)).stage;
    const config = lifecycleConfigOf(session.config);
    const evidence = await gatherEvidence(args.model, { db, dataRoot: session.dataRoot, config: session.config, datasets: session.datasets, paper: to === 'live' });
    const gates = stageIndex(to) === stageIndex(from) + 1 ? gatesFor(to, evidence, config) : [];
    const failed = gates.filter((g) => !g.pass);
    let reason: string;
    let decision: 'pass' | 'refused' = 'refused';
    if (stageIndex(to) <= stageIndex(from)) reason = `${args.model}@${version} is already at ${from}`;
    else if (stageIndex(to) > stageIndex(from) + 1) reason = `the chain is hard: ${args.model}@${version} is at ${from}; promote it to ${STAGES[stageIndex(from) + 1]} first`;
    else if (failed.length) reason = `failed ${failed.length} of ${gates.length} gates: ${failed.map((g) => `${g.name} (${g.reason ?? `${g.value ?? 'none'} vs ${g.threshold}`})`).join('; ')}`;
    else if (to === 'live' && !args.yesLive && !(io.confirm && (await io.confirm(`Promote ${args.model}@${version} to LIVE (real capital)?`)))) {
      reason = io.confirm ? 'promotion to live was not confirmed' : 'promotion to live needs confirmation: headless runs must pass --yes-live';
    } else {
      decision = 'pass';
      reason = `${gates.length}/${gates.length} gates pass${args.reason ? `; ${args.reason}` : ''}`;
    }
    const record: StageDecision = {
      model: args.model, version, action: 'promote', fromStage: from, toStage: to, decision, reason, gates,
      evidence: evidenceDigest(evidence), configDigest: session.configDigest, seed: session.seed, sessionId: session.id, decidedAt: wallClockIso(),
    };
    const seq = await recordDecision(db, record);
    const after = await stageHistory(db, args.model);
    if (args.dossier !== undefined) {
      const path = session.resolvePath(args.dossier);
      const d = writeDossier(path, { decision: record, gates, evidence, history: after, transcript: { walkForward: evidence.walkForward?.transcript ?? [], promotion: session.results.map((r) => ({ line: r.line, status: r.status })) } });
      io.log(`dossier written to ${args.dossier} (digest ${d.digest.slice(0, 12)})`);
    }
    io.log(`recorded decision #${seq} in ${db}`);
    const line = decision === 'pass' ? `promoted ${args.model}@${version}: ${from} → ${to} (${reason})` : `refused: ${args.model}@${version} stays at ${from} — ${reason}`;
    const blocks = [text(line, decision === 'pass' ? 'good' : 'bad'), ...(gates.length ? [gatesBlock(`promotion gates: ${from} → ${to}`, gates)] : []), historyTable(after)];
    // A refusal is a result, not a crash: the session goes on, but the line fails (scripts see it).
    return { title: `promote ${args.model}`, status: decision === 'pass' ? 'ok' : 'error', blocks, summary: line };

    function refuse(message: string): CommandResult {
      return { title: `promote ${args.model}`, status: 'error', blocks: [text(message, 'bad')], summary: message };
    }
  },
});

/** The evidence as recorded: figures and digests, not the whole transcript (the dossier keeps that). */
function evidenceDigest(e: Awaited<ReturnType<typeof gatherEvidence>>): unknown {
  const wf = e.walkForward;
  return {
    walkForward: wf ? { id: wf.id, summary: wf.summary, settings: wf.settings, dataDigests: wf.dataDigests, configDigest: wf.configDigest, resultDigest: wf.resultDigest, seed: wf.seed } : null,
    edge: e.edge ?? null,
    paper: e.paper ?? (e.paperMissing ? { missing: e.paperMissing } : null),
  };
}
