/**
 * Where the harnesses put their figures: one JSON file per harness under EDGELAB_STRESS_OUT
 * (set by `npm run stress`), else under the data root's `stress/` folder — never in the repository.
 * scripts/stress.mjs adds them up and prints them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export function figuresDir(): string {
  const out = process.env['EDGELAB_STRESS_OUT'];
  if (out) return out;
  return join(process.env['EDGELAB_DATA_ROOT'] ?? join(tmpdir(), 'edgelab'), 'stress');
}

export function recordFigures(name: string, figures: Record<string, number>): void {
  const dir = figuresDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ name, ...figures })}\n`);
}
