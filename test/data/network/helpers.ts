/** Shared bits of the network tests: a fake clock whose sleep only records, and a test config. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkSection, type NetworkConfig } from '../../../src/config/sections/network.js';
import type { NetworkDeps } from '../../../src/data/network/types.js';

export interface FakeClock {
  readonly deps: NetworkDeps;
  /** Every wait requested from `sleep`, in ms, in order. */
  readonly sleeps: number[];
  readonly logs: string[];
}

/** A clock standing at `start`; `sleep(ms)` records ms and moves the clock on without waiting. */
export function fakeClock(start: number, env: Record<string, string | undefined> = {}): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  const logs: string[] = [];
  return {
    sleeps,
    logs,
    deps: {
      now: () => t,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        t += ms;
      },
      env,
      log: (m: string) => logs.push(m),
    },
  };
}

/** Network config for tests: every source on `baseUrl`, no pacing, a short retry schedule. */
export function testNetworkConfig(baseUrl: string, overrides: Record<string, unknown> = {}): NetworkConfig {
  const src = { base_url: baseUrl, rate_limit_ms: 0 };
  return networkSection.parse({
    timeout_ms: 5000,
    retry: { max_attempts: 4, base_delay_ms: 1000, factor: 2, max_delay_ms: 8000, max_retry_after_ms: 60_000 },
    binance: { ...src },
    binanceusdm: { ...src },
    kraken: { ...src },
    yahoo: { ...src },
    alpaca: { ...src },
    fred: { ...src },
    ...overrides,
  });
}

/** A fresh lake folder under the OS temp dir, and its remover. */
export function tempLake(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'edgelab-net-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const T = (s: string): number => Date.parse(s);
