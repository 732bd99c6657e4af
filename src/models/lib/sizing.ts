import { z } from 'zod';

/**
 * Position sizing spec shared by single-symbol models: `units:N` (a fixed quantity of N units) or
 * `equity:F` (a fraction F of the model's budget, i.e. of equity when the budget is 1).
 */
export type Sizing = { readonly mode: 'units'; readonly value: number } | { readonly mode: 'equity'; readonly value: number };

export const sizingSchema = z
  .string()
  .regex(/^(units|equity):(\d+(\.\d+)?|\.\d+)$/, "expected 'units:N' or 'equity:F', e.g. units:10 or equity:0.95")
  .describe("position size: 'units:N' fixed quantity, or 'equity:F' fraction of the budget");

export function parseSizing(spec: string): Sizing {
  const [mode, raw] = spec.split(':') as ['units' | 'equity', string];
  return { mode, value: Number(raw) };
}

/**
 * The magnitude of the weight (relative to the budget) that holds the position: F for equity
 * sizing; N × price / budget value for unit sizing (the engine turns the weight back into
 * N units at the reference price). 0 when the budget value is not positive.
 */
export function sizeWeight(s: Sizing, price: number, budgetValue: number): number {
  if (s.mode === 'equity') return s.value;
  return budgetValue > 0 && price > 0 ? (s.value * price) / budgetValue : 0;
}
