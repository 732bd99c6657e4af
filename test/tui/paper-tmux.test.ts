/**
 * Must-show 4 in a real terminal: a paper loop runs in its own process (`edgelab run` of a script
 * that loads the planted crash, tightens the drawdown limits to 2 % / 4 % and starts the loop at
 * one daily bar per second), and `edgelab paper dash` attaches to it in tmux at 120×40. The
 * captured screens show the equity chart and the CRASH position, the risk badge NORMAL, then
 * REDUCED, then HALT; the keys k, y engage the kill switch: the screen says KILLED, the loop
 * process ends, and no order is placed after the kill.
 *
 * Skips with a message when tmux is missing (.ci/run installs it) or the build is absent.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paperPaths, readJson } from '../../src/paper/files.js';
import type { PaperHead } from '../../src/paper/head.js';
import { PLANTED_START, plantedSetup, writePlantedCrash } from '../paper/planted.js';
import { REPO, TmuxShell, tmuxSkipReason } from './tmux-harness.js';

const skip = tmuxSkipReason('paper dashboard tmux test');
const dash = new TmuxShell('paper');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const waitFor = (check: (screen: string) => boolean, what: string, ms = 90_000): Promise<string> => dash.waitFor(check, ms, what);

let loop: ChildProcess | undefined;
afterAll(() => {
  loop?.kill('SIGKILL');
  dash.kill();
});

describe.skipIf(skip !== '')('paper dashboard in tmux', () => {
  it('equity, position, NORMAL → REDUCED → HALT, then k y kills: trading stops', async () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'edgelab-paper-tmux-'));
    const script = join(dataRoot, 'crash.edgelab');
    writeFileSync(script, [...plantedSetup(writePlantedCrash(dataRoot)), `${PLANTED_START} --id tm --from 2020-10-15 --to 2021-01-15 --speed 86400`].join('\n') + '\n');
    const env = { ...process.env, EDGELAB_DATA_ROOT: dataRoot };
    loop = spawn('node', [join(REPO, 'bin/edgelab.js'), 'run', script, '--no-transcript'], { cwd: REPO, env, stdio: 'ignore' });
    const exited = new Promise<number | null>((res) => loop!.on('exit', (code) => res(code)));
    const paths = paperPaths(dataRoot, 'tm');
    for (let i = 0; i < 300 && !existsSync(paths.spec); i++) await sleep(100);
    expect(existsSync(paths.spec)).toBe(true);
    dash.start({ columns: 120, rows: 40, dataRoot, args: ['paper', 'dash', 'tm'] });
    const normal = await waitFor((s) => / NORMAL /.test(s) && /CRASH\s+\d/.test(s) && /equity \/ drawdown/.test(s) && /\d ┤/.test(s), 'equity, the CRASH position and NORMAL');
    for (const l of normal.split('\n')) expect([...l].length).toBeLessThanOrEqual(120);
    await waitFor((s) => / REDUCED /.test(s.split('\n')[0] ?? ''), 'the REDUCED badge');
    await waitFor((s) => / HALT /.test(s.split('\n')[0] ?? '') && /risk HALT · DD/.test(s), 'the HALT badge');
    dash.keys('k');
    await waitFor((s) => /press y to confirm/.test(s), 'the kill confirmation');
    dash.keys('y');
    const killed = await waitFor((s) => /KILLED/.test(s) && / killed · /.test(s), 'KILLED on the dashboard');
    expect(killed).toMatch(/kill switch engaged/);
    expect(await exited).toBe(0); // the loop ended when the kill switch engaged
    const head = readJson<PaperHead>(paths.head)!;
    expect(head.status).toBe('killed');
    expect(head.openOrders).toEqual([]);
    await sleep(1500);
    expect(readJson<PaperHead>(paths.head)!.orders).toBe(head.orders);
    expect(head.bars).toBeLessThan(head.totalBars);
  }, 180_000);
});
