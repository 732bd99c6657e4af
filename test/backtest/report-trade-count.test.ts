/**
 * The headline trade count counts closed round trips and names the open ones apart (an open trade
 * has no exit, so the win rate and profit factor leave it out too). Hand-made trade logs, and the
 * summary line of a real run whose last trade is still open.
 */
import { describe, expect, it } from 'vitest';
import { tradeCountText, summaryLines } from '../../src/backtest/report-blocks.js';
import type { TradeRecord } from '../../src/backtest/types.js';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { singleModelPlan } from '../../src/backtest/run-backtest-plan.js';
import { runBacktestReport } from '../../src/backtest/run-backtest.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';

const trade = (symbol: string, side: 'long' | 'short', entry: string, exit: string | null): TradeRecord => ({
  symbol,
  side,
  entryTs: Date.parse(entry),
  exitTs: exit === null ? null : Date.parse(exit),
  maxQty: 1,
  entryPrice: 100,
  exitPrice: exit === null ? null : 101,
  pnl: 1,
  fees: 0,
  funding: 0,
});

describe('headline trade count', () => {
  it('closed trades only', () => {
    expect(tradeCountText([trade('ORCL', 'long', '2014-01-02', '2014-02-03'), trade('ORCL', 'short', '2014-02-03', '2014-03-03')])).toBe('2 closed trades');
    expect(tradeCountText([trade('ORCL', 'long', '2014-01-02', '2014-02-03')])).toBe('1 closed trade');
    expect(tradeCountText([])).toBe('0 closed trades');
  });
  it('one open trade is named with its side and entry day, and not counted as closed', () => {
    const log = [trade('ORCL', 'long', '2014-01-02', '2014-02-03'), trade('ORCL', 'long', '2014-06-02T20:00:00Z', null)];
    expect(tradeCountText(log)).toBe('1 closed trade + 1 open: ORCL long since 2014-06-02');
  });
  it('several open trades are listed by symbol and side (three at most)', () => {
    const open = ['SPY', 'QQQ', 'BTCUSDT', 'ETHUSDT'].map((s, i) => trade(s, i === 1 ? 'short' : 'long', '2021-03-01', null));
    expect(tradeCountText(open.slice(0, 2))).toBe('0 closed trades + 2 open: SPY long, QQQ short');
    expect(tradeCountText(open)).toBe('0 closed trades + 4 open: SPY long, QQQ short, BTCUSDT long, …');
  });
  it('the summary line of a run that ends in a position', async () => {
    const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
    const { config } = loadConfig(resolve(root, 'configs/base.yaml'));
    const market = generateSyntheticMarket({ seed: 7, start: '2021-01-01', years: 1.2, equityStart: '2021-01-01' }, (s) => createRng(7, s));
    const data = new Map(toDatasets(market).map((d) => [d.name, d] as const));
    const plan = singleModelPlan(config, 'sma_cross', { params: { symbol: 'SPY', fast: 5, slow: 20, short: true }, interval: '1d' });
    const r = await runBacktestReport(plan, data, { probes: false });
    const trades = r.result.trades;
    const open = trades.filter((t) => t.exitTs === null);
    expect(open.length).toBe(1); // long/short: always in the market after the first cross
    const line = summaryLines(r).find((l) => l.startsWith('Sharpe'))!;
    expect(line).toContain(`${trades.length - 1} closed trades + 1 open: SPY ${open[0]!.side} since `);
  }, 60_000);
});
