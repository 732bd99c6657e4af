/**
 * Real market data lives in ../shared/data (beside the repository), never in it. Tests that need it
 * call `sharedData()` and skip with a clear message when it is absent (a user's clone has none).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Absolute path of ../shared/data, or undefined when it is not there. */
export const sharedDataDir: string | undefined = (() => {
  const p = process.env['EDGELAB_SHARED_DATA'] ?? resolve(repoRoot, '../shared/data');
  return existsSync(p) ? p : undefined;
})();

export const SHARED_SKIP_REASON = 'skipped: ../shared/data is absent (real-data tests run only beside the shared folder)';

/** Path of a file under ../shared/data (call only when sharedDataDir is defined). */
export function sharedFile(rel: string): string {
  if (!sharedDataDir) throw new Error(SHARED_SKIP_REASON);
  return resolve(sharedDataDir, rel);
}

if (!sharedDataDir) console.warn(`[edgelab tests] ${SHARED_SKIP_REASON}`);
