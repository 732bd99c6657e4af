import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, text } from '../../src/core/result.js';
import { configToYaml, getPath } from '../../src/config/load.js';
import { short } from '../../src/core/canonical.js';

export default defineCommand({
  name: 'show',
  summary: 'print the configuration (or one dotted section) as YAML',
  positional: ['path'],
  schema: z.object({
    path: z.string().optional().describe('dotted key, e.g. backtest.risk'),
  }),
  completion: { path: 'config' },
  examples: ['config show', 'config show session'],
  run(session, args) {
    const value = args.path ? getPath(session.config, args.path) : session.config;
    const yaml = typeof value === 'object' && value !== null ? configToYaml(value) : `${String(value)}\n`;
    return ok('config show', [text(`# ${args.path ?? 'config'} · digest ${short(session.configDigest)}\n${yaml.trimEnd()}`)]);
  },
});
