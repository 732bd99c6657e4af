/**
 * Shared bits of the network tests: a fake clock whose sleep only records, a test config, and the
 * fixture-server harness every source test runs under.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { networkSection, type NetworkConfig } from '../../../src/config/sections/network.js';
import { LakeRawStore } from '../../../src/data/network/raw-store.js';
import { createNetworkSource } from '../../../src/data/network/sources.js';
import type { NetworkDeps, NetworkSource, NetworkSourceId } from '../../../src/data/network/types.js';
import type { FixtureServer } from '../../fixtures/servers/fixture-server.js';

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

export interface SourceUnderTest {
  readonly clock: FakeClock;
  readonly source: NetworkSource;
  readonly store: LakeRawStore;
}

export interface FixtureHarness {
  /** The running fixture (from the file's beforeAll on). */
  readonly server: FixtureServer;
  /**
   * A fake clock at `now` (environment `env`), source `id` built on the test config with the
   * fixture's base URL plus `options` as its section, and a store on this test's temp lake.
   */
  setup(id: NetworkSourceId, opts: { now: number; options: Record<string, unknown>; env?: Record<string, string | undefined> }): SourceUnderTest;
}

/**
 * Register the hooks of a source test file: `start` the fixture once before its tests and close it
 * after them; give every test a fresh temp lake (removed after it) and an empty request log.
 */
export function useFixtureServer(start: () => Promise<FixtureServer>): FixtureHarness {
  let server: FixtureServer | undefined;
  let lake: { dir: string; remove(): void } | undefined;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => server?.close());
  beforeEach(() => {
    lake = tempLake();
    server!.clearLog();
  });
  afterEach(() => lake?.remove());
  return {
    get server(): FixtureServer {
      if (!server) throw new Error('the fixture server is not started yet (use it inside a test)');
      return server;
    },
    setup(id, { now, options, env }) {
      const base = this.server.baseUrl;
      const clock = fakeClock(now, env);
      const config = testNetworkConfig(base, { [id]: { base_url: base, ...options } });
      return { clock, source: createNetworkSource(id, config, clock.deps), store: new LakeRawStore(lake!.dir) };
    },
  };
}
