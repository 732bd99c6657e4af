/**
 * Must-show 4 (engine side) and the kill switch: on the planted crash (planted.ts) the paper book's
 * risk mode goes NORMAL → REDUCED → HALT; the mode of every bar is recomputed here from the
 * performance log's NAV alone (running peak, drawdown, REDUCED at 2 %, back to NORMAL below 1 %,
 * HALT latched at 4 %). The kill switch file stops trading: no order after the kill, the working
 * order cancelled, the errors log says so, a resume keeps it killed. Pause waits until resumed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createShell } from '../../src/shell/runtime.js';
import { PaperLoop } from '../../src/paper/loop.js';
import { paperPaths } from '../../src/paper/files.js';
import { writeControl } from '../../src/paper/control.js';
import type { Session } from '../../src/shell/session.js';
import { plantedSetup, writePlantedCrash } from './planted.js';
import { specOf, tempRoot, virtualScheduler } from './helpers.js';

const lines = <T,>(path: string): T[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T) : []);

async function plantedSession(): Promise<{ session: Session; root: string }> {
  const root = tempRoot();
  const { session, dispatcher } = await createShell({ dataRoot: root });
  for (const l of plantedSetup(writePlantedCrash(root))) expect((await dispatcher.execute(l)).result.status).toBe('ok');
  return { session, root };
}

const crashSpec = (session: Session, id: string) =>
  specOf(id, { model: 'sma_cross', params: { symbol: 'CRASH', fast: 5, slow: 60, size: 'equity:0.95' }, interval: '1d', keepRisk: true, from: '2020-09-01T00:00:00.000Z', config: session.config });

describe('paper loop: risk modes on a planted crash, kill switch, pause', () => {
  it('NORMAL → REDUCED → HALT, each bar\'s mode as recomputed from the logged NAV', async () => {
    const { session, root } = await plantedSession();
    const out = await PaperLoop.create(crashSpec(session, 'modes'), root, session.datasets).run({ scheduler: virtualScheduler() });
    expect(out.head.status).toBe('finished');
    const perf = lines<{ nav: number; mode: number }>(paperPaths(root, 'modes').logs.performance);
    let peak = 100_000;
    let mode = 0;
    const expected = perf.map((p) => {
      peak = Math.max(peak, p.nav);
      const dd = 1 - p.nav / peak;
      if (mode === 2 || dd >= 0.04) mode = 2;
      else if (dd >= 0.02) mode = 1;
      else if (mode === 1 && dd >= 0.01) mode = 1;
      else mode = 0;
      return mode;
    });
    expect(perf.map((p) => p.mode)).toEqual(expected);
    const firstReduced = expected.indexOf(1);
    const firstHalt = expected.indexOf(2);
    expect(firstReduced).toBeGreaterThan(0);
    expect(firstHalt).toBeGreaterThan(firstReduced);
    expect(out.head.mode).toBe('HALT');
  }, 120_000);

  it('the kill file stops trading at once: working order cancelled, no order after, logged; resuming keeps it killed', async () => {
    const { session, root } = await plantedSession();
    const paths = paperPaths(root, 'kill');
    const spec = crashSpec(session, 'kill');
    let killedAt = -1;
    const sched = virtualScheduler();
    const out = await PaperLoop.create(spec, root, session.datasets).run({
      scheduler: sched,
      pollMs: 1,
      onCommit: (h) => {
        sched.advance(5); // time moves between bars, so the loop looks at the switch
        if (killedAt < 0 && h.orders >= 1 && h.openOrders.length > 0) {
          writeFileSync(paths.kill, 'test\n');
          killedAt = h.step;
        }
      },
    });
    expect(killedAt).toBeGreaterThan(0);
    expect(out.head.status).toBe('killed');
    expect(out.head.openOrders).toEqual([]);
    expect(out.head.step).toBeLessThanOrEqual(killedAt + 1);
    const orders = lines<{ kind: string; status: string; id: number }>(paths.logs.orders).filter((o) => o.kind === 'order');
    const full = await PaperLoop.create({ ...spec, id: 'nokill' }, root, session.datasets).run({ scheduler: virtualScheduler() });
    expect(full.head.orders).toBeGreaterThan(orders.length); // the uninterrupted run kept trading
    expect(lines<{ kind: string }>(paths.logs.errors).map((e) => e.kind)).toContain('kill_switch');
    const again = PaperLoop.open(root, 'kill', session.datasets);
    expect(again.resumedFrom?.status).toBe('killed');
    const rerun = await again.run({ scheduler: virtualScheduler() });
    expect(rerun.head.status).toBe('killed');
    expect(rerun.head.orders).toBe(out.head.orders);
  }, 120_000);

  it('pause: the loop commits, waits while paused, and carries on to the same end when resumed', async () => {
    const { session, root } = await plantedSession();
    const paths = paperPaths(root, 'pause');
    const sched = virtualScheduler();
    let paused = 0;
    let sleeps = 0;
    const scheduler = {
      now: sched.now,
      sleep: (ms: number) => {
        if (paused > 0 && ++sleeps === 20) writeControl(paths, { paused: false }); // 20 waits while paused, then resume
        return sched.sleep(ms);
      },
    };
    const out = await PaperLoop.create(crashSpec(session, 'pause'), root, session.datasets).run({
      scheduler,
      pollMs: 1,
      onCommit: (h) => {
        sched.advance(5);
        if (h.status === 'paused') paused++;
        if (h.bars === 30 && paused === 0) writeControl(paths, { paused: true });
      },
    });
    expect(paused).toBe(1);
    expect(sleeps).toBeGreaterThanOrEqual(20);
    const ref = await PaperLoop.create(crashSpec(session, 'ref'), root, session.datasets).run({ scheduler: virtualScheduler() });
    expect(out.head.status).toBe('finished');
    expect(readFileSync(paths.logs.performance).equals(readFileSync(paperPaths(root, 'ref').logs.performance))).toBe(true);
    expect(out.head.nav).toBe(ref.head.nav);
  }, 120_000);
});
