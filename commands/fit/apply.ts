import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, table, text } from '../../src/core/result.js';
import { loadBundle } from '../../src/alpha/store.js';
import { icPerBar, rankIcPerBar, summariseIc } from '../../src/alpha/ic.js';
import { demeanAcross, forwardReturns } from '../../src/alpha/labels.js';
import { scorePanel } from '../../src/alpha/apply.js';
import { icCells } from '../../src/alpha/report.js';
import { panelDataset, panelFor, panelTable, regimeAtFor } from '../../src/alpha/workflow.js';

export default defineCommand({
  name: 'apply',
  summary: 'score the loaded data with a fitted AlphaBundle: score, μ and the realised IC',
  positional: ['name'],
  job: true,
  schema: z.object({
    name: z.string().describe('fitted model name (see `models`)'),
  }),
  examples: ['fit apply alpha_bundle'],
  async run(session, args, io) {
    const bundle = loadBundle(session.dataRoot, args.name);
    io.progress({ label: 'panel' });
    const { panel } = await panelFor(session, bundle.interval, bundle.symbols);
    const scored = scorePanel(bundle, panel, regimeAtFor(session, bundle.gating));
    const N = panel.symbols.length;
    const h = bundle.label.horizon;
    const y = demeanAcross(forwardReturns(panel, { horizon: h, volScaled: bundle.label.volScaled, volWindow: bundle.signalParams.volWindow }), N, scored.member);
    const ic = summariseIc(icPerBar(scored.score, y, N), h - 1);
    const rank = summariseIc(rankIcPerBar(scored.score, y, N), h - 1);
    session.addDataset(panelDataset(bundle, panelTable(bundle, panel)));
    let finite = 0;
    for (const v of scored.score) if (Number.isFinite(v)) finite++;
    const summary = `${bundle.name} on ${N} symbols × ${panel.ts.length} bars: ${finite} scores · realised IC ${ic.mean.toFixed(4)} (t ${ic.t.toFixed(1)}) · panel:${bundle.name}`;
    return ok('fit apply', [
      text(`${summary}\nIn-sample where the data overlaps the training span (${bundle.training.rows} rows); out of sample elsewhere.`),
      table(['score', 'IC', 't (HH)', 'ICIR × √bars', 'bars'], [['score', ...icCells(ic)], ['score (rank IC)', ...icCells(rank)]], 'realised IC of the score against the demeaned forward label'),
    ], summary);
  },
});
