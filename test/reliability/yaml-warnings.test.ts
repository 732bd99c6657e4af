/**
 * Reliability issue, smaller defect: YAML warnings (an unknown tag, a %YAML 1.1 directive) went to
 * stderr raw. They are one UserError naming the file (or key) and line; nothing is printed.
 */
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { createShell } from '../../src/shell/runtime.js';
import { summaryOf } from '../../src/core/result.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

describe('YAML warnings are messages, not stderr noise', () => {
  it('an overlay with an unknown tag: one line naming the file and line, nothing printed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-yamlw-'));
    const p = join(dir, 'overlay.yaml');
    writeFileSync(p, 'session:\n  seed: !weird 7\n');
    const warn = vi.spyOn(process, 'emitWarning');
    const log = vi.spyOn(console, 'warn');
    expect(() => loadConfig(join(repo, 'configs', 'base.yaml'), [p])).toThrow(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: YAML warning at line 2: `));
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
  });

  it('an alias to a missing anchor (found by the fuzz harness: overlay "*!") is a UserError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgelab-yamlw-'));
    const p = join(dir, 'alias.yaml');
    writeFileSync(p, '*!');
    expect(() => loadConfig(join(repo, 'configs', 'base.yaml'), [p])).toThrow(/alias\.yaml: not valid YAML: /);
  });

  it('config set with a tagged value: a one-line error naming the key', async () => {
    const sh = await createShell({ seed: 42, id: 'yamlw', cwd: mkdtempSync(join(tmpdir(), 'edgelab-yamlw-')) });
    const r = await sh.dispatcher.execute('config set session.seed !weird');
    expect(r.result.status).toBe('error');
    expect(summaryOf(r.result)).toMatch(/session\.seed: YAML warning/);
  });
});
