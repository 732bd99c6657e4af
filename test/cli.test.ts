/**
 * The executable end to end (issue 2, must-show 2–4): headless run of the demo script writes a
 * transcript; replay --check reproduces it; an edited digest makes replay exit 1 naming the
 * command; a different seed changes the digests; a process killed mid-script leaves a transcript
 * whose complete lines all parse. Runs the compiled CLI (`npm test` builds first).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const bin = join(repo, 'bin', 'edgelab.js');
const demo = join(repo, 'sessions', 'demo.edgelab');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-cli-'));

/** Each run gets its own data root (an empty results database), as a fresh clone would have. */
const freshDataRoot = () => mkdtempSync(join(tmpdir(), 'edgelab-cli-data-'));
let dataRoot = freshDataRoot();
const edgelab = (...args: string[]) =>
  spawnSync('node', [bin, ...args], { cwd: repo, encoding: 'utf8', timeout: 600_000, env: { ...process.env, EDGELAB_DATA_ROOT: dataRoot } });
const records = (path: string) =>
  readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'command');

describe('edgelab run / replay', () => {
  const transcript = join(dir, 'demo.jsonl');
  let run: ReturnType<typeof edgelab>;

  beforeAll(() => {
    if (!existsSync(join(repo, 'dist', 'src', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
    run = edgelab('run', demo, '--transcript', transcript);
  }, 600_000);

  it('runs the demo script headlessly, exit 0, and writes a transcript', () => {
    expect(run.stderr).not.toMatch(/failed|expected an error/);
    expect(run.status).toBe(0);
    const lines = readFileSync(transcript, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'header', seed: 42 });
    expect(records(transcript).length).toBeGreaterThan(5);
    expect(run.stdout).toContain('> ingest synthetic');
  });

  it('replay --check reproduces every digest (exit 0)', () => {
    const r = edgelab('replay', transcript, '--check');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const n = records(transcript).length;
    expect(r.stdout).toContain(`${n}/${n} commands reproduce their recorded digests (seed 42)`);
  }, 600_000);

  it('an edited digest makes replay --check exit 1 and name the command', () => {
    const lines = readFileSync(transcript, 'utf8').trim().split('\n');
    const k = lines.findIndex((l) => l.includes('"line":"datasets"'));
    expect(k).toBeGreaterThan(0);
    const rec = JSON.parse(lines[k]!);
    rec.digest = `0${rec.digest.slice(1)}`;
    rec.blocks[rec.blocks.length - 1].digest = '0'.repeat(64);
    lines[k] = JSON.stringify(rec);
    const edited = join(dir, 'edited.jsonl');
    writeFileSync(edited, `${lines.join('\n')}\n`);
    const r = edgelab('replay', edited, '--check');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`(^|\\n)replay: line ${k + 1} \\(command #${rec.seq} 'datasets'\\): blocks\\[${rec.blocks.length - 1}\\]\\.digest differs`));
  }, 600_000);

  it('a different seed changes the digests', () => {
    const t7 = join(dir, 'seed7.jsonl');
    const r = edgelab('run', demo, '--seed', '7', '--transcript', t7);
    expect(r.status).toBe(0);
    const a = records(transcript);
    const b = records(t7);
    const ingestA = a.find((x) => x.line === 'ingest synthetic');
    const ingestB = b.find((x) => x.line === 'ingest synthetic');
    expect(ingestA.digest).not.toBe(ingestB.digest);
    // Commands that do not depend on the data (help) keep their digest.
    expect(a.find((x) => x.line === 'help').digest).toBe(b.find((x) => x.line === 'help').digest);
  }, 600_000);
});

describe('a killed session', () => {
  it('leaves a transcript whose complete lines all parse', async () => {
    const script = join(dir, 'long.edgelab');
    writeFileSync(script, ['seed', 'help', 'ingest synthetic', ...Array.from({ length: 200 }, () => 'datasets')].join('\n'));
    const t = join(dir, 'killed.jsonl');
    const child = spawn('node', [bin, 'run', script, '--transcript', t], { cwd: repo, stdio: 'ignore' });
    await new Promise<void>((res, rej) => {
      const poll = setInterval(() => {
        if (existsSync(t) && readFileSync(t, 'utf8').split('\n').length > 6) {
          clearInterval(poll);
          child.kill('SIGKILL');
          res();
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(poll);
        rej(new Error('the script ended before it could be killed'));
      });
    });
    const text = readFileSync(t, 'utf8');
    const complete = text.split('\n').slice(0, -1); // the last piece is '' or a torn line
    expect(complete.length).toBeGreaterThan(5);
    for (const line of complete.filter((l) => l !== '')) expect(() => JSON.parse(line)).not.toThrow();
    // a killed session is not complete: plain replay replays up to the cut and says so; --check fails
    const r = edgelab('replay', t);
    expect(r.status).toBe(0);
    const cutAfter = complete.filter((l) => l !== '').length;
    expect(r.stdout).toContain(`replayed up to the cut:`);
    expect(r.stdout).toMatch(/commands reproduce their recorded digests \(seed 42\), transcript cut/);
    const c = edgelab('replay', t, '--check');
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(new RegExp(`(^|\\n)replay: line ${cutAfter + 1}: end: (the transcript is cut after line ${cutAfter}|line ${cutAfter + 1} is torn)`));
    // four CLI processes (run, kill, replay, replay --check): 130 s once on 2 busy cores
  }, 400_000);
});

describe('headless details', () => {
  it('runs a script from a pipe (-) and from /dev/fd/N, writing the transcript where --transcript says', () => {
    const t1 = join(dir, 'piped.jsonl');
    const piped = spawnSync('node', [bin, 'run', '-', '--transcript', t1], { cwd: repo, encoding: 'utf8', input: 'seed\nseed 9\n', env: { ...process.env, EDGELAB_DATA_ROOT: dataRoot } });
    expect(piped.status).toBe(0);
    expect(records(t1).map((r) => r.line)).toEqual(['seed', 'seed 9']);
    expect(piped.stderr).toContain(`transcript: ${t1}`);
    const t2 = join(dir, 'fd.jsonl');
    const fd = spawnSync('bash', ['-c', `node ${bin} run /dev/fd/3 --transcript ${t2} 3< <(printf 'seed 4\\n')`], { cwd: repo, encoding: 'utf8' });
    expect(fd.stderr).not.toMatch(/cannot/);
    expect(fd.status).toBe(0);
    expect(records(t2).map((r) => r.line)).toEqual(['seed 4']);
    expect(edgelab('replay', t2, '--check').status).toBe(0);
  }, 120_000);

  it('EDGELAB_DATA_ROOT=/x puts the results database at /x/edgelab.duckdb and the lake at /x/lake', () => {
    const script = join(dir, 'store.edgelab');
    writeFileSync(script, 'ingest file test/fixtures/data/demo-daily.csv --symbol DEMO\nclean raw:DEMO:1d\nbacktest sma_cross --symbol DEMO --interval 1d --fast 5 --slow 20\nruns\n');
    dataRoot = freshDataRoot();
    const r = edgelab('run', script, '--no-transcript');
    expect(r.status).toBe(0);
    expect(existsSync(join(dataRoot, 'edgelab.duckdb'))).toBe(true);
    expect(existsSync(join(dataRoot, 'lake', 'raw'))).toBe(true);
    expect(existsSync(join(dataRoot, 'data'))).toBe(false);
    expect(r.stdout).toContain('1 runs in DATA_ROOT/edgelab.duckdb');
  }, 300_000);
});

describe('the demo session on a clean clone (issue 11, must-show 3)', () => {
  it('run + replay --check pass twice in a row, runs included, with the same digests', () => {
    const clone = join(mkdtempSync(join(tmpdir(), 'edgelab-clone-')), 'edgelab');
    const git = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', repo, clone], { encoding: 'utf8' });
    expect(git.status, git.stderr).toBe(0);
    symlinkSync(join(repo, 'node_modules'), join(clone, 'node_modules'));
    const build = spawnSync('node', ['scripts/build.mjs'], { cwd: clone, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    // the clone's own data/ folder, as a user's clone would use
    const env = { ...process.env };
    delete env['EDGELAB_DATA_ROOT'];
    const inClone = (...args: string[]) => spawnSync('node', ['bin/edgelab.js', ...args], { cwd: clone, encoding: 'utf8', timeout: 900_000, env });
    const digests: string[][] = [];
    for (const round of [1, 2]) {
      const run = inClone('run', 'sessions/demo.edgelab');
      expect(run.status, `round ${round}: ${run.stderr}`).toBe(0);
      const transcript = join(clone, 'sessions', 'demo.jsonl');
      const lines = records(transcript);
      expect(lines.some((l) => l.line === 'runs' && l.status === 'ok')).toBe(true);
      const replay = inClone('replay', 'sessions/demo.jsonl', '--check');
      expect(replay.stderr, `round ${round}`).toBe('');
      expect(replay.status).toBe(0);
      expect(replay.stdout).toContain(`${lines.length}/${lines.length} commands reproduce their recorded digests (seed 42)`);
      digests.push(lines.map((l) => l.digest));
    }
    expect(digests[1]).toEqual(digests[0]);
  }, 1_800_000);
});

describe('bad CLI usage', () => {
  it('a missing script is one line and exit 2', () => {
    const r = edgelab('run', join(dir, 'nope.edgelab'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`edgelab: ${join(dir, 'nope.edgelab')}: cannot read script (ENOENT)`);
  });
  it('an unknown subcommand shows usage and exit 2', () => {
    const r = edgelab('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("edgelab: unknown command 'frobnicate'");
  });
});
