/**
 * Test commands for the TUI tests, run through the real Dispatcher with a small registry: each
 * command returns one kind of block, so a test names the behaviour it drives.
 */
import { z } from 'zod';
import { defineCommand, type AnyCommand } from '../../src/shell/command.js';
import { Dispatcher } from '../../src/shell/dispatcher.js';
import type { Registry } from '../../src/shell/registry.js';
import { Session } from '../../src/shell/session.js';
import { configSchema } from '../../src/config/schema.js';
import { gates, ok, status, text, type SeriesBlock } from '../../src/core/result.js';
import { throwIfAborted } from '../../src/core/errors.js';
import type { Dataset } from '../../src/core/table.js';

const def = (d: Parameters<typeof defineCommand>[0]): AnyCommand => defineCommand(d) as unknown as AnyCommand;

export const equityBlock = (values: readonly number[], drawdown?: readonly number[]): SeriesBlock[] => [
  { kind: 'series', title: 'portfolio', x: values.map((_, i) => i), xKind: 'index', series: [{ name: 'equity', values }] },
  ...(drawdown ? [{ kind: 'series' as const, title: 'drawdown', pane: 'drawdown', x: drawdown.map((_, i) => i), xKind: 'index' as const, series: [{ name: 'dd', values: drawdown }] }] : []),
];

/** A job that reports progress and waits for `release()` (or Ctrl+C) before finishing. */
export function slowJob(): { command: AnyCommand; release: () => void; started: Promise<void> } {
  let release = (): void => {};
  let markStarted = (): void => {};
  const started = new Promise<void>((r) => (markStarted = r));
  const command = def({
    name: 'crunch',
    summary: 'a long job',
    schema: z.object({}),
    async run(_s, _a, io) {
      io.progress({ label: 'crunch 2021-03', fraction: 0.54, rate: '1.9 M bars/s' });
      io.log('warming up');
      markStarted();
      await new Promise<void>((resolve) => {
        release = resolve;
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      throwIfAborted(io.signal);
      return ok('crunch', [text('crunched 42 bars')]);
    },
  });
  return { command, release: () => release(), started };
}

export function testCommands(extra: readonly AnyCommand[] = []): AnyCommand[] {
  return [
    def({ name: 'help', summary: 'list commands', schema: z.object({}), run: () => ok('help', [text('commands: help history gates halt chart exit')]) }),
    def({ name: 'history', summary: 'show history', schema: z.object({}), run: (s) => ok('history', [text(s.history.join('\n') || '(empty)')]) }),
    def({
      name: 'gates',
      summary: 'a gates block',
      schema: z.object({}),
      run: () =>
        ok('gates', [
          gates('funding_ext:short:8h', [
            { name: 'q-value', value: 0.003, threshold: '≤ 0.10', pass: true },
            { name: 'bootstrap CI', value: 'excludes 0', threshold: 'excludes 0', pass: true },
            { name: 'stability', value: 0.41, threshold: '≥ 0.60', pass: false, reason: 'unstable' },
          ]),
        ]),
    }),
    def({
      name: 'halt',
      summary: 'a status block in HALT',
      schema: z.object({}),
      run: () => ok('risk', [status('risk', [{ name: 'mode', value: 'HALT' }, { name: 'DD', value: '21.4%', tone: 'bad' }, { name: 'why', value: 'DD 21.4% > 20%' }])]),
    }),
    def({
      name: 'chart',
      summary: 'an equity series',
      schema: z.object({}),
      run: () => ok('chart', [text('backtest done'), ...equityBlock([1, 1.1, 1.05, 1.2, 1.3, 1.25, 1.42], [0, 0, -0.045, 0, 0, -0.038, 0])]),
    }),
    def({ name: 'exit', summary: 'leave', schema: z.object({}), unrecorded: true, run: () => ok('exit', [text('bye')]) }),
    ...extra,
  ];
}

export function testRegistry(commands: readonly AnyCommand[]): Registry {
  const map = new Map([...commands].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => [c.name, c] as const));
  return { commands: map, subcommands: () => undefined, names: () => [...map.keys()] };
}

export function testDispatcher(extra: readonly AnyCommand[] = []): Dispatcher {
  const session = new Session({ config: configSchema.parse({}), id: 'test-session', seed: 42 });
  return new Dispatcher(session, testRegistry(testCommands(extra)));
}

export const fakeDataset = (name: string, pass: boolean | undefined): Dataset =>
  ({
    name,
    kind: 'bars',
    stage: 'clean',
    source: 'synthetic',
    ...(pass === undefined ? {} : { gate: { pass, gates: [], facts: {} } }),
  }) as unknown as Dataset;

/**
 * Poll until `check` holds: the shell runs commands asynchronously. Throws when it never does,
 * so a test cannot pass by waiting out a condition that failed.
 */
export async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms: ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
