import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { UserError, messageOf } from '../../src/core/errors.js';
import { modelNames } from '../../src/models/registry.js';
import { loadMeta } from '../../src/ml/meta.js';
import { INTERVALS, type Interval } from '../../src/core/time.js';
import { currentStage } from '../../src/lifecycle/stages.js';
import { resultsDbPath } from '../../src/store/path.js';
import { PaperLoop } from '../../src/paper/loop.js';
import { PAPER_SPEC_FORMAT, checkModel, isoDate, parseSpeed, replaySessionId, type PaperSpec } from '../../src/paper/spec.js';
import { headBlocks, headLine, nextSessionId } from '../../src/paper/report.js';
import { paperPaths, readJson } from '../../src/paper/files.js';
import type { PaperHead } from '../../src/paper/head.js';
import { ok } from '../../src/core/result.js';
import { runSession } from '../../src/paper/run-session.js';
import { BROKER_NAMES, openVenueMirror } from '../../src/paper/venue-mirror.js';
import { FEED_NAMES } from '../../src/paper/feed-source.js';
import { startLiveSession } from '../../src/paper/live-start.js';
import { LIVE_HISTORY_BARS } from '../../src/paper/live-source.js';
import { wallScheduler } from '../../src/shell/wall-clock.js';
import type { PaperLoop as Loop } from '../../src/paper/loop.js';

export default defineCommand({
  name: 'start',
  summary: 'start a paper-trading loop: the backtest\'s Trader over a replay of the data at a speed, or on a live feed, filled by the PaperBroker (or a venue)',
  job: true,
  positional: ['model'],
  flagAliases: { model: 'bundle' },
  usage: '[MODEL [--model META]|--portfolio] [--replay [--from D --to D]] [--live [--feed F] [--unpromoted] [--real --yes-live]] [--speed N|max] [--bars N] [--interval I] [--risk] [--broker sim|binance|binanceusdm|kraken|krakenfutures|alpaca] [--id ID]',
  schema: z.object({
    model: z.string().optional().describe(`one model instead of the configured portfolio: ${modelNames().join(', ')}`),
    portfolio: z.boolean().default(false).describe('trade the configured portfolio (the default when no model is named)'),
    symbol: z.string().optional().describe('symbol for a single-symbol model'),
    interval: z.enum(INTERVALS as [Interval, ...Interval[]]).optional().describe('bar interval of the run (default backtest.interval)'),
    risk: z.boolean().default(false).describe('one model: keep the configured risk limits (drawdown modes, caps), as `backtest --risk`'),
    params: z.string().optional().describe("other model parameters as key=value pairs, e.g. 'fast=10,slow=40'"),
    bundle: z.string().optional().describe('hybrid_alpha: the fitted meta-model to trade, by name (default meta; `fit meta --out NAME`); spec.json keeps a copy'),
    replay: z.boolean().default(false).describe('replay the session\'s data (the default; needs no promotion)'),
    live: z.boolean().default(false).describe('trade on a live feed (needs the model promoted to paper, or --unpromoted)'),
    unpromoted: z.boolean().default(false).describe('allow a live feed for a model not promoted to the paper stage'),
    feed: z.string().optional().describe(`--live: where closed bars come from: ${FEED_NAMES.join(', ')} (default: the --broker venue, else binance)`),
    feedUrl: z.string().optional().describe('--live: send the feed\'s requests to this origin (a local fixture or a proxy)'),
    history: z.coerce.number().int().positive().optional().describe(`--live: bars of the session's data kept for warm-up (default ${LIVE_HISTORY_BARS})`),
    real: z.boolean().default(false).describe('--live with a venue broker: trade the real account (not its testnet / sandbox / paper account); asks for confirmation'),
    yesLive: z.boolean().default(false).describe('confirm --real without the [y/N] question (required in headless runs: real capital)'),
    from: z.string().optional().describe('replay: first decision time (UTC date or time); warm-up uses the bars before it'),
    to: z.string().optional().describe('replay: last bar time (UTC date or time)'),
    speed: z.string().optional().describe("replay pace: bar time per wall time (3600 = an hour of bars a second), or 'max' (default)"),
    bars: z.coerce.number().int().positive().optional().describe('stop after N bars (the session stays resumable: `paper resume-from ID`)'),
    broker: z.string().default('sim').describe(`who fills the orders: ${BROKER_NAMES.join(', ')} (sim: the PaperBroker, the backtest's execution model; a venue: the Trader trades there, its fills are the book; resume-from rebuilds it from its venue journal)`),
    baseUrl: z.string().optional().describe('venue brokers: send requests to this origin (a local fixture or a proxy)'),
    id: z.string().regex(/^[A-Za-z0-9._-]+$/).optional().describe('session id (default: a replay on the sim broker is paper-<digest of what it runs>, the identical replay read back; live and venue sessions paper-N, the next free number)'),
    checkpointEvery: z.coerce.number().int().positive().optional().describe('bars between full state checkpoints (default 500)'),
  }),
  completion: { model: modelNames(), symbol: 'symbol', interval: [...INTERVALS], broker: [...BROKER_NAMES], feed: [...FEED_NAMES], speed: ['max', '60', '3600', '86400'] },
  examples: [
    'paper start --replay --speed max --bars 500',
    'paper start sma_cross --symbol BTCUSDT --speed 3600 &',
    'paper start --portfolio --from 2021-06-01 --to 2021-09-01',
    'paper start sma_cross --symbol BTCUSDT --interval 1m --live --feed binance &',
    'paper start hybrid_alpha --model meta --replay --bars 500',
  ],
  async run(session, args, io) {
    if (args.model !== undefined && args.portfolio) throw new UserError('name a model or --portfolio, not both', '--portfolio');
    if (args.live && args.replay) throw new UserError('--live and --replay exclude each other', '--live');
    if (!args.live) {
      for (const [flag, set] of [['--feed', args.feed !== undefined], ['--feed-url', args.feedUrl !== undefined], ['--history', args.history !== undefined], ['--real', args.real], ['--unpromoted', args.unpromoted]] as const) {
        if (set) throw new UserError(`${flag} applies to a live feed (add --live)`, flag);
      }
    }
    if (args.live) {
      if (!args.unpromoted) {
        // promote (src/lifecycle/stages.ts): a live feed trades only models at the paper stage or beyond
        const stage = args.model === undefined ? 'research' : await currentStage(resultsDbPath(session), args.model);
        if (stage !== 'paper' && stage !== 'live') {
          throw new UserError(`${args.model ?? 'the portfolio'} is at the ${stage} stage: a live feed trades only a model promoted to paper (\`promote ${args.model ?? 'MODEL'} --to paper\`), or add --unpromoted`, '--live');
        }
      }
      if (args.from !== undefined || args.to !== undefined || args.speed !== undefined) throw new UserError('--from, --to and --speed are for replays; a live feed trades each bar as it closes', '--live');
      if (args.real) {
        if (args.broker === 'sim') throw new UserError('--real sends orders to a venue\'s real account: name it with --broker binance|binanceusdm|kraken|krakenfutures|alpaca', '--real');
        const question = `Trade ${args.model ?? 'the portfolio'} on ${args.broker}'s REAL account (real orders, real capital)?`;
        if (!args.yesLive && !(io.confirm && (await io.confirm(question)))) {
          throw new UserError(io.confirm ? 'live trading on the real account was not confirmed' : 'live trading on the real account needs confirmation: headless runs must pass --yes-live', '--real');
        }
      }
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
    // The meta-model itself goes into spec.json, so the paper process and `resume-from` trade the
    // model fitted when the session started, even if `fit meta` rewrites the file later.
    if (args.model === 'hybrid_alpha') params['meta'] = loadMeta(session.dataRoot, args.bundle ?? 'meta');
    else if (args.bundle !== undefined) throw new UserError('--model NAME names the fitted meta-model of hybrid_alpha (`paper start hybrid_alpha --model NAME`)', '--model');
    const fields: Omit<PaperSpec, 'format' | 'id'> = {
      model: args.model ?? null,
      params,
      mode: args.live ? 'live' : 'replay',
      from: isoDate(args.from, '--from'),
      to: isoDate(args.to, '--to'),
      speed: parseSpeed(args.speed),
      broker: args.broker,
      seed: session.seed,
      ...(args.interval !== undefined ? { interval: args.interval } : {}),
      ...(args.risk ? { keepRisk: true } : {}),
      ...(args.real ? { venueMode: 'live' as const } : {}),
      config: session.config,
    };
    if (!(BROKER_NAMES as readonly string[]).includes(fields.broker)) throw new UserError(`unknown broker '${fields.broker}' (choose ${BROKER_NAMES.join(', ')})`, '--broker');
    // a replay on the sim broker is deterministic: its id is a digest of what it runs, and the identical replay is read back
    const deterministic = args.id === undefined && fields.mode === 'replay' && fields.broker === 'sim';
    const id = args.id ?? (deterministic ? replaySessionId({ format: PAPER_SPEC_FORMAT, ...fields }, args.bars ?? null, session.datasets) : nextSessionId(session.dataRoot));
    if (deterministic) {
      const head = readJson<PaperHead>(paperPaths(session.dataRoot, id).head);
      if (head) {
        io.log(`paper ${id}: the same replay (model, window, config, data, --bars) was started before: read back, not run again (\`--id NAME\` starts another copy)`);
        return ok(`paper ${id}`, headBlocks(head), headLine(head));
      }
    }
    const spec: PaperSpec = { format: PAPER_SPEC_FORMAT, id, ...fields };
    let loop: Loop;
    let live: Awaited<ReturnType<typeof startLiveSession>>['live'] | undefined;
    if (args.live) {
      const feed = args.feed ?? ((FEED_NAMES as readonly string[]).includes(spec.broker) ? spec.broker : 'binance');
      const started = await startLiveSession(spec, feed, args.feedUrl ?? null, {
        dataRoot: session.dataRoot, datasets: session.datasets, time: wallScheduler, env: process.env, signal: io.signal,
        ...(args.history !== undefined ? { historyBars: args.history } : {}),
      });
      loop = started.loop;
      live = started.live;
      io.log(`paper ${spec.id}: live feed ${feed}, trading from the bar closing ${loop.spec.from ?? '?'} (the bars before it are warm-up)`);
    } else loop = PaperLoop.create(spec, session.dataRoot, session.datasets);
    if (spec.broker !== 'sim') {
      try {
        loop.attachVenue(await openVenueMirror(loop.spec, loop, { ...(args.baseUrl ? { baseUrl: args.baseUrl } : {}), ...(args.real ? { mode: 'live' as const } : {}) }));
      } catch (err) {
        loop.error('broker', messageOf(err)); // the errors log keeps why the session never traded (redacted)
        loop.closeLogs();
        throw err;
      }
    }
    io.log(`paper ${spec.id}: state and logs in ${loop.paths.dir}`);
    return runSession(loop, io, {
      ...(args.bars !== undefined ? { bars: args.bars } : {}),
      ...(args.checkpointEvery !== undefined ? { checkpointEvery: args.checkpointEvery } : {}),
      ...(live ? { live } : {}),
    });
  },
});
