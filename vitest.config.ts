import { defineConfig } from 'vitest/config';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests never write into the repository: the lake and the results database of every session a
// test opens (in-process or a spawned CLI, which inherits the environment) live in a temp folder.
const dataRoot = process.env['EDGELAB_DATA_ROOT'] ?? mkdtempSync(join(tmpdir(), 'edgelab-test-data-'));
process.env['EDGELAB_DATA_ROOT'] = dataRoot;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on CI machines: keep parallelism modest so timing-sensitive TUI tests stay stable.
    maxWorkers: 2,
    env: { EDGELAB_DATA_ROOT: dataRoot },
  },
});
