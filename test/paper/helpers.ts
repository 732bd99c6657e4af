/** Shared set-up of the paper tests: the synthetic market the engine tests use, a virtual clock, temp data roots. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import type { Dataset } from '../../src/core/table.js';
import type { EdgelabConfig } from '../../src/config/schema.js';
import type { Scheduler } from '../../src/engine/clock.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';
import { PAPER_SPEC_FORMAT, type PaperSpec } from '../../src/paper/spec.js';

export const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const baseConfig: EdgelabConfig = loadConfig(resolve(root, 'configs/base.yaml')).config;

let market: Map<string, Dataset> | undefined;
/** The engine tests' market: seed 7, 1.2 years from 2021-01-01. */
export function syntheticData(): Map<string, Dataset> {
  market ??= new Map(
    toDatasets(generateSyntheticMarket({ seed: 7, start: '2021-01-01', years: 1.2, equityStart: '2021-01-01' }, (s) => createRng(7, s))).map((d) => [d.name, d] as const),
  );
  return market;
}

/** Time that moves only when slept through (tests stay instant). */
export function virtualScheduler(start = 0): Scheduler & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: (ms: number) => {
      now += Math.max(ms, 1);
      return Promise.resolve();
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export const tempRoot = (): string => mkdtempSync(join(tmpdir(), 'edgelab-paper-'));

export function specOf(id: string, over: Partial<PaperSpec> = {}): PaperSpec {
  return { format: PAPER_SPEC_FORMAT, id, model: null, params: {}, mode: 'replay', from: null, to: null, speed: null, broker: 'sim', seed: 7, config: baseConfig, ...over };
}
