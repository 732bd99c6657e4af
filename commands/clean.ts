/** `clean`: canonical bars, funding settlements or a point-in-time series from a raw dataset, with the readiness gate (engine: src/data/clean). */
import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, text, type Block } from '../src/core/result.js';
import { UserError, throwIfAborted } from '../src/core/errors.js';
import type { Dataset } from '../src/core/table.js';
import { DAY, HOUR, MINUTE } from '../src/core/time.js';
import { cleanDataset } from '../src/data/clean/clean-dataset.js';
import { quarantineTable } from '../src/data/clean/quarantine.js';
import { datasetLine, quarantineBlock, readinessBlocks } from '../src/data/report.js';
import { lakeDir } from '../src/data/lake/layout.js';
import type { Session } from '../src/shell/session.js';

/** `name`, or the single raw dataset whose name starts with `raw:name`. */
function findRaw(session: Session, name: string): Dataset {
  if (session.datasets.has(name)) return session.dataset(name);
  const matches = [...session.datasets.keys()].filter((k) => k === `raw:${name}` || k.startsWith(`raw:${name}:`));
  if (matches.length === 1) return session.dataset(matches[0]!);
  if (matches.length > 1) throw new UserError(`'${name}' matches ${matches.join(', ')}; name one`, 'dataset');
  return session.dataset(name);
}

/**
 * Loaded datasets that `made` would replace although they came from another source: a real
 * `clean raw:BTCUSDT:funding` used to replace the demo's synthetic BTCUSDT:funding without a word.
 */
function clashes(session: Session, made: readonly Dataset[]): { name: string; source: string }[] {
  return made.flatMap((ds) => {
    const prev = session.datasets.get(ds.name);
    return prev !== undefined && prev.source !== ds.source ? [{ name: ds.name, source: prev.source }] : [];
  });
}

const UNIT_MS: Readonly<Record<string, number>> = { m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };
/** '35d' → ms (the schema has checked the form). */
const lagMs = (s: string): number => Number(s.slice(0, -1)) * UNIT_MS[s.slice(-1)]!;

export default defineCommand({
  name: 'clean',
  summary: 'clean a raw dataset into canonical bars (15m, 1h, 4h, 1d), funding or a point-in-time series, with a readiness gate and quarantine',
  job: true,
  usage: 'DATASET [--to 15m|1h|4h|1d|all|native|LIST] [--funding DATASET] [--oi DATASET] [--name LABEL] [--lag 35d] [--no-lake] [--replace]',
  positional: ['dataset'],
  schema: z.object({
    dataset: z.string().describe('a raw dataset (raw:SYMBOL:INTERVAL), or its label (SYMBOL) when only one matches'),
    to: z.string().optional().describe("target intervals: 'native' (default: the smallest canonical at least as coarse), 'all', or a list like 1h,4h,1d"),
    funding: z.string().optional().describe('funding settlements to align to the bars (default: LABEL:funding or raw:LABEL:funding when loaded)'),
    oi: z.string().optional().describe('open-interest observations (ts plus open_interest or value), joined as of each bar close'),
    name: z.string().optional().describe('label for the clean datasets (LABEL:INTERVAL; for a series the whole name); default the raw symbol (series: the raw name without raw:)'),
    lag: z
      .string()
      .regex(/^\d+(\.\d+)?(m|h|d|w)$/, 'a duration such as 90m, 12h, 35d or 2w')
      .optional()
      .describe('series only: how long after its observation date a value without a release date is known (default one median step)'),
    noLake: z.boolean().default(false).describe('keep the result in the session only (no clean tables, quarantine or gate artifacts in the lake)'),
    replace: z.boolean().default(false).describe('replace a loaded dataset of the same name that came from another source (e.g. the demo data); without it clean refuses and names the clash'),
  }),
  completion: { dataset: 'dataset', funding: 'dataset', oi: 'dataset', to: ['native', 'all', '15m', '1h', '4h', '1d', '1w', '1M'] },
  examples: ['clean raw:DEMO:1d', 'clean raw:XRPUSDT:5m --to all --funding raw:XRPUSDT:funding', 'clean raw:BTCUSDT:funding', 'clean raw:MACRO:T10Y2Y'],
  async run(session, args, io) {
    const raw = findRaw(session, args.dataset);
    if (raw.stage !== 'raw') throw new UserError(`${raw.name} is already ${raw.stage}; clean takes a raw dataset (raw:…)`, 'dataset');
    const isSeries = raw.kind === 'series';
    const label = isSeries ? args.name ?? raw.name.replace(/^raw:/, '') : args.name ?? raw.symbol ?? raw.name.replace(/^raw:/, '').split(':')[0]!;
    if (args.lag && !isSeries) throw new UserError(`--lag applies to series; ${raw.name} is ${raw.kind}`, '--lag');
    let funding: Dataset | undefined;
    if (args.funding) funding = session.dataset(args.funding);
    else if (raw.kind !== 'funding' && !isSeries && raw.assetClass === 'crypto_perp')
      funding = session.datasets.get(`${label}:funding`) ?? session.datasets.get(`raw:${label}:funding`);
    const openInterest = args.oi ? session.dataset(args.oi) : undefined;
    io.progress({ label: `cleaning ${raw.name}` });
    const res = cleanDataset(
      { raw, ...(args.to ? { targets: args.to } : {}), ...(funding ? { funding } : {}), ...(openInterest ? { openInterest } : {}), label, ...(args.lag ? { lagMs: lagMs(args.lag) } : {}) },
      session.config,
    );
    throwIfAborted(io.signal);
    const replaced = clashes(session, res.datasets);
    if (replaced.length > 0 && !args.replace) {
      const names = replaced.map((c) => `${c.name} (from ${c.source})`).join(', ');
      throw new UserError(`${names} already loaded; nothing was replaced — pass --name LABEL to keep both, or --replace to replace ${replaced.length === 1 ? 'it' : 'them'}`, 'clean');
    }
    if (!args.noLake) {
      const { writeClean } = await import('../src/data/lake/clean-store.js');
      const q = quarantineTable(res.quarantine);
      for (const ds of res.datasets) {
        const w = await writeClean(lakeDir(session), ds, q);
        io.log(w.created ? `stored ${ds.name} in the clean lake (${w.entry.file})` : `the clean lake already holds ${ds.name} (${w.entry.file})`);
      }
    }
    for (const ds of res.datasets) session.addDataset(ds);
    const file = typeof raw.meta?.['file'] === 'string' ? raw.source.replace(/^file:/, '') : undefined;
    const blocks: Block[] = [text(res.datasets.map(datasetLine).join('\n'), res.datasets.every((d) => d.gate?.pass) ? 'good' : 'warn')];
    if (funding) blocks.push(text(`funding from ${funding.name}`));
    for (const c of replaced) blocks.push(text(`replaced ${c.name} (was from ${c.source}) as asked (--replace)`, 'warn'));
    for (const n of res.notes) blocks.push(text(n, /out of order/.test(n) ? 'warn' : 'info'));
    for (const ds of res.datasets) blocks.push(...readinessBlocks(ds));
    blocks.push(res.quarantine.length ? quarantineBlock(res.quarantine, file) : text('quarantined rows: none'));
    const failed = res.datasets.filter((d) => !d.gate?.pass).map((d) => d.name);
    const summary = `${res.datasets.map((d) => d.name).join(', ')}: ${failed.length ? `gate failed for ${failed.join(', ')}` : 'gate passed'}${res.quarantine.length ? `; ${res.quarantine.length} rows quarantined` : ''}`;
    return ok(`clean ${raw.name}`, blocks, summary);
  },
});
