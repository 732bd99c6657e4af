/**
 * Defect 8 of the reliability issue: flags named like Object members (`--constructor`,
 * `--__proto__`, `--to-string`) were looked up on the schema shape's prototype and ended in an
 * internal error. They are unknown flags like any other, the bound object has no prototype, and the
 * session carries on.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell } from '../../src/shell/runtime.js';
import { summaryOf } from '../../src/core/result.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-proto-'));

describe('prototype-named flags', () => {
  it.each(['--constructor 1', '--__proto__ 1', '--to-string 1', '--has-own-property x', '--value-of', '--__define-getter__=1'])(
    'datasets %s is an unknown flag, not an internal error',
    async (flags) => {
      const shell = await createShell({ seed: 42, id: 'proto', cwd: dir });
      const r = await shell.dispatcher.execute(`datasets ${flags}`);
      expect(r.result.status).toBe('error');
      const msg = summaryOf(r.result);
      expect(msg).toMatch(/^datasets: unknown flag --/);
      expect(msg).not.toMatch(/internal error/);
      // the session is alive and Object.prototype untouched
      expect((await shell.dispatcher.execute('seed')).result.status).toBe('ok');
      expect(({} as Record<string, unknown>)['1']).toBeUndefined();
    },
  );

  it('a command with a positional takes a prototype-named word as a value', async () => {
    const shell = await createShell({ seed: 42, id: 'proto2', cwd: dir });
    const r = await shell.dispatcher.execute('show constructor');
    expect(summaryOf(r.result)).not.toMatch(/internal error/);
  });
});
