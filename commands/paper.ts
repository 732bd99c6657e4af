import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';
import { sessionsTable } from '../src/paper/report.js';

export default defineCommand({
  name: 'paper',
  summary: 'paper trading: `paper start` a loop over a replay of the data or a live feed, `paper status`, `paper dash`, pause, resume, kill, resume-from',
  subcommands: true,
  schema: z.object({}),
  examples: [
    'paper start --replay --speed max --bars 500',
    'paper start sma_cross --symbol BTCUSDT --replay --from 2021-03-01 --to 2021-06-01 --speed 3600 &',
    'paper status',
    'paper dash',
    'paper pause',
    'paper resume',
    'paper kill',
    'paper resume-from paper-1',
    'paper start sma_cross --symbol BTCUSDT --interval 1m --live --feed binance &',
  ],
  run(session) {
    return ok('paper', [sessionsTable(session.dataRoot), text('paper start | status | dash | pause | resume | kill | resume-from ID (docs/paper.md)')]);
  },
});
