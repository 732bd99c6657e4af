/**
 * Prompt history persisted across sessions (config `session.history_file`, default
 * ~/.edgelab_history): one line per entry, oldest first, at most HISTORY_CAP entries, no entry
 * equal to the one before it. A missing or unreadable file is an empty history and a file that
 * cannot be written is skipped silently: history is a convenience, never a reason to fail.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';

export const HISTORY_CAP = 1000;

/** Expand a leading `~` and make the path absolute (relative paths against `cwd`). */
export function resolveHistoryPath(path: string, home: string = homedir(), cwd: string = process.cwd()): string {
  const expanded = path === '~' ? home : path.startsWith('~/') ? resolve(home, path.slice(2)) : path;
  return isAbsolute(expanded) ? expanded : resolve(cwd, expanded);
}

/** One history entry per line: newlines inside a line become spaces, outer whitespace goes. */
const normalise = (line: string): string => line.replace(/[\r\n]+/g, ' ').trim();

/** Add `line` to `entries` (a new array): skip blanks and repeats of the last entry, keep the newest `cap`. */
export function pushHistory(entries: readonly string[], line: string, cap: number = HISTORY_CAP): string[] {
  const entry = normalise(line);
  if (entry === '' || entries[entries.length - 1] === entry) return entries.slice(-cap);
  return [...entries, entry].slice(-cap);
}

/** Read the history file: oldest first, consecutive duplicates folded, newest `cap` kept; [] when unreadable. */
export function loadHistory(path: string, cap: number = HISTORY_CAP): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  let entries: string[] = [];
  for (const line of text.split('\n')) entries = pushHistory(entries, line, Number.MAX_SAFE_INTEGER);
  return entries.slice(-cap);
}

/**
 * Append `line` to the file when it is a new entry after `entries` (the history as loaded so far)
 * and return the new history. When the history passes `cap` the file is rewritten with the newest
 * `cap` entries, so it never grows without bound.
 */
export function appendHistory(path: string, entries: readonly string[], line: string, cap: number = HISTORY_CAP): string[] {
  const next = pushHistory(entries, line, cap);
  const entry = normalise(line);
  if (entry === '' || entries[entries.length - 1] === entry) return next;
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (entries.length + 1 > cap) writeFileSync(path, `${next.join('\n')}\n`);
    else appendFileSync(path, `${entry}\n`);
  } catch {
    // unwritable history file: keep the in-memory history only
  }
  return next;
}
