/** Code provenance for transcripts and run records: package version and git revision when known. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

export interface Provenance {
  readonly version: string;
  /** `git rev-parse HEAD` plus '-dirty' when the tree has uncommitted changes; null outside git. */
  readonly git: string | null;
}

const cache = new Map<string, Provenance>();

export function provenanceOf(root: string): Provenance {
  const hit = cache.get(root);
  if (hit) return hit;
  let version = '0.0.0';
  try {
    version = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    /* keep the default */
  }
  let git: string | null = null;
  try {
    git = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    git = null;
  }
  const p = { version, git };
  cache.set(root, p);
  return p;
}
