/**
 * A temporary folder for one test file (removed after its tests) and a writer of small files in it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function tempFiles(prefix: string): { readonly dir: string; file(name: string, body: string | Buffer): string } {
  const dir = mkdtempSync(join(tmpdir(), `edgelab-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name, body) {
      const p = join(dir, name);
      writeFileSync(p, body);
      return p;
    },
  };
}

/** A Float64Array column as a plain array (for toEqual). */
export const col = (t: { columns: Record<string, unknown> }, k: string): number[] => Array.from(t.columns[k] as Float64Array);
