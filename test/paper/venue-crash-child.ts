/**
 * The paper loop of venue-crash.test.ts in its own process (bundled by the test with esbuild, run
 * with node): starts or resumes a venue session — `PaperLoop.create` + `attachVenue`, or
 * `PaperLoop.open` + `reattachVenue`, what `paper start --broker` and `paper resume-from` call —
 * on the venue fixture the parent serves on 127.0.0.1. Before each bar it asks the parent over IPC
 * to run the fixture script for that bar and waits for the answer; the parent may SIGKILL it then,
 * or at any other moment.
 *
 * argv: <repo root> <data root> <base url> <start|resume> <spec.json> <market options (JSON)>
 * The synthetic market is generated from the options the parent passes (it computes the fixture's
 * prices from the same market); the venue's request pacing is off (the fixture is local).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';
import type { SyntheticOptions } from '../../src/data/synthetic/types.js';
import { createVenueBroker } from '../../src/execution/venues/index.js';
import { PaperLoop } from '../../src/paper/loop.js';
import type { PaperSpec } from '../../src/paper/spec.js';
import { VenueMirror } from '../../src/paper/venue-mirror.js';

const [root, dataRoot, baseUrl, mode, specPath, marketJson] = process.argv.slice(2) as [string, string, string, 'start' | 'resume', string, string];
const config = loadConfig(resolve(root, 'configs/base.yaml')).config;
const spec: PaperSpec = { ...(JSON.parse(readFileSync(specPath, 'utf8')) as Omit<PaperSpec, 'config'>), config };
const market = JSON.parse(marketJson) as SyntheticOptions & { seed: number };
const data = new Map(toDatasets(generateSyntheticMarket(market, (s) => createRng(market.seed, s))).map((d) => [d.name, d] as const));

const loop = mode === 'start' ? PaperLoop.create(spec, dataRoot, data) : PaperLoop.open(dataRoot, spec.id, data);
const symbols = loop.trader.input.symbols.map((s) => s.symbol);
const mirror = new VenueMirror(spec.broker, await createVenueBroker(spec.broker, { symbols, runId: spec.id, baseUrl, timeoutMs: 5000, rateLimitMs: 1 }), spec, loop);
if (mode === 'start') loop.attachVenue(mirror);
else await loop.reattachVenue(mirror);

/** One pending answer from the parent at a time. */
let answer: (() => void) | null = null;
process.on('message', () => {
  const a = answer;
  answer = null;
  a?.();
});
const out = await loop.run({
  pollMs: 0,
  scheduler: {
    now: () => 0,
    sleep: () =>
      new Promise<void>((go) => {
        answer = go;
        process.send!({ bar: loop.trader.progress.lastStep + 1 });
      }),
  },
});
process.send!({ done: out.head.status }, () => process.exit(0));
