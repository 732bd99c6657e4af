/**
 * Worker side of the snapshot test (bundled by snapshot.test.ts and run in a fresh worker thread):
 * build the scenario's input again from its seed, restore the snapshot bytes into a new Trader,
 * step the rest of the historical clock and post the result back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareRun } from '../../src/backtest/engine-setup.js';
import { HistoricalClock } from '../../src/engine/clock.js';
import { Trader } from '../../src/engine/trader.js';
import { decodeSnapshot, restoreTrader, snapshotDigest } from '../../src/engine/snapshot.js';
import { snapshotScenario } from './snapshot-scenario.js';

const { seed, bytes } = workerData as { seed: number; bytes: Uint8Array };
const input = snapshotScenario(seed);
const prep = prepareRun(input);
const trader = new Trader(input, prep);
const snapshot = decodeSnapshot(bytes);
restoreTrader(trader, snapshot);
const clock = new HistoricalClock(prep.clock.times, prep.clock.offset, trader.progress.lastStep + 1, prep.kEnd);
for (let e = clock.next(); e !== null; e = clock.next()) trader.step(e);
parentPort!.postMessage({ digestAtRestore: snapshotDigest(snapshot), result: trader.finish() });
