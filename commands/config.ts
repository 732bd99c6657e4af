import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';
import { configToYaml } from '../src/config/load.js';
import { short } from '../src/core/canonical.js';

export default defineCommand({
  name: 'config',
  summary: 'show or change the session configuration',
  subcommands: true,
  schema: z.object({}),
  examples: ['config show backtest.risk', 'config set backtest.risk.max_gross 1.0'],
  run(session) {
    return ok('config', [text(`config digest ${short(session.configDigest)}\n${configToYaml(session.config)}`)]);
  },
});
