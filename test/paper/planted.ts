/**
 * A planted crash for the risk-mode tests: CRASH daily bars that rise 0.4 % a day for 300 days,
 * fall 3 % a day for 40 days, then drift flat. Traded by sma_cross (long only, fast 5 / slow 60)
 * with the configured risk limits kept and the drawdown limits tightened to REDUCED at 2 %,
 * HALT at 4 % (recover 1 %), the book goes NORMAL → REDUCED → HALT inside the crash.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CRASH_START_DAY = 300;
const DAYS = 380;

/** Write the CSV into `dir` and return its path. */
export function writePlantedCrash(dir: string): string {
  const rows = ['Date,Open,High,Low,Close,Volume'];
  let close = 100;
  for (let d = 0; d < DAYS; d++) {
    const drift = d < CRASH_START_DAY ? 0.004 : d < CRASH_START_DAY + 40 ? -0.03 : 0;
    const open = close;
    close = open * (1 + drift + 0.002 * Math.sin(d * 0.7));
    const hi = Math.max(open, close) * 1.003;
    const lo = Math.min(open, close) * 0.997;
    const day = new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
    rows.push(`${day},${open.toFixed(4)},${hi.toFixed(4)},${lo.toFixed(4)},${close.toFixed(4)},1000000`);
  }
  const path = join(dir, 'planted-crash.csv');
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

/** The day the crash starts (ISO date). */
export const crashStart = (): string => new Date(Date.UTC(2020, 0, 1) + CRASH_START_DAY * 86_400_000).toISOString().slice(0, 10);

/** The script lines that load the planted crash and tighten the drawdown limits. */
export function plantedSetup(csv: string): string[] {
  return [
    `ingest file ${csv} --symbol CRASH`,
    'clean raw:CRASH:1d',
    'config set backtest.risk.drawdown.recover_at 0.01',
    'config set backtest.risk.drawdown.reduce_at 0.02',
    'config set backtest.risk.drawdown.halt_at 0.04',
  ];
}

export const PLANTED_START = 'paper start sma_cross --symbol CRASH --interval 1d --risk --params fast=5,slow=60,size=equity:0.95';
