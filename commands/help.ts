import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { sharedRegistry } from '../src/shell/runtime.js';
import { argumentRows, commandList, usageOf } from '../src/shell/help.js';
import { suggest } from '../src/core/suggest.js';

export default defineCommand({
  name: 'help',
  summary: 'list commands, or show one command’s arguments and examples',
  positional: ['topic'],
  schema: z.object({
    topic: z.array(z.string()).default([]).describe('a command (and subcommand), e.g. `help ingest synthetic`'),
  }),
  completion: { topic: 'command' },
  examples: ['help', 'help backtest', 'help ingest file'],
  async run(_session, args) {
    const registry = await sharedRegistry();
    if (args.topic.length === 0) {
      return ok('help', [
        text('edgelab commands (help COMMAND for arguments; Tab completes; ↑↓ history; Ctrl+C cancels a job (optimize and walkforward show a live leaderboard pane); Ctrl+T shows tables full width, Esc back; Shift+Tab next pane, or the learning curves after fit --model gbdt):'),
        table(['command', 'what it does'], commandList(registry)),
      ]);
    }
    const [name, subName] = args.topic;
    const cmd = registry.commands.get(name!);
    if (!cmd) {
      const hint = suggest(name!, registry.names());
      throw new UserError(`no command '${name}'${hint ? `; did you mean '${hint}'?` : ''}`, 'help');
    }
    const subs = registry.subcommands(cmd.name);
    if (subName !== undefined) {
      const sub = subs?.get(subName);
      if (!sub) throw new UserError(`'${cmd.name}' has no subcommand '${subName}'${subs ? ` (choose from ${[...subs.keys()].join(', ')})` : ''}`, 'help');
      return describe(sub, `${cmd.name} ${sub.name}`);
    }
    const res = describe(cmd, cmd.name);
    if (subs && subs.size) {
      return ok(res.title, [
        ...res.blocks,
        table(['subcommand', 'what it does'], [...subs.values()].map((s) => [s.name, s.summary]), `${cmd.name} subcommands (help ${cmd.name} SUB for details)`),
      ]);
    }
    return res;
  },
});

function describe(cmd: Parameters<typeof usageOf>[0], label: string) {
  const rows = argumentRows(cmd);
  return ok(`help ${label}`, [
    text(`${label}: ${cmd.summary}\nusage: ${usageOf(cmd, label)}`),
    ...(rows.length ? [table(['argument', 'meaning'], rows)] : []),
    ...(cmd.examples?.length ? [text(`examples:\n${cmd.examples.map((e) => `  ${e}`).join('\n')}`)] : []),
  ]);
}
