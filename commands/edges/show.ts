import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, text } from '../../src/core/result.js';
import { resultsDbPath } from '../../src/store/index.js';
import { loadCandidate } from '../../src/store/ledger.js';
import { candidateDetail } from '../../src/research/report.js';

export default defineCommand({
  name: 'show',
  summary: 'one edge candidate: its statistics, q against the ledger, and the four probes',
  positional: ['id'],
  schema: z.object({
    id: z.string().min(1).describe('candidate id, e.g. E3 (see `edges`)'),
    db: z.string().optional().describe('results database (default: config session.results_db)'),
  }),
  completion: { db: 'path' },
  examples: ['edges show E1'],
  async run(session, args) {
    const c = await loadCandidate(resultsDbPath(session, args.db), args.id);
    const head = `${c.id} · ${c.family} ${c.condition} ${c.action} h${c.horizon} on ${c.grp} · mean ${c.mean_bps.toFixed(1)} bp, q ${c.q.toPrecision(3)} over ${c.ledger_size} tests · ${c.stands ? 'stands' : 'fails a probe'}`;
    return ok(`edges show ${c.id}`, [text(head, c.stands ? 'good' : 'warn'), candidateDetail(c)], head);
  },
});
