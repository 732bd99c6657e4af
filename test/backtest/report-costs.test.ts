import { describe, expect, it } from 'vitest';
import { costLine, costRows, decomposeCosts, sumFillCosts } from '../../src/backtest/report-costs.js';

describe('cost decomposition', () => {
  // Hand example: 100 000 → 103 000 net after 400 fees, 150 slippage, 50 impact, 100 funding paid:
  // gross = 3000 + 400 + 150 + 50 + 100 = 3700.
  const d = decomposeCosts({ initialCapital: 100_000, finalEquity: 103_000, fees: 400, slippage: 150, impact: 50, funding: 100 });
  it('gross = net + every cost', () => {
    expect(d.net).toBe(3000);
    expect(d.gross).toBe(3700);
  });
  it('rows show costs negative, as % of capital and of gross', () => {
    expect(costRows(d)).toEqual([
      ['gross', 3700, 3.7, 100],
      ['fees', -400, -0.4, -10.811],
      ['slippage', -150, -0.15, -4.054],
      ['impact', -50, -0.05, -1.351],
      ['funding', -100, -0.1, -2.703],
      ['borrow', 0, 0, 0],
      ['net', 3000, 3, 81.081],
    ]);
    expect(costLine(d)).toBe('costs: gross 3.70% → fees 0.40% · slippage 0.15% · impact 0.05% · funding 0.10% → net 3.00%');
  });
  it('received funding lifts net above gross; zero gross leaves the share empty', () => {
    const r = decomposeCosts({ initialCapital: 1000, finalEquity: 1000, fees: 0, slippage: 0, impact: 0, funding: 0 });
    expect(costRows(r)[0]).toEqual(['gross', 0, 0, null]);
    const recv = decomposeCosts({ initialCapital: 1000, finalEquity: 1010, fees: 1, slippage: 0, impact: 0, funding: -5 });
    expect(recv.gross).toBe(6); // net 10 + fee 1 − 5 received: the trades alone made 6
  });
  it('borrow paid is a cost: gross = net + … + borrow, a row and a term of the line', () => {
    // 100 000 → 103 000 after 400 fees, 150 slippage, 50 impact, 100 funding, 300 borrow: gross 4000
    const b = decomposeCosts({ initialCapital: 100_000, finalEquity: 103_000, fees: 400, slippage: 150, impact: 50, funding: 100, borrow: 300 });
    expect(b.gross).toBe(4000);
    expect(costRows(b)[5]).toEqual(['borrow', -300, -0.3, -7.5]);
    expect(costLine(b)).toBe('costs: gross 4.00% → fees 0.40% · slippage 0.15% · impact 0.05% · funding 0.10% · borrow 0.30% → net 3.00%');
  });
  it('sums fill cost fields', () => {
    expect(sumFillCosts([{ fee: 1, slippage: 2, impact: 3 }, { fee: 0.5, slippage: 0, impact: 1 }])).toEqual({ fees: 1.5, slippage: 2, impact: 4 });
  });
});
