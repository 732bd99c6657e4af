/** `ingest alpaca`: Alpaca stock bars (market-data API v2; keys from APCA_API_KEY_ID / APCA_API_SECRET_KEY) (engine: src/data/network; docs/network.md). */
import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { runNetworkIngest, runtimeFromIo } from '../../src/data/network/run.js';

export default defineCommand({
  name: 'alpaca',
  summary: 'Alpaca stock bars (market-data API v2; keys from APCA_API_KEY_ID / APCA_API_SECRET_KEY)',
  job: true,
  usage: 'SYMBOL [--interval 1d] [--start DATE] [--end DATE]',
  positional: ['symbol'],
  schema: z.object({
    symbol: z.string().describe('US stock or ETF, e.g. SPY'),
    interval: z.string().default('1d').describe('bar interval (1m 5m 15m 30m 1h 4h 8h 1d 1w 1M)'),
    start: z.string().optional().describe('first UTC time wanted, e.g. 2024-01-01 (default: where the lake copy starts; needed the first time)'),
    end: z.string().optional().describe('end of the window, exclusive (default: now; only complete bars are kept)'),
  }),
  completion: { symbol: 'symbol', interval: ['1m', '5m', '15m', '30m', '1h', '4h', '8h', '1d', '1w'] },
  examples: ['ingest alpaca SPY --interval 1d --start 2020-01-01', 'ingest alpaca AAPL --interval 1h --start 2024-01-01'],
  run(session, args, io) {
    return runNetworkIngest(
      session,
      { source: 'alpaca', symbol: args.symbol, what: 'ohlcv', interval: args.interval, start: args.start, end: args.end },
      runtimeFromIo(io, Date.now, process.env),
    );
  },
});
