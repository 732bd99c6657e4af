/**
 * Reliability item 10, last bullet: a real ingest of BTC funding silently replaced the demo's
 * `BTCUSDT:funding`. Here with ETH (the fixture file's symbol): the demo market's ETHUSDT:funding
 * (source synthetic), then a real funding file cleaned to the same name. clean refuses and names the
 * clash, and the demo dataset is exactly as it was; --name keeps both; --replace replaces it and
 * says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createShell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import { renderText } from '../../src/shell/render-text.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tmp = mkdtempSync(join(tmpdir(), 'edgelab-clash-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a real dataset cleaned to a demo dataset\'s name', () => {
  it('is refused naming the clash, kept apart with --name, replaced only with --replace', { timeout: 120_000 }, async () => {
    const { dispatcher: d, session } = await createShell({ root, cwd: root, dataRoot: tmp, seed: 42, config: configSchema.parse({ session: { lake_dir: join(tmp, 'lake') } }) });
    expect((await d.execute('ingest synthetic --symbols ETHUSDT --years 1')).result.status).toBe('ok');
    const demo = session.dataset('ETHUSDT:funding');
    expect(demo.source).toBe('synthetic');
    expect((await d.execute('ingest file test/fixtures/data/funding-two-symbols.csv --symbol ETH-USDT')).result.status).toBe('ok');

    const refused = await d.execute('clean raw:ETHUSDT:funding');
    expect(refused.result.status).toBe('error');
    expect(renderText(refused.result)).toContain('ETHUSDT:funding (from synthetic) already loaded; nothing was replaced — pass --name LABEL to keep both, or --replace to replace it');
    expect(session.dataset('ETHUSDT:funding')).toBe(demo);

    const apart = await d.execute('clean raw:ETHUSDT:funding --name ETHREAL --no-lake');
    expect(apart.result.status).toBe('ok');
    expect(session.dataset('ETHREAL:funding').table.length).toBe(60);
    expect(session.dataset('ETHUSDT:funding')).toBe(demo);

    const replaced = await d.execute('clean raw:ETHUSDT:funding --replace --no-lake');
    expect(replaced.result.status).toBe('ok');
    expect(renderText(replaced.result)).toContain('replaced ETHUSDT:funding (was from synthetic) as asked (--replace)');
    expect(session.dataset('ETHUSDT:funding').source).not.toBe('synthetic');
    expect(session.dataset('ETHUSDT:funding').table.length).toBe(60);
    // cleaning the same real data again is no clash
    expect((await d.execute('clean raw:ETHUSDT:funding --no-lake')).result.status).toBe('ok');
  });
});
