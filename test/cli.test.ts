/**
 * The executable end to end (issue 2, must-show 2–4): headless run of the demo script writes a
 * transcript; replay --check reproduces it; an edited digest makes replay exit 1 naming the
 * command; a different seed changes the digests; a process killed mid-script leaves a transcript
 * whose complete lines all parse. Runs the compiled CLI (`npm test` builds first).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const bin = join(repo, 'bin', 'edgelab.js');
const demo = join(repo, 'sessions', 'demo.edgelab');
const dir = mkdtempSync(join(tmpdir(), 'edgelab-cli-'));

const edgelab = (...args: string[]) => spawnSync('node', [bin, ...args], { cwd: repo, encoding: 'utf8', timeout: 600_000 });
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
    expect(r.stderr).toMatch(new RegExp(`replay: command #${rec.seq} 'datasets': block ${rec.blocks.length} \\(table\\) differs`));
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
    const r = edgelab('replay', t);
    expect(r.status).toBe(0);
  }, 120_000);
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
