/**
 * End to end: the real command registry (commands/), a real Session and Dispatcher, the App
 * rendered at 120×40, demo data loaded by the startup line the CLI uses.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import React from 'react';
import { cleanup } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import { Session } from '../../src/shell/session.js';
import { loadRegistry, type Registry } from '../../src/shell/registry.js';
import { Dispatcher } from '../../src/shell/dispatcher.js';
import { until } from './fixtures.js';
import { KEY, frame, renderAt } from './render-at.js';

afterEach(cleanup);

let registry: Registry;
beforeAll(async () => {
  registry = await loadRegistry();
}, 60_000);

describe('the shell with the real commands', () => {
  it('loads the demo data at startup, completes and runs help, completes dataset names, reports unknown commands', async () => {
    const session = new Session({ id: 'e2e' });
    const dispatcher = new Dispatcher(session, registry);
    const size = { columns: 120, rows: 40 };
    const r = renderAt(<App dispatcher={dispatcher} header={{ sessionId: 'e2e', resultsDb: 'data/edgelab.duckdb' }} size={size} startupLines={['ingest synthetic']} throttleMs={10} />, size);
    const lines = (): string[] => frame(r).split('\n');
    const prompt = (): string => lines().find((l) => l.startsWith(' edgelab> ')) ?? '';

    await until(() => session.datasets.size > 0 && !frame(r).includes('▶ ingest'), 60_000);
    expect(session.history).toEqual(['ingest synthetic']);
    // its output may be longer than the log: scroll back to the echoed line, then return
    for (let i = 0; i < 5 && !frame(r).includes('│> ingest synthetic'); i++) {
      const before = frame(r);
      r.stdin.write(KEY.pageUp);
      await until(() => frame(r) !== before || frame(r).includes('│> ingest synthetic'));
    }
    expect(frame(r)).toContain('│> ingest synthetic');
    r.stdin.write(KEY.pageDown + KEY.pageDown + KEY.pageDown + KEY.pageDown + KEY.pageDown);
    expect(lines()[0]).toMatch(new RegExp(`^ edgelab · session e2e · seed 42 · data: ${session.datasets.size} sets \\(`));

    r.stdin.write('hel');
    await until(() => prompt().startsWith(' edgelab> hel'));
    r.stdin.write(KEY.tab);
    await until(() => prompt().startsWith(' edgelab> help '));
    r.stdin.write(KEY.enter);
    // help loads the registry on first use, which can take a while on a busy machine
    // The log follows the newest output: with the whole command table the heading and the '> help'
    // line may have scrolled above the view, so wait for the table's last row (commands in name order).
    await until(() => frame(r).includes("BullMQ workers connected"), 30_000);
    expect(session.history.at(-1)).toBe('help');

    r.stdin.write('show BTCUSDT:');
    await until(() => prompt().startsWith(' edgelab> show BTCUSDT:'));
    r.stdin.write(KEY.tab);
    await until(() => lines()[lines().length - 1]!.includes('BTCUSDT:15m  BTCUSDT:funding'));
    r.stdin.write('1');
    r.stdin.write(KEY.tab);
    await until(() => prompt().startsWith(' edgelab> show BTCUSDT:15m '));
    r.stdin.write(KEY.ctrlC);
    await until(() => frame(r).includes('press Ctrl+C again'));

    r.stdin.write('backtset');
    await until(() => prompt().startsWith(' edgelab> backtset'));
    r.stdin.write(KEY.enter);
    await until(() => frame(r).includes("unknown command 'backtset'"), 30_000);
    expect(lines().filter((l) => l.includes("unknown command 'backtset'")).length).toBe(1);
    expect(prompt()).toMatch(/^ edgelab> {2}/);
  }, 180_000);
});
