import { describe, expect, it } from 'vitest';
import { captureConsole } from '../../src/tui/console-capture.js';

describe('captureConsole', () => {
  it('routes console output to the sink, formatted, and restores the console', () => {
    const calls: string[] = [];
    const fake = { log: () => calls.push('orig'), info: () => {}, warn: () => {}, error: () => {}, debug: () => {} } as unknown as Console;
    const seen: string[] = [];
    const restore = captureConsole((m) => seen.push(m), fake);
    fake.log('rows %d of %s', 3, 'BTC');
    fake.warn({ a: 1 });
    expect(seen).toEqual(['rows 3 of BTC', '{ a: 1 }']);
    expect(calls).toEqual([]);
    restore();
    fake.log('x');
    expect(calls).toEqual(['orig']);
    expect(seen.length).toBe(2);
  });
});
