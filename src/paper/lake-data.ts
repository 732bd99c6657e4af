/**
 * The lake's clean bars as session datasets, for `edgelab paper …` in its own process
 * (docs/paper.md "Headless"): every partition `clean/symbol=S/interval=I` of the data root's lake
 * (src/data/lake, written by `clean`), its latest version, under the dataset name `clean` gave it
 * (`S:I` by default), with the readiness gate stored beside it. Bars only: funding and other
 * partitions are left out (a paper run reads bars; a perpetual's funding column is in its bars).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableDigest, type Dataset, type ReadinessGate } from '../core/table.js';
import { INTERVALS, type Interval } from '../core/time.js';
import { readClean } from '../data/lake/clean-store.js';
import { cleanPartitionDir, decodePartValue } from '../data/lake/layout.js';

function gateOf(dir: string, file: unknown): ReadinessGate | undefined {
  if (typeof file !== 'string' || !existsSync(join(dir, file))) return undefined;
  try {
    const g = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { pass: boolean | null; gates?: ReadinessGate['gates']; facts?: ReadinessGate['facts'] };
    return g.pass === null ? undefined : { pass: g.pass, gates: g.gates ?? [], facts: g.facts ?? {} };
  } catch {
    return undefined;
  }
}

/** Every clean bar partition of the lake at `lake` (empty when there is none). */
export async function lakeBarDatasets(lake: string): Promise<Dataset[]> {
  const root = join(lake, 'clean');
  if (!existsSync(root)) return [];
  const out: Dataset[] = [];
  for (const symDir of readdirSync(root).filter((d) => d.startsWith('symbol=')).sort()) {
    const symbol = decodePartValue(symDir);
    for (const ivDir of readdirSync(join(root, symDir)).filter((d) => d.startsWith('interval=')).sort()) {
      const interval = decodePartValue(ivDir);
      if (!(INTERVALS as readonly string[]).includes(interval)) continue;
      const found = await readClean(lake, symbol, interval);
      if (!found || found.table.length === 0) continue;
      const meta = found.entry.meta ?? {};
      const gate = gateOf(cleanPartitionDir(lake, { symbol, interval }), meta['gateFile']);
      out.push({
        name: typeof meta['dataset'] === 'string' ? meta['dataset'] : `${symbol}:${interval}`,
        kind: 'bars', stage: 'clean', symbol, interval: interval as Interval, source: `lake:${found.entry.origin}`,
        table: found.table, digest: tableDigest(found.table), ...(gate ? { gate } : {}),
      });
    }
  }
  return out;
}
