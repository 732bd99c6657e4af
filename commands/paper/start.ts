import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { UserError, messageOf } from '../../src/core/errors.js';
import { modelNames } from '../../src/models/registry.js';
import { INTERVALS, type Interval } from '../../src/core/time.js';
import { currentStage } from '../../src/lifecycle/stages.js';
import { resultsDbPath } from '../../src/store/path.js';
import { PaperLoop } from '../../src/paper/loop.js';
import { PAPER_SPEC_FORMAT, checkModel, isoDate, parseSpeed, type PaperSpec } from '../../src/paper/spec.js';
import { nextSessionId } from '../../src/paper/report.js';
import { runSession } from '../../src/paper/run-session.js';
import { BROKER_NAMES, openVenueMirror } from '../../src/paper/venue-mirror.js';

export default defineCommand({
  name: 'start',
  summary: 'start a paper-trading loop: the backtest\'s Trader over a replay of the data at a speed, filled by the PaperBroker (or a venue)',
  job: true,
  positional: ['model'],
  usage: '[MODEL|--portfolio] [--replay [--from D --to D]] [--speed N|max] [--bars N] [--interval I] [--risk] [--broker sim|binance|binanceusdm|kraken|alpaca] [--id ID]',
  schema: z.object({
    model: z.string().optional().describe(`one model instead of the configured portfolio: ${modelNames().join(', ')}`),
    portfolio: z.boolean().default(false).describe('trade the configured portfolio (the default when no model is named)'),
    symbol: z.string().optional().describe('symbol for a single-symbol model'),
    interval: z.enum(INTERVALS as [Interval, ...Interval[]]).optional().describe('bar interval of the run (default backtest.interval)'),
    risk: z.boolean().default(false).describe('one model: keep the configured risk limits (drawdown modes, caps), as `backtest --risk`'),
    params: z.string().optional().describe("other model parameters as key=value pairs, e.g. 'fast=10,slow=40'"),
    replay: z.boolean().default(false).describe('replay the session\'s data (the default; needs no promotion)'),
    live: z.boolean().default(false).describe('trade on a live feed (needs the model promoted to paper, or --unpromoted)'),
    unpromoted: z.boolean().default(false).describe('allow a live feed for a model not promoted to the paper stage'),
    from: z.string().optional().describe('replay: first decision time (UTC date or time); warm-up uses the bars before it'),
    to: z.string().optional().describe('replay: last bar time (UTC date or time)'),
    speed: z.string().optional().describe("replay pace: bar time per wall time (3600 = an hour of bars a second), or 'max' (default)"),
    bars: z.coerce.number().int().positive().optional().describe('stop after N bars (the session stays resumable: `paper resume-from ID`)'),
    broker: z.string().default('sim').describe(`who fills the orders: ${BROKER_NAMES.join(', ')} (sim: the PaperBroker, the backtest's execution model)`),
    baseUrl: z.string().optional().describe('venue brokers: send requests to this origin (a local fixture or a proxy)'),
    id: z.string().regex(/^[A-Za-z0-9._-]+$/).optional().describe('session id (default paper-N, the next free number)'),
    checkpointEvery: z.coerce.number().int().positive().optional().describe('bars between full state checkpoints (default 500)'),
  }),
  completion: { model: modelNames(), symbol: 'symbol', interval: [...INTERVALS], broker: [...BROKER_NAMES], speed: ['max', '60', '3600', '86400'] },
  examples: ['paper start --replay --speed max --bars 500', 'paper start sma_cross --symbol BTCUSDT --speed 3600 &', 'paper start --portfolio --from 2021-06-01 --to 2021-09-01'],
  async run(session, args, io) {
    if (args.model !== undefined && args.portfolio) throw new UserError('name a model or --portfolio, not both', '--portfolio');
    if (args.live && args.replay) throw new UserError('--live and --replay exclude each other', '--live');
    if (args.live) {
      if (!args.unpromoted) {
        // promote (src/lifecycle/stages.ts): a live feed trades only models at the paper stage or beyond
        const stage = args.model === undefined ? 'research' : await currentStage(resultsDbPath(session), args.model);
        if (stage !== 'paper' && stage !== 'live') {
          throw new UserError(`${args.model ?? 'the portfolio'} is at the ${stage} stage: a live feed trades only a model promoted to paper (\`promote\`), or add --unpromoted`, '--live');
        }
      }
      throw new UserError('the live feed is not built yet: `paper start --replay` replays the data (docs/paper.md "Safety")', '--live');
    }
    if (args.model !== undefined) checkModel(args.model);
    else if (args.symbol !== undefined || args.params !== undefined) throw new UserError('--symbol and --params apply to one model, e.g. `paper start sma_cross --symbol BTCUSDT`', args.symbol !== undefined ? '--symbol' : '--params');
    const params: Record<string, unknown> = {};
    for (const part of (args.params ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new UserError(`expected key=value pairs separated by commas, got '${part}'`, '--params');
      const v = part.slice(eq + 1).trim();
      params[part.slice(0, eq).trim()] = v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) && v !== '' ? Number(v) : v;
    }
    if (args.symbol !== undefined) params['symbol'] = args.symbol.toUpperCase();
    const spec: PaperSpec = {
      format: PAPER_SPEC_FORMAT,
      id: args.id ?? nextSessionId(session.dataRoot),
      model: args.model ?? null,
      params,
      mode: 'replay',
      from: isoDate(args.from, '--from'),
      to: isoDate(args.to, '--to'),
      speed: parseSpeed(args.speed),
      broker: args.broker,
      seed: session.seed,
      ...(args.interval !== undefined ? { interval: args.interval } : {}),
      ...(args.risk ? { keepRisk: true } : {}),
      config: session.config,
    };
    if (!(BROKER_NAMES as readonly string[]).includes(spec.broker)) throw new UserError(`unknown broker '${spec.broker}' (choose ${BROKER_NAMES.join(', ')})`, '--broker');
    const loop = PaperLoop.create(spec, session.dataRoot, session.datasets);
    if (spec.broker !== 'sim') {
      try {
        loop.attachVenue(await openVenueMirror(spec, loop, { ...(args.baseUrl ? { baseUrl: args.baseUrl } : {}) }));
      } catch (err) {
        loop.error('broker', messageOf(err)); // the errors log keeps why the session never traded (redacted)
        loop.closeLogs();
        throw err;
      }
    }
    io.log(`paper ${spec.id}: state and logs in ${loop.paths.dir}`);
    return runSession(loop, io, { ...(args.bars !== undefined ? { bars: args.bars } : {}), ...(args.checkpointEvery !== undefined ? { checkpointEvery: args.checkpointEvery } : {}) });
  },
});
