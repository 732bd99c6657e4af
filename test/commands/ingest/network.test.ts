/**
 * The six network `ingest` subcommands through the real dispatcher, each against its fixture
 * server on 127.0.0.1 (base URLs from the session config, the lake in a temp folder): each puts
 * its raw dataset in the session, and a symbol the source does not list gives one line naming it
 * while the session's datasets and the lake stay exactly as they were.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createShell } from '../../../src/shell/runtime.js';
import { renderText } from '../../../src/shell/render-text.js';
import { configSchema } from '../../../src/config/schema.js';
import { listRaw } from '../../../src/data/lake/index.js';
import { startBinanceFixture } from '../../fixtures/servers/binance.js';
import { startKrakenFixture } from '../../fixtures/servers/kraken.js';
import { startYahooFixture } from '../../fixtures/servers/yahoo.js';
import { ALPACA_FIXTURE_KEYS, startAlpacaFixture } from '../../fixtures/servers/alpaca.js';
import { FRED_FIXTURE_KEY, startFredFixture } from '../../fixtures/servers/fred.js';
import type { FixtureServer } from '../../fixtures/servers/fixture-server.js';
import { tempLake, T } from '../../data/network/helpers.js';

const UNTIL = T('2024-03-04T00:00:00Z');
const servers: Record<string, FixtureServer> = {};
let lake: { dir: string; remove(): void };

beforeAll(async () => {
  servers['binance'] = await startBinanceFixture({ listedFrom: T('2023-01-01T00:00:00Z'), until: UNTIL });
  servers['kraken'] = await startKrakenFixture({ listedFrom: T('2023-01-01T00:00:00Z'), until: UNTIL });
  servers['yahoo'] = await startYahooFixture({ listedFrom: T('2015-01-01T00:00:00Z'), until: UNTIL });
  servers['alpaca'] = await startAlpacaFixture({ listedFrom: T('2015-01-01T00:00:00Z'), until: UNTIL, clock: () => UNTIL });
  servers['fred'] = await startFredFixture({ from: T('2000-01-01T00:00:00Z'), until: UNTIL, today: '2024-03-04' });
  lake = tempLake();
  vi.stubEnv('APCA_API_KEY_ID', ALPACA_FIXTURE_KEYS.id);
  vi.stubEnv('APCA_API_SECRET_KEY', ALPACA_FIXTURE_KEYS.secret);
  vi.stubEnv('FRED_API_KEY', FRED_FIXTURE_KEY);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  for (const s of Object.values(servers)) await s.close();
  lake.remove();
});

async function shell() {
  const at = (name: string) => ({ base_url: servers[name]!.baseUrl, rate_limit_ms: 1 });
  const config = configSchema.parse({
    session: { lake_dir: lake.dir },
    network: {
      retry: { max_attempts: 2, base_delay_ms: 10 },
      binance: at('binance'),
      binanceusdm: at('binance'),
      kraken: at('kraken'),
      yahoo: at('yahoo'),
      alpaca: at('alpaca'),
      fred: at('fred'),
    },
  });
  return (await createShell({ config, id: 'network-commands', seed: 42 })).dispatcher;
}

describe('ingest <network source> commands', () => {
  it('each source adds its raw dataset; an unlisted symbol leaves the session and the lake intact', async () => {
    const d = await shell();
    const lines: [string, string, number][] = [
      ['ingest binanceusdm BTCUSDT --interval 15m --start 2024-01-01 --end 2024-01-02', 'raw:BTCUSDT:15m', 96],
      ['ingest binanceusdm BTCUSDT --what funding --start 2024-01-01 --end 2024-01-02', 'raw:BTCUSDT:funding', 3],
      ['ingest binance ETHUSDT --interval 1h --start 2024-01-01 --end 2024-01-02', 'raw:ETHUSDT:1h', 24],
      ['ingest kraken XBTUSD --interval 1h --start 2024-03-03 --end 2024-03-04', 'raw:BTCUSD:1h', 24],
      ['ingest yahoo SPY --start 2024-01-01 --end 2024-02-01', 'raw:SPY:1d', 23],
      ['ingest alpaca SPY --interval 1d --start 2024-01-01 --end 2024-02-01', 'raw:SPY:1d', 23],
      ['ingest fred T10Y2Y --start 2024-01-01 --end 2024-02-01', 'raw:MACRO:T10Y2Y', 23],
    ];
    for (const [line, name, rows] of lines) {
      const r = await d.execute(line);
      expect(r.result.status, `${line}\n${renderText(r.result)}`).toBe('ok');
      expect(renderText(r.result).split('\n')[0]).toMatch(new RegExp(`^${name.replace(/[:^$]/g, '\\$&')} · ${rows} rows `));
      expect(d.session.dataset(name).table.length).toBe(rows);
    }
    // yahoo and alpaca both produce raw:SPY:1d: the later one replaced the earlier in the session.
    expect(d.session.dataset('raw:SPY:1d').source).toBe('alpaca');

    const datasetsBefore = new Map([...d.session.datasets].map(([n, ds]) => [n, ds.digest]));
    const lakeBefore = JSON.stringify(listRaw(lake.dir));
    const bad = await d.execute('ingest binanceusdm BTCUSDX --interval 15m --start 2024-01-01 --end 2024-01-02');
    expect(bad.result.status).toBe('error');
    expect(renderText(bad.result)).toBe(
      "ingest binanceusdm: symbol BTCUSDX: binanceusdm does not list a USDⓈ-M contract 'BTCUSDX'; did you mean 'BTCUSDT'? (3 listed)",
    );
    const bad2 = await d.execute('ingest yahoo SPYY --start 2024-01-01');
    expect(renderText(bad2.result)).toBe("ingest yahoo: symbol SPYY: yahoo has no symbol 'SPYY' (No data found, symbol may be delisted)");
    expect(new Map([...d.session.datasets].map(([n, ds]) => [n, ds.digest]))).toEqual(datasetsBefore);
    expect(JSON.stringify(listRaw(lake.dir))).toBe(lakeBefore);
    const after = await d.execute('datasets');
    expect(after.result.status).toBe('ok');
  });

  it('ingest fred, then clean: a point-in-time macro series (the README example)', async () => {
    const d = await shell();
    const r = await d.execute('ingest fred CPIAUCSL --start 2015-01-01 --end 2024-01-01');
    expect(r.result.status, renderText(r.result)).toBe('ok');
    const c = await d.execute('clean raw:MACRO:CPIAUCSL');
    expect(c.result.status, renderText(c.result)).toBe('ok');
    expect(renderText(c.result)).toContain('MACRO:CPIAUCSL: 108 values, known at the end of the first-release day (realtime_start + 1 day)');
    const ds = d.session.dataset('MACRO:CPIAUCSL');
    expect([ds.kind, ds.stage, ds.gate?.pass]).toEqual(['series', 'clean', true]);
    // December 2023 was first published Fri 2024-01-12, so it is known from 2024-01-13 00:00 UTC.
    const ts = ds.table.columns['ts'] as Float64Array;
    expect(ts[107]).toBe(T('2024-01-13T00:00:00Z'));
    expect((ds.table.columns['period'] as Float64Array)[107]).toBe(T('2023-12-01T00:00:00Z'));
  });

  it('a second run of the same line downloads nothing and says so', async () => {
    const d = await shell();
    const line = 'ingest binanceusdm ETHUSDT --interval 1h --start 2024-01-01 --end 2024-01-03';
    const first = await d.execute(line);
    expect(renderText(first.result)).toMatch(/48 new rows downloaded/);
    servers['binance']!.clearLog();
    const again = await d.execute(line);
    expect(renderText(again.result).split('\n')[0]).toBe('raw:ETHUSDT:1h · 48 rows 2024-01-01 00:00 → 2024-01-02 23:00 · all from the lake, nothing to download');
    expect(servers['binance']!.requestsTo('/fapi/v1/klines')).toHaveLength(0);
  });

  it('names a missing first --start', async () => {
    const d = await shell();
    const r = await d.execute('ingest binanceusdm SOLUSDT --interval 4h');
    expect(renderText(r.result)).toBe('ingest binanceusdm: --start: the lake has no binanceusdm SOLUSDT 4h yet: give --start for the first download');
  });
});
