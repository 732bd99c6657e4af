/**
 * Side-by-side CPU comparison of two builds of the sma_cross sweep kernel (docs/optimize.md, "Speed",
 * how to measure here): both builds' modules are loaded into this one process and their sweeps
 * alternate, so both see the same load from other sessions; each sweep is the bench's 100 combos
 * over 1M one-minute bars in the 2-worker runner's chunks (one of 50 per lane), run in this thread after a warm
 * sweep on other data, timed by this thread's own CPU time. Prints per build the first sweep, the
 * median and minimum of the later ones, every sweep, and the digest of all stored outcomes (it must
 * be the same for both builds and every sweep: a speed change must not change a result).
 *
 *   node dist/bench/optimize-ab.js TREE_A TREE_B [ROUNDS]
 *
 * TREE_A and TREE_B are trees built with `node scripts/build.mjs` (their dist/ is read; node_modules
 * resolve from the tree, so link it). Nothing is written.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** This thread's CPU time in ms (Linux: the scheduler's figure for this thread; elsewhere the process's). */
function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}

interface Build {
  readonly tree: string;
  readonly sweep: () => Promise<{ cpu: number; digest: string }>;
  readonly cpu: number[];
  readonly digests: Set<string>;
}

type Mod = Record<string, (...args: never[]) => unknown>;

/** One build's modules, its warm sweep done, and a sweep of the bench's combos on the bench's data. */
async function load(tree: string): Promise<Build> {
  const imp = async (path: string): Promise<Mod> => (await import(pathToFileURL(join(resolve(tree), 'dist', path)).href)) as Mod;
  const { minuteBars } = await imp('bench/optimize.bench.js');
  const { loadConfig } = await imp('src/config/load.js');
  const { experimentFromOverlay, planOfPoint } = await imp('src/optimize/experiment.js');
  const { gridPoints, parseGridFlag } = await imp('src/optimize/dimensions.js');
  const { evaluateTrials, planInWindow } = await imp('src/optimize/trial.js');
  const { sharedDataset } = await imp('src/optimize/pool.js');
  const call = <T>(f: ((...args: never[]) => unknown) | undefined, ...args: unknown[]): T => (f as (...a: unknown[]) => T)(...args);
  const base = call<{ config: { backtest: object } }>(loadConfig, join(resolve(tree), 'configs/base.yaml')).config;
  const universe = { X: { asset_class: 'crypto_perp' }, W: { asset_class: 'crypto_perp' } };
  const experiment = call<object>(experimentFromOverlay, 'bench', { optimize: { model: 'sma_cross', interval: '1m', commission_pct: 0 } }, { ...base, backtest: { ...base.backtest, universe } }, 'bench');
  const dims = call<object>(parseGridFlag, 'fast=5..50:5,slow=60..240:20', (n: string) => `backtest.models.sma_cross.parameters.${n}`);
  // the 2-worker runner's deal (runner.ts evaluateAll): lanes by index parity, each lane in as few
  // chunks of at most 64 as hold it, of equal size (one chunk of 50 here)
  const chunksOn = (symbol: string): object[][] => {
    const specs = call<object[]>(gridPoints, dims).map((p) => {
      const point = { ...p, 'backtest.models.sma_cross.parameters.symbol': symbol };
      return { plan: call<object>(planInWindow, call<object>(planOfPoint, experiment, point), undefined), point };
    });
    const lanes = [0, 1].map((w) => specs.filter((_, i) => i % 2 === w));
    return lanes.flatMap((lane) => {
      const size = Math.ceil(lane.length / Math.ceil(lane.length / 64));
      return Array.from({ length: Math.ceil(lane.length / size) }, (_, c) => lane.slice(c * size, (c + 1) * size));
    });
  };
  const run = async (datasets: Map<string, unknown>, chunks: object[][]): Promise<{ cpu: number; digest: string }> => {
    const hash = createHash('sha256');
    const c0 = threadCpuMs();
    for (const chunk of chunks) {
      const got = await call<Promise<{ metrics: unknown; trades: number; returns: number[]; engine: string }[]>>(evaluateTrials, datasets, chunk);
      for (const g of got) hash.update(JSON.stringify([g.metrics, g.trades, g.returns, g.engine]));
    }
    return { cpu: threadCpuMs() - c0, digest: hash.digest('hex').slice(0, 16) };
  };
  const warm = call<object>(sharedDataset, { ...call<object>(minuteBars, 50_000, 12, 'bench-optimize-warm'), name: 'W:1m', symbol: 'W' });
  await run(new Map([['W:1m', warm]]), chunksOn('W'));
  const data = new Map([['X:1m', call<object>(sharedDataset, call<object>(minuteBars, 1_000_000))]]);
  const chunks = chunksOn('X');
  return { tree, sweep: () => run(data, chunks), cpu: [], digests: new Set() };
}

const [treeA, treeB] = process.argv.slice(2, 4);
const rounds = Number(process.argv[4] ?? 10);
if (!treeA || !treeB || !(rounds >= 2)) {
  process.stderr.write('usage: node dist/bench/optimize-ab.js TREE_A TREE_B [ROUNDS ≥ 2]\n');
  process.exit(2);
}
const builds = [await load(treeA), await load(treeB)];
const loadBefore = loadavg()[0]!;
for (let r = 0; r < rounds; r++) {
  // A then B, then B then A: neither always runs right after the other
  for (const b of r % 2 === 0 ? builds : [...builds].reverse()) {
    const { cpu, digest } = await b.sweep();
    b.cpu.push(cpu);
    b.digests.add(digest);
  }
}
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (const b of builds) {
  const later = b.cpu.slice(1);
  process.stdout.write(`${b.tree}: first ${b.cpu[0]!.toFixed(0)} ms, later median ${median(later).toFixed(0)} min ${Math.min(...later).toFixed(0)} ms [${b.cpu.map((c) => c.toFixed(0)).join(' ')}] outcomes ${[...b.digests].join(', ')}\n`);
}
process.stdout.write(`load average (1 min) ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}\n`);
if (new Set(builds.flatMap((b) => [...b.digests])).size !== 1) {
  process.stdout.write('the builds’ outcomes differ\n');
  process.exitCode = 1;
}
