/** `ingest binance`: Binance spot bars through ccxt, downloading only what the lake lacks (engine: src/data/network; docs/network.md). */
import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { runNetworkIngest, runtimeFromIo } from '../../src/data/network/run.js';

export default defineCommand({
  name: 'binance',
  summary: 'Binance spot bars through ccxt, downloading only what the lake lacks',
  job: true,
  usage: 'SYMBOL [--interval 15m] [--start DATE] [--end DATE]',
  positional: ['symbol'],
  schema: z.object({
    symbol: z.string().describe('spot market, e.g. BTCUSDT (or BTC/USDT)'),
    interval: z.string().default('15m').describe('bar interval (1m 5m 15m 30m 1h 4h 8h 1d 1w)'),
    start: z.string().optional().describe('first UTC time wanted, e.g. 2024-01-01 (default: where the lake copy starts; needed the first time)'),
    end: z.string().optional().describe('end of the window, exclusive (default: now; only complete bars are kept)'),
  }),
  completion: { symbol: 'symbol', interval: ['1m', '5m', '15m', '30m', '1h', '4h', '8h', '1d', '1w'] },
  examples: ['ingest binance BTCUSDT --interval 1h --start 2024-01-01', 'ingest binance ETHUSDT --interval 15m'],
  run(session, args, io) {
    return runNetworkIngest(
      session,
      { source: 'binance', symbol: args.symbol, what: 'ohlcv', interval: args.interval, start: args.start, end: args.end },
      runtimeFromIo(io, Date.now, process.env),
    );
  },
});
