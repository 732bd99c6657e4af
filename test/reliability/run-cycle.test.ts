/**
 * Defect 6 of the reliability issue: `run` of a script that runs itself recursed until the stack
 * overflowed ("internal error: Maximum call stack size exceeded"). A cycle is refused naming the
 * chain, and a chain of distinct scripts is bounded in depth.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell } from '../../src/shell/runtime.js';
import { summaryOf } from '../../src/core/result.js';
import { renderText } from '../../src/shell/render-text.js';
import { MAX_RUN_DEPTH } from '../../commands/run.js';

const dir = mkdtempSync(join(tmpdir(), 'edgelab-runcycle-'));

describe('run: cycles and depth', () => {
  it('a script that runs itself is refused with the chain named; the session survives', async () => {
    const self = join(dir, 'self.edgelab');
    writeFileSync(self, `seed 7\nrun ${self}\n`);
    const shell = await createShell({ seed: 42, id: 'cycle', cwd: dir });
    const r = await shell.dispatcher.execute(`run ${self}`);
    expect(r.result.status).toBe('error');
    const all = renderText(r.result);
    expect(all).toContain(`script runs itself (${self} → ${self})`);
    expect(all).not.toMatch(/internal error|call stack/);
    expect((await shell.dispatcher.execute('seed')).result.blocks.length).toBe(1);
    // the same script can be run again afterwards (the active-script stack was unwound)
    expect(renderText((await shell.dispatcher.execute(`run ${self}`)).result)).toContain('script runs itself');
  });

  it('a two-script cycle a → b → a is refused', async () => {
    const a = join(dir, 'a.edgelab');
    const b = join(dir, 'b.edgelab');
    writeFileSync(a, `run ${b}\n`);
    writeFileSync(b, `run ${a}\n`);
    const shell = await createShell({ seed: 42, id: 'cycle2', cwd: dir });
    const r = await shell.dispatcher.execute(`run ${a}`);
    expect(renderText(r.result)).toContain(`script runs itself (${a} → ${b} → ${a})`);
  });

  it(`a chain of distinct scripts deeper than ${MAX_RUN_DEPTH} stops with a message; ${MAX_RUN_DEPTH} deep runs`, async () => {
    const chain = (n: number, tag: string): string => {
      for (let i = n; i >= 1; i--) writeFileSync(join(dir, `${tag}${i}.edgelab`), i === n ? 'seed 3\n' : `run ${join(dir, `${tag}${i + 1}.edgelab`)}\n`);
      return join(dir, `${tag}1.edgelab`);
    };
    const shell = await createShell({ seed: 42, id: 'deep', cwd: dir });
    const ok = await shell.dispatcher.execute(`run ${chain(MAX_RUN_DEPTH, 'ok')}`);
    expect(ok.result.status).toBe('ok');
    const deep = await shell.dispatcher.execute(`run ${chain(MAX_RUN_DEPTH + 1, 'deep')}`);
    expect(deep.result.status).toBe('error');
    expect(renderText(deep.result)).toContain(`scripts nested more than ${MAX_RUN_DEPTH} deep`);
    expect(summaryOf(deep.result)).not.toMatch(/internal error/);
  });
});
