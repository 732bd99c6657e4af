import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { allMidnight, describeRange, matchingRows, resolveTable, rowCells } from '../src/shell/table-view.js';
import { parseUtc } from '../src/core/time.js';
import { UserError } from '../src/core/errors.js';
import { suggest } from '../src/core/suggest.js';

export default defineCommand({
  name: 'show',
  summary: 'print rows of a dataset (raw, clean or derived)',
  positional: ['table'],
  schema: z.object({
    table: z.string().describe('dataset name (see `datasets`), or a table kind with --symbol, e.g. `show funding --symbol BTCUSDT`'),
    rows: z.coerce.number().int().positive().max(10_000).default(10).describe('how many rows'),
    symbol: z.string().optional().describe('symbol: picks SYMBOL:TABLE, or filters a table with a symbol column'),
    tail: z.boolean().default(false).describe('show the last rows instead of the first'),
    from: z.string().optional().describe('first time to show (2024-01-31 or ISO)'),
    to: z.string().optional().describe('last time to show'),
    columns: z.array(z.string()).optional().describe('only these columns, comma-separated'),
  }),
  completion: { table: 'dataset', symbol: 'symbol' },
  examples: ['show BTCUSDT:15m --rows 5', 'show SPY:1d --tail --rows 3', 'show funding --symbol ETHUSDT'],
  run(session, args) {
    const ds = resolveTable(session, args.table, args.symbol);
    const t = ds.table;
    // --columns picks data columns; the time column stays first so every row says when it is
    const picked = args.columns ?? Object.keys(t.columns);
    const cols = 'ts' in t.columns && !picked.includes('ts') ? ['ts', ...picked] : picked;
    for (const c of cols) {
      if (c in t.columns) continue;
      const hint = suggest(c, Object.keys(t.columns));
      throw new UserError(`${ds.name} has no column '${c}'${hint ? `; did you mean '${hint}'?` : ''}`, '--columns');
    }
    const matched = matchingRows(t, {
      ...(args.symbol !== undefined && Array.isArray(t.columns['symbol']) ? { symbol: args.symbol } : {}),
      ...(args.from !== undefined ? { from: parseUtc(args.from) } : {}),
      ...(args.to !== undefined ? { to: parseUtc(args.to) } : {}),
    });
    // the further-rows count is of the rows that match (window, symbol), not of the whole table
    const idx = args.tail ? matched.slice(-args.rows) : matched.slice(0, args.rows);
    const dateOnly = allMidnight(t);
    const rows = idx.map((i) => rowCells(t, cols, i, dateOnly));
    return ok(`show ${ds.name}`, [
      text(`${ds.name} · ${t.length} rows · ${describeRange(t)}`),
      table(cols, rows, undefined, matched.length),
    ]);
  },
});
