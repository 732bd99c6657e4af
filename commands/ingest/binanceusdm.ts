/** `ingest binanceusdm`: Binance USDⓈ-M perpetuals through ccxt: bars, funding or open interest, only what the lake lacks (engine: src/data/network; docs/network.md). */
import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { runNetworkIngest, runtimeFromIo } from '../../src/data/network/run.js';

export default defineCommand({
  name: 'binanceusdm',
  summary: 'Binance USDⓈ-M perpetuals through ccxt: bars, funding or open interest, only what the lake lacks',
  job: true,
  usage: 'SYMBOL [--interval 15m] [--start DATE] [--end DATE] [--what ohlcv|funding|oi]',
  positional: ['symbol'],
  schema: z.object({
    symbol: z.string().describe('contract, e.g. BTCUSDT (or BTC/USDT:USDT)'),
    interval: z.string().optional().describe('bar interval (default 15m); for --what oi the period: 5m 15m 30m 1h 2h 4h 6h 12h 1d (default network.binanceusdm.oi_period)'),
    start: z.string().optional().describe('first UTC time wanted, e.g. 2024-01-01 (default: where the lake copy starts; needed the first time)'),
    end: z.string().optional().describe('end of the window, exclusive (default: now; only complete bars are kept)'),
    what: z.enum(['ohlcv', 'funding', 'oi']).default('ohlcv').describe('bars (ohlcv), funding-rate history (funding) or open-interest history (oi, last 30 days only)'),
  }),
  completion: { symbol: 'symbol', interval: ['1m', '5m', '15m', '30m', '1h', '4h', '8h', '1d'] },
  examples: ['ingest binanceusdm BTCUSDT --interval 15m --start 2024-01-01', 'ingest binanceusdm BTCUSDT --what funding --start 2023-01-01', 'ingest binanceusdm ETHUSDT --what oi --interval 1h'],
  run(session, args, io) {
    return runNetworkIngest(
      session,
      { source: 'binanceusdm', symbol: args.symbol, what: args.what, interval: args.interval, start: args.start, end: args.end },
      runtimeFromIo(io, Date.now, process.env),
    );
  },
});
