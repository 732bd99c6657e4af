import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, text } from '../../src/core/result.js';
import { getPath, parseYamlText, setPath } from '../../src/config/load.js';
import { short } from '../../src/core/canonical.js';
import { UserError } from '../../src/core/errors.js';
import { findModelSpec, parseModelParams } from '../../src/models/registry.js';

/**
 * The config schema holds model parameters as a free record (each model has its own schema), so a
 * value under `backtest.models.NAME.parameters` is checked against NAME's parameter schema here:
 * `config set backtest.models.sma_cross.parameters.fast None` used to be accepted and fail only at
 * the next backtest. Models the registry does not know are left to the backtest to name.
 */
function checkModelParameters(config: unknown, path: string): void {
  const m = /^backtest\.models\.([^.]+)(\.|$)/.exec(path);
  if (!m || !findModelSpec(m[1]!)) return;
  const name = m[1]!;
  const entry = getPath(config, `backtest.models.${name}`) as { parameters?: unknown } | undefined;
  parseModelParams(name, entry?.parameters ?? {}, (field) => `backtest.models.${name}.parameters.${field}`);
}

export default defineCommand({
  name: 'set',
  summary: 'change one configuration value (validated; the config digest changes)',
  positional: ['path', 'value'],
  schema: z.object({
    path: z.string().describe('dotted key, e.g. backtest.risk.max_gross'),
    value: z.string().describe('new value, read as YAML (1.2, true, [SPY, QQQ], "text")'),
  }),
  completion: { path: 'config' },
  examples: ['config set session.seed 7', 'config set backtest.risk.max_gross 1.0'],
  run(session, args) {
    const before = getPath(session.config, args.path);
    const value = parseYamlText(args.value, args.path);
    const oldDigest = session.configDigest;
    const next = setPath(session.config, args.path, value);
    checkModelParameters(next, args.path);
    session.setConfig(next); // throws with the zod path; config unchanged then
    const after = getPath(session.config, args.path);
    return ok('config set', [
      text(`${args.path}: ${JSON.stringify(before)} → ${JSON.stringify(after)} · config digest ${short(oldDigest)} → ${short(session.configDigest)}`),
    ]);
  },
});
