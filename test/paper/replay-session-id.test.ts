/**
 * Session ids of deterministic replays (docs/paper.md, "Session ids"): `paper start` of a replay on
 * the sim broker without --id is named by a digest of what it runs (spec, --bars, the data it
 * reads), so a fresh data root (a transcript's replay) names it alike, and starting the identical
 * replay again reads the session back — same output, nothing run or logged again — instead of
 * opening a second copy. Other bars, another --bars or an explicit --id are other sessions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createShell, type Shell } from '../../src/shell/runtime.js';
import type { CommandResult } from '../../src/core/result.js';
import { sliceTable, tableDigest } from '../../src/core/table.js';
import { paperPaths } from '../../src/paper/files.js';
import { listSessions, resolveSessionId } from '../../src/paper/report.js';
import { plantedSetup, writePlantedCrash, PLANTED_START } from './planted.js';
import { tempRoot } from './helpers.js';

const LINE = `${PLANTED_START} --bars 40`;

async function shellOn(root: string): Promise<{ shell: Shell; run: (line: string) => Promise<CommandResult> }> {
  const shell = await createShell({ dataRoot: root });
  const run = async (line: string): Promise<CommandResult> => (await shell.dispatcher.execute(line)).result;
  for (const l of plantedSetup(writePlantedCrash(root))) expect((await run(l)).status, l).toBe('ok');
  return { shell, run };
}
const idOf = (r: CommandResult): string => /^paper (\S+)$/.exec(r.title)?.[1] ?? `(no id in '${r.title}')`;
const logLines = (root: string, id: string): number => readFileSync(paperPaths(root, id).logs.performance, 'utf8').split('\n').filter(Boolean).length;

describe('paper start --replay on the sim broker: the session id is a digest of what it runs', () => {
  it('the identical replay is read back (same id, same output, nothing stepped again); a fresh data root names it alike', async () => {
    const root = tempRoot();
    const { run } = await shellOn(root);
    const first = await run(LINE);
    expect(first.status, first.summary).toBe('ok');
    const id = idOf(first);
    expect(id).toMatch(/^paper-[0-9a-f]{12}$/);
    expect(first.summary).toContain('bar 40/');
    const logged = logLines(root, id);
    expect(logged).toBe(40); // one performance line per bar stepped
    const again = await run(LINE);
    expect(again.status, again.summary).toBe('ok');
    expect(idOf(again)).toBe(id);
    expect(again.summary).toBe(first.summary);
    expect(JSON.stringify(again.blocks)).toBe(JSON.stringify(first.blocks));
    expect(logLines(root, id)).toBe(logged);
    expect(listSessions(root).map((s) => s.id)).toEqual([id]);
    // a replay of the transcript runs on a fresh data root: the same id and output
    const fresh = tempRoot();
    const elsewhere = await (await shellOn(fresh)).run(LINE);
    expect(idOf(elsewhere)).toBe(id);
    expect(JSON.stringify(elsewhere.blocks)).toBe(JSON.stringify(first.blocks));
  }, 120_000);

  it('another --bars, other bars of data, or an explicit --id: another session', async () => {
    const root = tempRoot();
    const { shell, run } = await shellOn(root);
    const first = idOf(await run(LINE));
    const longer = await run(`${PLANTED_START} --bars 41`);
    expect(longer.status, longer.summary).toBe('ok');
    expect(idOf(longer)).not.toBe(first);
    const bars = shell.session.dataset('CRASH:1d');
    const cut = sliceTable(bars.table, 0, bars.table.length - 5);
    shell.session.datasets.set(bars.name, { ...bars, table: cut, digest: tableDigest(cut) });
    const otherData = await run(LINE);
    expect(otherData.status, otherData.summary).toBe('ok');
    expect(idOf(otherData)).not.toBe(first);
    shell.session.datasets.set(bars.name, bars);
    expect((await run(`${LINE} --id mine`)).status).toBe('ok');
    const twice = await run(`${LINE} --id mine`);
    expect(twice.status).toBe('error');
    expect(twice.summary).toMatch(/paper session 'mine' exists already; `paper resume-from mine` continues it/);
    // oldest first by when each was started (ids are digests now, not numbers); 'last' is the newest
    expect(listSessions(root).map((s) => s.id)).toEqual([first, idOf(longer), idOf(otherData), 'mine']);
    expect(resolveSessionId(root, 'last')).toBe('mine');
  }, 120_000);
});
