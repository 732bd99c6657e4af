/**
 * The paper dashboard at 80×24, 120×40 and 200×60 (ink-testing-library): a real paper session on
 * the planted crash (test/paper/planted.ts) drawn from its files — nothing wider or taller than the
 * terminal, the NAV of the last logged bar, the position, the HALT badge with its limits, orders and
 * fills, the keys line. The keys: p writes a pause request, r a resume, k then y engages the kill
 * switch, k then another key does not.
 */
import React from 'react';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createShell } from '../../src/shell/runtime.js';
import { PaperLoop } from '../../src/paper/loop.js';
import { paperPaths, tailJsonl } from '../../src/paper/files.js';
import { readControl } from '../../src/paper/control.js';
import { DashSource } from '../../src/tui/paper/dash-data.js';
import { PaperDash, PaperDashApp } from '../../src/tui/paper/PaperDash.js';
import { plantedSetup, writePlantedCrash } from '../paper/planted.js';
import { specOf, tempRoot, virtualScheduler } from '../paper/helpers.js';
import { frame, renderAt } from './render-at.js';

let root = '';
beforeAll(async () => {
  root = tempRoot();
  const { session, dispatcher } = await createShell({ dataRoot: root });
  for (const l of plantedSetup(writePlantedCrash(root))) await dispatcher.execute(l);
  const spec = specOf('dash', { model: 'sma_cross', params: { symbol: 'CRASH', fast: 5, slow: 60, size: 'equity:0.95' }, interval: '1d', keepRisk: true, from: '2020-09-01T00:00:00.000Z', to: '2020-11-20T00:00:00.000Z', config: session.config });
  await PaperLoop.create(spec, root, session.datasets).run({ scheduler: virtualScheduler() });
}, 120_000);

const width = (l: string): number => [...l].length;

describe('PaperDash fits and shows the book', () => {
  for (const [columns, rows] of [[80, 24], [120, 40], [200, 60]] as const) {
    it(`${columns}×${rows}`, () => {
      const data = new DashSource(root, 'dash').read();
      const r = renderAt(<PaperDash data={data} width={columns} height={rows} now={data.head!.wallAt + 1500} colors={[]} />, { columns, rows });
      const screen = frame(r).split('\n');
      expect(screen.length).toBeLessThanOrEqual(rows);
      for (const l of screen) expect(width(l)).toBeLessThanOrEqual(columns);
      const text = screen.join('\n');
      const lastNav = tailJsonl<{ nav: number }>(paperPaths(root, 'dash').logs.performance, 1)[0]!.nav;
      expect(text).toContain(`NAV ${lastNav.toFixed(2)}`);
      expect(text).toContain(' HALT ');
      expect(text).toContain('feed 1.5 s ago');
      expect(text).toMatch(/equity \/ drawdown/);
      expect(text).toMatch(/positions/);
      expect(text).toMatch(/orders & fills/);
      expect(text).toMatch(/fill #\d+ (BUY|SELL)/);
      expect(text).toMatch(/risk HALT · DD \d+\.\d%/);
      if (columns >= 120) expect(text).toMatch(/risk HALT · DD \d+\.\d% \(reduce 2\.0%, halt 4\.0%\)/);
      expect(text).toContain('[p]ause [r]esume [k]ill [q]uit');
      // a plotted equity chart with at least 6 rows of axis labels
      expect(screen.filter((l) => /\d ┤|\d ┼/.test(l)).length).toBeGreaterThanOrEqual(6);
      r.unmount();
    });
  }
});

describe('PaperDashApp keys', () => {
  const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));
  it('p pauses, r resumes, k then n does nothing, k then y engages the kill switch, q leaves', async () => {
    const paths = paperPaths(root, 'dash');
    let left = 0;
    const r = renderAt(<PaperDashApp dataRoot={root} id="dash" width={120} height={40} refreshMs={50} onExit={() => left++} colors={[]} />, { columns: 120, rows: 40 });
    await sleep(100);
    r.stdin.write('p');
    await sleep(50);
    expect(readControl(paths).paused).toBe(true);
    r.stdin.write('r');
    await sleep(50);
    expect(readControl(paths).paused).toBe(false);
    r.stdin.write('k');
    await sleep(50);
    expect(frame(r)).toContain('press y to confirm');
    r.stdin.write('n');
    await sleep(50);
    expect(existsSync(paths.kill)).toBe(false);
    r.stdin.write('k');
    await sleep(50);
    r.stdin.write('y');
    await sleep(50);
    expect(existsSync(paths.kill)).toBe(true);
    r.stdin.write('q');
    await sleep(50);
    expect(left).toBe(1);
    r.unmount();
  });
});
