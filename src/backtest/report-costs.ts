/**
 * Cost decomposition (seed 002 §7 R4): gross → fees, slippage, impact, funding, borrow → net.
 *
 * Fill prices already include slippage and impact, and fees and funding are booked in cash, so
 * the net P&L (final NAV − initial capital) is after every cost and
 *
 *   gross = net + fees + slippage + impact + funding paid + borrow paid
 *
 * is the P&L the same trades would have made at their reference prices (open / stop level / close)
 * without fees or funding. Funding paid is positive when the book paid (longs with positive rates).
 * Each cost is shown as a negative amount, as % of initial capital and as a share of gross.
 */
import type { Cell } from '../core/result.js';
import type { CostLedger } from './types.js';

export interface CostTotals {
  readonly initialCapital: number;
  readonly finalEquity: number;
  readonly fees: number;
  readonly slippage: number;
  readonly impact: number;
  /** Net funding paid (positive = paid, negative = received). */
  readonly funding: number;
  /** Borrow fees paid on short positions (default 0). */
  readonly borrow?: number;
}

/** The result's cost ledger (types.ts), less traded notional, with the capital it is measured against. */
export type CostDecomposition = Omit<CostLedger, 'tradedNotional'> & { readonly initialCapital: number };

/** Sum the cost fields of fills (fee, slippage, impact), in fill order. */
export function sumFillCosts(fills: readonly { readonly fee: number; readonly slippage: number; readonly impact: number }[]): {
  fees: number;
  slippage: number;
  impact: number;
} {
  let fees = 0;
  let slippage = 0;
  let impact = 0;
  for (const f of fills) {
    fees += f.fee;
    slippage += f.slippage;
    impact += f.impact;
  }
  return { fees, slippage, impact };
}

export function decomposeCosts(c: CostTotals): CostDecomposition {
  const net = c.finalEquity - c.initialCapital;
  const borrow = c.borrow ?? 0;
  return {
    gross: net + c.fees + c.slippage + c.impact + c.funding + borrow,
    fees: c.fees,
    slippage: c.slippage,
    impact: c.impact,
    funding: c.funding,
    borrow,
    net,
    initialCapital: c.initialCapital,
  };
}

const money = (v: number): Cell => (Number.isFinite(v) ? Number(v.toFixed(2)) : null);
const pct = (v: number): Cell => (Number.isFinite(v) ? Number((v * 100).toFixed(3)) : null);

export const COST_COLUMNS = ['component', 'amount', '% of capital', '% of gross'] as const;

/** Rows: gross, then each cost as a negative amount, then net. */
export function costRows(d: CostDecomposition): Cell[][] {
  const g = Math.abs(d.gross);
  const row = (name: string, amount: number): Cell[] => [name, money(amount), pct(amount / d.initialCapital), g > 0 ? pct(amount / g) : null];
  return [
    row('gross', d.gross),
    row('fees', -d.fees),
    row('slippage', -d.slippage),
    row('impact', -d.impact),
    row('funding', -d.funding),
    row('borrow', -d.borrow),
    row('net', d.net),
  ];
}

/** One line for the log: 'costs: gross 14.1% → fees 1.1 · slip 0.4 · impact 0.3 · funding 0.2 → net 12.1%' (borrow only when paid). */
export function costLine(d: CostDecomposition): string {
  const p = (v: number) => `${((v / d.initialCapital) * 100).toFixed(2)}%`;
  return `costs: gross ${p(d.gross)} → fees ${p(d.fees)} · slippage ${p(d.slippage)} · impact ${p(d.impact)} · funding ${p(d.funding)}${d.borrow !== 0 ? ` · borrow ${p(d.borrow)}` : ''} → net ${p(d.net)}`;
}
