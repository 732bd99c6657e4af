/** `ingest file`: a CSV / Parquet / Arrow / JSON file into the raw lake and the session (engine: src/data/files). */
import { basename, relative } from 'node:path';
import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, table, text, type Block } from '../../src/core/result.js';
import { throwIfAborted } from '../../src/core/errors.js';
import { shortUtc } from '../../src/core/time.js';
import { short } from '../../src/core/canonical.js';
import { lakeDir } from '../../src/data/lake/layout.js';
import { PRESET_NAMES } from '../../src/data/files/presets.js';

export default defineCommand({
  name: 'file',
  summary: 'read a CSV, Parquet, Arrow/Feather or JSON file into the raw lake and the session',
  job: true,
  usage: 'PATH [--preset NAME] [--symbol S] [--interval I] [--map ts=Date,close=Close] [--ts-format auto] [--tz-offset +03:00] [--name N]',
  positional: ['path'],
  schema: z.object({
    path: z.string().describe('the file (.csv/.txt, .parquet, .feather/.arrow, .json/.json.gz)'),
    preset: z.enum(PRESET_NAMES as [string, ...string[]]).optional().describe(`known layout: ${PRESET_NAMES.join(', ')} (default: guessed from the name and header)`),
    symbol: z.string().optional().describe('symbol for the dataset; picks one symbol from a file with a symbol column'),
    interval: z.string().optional().describe('bar interval (default: from the file name or the median step)'),
    map: z.string().optional().describe('column mapping, e.g. ts=Date+Time,close=Close,volume=#6 (#N = Nth column)'),
    tsFormat: z.string().default('auto').describe('timestamp format: auto, iso, s, ms, us, ns, yyyymmdd, dmy, mdy or a strptime pattern'),
    tzOffset: z.string().optional().describe('UTC offset of naive local times in the file, e.g. +03:00 (they are shifted to UTC)'),
    name: z.string().optional().describe('label for dataset names: raw:NAME:INTERVAL, and NAME:INTERVAL after clean'),
    kind: z.enum(['bars', 'trades', 'funding']).optional().describe('what the rows are (default: guessed from the columns)'),
    assetClass: z.enum(['crypto_perp', 'crypto_spot', 'equity', 'etf', 'index', 'fx', 'other']).optional().describe('asset class (sets the calendar for gaps: equity/etf/index trade weekdays)'),
  }),
  completion: { path: 'path', preset: PRESET_NAMES, symbol: 'symbol' },
  examples: [
    'ingest file test/fixtures/data/demo-daily.csv --symbol DEMO',
    'ingest file ../shared/data/backtrader/orcl-2014.txt --preset yahoo',
    'ingest file BTC-USDT_binance_funding.csv --preset funding-csv --tz-offset +03:00',
  ],
  async run(session, args, io) {
    const path = session.resolvePath(args.path);
    io.progress({ label: `reading ${basename(path)}` });
    const { ingestFile } = await import('../../src/data/files/ingest.js');
    const lake = lakeDir(session);
    const { dataset, read, raw } = await ingestFile(path, lake, {
      ...(args.preset ? { preset: args.preset } : {}),
      ...(args.symbol ? { symbol: args.symbol } : {}),
      ...(args.interval ? { interval: args.interval } : {}),
      ...(args.map ? { map: args.map } : {}),
      tsFormat: args.tsFormat,
      ...(args.tzOffset ? { tzOffset: args.tzOffset } : {}),
      ...(args.name ? { name: args.name } : {}),
      ...(args.kind ? { kind: args.kind } : {}),
      ...(args.assetClass ? { assetClass: args.assetClass } : {}),
      maxRejectedFraction: session.config.data.clean.max_rejected_fraction,
      displayPath: args.path,
      signal: io.signal,
    });
    throwIfAborted(io.signal);
    // Shown paths are as typed / relative to the project, so transcripts replay from any clone.
    session.addDataset({ ...dataset, source: `file:${args.path}` });
    io.log(raw.created ? `stored ${raw.entry.file} in the raw lake` : `the raw lake already holds this content (${raw.entry.file})`);
    const ts = read.table.columns['ts'] as Float64Array;
    const what = read.kind === 'bars' ? `${read.interval ?? 'irregular'} bars` : read.kind === 'funding' ? 'funding settlements' : 'trades';
    const blocks: Block[] = [
      text(
        `${dataset.name} ← ${args.path}: ${read.table.length} rows of ${what}` +
          `${read.preset ? ` (preset ${read.preset})` : ''}, ${timeSpan(ts)}`,
        'good',
      ),
      table(
        ['item', 'value'],
        [
          ['format', read.format],
          ['columns', Object.keys(read.table.columns).join(', ')],
          ['asset class', read.assetClass],
          // relative to the data root, so the result (and its digest) is the same wherever data lives
          ['raw lake file', relative(session.dataRoot, raw.path)],
          ['digest', short(dataset.digest)],
          ...read.facts.map((f, i) => [i === 0 ? 'notes' : '', f]),
        ],
        'ingest',
      ),
    ];
    if (read.rejects.length) {
      const { rejectsBlock } = await import('../../src/data/report.js');
      blocks.push(text(`${read.rejects.length} rows could not be read and were set aside (first: ${args.path}:${read.rejects[0]!.line}, ${read.rejects[0]!.reason})`, 'warn'));
      blocks.push(rejectsBlock(read.rejects, args.path));
    }
    blocks.push(text(`next: clean ${dataset.name}${read.kind === 'bars' ? ' [--to 15m,1h,4h,1d]' : ''}`));
    return ok(`ingest file ${args.path}`, blocks, `${dataset.name}: ${read.table.length} rows`);
  },
});

/** First .. last finite time, and how many rows have none (never "NaN"); clean quarantines those rows. */
function timeSpan(ts: Float64Array): string {
  let lo = Infinity;
  let hi = -Infinity;
  let missing = 0;
  for (const t of ts) {
    if (!Number.isFinite(t)) missing++;
    else {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  }
  const span = Number.isFinite(lo) ? `${shortUtc(lo)} .. ${shortUtc(hi)}` : 'no valid times';
  return missing ? `${span} (${missing} row${missing === 1 ? '' : 's'} without a time)` : span;
}
