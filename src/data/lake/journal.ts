/**
 * The lake's commit protocol for one partition (docs/reliability.md):
 *
 * 1. under the partition lock, write `pending.json`: the manifest entry about to be committed and
 *    every file it will create;
 * 2. write each data file beside its target (`x.partial`) and rename it into place;
 * 3. append the entry to `manifest.json` (write `manifest.json.partial`, rename) — the commit point;
 * 4. remove `pending.json`.
 *
 * A reader only follows the manifest, so a file the manifest does not list is invisible. After a
 * crash (kill -9 anywhere in 1–4) the next writer of the partition runs `recoverPartition` under the
 * lock: an intent whose files are all in place is adopted (its entry appended: the crash came after
 * the data was whole), otherwise its files are removed; stray `.partial` files are removed. Each
 * action is reported in one line.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendManifest, readManifest, type ManifestEntry } from './manifest.js';

export const PENDING_FILE = 'pending.json';

export interface Intent {
  readonly entry: ManifestEntry;
  /** Files the commit creates, data file first. */
  readonly files: readonly string[];
}

export function writeIntent(dir: string, intent: Intent): void {
  const p = join(dir, PENDING_FILE);
  writeFileSync(`${p}.partial`, JSON.stringify(intent));
  renameSync(`${p}.partial`, p);
}

export function clearIntent(dir: string): void {
  rmSync(join(dir, PENDING_FILE), { force: true });
}

/** Finish or undo an interrupted commit in `dir` (see the file comment); returns what was done. */
export function recoverPartition(dir: string, partition: Record<string, string>): string[] {
  if (!existsSync(dir)) return [];
  const notes: string[] = [];
  const pendingPath = join(dir, PENDING_FILE);
  if (existsSync(pendingPath)) {
    let intent: Intent | undefined;
    try {
      intent = JSON.parse(readFileSync(pendingPath, 'utf8')) as Intent;
    } catch {
      intent = undefined; // the crash came while the intent itself was written: nothing else was
    }
    if (intent) {
      const manifest = readManifest(dir, partition);
      const listed = new Set(manifest.entries.map((e) => e.file));
      const committed = manifest.entries.some((e) => e.file === intent!.entry.file && e.digest === intent!.entry.digest);
      if (committed) {
        notes.push(`${intent.entry.file}: commit was complete, journal cleared`);
      } else if (intent.files.every((f) => existsSync(join(dir, f)))) {
        appendManifest(dir, partition, { ...intent.entry, version: manifest.entries.length + 1 });
        notes.push(`${intent.entry.file}: interrupted write was whole, adopted as version ${manifest.entries.length + 1}`);
      } else {
        for (const f of intent.files) if (!listed.has(f)) rmSync(join(dir, f), { force: true });
        notes.push(`${intent.entry.file}: interrupted write was incomplete, its files removed`);
      }
    }
    rmSync(pendingPath, { force: true });
  }
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.partial')) {
      rmSync(join(dir, f), { force: true });
      notes.push(`${f}: left by an interrupted write, removed`);
    }
  }
  return notes;
}
