/** `ingest yahoo`: Yahoo Finance bars through yahoo-finance2 (chart API), downloading only what the lake lacks (engine: src/data/network; docs/network.md). */
import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { runNetworkIngest, runtimeFromIo } from '../../src/data/network/run.js';

export default defineCommand({
  name: 'yahoo',
  summary: 'Yahoo Finance bars through yahoo-finance2 (chart API), downloading only what the lake lacks',
  job: true,
  usage: 'SYMBOL [--interval 1d] [--start DATE] [--end DATE]',
  positional: ['symbol'],
  schema: z.object({
    symbol: z.string().describe('Yahoo symbol, e.g. SPY, AAPL, ^GSPC'),
    interval: z.string().default('1d').describe('bar interval (1m 5m 15m 30m 1h 1d 1w 1M; sub-hour bars reach back ~60 days)'),
    start: z.string().optional().describe('first UTC time wanted, e.g. 2024-01-01 (default: where the lake copy starts; needed the first time)'),
    end: z.string().optional().describe('end of the window, exclusive (default: now; only complete bars are kept)'),
  }),
  completion: { symbol: 'symbol', interval: ['1m', '5m', '15m', '30m', '1h', '1d', '1w', '1M'] },
  examples: ['ingest yahoo SPY --start 2015-01-01', 'ingest yahoo QQQ --interval 1h --start 2024-01-01'],
  run(session, args, io) {
    return runNetworkIngest(
      session,
      { source: 'yahoo', symbol: args.symbol, what: 'ohlcv', interval: args.interval, start: args.start, end: args.end },
      runtimeFromIo(io, Date.now, process.env),
    );
  },
});
