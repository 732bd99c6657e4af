/**
 * Background jobs through the dispatcher: `CMD &` runs in a worker thread on a snapshot of the
 * session, transcript records keep script order whatever the finish order, a job's record carries
 * the same result digest as the same line run in the foreground (an independent run in a fresh
 * shell), `wait` shows the job's result, `cancel` stops one and leaves the session unchanged, and a
 * headless script with `&`, `jobs` and `wait` writes the same digests as the sequential script.
 * Workers load the compiled commands: `npm run build` first (npm test does it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell } from '../../../src/shell/runtime.js';
import { Dispatcher, resultDigest } from '../../../src/shell/dispatcher.js';
import { runScriptSource } from '../../../src/shell/headless.js';
import { workerFile } from '../../../src/shell/jobs/worker-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-jobs-'));
let built = true;
try {
  workerFile();
} catch {
  built = false;
}
const describeBuilt = built ? describe : describe.skip;
if (!built) console.warn('background jobs: skipped, the job worker is not built (run npm run build)');

const INGEST = 'ingest synthetic --symbols BTCUSDT,SPY --years 1';
const SPY = 'backtest sma_cross --symbol SPY --interval 1d --no-store';
const BTC = 'backtest sma_cross --symbol BTCUSDT --interval 15m --no-store --skip-probes';

interface Rec {
  readonly seq: number;
  readonly line: string;
  readonly status: string;
  readonly digest: string;
}

/** A shell whose transcript records are collected in memory. */
async function recordingShell(): Promise<{ dispatcher: Dispatcher; records: Rec[] }> {
  const shell = await createShell({ seed: 42, cwd: dir, dataRoot: dir });
  const { session, registry } = shell.dispatcher;
  const records: Rec[] = [];
  const dispatcher = new Dispatcher(session, registry, { transcript: { write: (r: unknown) => records.push(r as Rec), close: () => {} } as never });
  return { dispatcher, records };
}

const shells: Dispatcher[] = [];
afterAll(async () => {
  for (const d of shells) await d.close();
});

describeBuilt('background jobs', () => {
  it('records background lines in script order with the digest a foreground run gives', async () => {
    // The independent fact: the same lines run one after another in a fresh shell.
    const fg = await recordingShell();
    shells.push(fg.dispatcher);
    await fg.dispatcher.execute(INGEST);
    const spyDigest = resultDigest((await fg.dispatcher.execute(SPY)).result);
    const btcDigest = resultDigest((await fg.dispatcher.execute(BTC)).result);

    const bg = await recordingShell();
    shells.push(bg.dispatcher);
    await bg.dispatcher.execute(INGEST);
    // The slow job first, the quick one second: they end in the other order.
    const first = await bg.dispatcher.execute(`${BTC} &`);
    const second = await bg.dispatcher.execute(`${SPY} &`);
    expect(first.result.blocks[0]).toMatchObject({ kind: 'text', text: expect.stringContaining('[1] started') });
    expect(second.job?.id).toBe(2);
    await bg.dispatcher.execute('datasets');
    const waited = await bg.dispatcher.execute('wait');
    expect(waited.result.status).toBe('ok');
    expect(bg.records.map((r) => [r.seq, r.line])).toEqual([
      [1, INGEST],
      [2, `${BTC} &`],
      [3, `${SPY} &`],
      [4, 'datasets'],
      [5, 'wait'],
    ]);
    expect(bg.records[1]!.digest).toBe(btcDigest);
    expect(bg.records[2]!.digest).toBe(spyDigest);
    // The job's result reached the session when it ended, as a foreground run leaves it.
    expect(bg.dispatcher.session.state.has('backtest')).toBe(true);
  }, 240_000);

  it('wait N shows the job result; unknown jobs are one clear line; jobs and cancel stay out of the transcript', async () => {
    const { dispatcher, records } = await recordingShell();
    shells.push(dispatcher);
    await dispatcher.execute(INGEST);
    await dispatcher.execute(`${SPY} &`);
    const listed = await dispatcher.execute('jobs');
    expect(JSON.stringify(listed.result.blocks)).toContain(SPY);
    const waited = await dispatcher.execute('wait 1');
    expect(waited.result.status).toBe('ok');
    expect(waited.result.blocks[0]).toMatchObject({ kind: 'text', text: `[1] ok: ${SPY} &` });
    const missing = await dispatcher.execute('wait 7');
    expect(missing.result.status).toBe('error');
    expect(missing.result.blocks[0]).toMatchObject({ kind: 'text', text: expect.stringContaining('no job 7') });
    await dispatcher.execute('cancel 1');
    expect(records.map((r) => r.line)).toEqual([INGEST, `${SPY} &`, 'wait 1', 'wait 7']);
  }, 240_000);

  it('cancel N stops a running job and leaves the session as it was', async () => {
    const { dispatcher, records } = await recordingShell();
    shells.push(dispatcher);
    await dispatcher.execute(INGEST);
    const before = [...dispatcher.session.datasets.keys()];
    await dispatcher.execute('ingest synthetic --symbols ETHUSDT --years 3 &');
    const cancelled = await dispatcher.execute('cancel 1');
    expect(cancelled.result.blocks[0]).toMatchObject({ text: expect.stringContaining('[1] cancelling') });
    const waited = await dispatcher.execute('wait 1');
    expect(waited.result.status).toBe('error');
    expect(dispatcher.jobs.get(1)!.state).toBe('cancelled');
    expect([...dispatcher.session.datasets.keys()]).toEqual(before);
    expect(records[1]).toMatchObject({ line: 'ingest synthetic --symbols ETHUSDT --years 3 &', status: 'cancelled' });
  }, 240_000);

  it('a headless script with & and wait writes the digests of its sequential twin', async () => {
    const run = async (source: string, name: string): Promise<Rec[]> => {
      const transcriptPath = join(dir, `${name}.jsonl`);
      const out: string[] = [];
      const code = await runScriptSource(source, { seed: 42, cwd: dir, dataRoot: dir, transcriptPath, out: (s) => out.push(s), err: (s) => out.push(s) });
      expect(code, out.join('\n')).toBe(0);
      return readFileSync(transcriptPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec & { type: string }).filter((r) => r.type === 'command');
    };
    const sequential = await run([INGEST, SPY, BTC, 'datasets'].join('\n'), 'sequential');
    const background = await run([INGEST, `${SPY} &`, `${BTC} &`, 'jobs', 'wait 2', 'datasets', 'wait'].join('\n'), 'background');
    const digestOf = (recs: Rec[], line: string): string | undefined => recs.find((r) => r.line === line)?.digest;
    expect(digestOf(background, `${SPY} &`)).toBe(digestOf(sequential, SPY));
    expect(digestOf(background, `${BTC} &`)).toBe(digestOf(sequential, BTC));
    expect(digestOf(background, 'datasets')).toBe(digestOf(sequential, 'datasets'));
    expect(background.map((r) => r.line)).toEqual([INGEST, `${SPY} &`, `${BTC} &`, 'wait 2', 'datasets', 'wait']);
    expect(existsSync(join(dir, 'background.jsonl'))).toBe(true);
  }, 240_000);

  it('a failed background job fails the script at its line', async () => {
    const out: string[] = [];
    const code = await runScriptSource([INGEST, 'backtest sma_cross --symbol NOPE --interval 1d --no-store &'].join('\n'), {
      seed: 42,
      cwd: dir,
      dataRoot: dir,
      out: (s) => out.push(s),
      err: (s) => out.push(s),
    });
    expect(code).toBe(1);
    expect(out.join('\n')).toContain("line 2: job [1] 'backtest sma_cross --symbol NOPE --interval 1d --no-store &' ended error");
  }, 240_000);
});

writeFileSync(join(dir, '.keep'), '');
