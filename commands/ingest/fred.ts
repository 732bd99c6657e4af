/** `ingest fred`: FRED macro series observations (key from FRED_API_KEY), downloading only what the lake lacks (engine: src/data/network; docs/network.md). */
import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { runNetworkIngest, runtimeFromIo } from '../../src/data/network/run.js';

export default defineCommand({
  name: 'fred',
  summary: 'FRED macro series observations (key from FRED_API_KEY), downloading only what the lake lacks',
  job: true,
  usage: 'SERIES [--start DATE] [--end DATE]',
  positional: ['symbol'],
  schema: z.object({
    symbol: z.string().describe('FRED series id, e.g. T10Y2Y, CPIAUCSL, VIXCLS'),
    start: z.string().optional().describe('first UTC time wanted, e.g. 2024-01-01 (default: where the lake copy starts; needed the first time)'),
    end: z.string().optional().describe('end of the window, exclusive (default: now; observations dated before it)'),
  }),
  examples: ['ingest fred T10Y2Y --start 2000-01-01', 'ingest fred CPIAUCSL --start 1990-01-01'],
  run(session, args, io) {
    return runNetworkIngest(
      session,
      { source: 'fred', symbol: args.symbol, what: 'series', start: args.start, end: args.end },
      runtimeFromIo(io, Date.now, process.env),
    );
  },
});
