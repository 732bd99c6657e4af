/**
 * `history` lists every line typed before it, with its outcome — also the lines that finished
 * behind a background job still running. Outcomes are written in typing order (transcript order),
 * so reading only the written outcomes cut the list short at the first running `&` line.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Dispatcher } from '../../src/shell/dispatcher.js';
import { Session } from '../../src/shell/session.js';
import { configSchema } from '../../src/config/schema.js';
import { defineCommand, type AnyCommand } from '../../src/shell/command.js';
import { ok, text, type TableBlock } from '../../src/core/result.js';
import history from '../../commands/history.js';
import { slowJob, testRegistry } from '../tui/fixtures.js';

const echo = defineCommand({ name: 'echo', summary: 'says hi', schema: z.object({}), run: () => ok('echo', [text('hi')]) }) as unknown as AnyCommand;

function dispatcherWith(extra: AnyCommand[]): Dispatcher {
  const session = new Session({ config: configSchema.parse({}), id: 'history-test', seed: 42 });
  return new Dispatcher(session, testRegistry([history as unknown as AnyCommand, echo, ...extra]));
}

const rowsOf = (r: Awaited<ReturnType<Dispatcher['execute']>>): unknown[][] =>
  r.result.blocks[0]?.kind === 'table' ? (r.result.blocks[0] as TableBlock).rows.map((row) => [...row]) : [];

describe('history', () => {
  it('lists the lines after a running background job, that job as running', async () => {
    const job = slowJob();
    const d = dispatcherWith([job.command]);
    await d.execute('echo');
    const started = await d.execute('crunch &');
    await job.started;
    await d.execute('echo');
    await d.execute('nope');
    const during = await d.execute('history');
    expect(rowsOf(during)).toEqual([
      [1, 'echo', 'ok'],
      [2, 'crunch &', 'running'],
      [3, 'echo', 'ok'],
      [4, 'nope', 'error'],
    ]);
    job.release();
    await started.job!.whenDone();
    const after = await d.execute('history --last 3');
    // history itself (line 5) is a line like any other once it has run
    expect(rowsOf(after)).toEqual([
      [3, 'echo', 'ok'],
      [4, 'nope', 'error'],
      [5, 'history', 'ok'],
    ]);
    expect(after.result.summary).toBe('5 commands');
  });

  it('in a sequential session lists exactly the lines before it', async () => {
    const d = dispatcherWith([]);
    expect((await d.execute('history')).result.blocks).toEqual([text('no commands yet')]);
    await d.execute('echo');
    expect(rowsOf(await d.execute('history'))).toEqual([
      [1, 'history', 'ok'],
      [2, 'echo', 'ok'],
    ]);
  });
});
