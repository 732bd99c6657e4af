/**
 * Usage strings come from the command schemas (issue 11): every schema field of every command and
 * subcommand appears in its usage line and in `help COMMAND`, so no flag can go missing from help.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { sharedRegistry, createShell } from '../../src/shell/runtime.js';
import { usageOf } from '../../src/shell/help.js';
import { toFlag } from '../../src/shell/zod-introspect.js';
import type { AnyCommand } from '../../src/shell/command.js';
import type { TableBlock, TextBlock } from '../../src/core/result.js';

const registry = await sharedRegistry();
const all: { label: string; cmd: AnyCommand }[] = [];
for (const name of registry.names()) {
  const cmd = registry.commands.get(name)!;
  all.push({ label: name, cmd });
  for (const sub of registry.subcommands(name)?.values() ?? []) all.push({ label: `${name} ${sub.name}`, cmd: sub });
}
/** How a field is written in usage: `--kebab-flag`, or the upper-case name of a positional. */
const spelling = (cmd: AnyCommand, key: string): string =>
  (cmd.positional ?? []).includes(key) ? key.replace(/[A-Z]/g, (c) => `-${c}`).toUpperCase() : toFlag(key);

describe('help lists every argument of every command', () => {
  it('covers the whole registry', () => {
    expect(all.length).toBeGreaterThan(20);
  });

  it.each(all)('$label', async ({ label, cmd }) => {
    const keys = Object.keys(cmd.schema.shape as Record<string, z.ZodType>);
    const usage = usageOf(cmd, label);
    const { dispatcher } = await createShell({ seed: 1 });
    const help = (await dispatcher.execute(`help ${label}`)).result;
    expect(help.status).toBe('ok');
    const head = (help.blocks[0] as TextBlock).text;
    const argRows = help.blocks.find((b): b is TableBlock => b.kind === 'table' && b.columns[0] === 'argument')?.rows.map((r) => String(r[0])) ?? [];
    for (const key of keys) {
      const word = spelling(cmd, key);
      // as a whole word: --to must not be satisfied by --tol
      expect(usage, `${label}: usage misses ${word}`).toMatch(new RegExp(`(^|[\\s\\[])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s\\].])`));
      expect(head).toContain(`usage: ${usage}`);
      expect(argRows, `${label}: argument table misses ${key}`).toContain((cmd.positional ?? []).includes(key) ? key.toUpperCase() : toFlag(key));
    }
  });

  it('keeps a hand-written value hint and generates the rest (backtest)', () => {
    const usage = usageOf(registry.commands.get('backtest')!);
    expect(usage).toContain('[--size units:N|equity:F]');
    expect(usage).toContain('[--no-store]');
    expect(usage).toContain('[--db DB]');
  });
});
