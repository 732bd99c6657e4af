/**
 * Reliability item 10, first bullet: `config set` was loose about types. Every typed section was
 * already checked by its zod schema ("None" where a number belongs is refused); the hole was model
 * parameters, a free record in the config schema: `…parameters.fast None` was accepted and failed
 * only at the next backtest. Now each model's own parameter schema checks it, naming the key, and
 * the config (and its digest) stays as it was; a valid value still goes through.
 */
import { describe, expect, it } from 'vitest';
import { createShell } from '../../src/shell/runtime.js';
import { renderText } from '../../src/shell/render-text.js';

describe('config set checks types', () => {
  it('refuses "None" for a number, in a typed section and in a model\'s parameters; accepts a number', async () => {
    const { dispatcher: d, session } = await createShell({ seed: 42 });
    const digest = session.configDigest;
    const typed = await d.execute('config set data.readiness.max_gaps None');
    expect(typed.result.status).toBe('error');
    expect(renderText(typed.result)).toContain('data.readiness.max_gaps: expected number, received string');

    const param = await d.execute('config set backtest.models.sma_cross.parameters.fast None');
    expect(param.result.status).toBe('error');
    expect(renderText(param.result)).toMatch(/backtest\.models\.sma_cross\.parameters\.fast.*expected number/);
    expect(session.configDigest).toBe(digest);
    expect(session.config.backtest.models['sma_cross']!.parameters['fast']).toBe(10);

    const good = await d.execute('config set backtest.models.sma_cross.parameters.fast 12');
    expect(good.result.status).toBe('ok');
    expect(session.config.backtest.models['sma_cross']!.parameters['fast']).toBe(12);
  });
});
