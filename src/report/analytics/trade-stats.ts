/**
 * Statistics of closed round trips, in exit order: average win and loss (P&L of trades with
 * pnl > 0 and pnl < 0), expectancy (mean P&L per trade), payoff ratio (average win / |average
 * loss|), win rate, the longest runs of consecutive wins and losses (a flat trade ends both runs),
 * and the average bars held.
 */
export interface TradeStats {
  readonly trades: number;
  readonly wins: number;
  readonly losses: number;
  readonly winRate: number;
  readonly averageWin: number;
  readonly averageLoss: number;
  readonly expectancy: number;
  readonly payoffRatio: number;
  readonly longestWinStreak: number;
  readonly longestLossStreak: number;
  readonly averageBarsHeld: number;
}

export function tradeStats(closed: readonly { readonly pnl: number; readonly barsHeld: number }[]): TradeStats {
  let winSum = 0;
  let lossSum = 0;
  let wins = 0;
  let losses = 0;
  let total = 0;
  let bars = 0;
  let runW = 0;
  let runL = 0;
  let bestW = 0;
  let bestL = 0;
  for (const t of closed) {
    total += t.pnl;
    bars += t.barsHeld;
    if (t.pnl > 0) {
      wins++;
      winSum += t.pnl;
      runW++;
      runL = 0;
    } else if (t.pnl < 0) {
      losses++;
      lossSum += t.pnl;
      runL++;
      runW = 0;
    } else {
      runW = 0;
      runL = 0;
    }
    bestW = Math.max(bestW, runW);
    bestL = Math.max(bestL, runL);
  }
  const n = closed.length;
  const averageWin = wins ? winSum / wins : NaN;
  const averageLoss = losses ? lossSum / losses : NaN;
  return {
    trades: n,
    wins,
    losses,
    winRate: n ? wins / n : NaN,
    averageWin,
    averageLoss,
    expectancy: n ? total / n : NaN,
    payoffRatio: averageWin / Math.abs(averageLoss),
    longestWinStreak: bestW,
    longestLossStreak: bestL,
    averageBarsHeld: n ? bars / n : NaN,
  };
}
