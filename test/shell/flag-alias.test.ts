/**
 * Flag aliases (`flagAliases` in a command definition): `backtest alpha_bundle --model NAME` sets the
 * `bundle` field although the positional is called `model`. Checked through the real backtest command's
 * parser, help and Tab completion.
 */
import { describe, expect, it } from 'vitest';
import { bindArgs, tokenize } from '../../src/shell/parser.js';
import { argumentRows } from '../../src/shell/help.js';
import backtest from '../../commands/backtest.js';
import type { AnyCommand } from '../../src/shell/command.js';

const cmd = backtest as unknown as AnyCommand;
const bind = (line: string): Record<string, unknown> => ({ ...bindArgs(cmd, tokenize(line)) });

describe('flag aliases', () => {
  it('--model NAME after the positional model sets the fitted-model field', () => {
    expect(bind('alpha_bundle --model xs1')).toEqual({ model: 'alpha_bundle', bundle: 'xs1' });
    expect(bind('hybrid_alpha --model=meta2')).toEqual({ model: 'hybrid_alpha', bundle: 'meta2' });
    expect(bind('alpha_bundle --bundle xs1')).toEqual({ model: 'alpha_bundle', bundle: 'xs1' });
  });
  it('the alias and its field together are refused as one flag given twice', () => {
    expect(() => bind('alpha_bundle --model a --bundle b')).toThrow(/--bundle given twice/);
  });
  it('help names the other spelling on the field row', () => {
    const row = argumentRows(cmd).find((r) => r[0] === '--bundle');
    expect(String(row?.[1])).toMatch(/\(also --model\)$/);
  });
});
