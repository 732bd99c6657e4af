/**
 * The kill harness at CI size (harness/kill.ts): each operation is killed with SIGKILL at
 * EDGELAB_KILL_POINTS random moments (3 in `npm test` to keep the suite's time modest — each point is two process starts; `npm run stress` runs 100) and the invariants of
 * docs/reliability.md are checked after each kill and after a retry.
 */
import { describe, expect, it } from 'vitest';
import { killHarness, KILL_OPS } from './harness/kill.js';
import { recordFigures } from './harness/figures.js';

const points = Number(process.env['EDGELAB_KILL_POINTS'] ?? 3);

describe('kill -9 at random points', () => {
  it.each(KILL_OPS)(`%s: ${points} kills, invariants hold, a retry succeeds`, async (op) => {
    const f = await killHarness(op, points, 13);
    recordFigures(`kill-${op}`, { operationsKilled: f.killed, finishedBeforeKill: f.finishedFirst, invariantsChecked: f.invariantsChecked, failures: f.failures.length });
    expect(f.failures).toEqual([]);
    expect(f.killed + f.finishedFirst).toBe(points);
    expect(f.killed).toBeGreaterThan(0);
  }, 900_000);
});
