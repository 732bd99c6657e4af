import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, status, table, text, type Block, type Tone } from '../src/core/result.js';
import { shortUtc } from '../src/core/time.js';
import { assertReady } from '../src/data/ready.js';
import { truthOf } from '../src/data/synthetic/index.js';
import {
  dailySeries,
  hmmTimelineFor,
  requireBars,
  ruleTimelineFor,
  type ExplicitInputs,
  hmmConfusion,
  hmmReturnRows,
  hmmSeriesBlock,
  hmmStateTable,
  hmmTruthBlocks,
  inputsTable,
  latestFields,
  ruleReturnRows,
  ruleSeriesBlock,
} from '../src/regime/index.js';

const FIT_WINDOWS = ['full', 'expanding', 'rolling'] as const;

export default defineCommand({
  name: 'regime',
  summary: 'rule regimes (equity, vol, crypto, macro) and, with --hmm, Gaussian HMM states: timeline, time spent and returns per regime',
  job: true,
  usage: '[--on DATASET] [--hmm] [--states N] [--fit full|expanding|rolling] [--equity SYMBOL] [--crypto SYMBOL] [--force]',
  schema: z.object({
    on: z.string().optional().describe('dataset or symbol whose returns are tabulated per regime, and that the HMM runs on (default: the equity input; regime.hmm.on for --hmm)'),
    hmm: z.boolean().default(false).describe('also fit the Gaussian HMM (bull / bear / choppy / crash) and show its filtered states'),
    states: z.coerce.number().int().optional().describe('number of HMM states (default regime.hmm.states, 2–8)'),
    fit: z.enum(FIT_WINDOWS).optional().describe("HMM fit window: 'full' (in-sample parameters), 'expanding' or 'rolling' (point-in-time refits)"),
    equity: z.string().optional().describe('equity index symbol or dataset (default regime.equity.symbol; named here, it must exist)'),
    crypto: z.string().optional().describe('crypto symbol or dataset (default regime.crypto.symbol; named here, it must exist)'),
    force: z.boolean().default(false).describe('use inputs whose readiness gate failed'),
  }),
  completion: { on: 'dataset', equity: 'symbol', crypto: 'symbol', fit: FIT_WINDOWS },
  examples: ['regime', 'regime --hmm', 'regime --hmm --on BTCUSDT:15m --states 4', 'regime --on QQQ:1d'],
  run(session, args, io) {
    const explicit: ExplicitInputs = {
      ...(args.equity !== undefined ? { equity: args.equity } : {}),
      ...(args.crypto !== undefined ? { crypto: args.crypto } : {}),
    };
    io.progress({ label: 'rule regimes' });
    const rs = ruleTimelineFor(session, explicit);
    for (const name of rs.used) assertReady(session.dataset(name), args.force);
    const tl = rs.timeline;
    const onDs = args.on !== undefined
      ? requireBars(session.datasets, args.on, 'daily', '--on')
      : rs.used.map((n) => session.dataset(n)).find((d) => d.kind === 'bars');
    if (onDs) assertReady(onDs, args.force);
    const blocks: Block[] = [];
    const last = tl.ts.length ? tl.lookup(tl.ts[tl.ts.length - 1]!) : undefined;
    const fields = latestFields(tl);

    let hmmBlocks: Block[] = [];
    let hmmSummary = '';
    let accText = '';
    if (args.hmm) {
      const hmmDs = requireBars(session.datasets, args.on ?? session.config.regime.hmm.on, 'intraday', args.on !== undefined ? '--on' : 'regime.hmm.on');
      assertReady(hmmDs, args.force);
      const h = hmmTimelineFor(session, {
        on: hmmDs.name,
        ...(args.states !== undefined ? { states: args.states } : {}),
        ...(args.fit !== undefined ? { fitWindow: args.fit } : {}),
        signal: io.signal,
        onProgress: (done, total) => io.progress({ label: 'hmm fit', fraction: done / total }),
      });
      const lastH = h.lookup(Infinity);
      if (lastH) {
        const tone: Tone = lastH.label === 'bull' ? 'good' : lastH.label === 'crash' ? 'bad' : lastH.label === 'bear' ? 'warn' : 'info';
        fields.push({ name: 'hmm', value: `${lastH.label} ${Math.round(lastH.probs[lastH.label] * 100)}%`, tone });
      }
      const truth = truthOf(hmmDs);
      const truthBlocks = truth ? hmmTruthBlocks(h, truth) : [];
      if (truth) {
        const c = hmmConfusion(h, truth);
        accText = ` · accuracy ${(c.accuracy * 100).toFixed(1)}% vs chance ${(c.chance * 100).toFixed(1)}%`;
      }
      hmmBlocks = [
        hmmSeriesBlock(h),
        hmmStateTable(h),
        table(['dimension', 'regime', 'days', 'share %', 'mean daily %', 'annualised %'], hmmReturnRows(h), `HMM: time spent and next-day returns of ${h.obs.source} per filtered state`),
        ...truthBlocks,
      ];
      const fit = h.fits[h.fits.length - 1]!;
      hmmSummary = ` · HMM ${fit.params.k} states on ${h.obs.source} (${h.mode}${h.inSample ? ', in-sample parameters' : ''}, ${h.fits.length} fit${h.fits.length > 1 ? 's' : ''}, log L ${fit.logLik.toFixed(1)})`;
      if (truthBlocks.length === 0) hmmBlocks.push(text(`${hmmDs.name} has no synthetic ground truth: no confusion matrix`, 'info'));
    }

    blocks.push(status('regime', fields));
    const head = last
      ? `regime ${last.equity} · vol ${last.vol} · crypto ${last.crypto} · macro ${last.macro} as of ${shortUtc(tl.ts[tl.ts.length - 1]!)}`
      : 'regime: no regime inputs are loaded (try `ingest synthetic`); every dimension is neutral';
    blocks.push(text(head + hmmSummary, last ? 'info' : 'warn'));
    if (tl.ts.length) blocks.push(ruleSeriesBlock(tl));
    blocks.push(table(['dimension', 'status', 'inputs', 'rule', 'first known'], inputsTable(tl), 'regime inputs'));
    if (onDs) {
      const asset = dailySeries(onDs);
      blocks.push(table(['dimension', 'regime', 'days', 'share %', 'mean daily %', 'annualised %'], ruleReturnRows(tl, asset), `time spent and next-day returns of ${asset.source} per regime`));
    }
    blocks.push(...hmmBlocks);
    const summary = last ? `regime ${last.equity} · vol ${last.vol} · crypto ${last.crypto} · macro ${last.macro}${accText}` : head;
    return ok('regime', blocks, summary);
  },
});
