import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendHistory, loadHistory, pushHistory, resolveHistoryPath, HISTORY_CAP } from '../../src/shell/history-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edgelab-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveHistoryPath', () => {
  it('expands ~ and resolves relative paths', () => {
    expect(resolveHistoryPath('~/.edgelab_history', '/home/u', '/w')).toBe('/home/u/.edgelab_history');
    expect(resolveHistoryPath('~', '/home/u', '/w')).toBe('/home/u');
    expect(resolveHistoryPath('h.txt', '/home/u', '/w')).toBe('/w/h.txt');
    expect(resolveHistoryPath('/abs/h', '/home/u', '/w')).toBe('/abs/h');
    expect(resolveHistoryPath('~x/h', '/home/u', '/w')).toBe('/w/~x/h');
  });
});

describe('pushHistory', () => {
  it('skips blanks and repeats of the last entry, allows older repeats', () => {
    let h: string[] = [];
    for (const l of ['help', 'help', '  ', 'show SPY:1d', 'help', ' help ']) h = pushHistory(h, l);
    expect(h).toEqual(['help', 'show SPY:1d', 'help']);
  });
  it('keeps only the newest entries past the cap and folds newlines', () => {
    expect(pushHistory(['a', 'b', 'c'], 'd', 3)).toEqual(['b', 'c', 'd']);
    expect(pushHistory([], 'a\nb')).toEqual(['a b']);
  });
});

describe('loadHistory / appendHistory', () => {
  it('returns [] for a missing file or a directory', () => {
    expect(loadHistory(join(dir, 'none'))).toEqual([]);
    expect(loadHistory(dir)).toEqual([]);
  });
  it('round-trips across "sessions" through the file', () => {
    const file = join(dir, 'sub', 'hist');
    let h = loadHistory(file);
    h = appendHistory(file, h, 'ingest synthetic');
    h = appendHistory(file, h, 'ingest synthetic');
    h = appendHistory(file, h, 'datasets');
    expect(h).toEqual(['ingest synthetic', 'datasets']);
    expect(readFileSync(file, 'utf8')).toBe('ingest synthetic\ndatasets\n');
    // a later session sees the same history and keeps appending
    const again = appendHistory(file, loadHistory(file), 'help');
    expect(again).toEqual(['ingest synthetic', 'datasets', 'help']);
    expect(loadHistory(file)).toEqual(['ingest synthetic', 'datasets', 'help']);
  });
  it('folds consecutive duplicates and blank lines found in the file', () => {
    const file = join(dir, 'h');
    writeFileSync(file, 'a\na\n\nb\r\nb\na\n');
    expect(loadHistory(file)).toEqual(['a', 'b', 'a']);
  });
  it('caps the file at HISTORY_CAP lines, keeping the newest', () => {
    const file = join(dir, 'h');
    const lines = Array.from({ length: HISTORY_CAP + 5 }, (_, i) => `cmd ${i}`);
    writeFileSync(file, lines.join('\n') + '\n');
    const h = loadHistory(file);
    expect(h.length).toBe(HISTORY_CAP);
    expect(h[0]).toBe('cmd 5');
    const next = appendHistory(file, h, 'last');
    expect(next.length).toBe(HISTORY_CAP);
    expect(next[0]).toBe('cmd 6');
    const onDisk = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(onDisk.length).toBe(HISTORY_CAP);
    expect(onDisk[0]).toBe('cmd 6');
    expect(onDisk[HISTORY_CAP - 1]).toBe('last');
  });
  it('keeps the in-memory history when the file cannot be written', () => {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const file = join(ro, 'h');
    const isRoot = process.getuid?.() === 0;
    expect(appendHistory(file, ['a'], 'b')).toEqual(['a', 'b']);
    if (!isRoot) expect(loadHistory(file)).toEqual([]);
    chmodSync(ro, 0o700);
  });
});
