/**
 * Real files as a universe: the ten BTC-quoted freqtrade 5m pairs (../shared/data/freqtrade, 20
 * days of January 2018) ingested and cleaned to 15m through the shell, then `fit` and `fit apply`
 * on them. No funding or taker volume there, so the price-only signals; volumes are in BTC, so
 * --universe all. Skips with a clear message without the shared folder.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createShell } from '../../src/shell/runtime.js';
import { configSchema } from '../../src/config/schema.js';
import type { TextBlock } from '../../src/core/result.js';
import { loadBundle } from '../../src/alpha/store.js';
import { panelFor } from '../../src/alpha/workflow.js';
import { scorePanel } from '../../src/alpha/apply.js';
import { sharedDataDir, sharedFile } from '../helpers/shared-data.js';

// Its own data root: the lake and models folder it writes must not show up in other files' sessions
// (test/commands/alpha.test.ts lists models and replays that listing).
const dataRoot = mkdtempSync(join(tmpdir(), 'edgelab-real-universe-'));
afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

const PAIRS = ['ADA', 'DASH', 'ETC', 'ETH', 'LTC', 'NXT', 'TRX', 'XLM', 'XMR', 'ZEC'];

describe.skipIf(!sharedDataDir)('real files as a universe (freqtrade BTC pairs)', () => {
  it('ingest + clean 10 pairs, fit on 15m bars, fit apply scores every pair', async () => {
    const shell = await createShell({ config: configSchema.parse({}), seed: 1, dataRoot });
    const run = async (line: string) => {
      const r = (await shell.dispatcher.execute(line)).result;
      expect(r.status, `${line}: ${r.status === 'error' ? (r.blocks[0] as TextBlock).text : ''}`).toBe('ok');
      return r;
    };
    for (const p of PAIRS) {
      await run(`ingest file ${sharedFile(`freqtrade/${p}_BTC-5m.feather`)}`);
      await run(`clean raw:${p}BTC:5m --to 15m`);
    }
    const fit = await run('fit --interval 15m --universe all --signals tsmom,xsmom,meanrev --horizon 4 --folds 4 --out real');
    expect(fit.summary).toMatch(/^real: 10 symbols × \d+ 15m bars/);
    const bundle = loadBundle(shell.session.dataRoot, 'real');
    expect(bundle.symbols).toEqual(PAIRS.map((p) => `${p}BTC`));
    const { panel } = await panelFor(shell.session, '15m', bundle.symbols);
    // 20 days of 15m bars: about 1920 per pair on the common clock
    expect(panel.ts.length).toBeGreaterThan(1900);
    const mu = scorePanel(bundle, panel, null).mu;
    let finite = 0;
    for (const v of mu) if (Number.isFinite(v)) finite++;
    expect(finite).toBeGreaterThan(10 * 1500);
    await run('fit apply real');
  }, 300_000);
});
