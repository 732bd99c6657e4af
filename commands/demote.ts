import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { text, type CommandResult } from '../src/core/result.js';
import { resultsDbPath } from '../src/store/index.js';
import { wallClockIso } from '../src/shell/wall-clock.js';
import { STAGES, parseStage, parseVersion, recordDecision, stageHistory, stageIndex, stageOf } from '../src/lifecycle/stages.js';
import { historyTable } from './promote.js';

export default defineCommand({
  name: 'demote',
  summary: 'move a model down its lifecycle (one stage, or --to an earlier stage); recorded with its reason',
  usage: 'MODEL [--to research|candidate|paper] [--version 1.0.0] [--reason TEXT]',
  positional: ['model'],
  schema: z.object({
    model: z.string().describe('the model: a model name (sma_cross) or edge:ID'),
    to: z.string().optional().describe(`an earlier stage (default: the one below the current): ${STAGES.slice(0, -1).join(', ')}`),
    version: z.string().optional().describe('semantic version MAJOR.MINOR.PATCH (default: the latest recorded)'),
    reason: z.string().optional().describe('why (recorded with the decision)'),
    db: z.string().optional().describe('results database (default: config session.results_db)'),
  }),
  completion: { to: STAGES.slice(0, -1), db: 'path' },
  examples: ['demote sma_cross', 'demote sma_cross --to research --reason "live drawdown beyond the backtest\'s"'],
  async run(session, args, io): Promise<CommandResult> {
    const db = resultsDbPath(session, args.db);
    const history = await stageHistory(db, args.model);
    const version = args.version !== undefined ? parseVersion(args.version) : history[history.length - 1]?.version ?? '1.0.0';
    const from = stageOf(history.filter((d) => d.version === version)).stage;
    if (from === 'research') {
      const msg = `${args.model}@${version} is at research already; nothing to demote`;
      return { title: `demote ${args.model}`, status: 'error', blocks: [text(msg, 'bad')], summary: msg };
    }
    const to = args.to !== undefined ? parseStage(args.to) : STAGES[stageIndex(from) - 1]!;
    if (stageIndex(to) >= stageIndex(from)) {
      const msg = `${to} is not below ${from}: use \`promote ${args.model} --to ${to}\` to move up`;
      return { title: `demote ${args.model}`, status: 'error', blocks: [text(msg, 'bad')], summary: msg };
    }
    const reason = args.reason ?? 'demoted by hand';
    const seq = await recordDecision(db, {
      model: args.model, version, action: 'demote', fromStage: from, toStage: to, decision: 'pass', reason, gates: [],
      evidence: { history: history.length }, configDigest: session.configDigest, seed: session.seed, sessionId: session.id, decidedAt: wallClockIso(),
    });
    io.log(`recorded decision #${seq} in ${db}`);
    const line = `demoted ${args.model}@${version}: ${from} → ${to} (${reason})`;
    return { title: `demote ${args.model}`, status: 'ok', blocks: [text(line, 'warn'), historyTable(await stageHistory(db, args.model))], summary: line };
  },
});
