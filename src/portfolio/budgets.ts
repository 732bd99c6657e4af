/**
 * Model budgets B_m (seed 003 §4.2, §8.1 regime_budgets). A budget is a fraction of NAV; budgets
 * must sum to at most 1 and the rest of NAV is cash. `regime_budgets` replaces budgets while a
 * regime holds: keys are '<dimension>_<value>' (equity_bull, equity_bear, equity_neutral, vol_low,
 * vol_normal, vol_high, crypto_risk_on, crypto_risk_off, macro_expansion, macro_slowdown,
 * macro_recession). When several keys match a snapshot, the first in the order equity, vol, crypto,
 * macro wins; models the matching entry does not name keep their base budget.
 */
import { UserError } from '../core/errors.js';
import type { RegimeSnapshot } from '../regime/types.js';

type Dim = 'equity' | 'vol' | 'crypto' | 'macro';
const DIMS: readonly Dim[] = ['equity', 'vol', 'crypto', 'macro'];
const VALUES: Record<Dim, readonly string[]> = {
  equity: ['BULL', 'BEAR', 'NEUTRAL'],
  vol: ['LOW', 'NORMAL', 'HIGH'],
  crypto: ['RISK_ON', 'RISK_OFF'],
  macro: ['EXPANSION', 'SLOWDOWN', 'RECESSION'],
};

export interface RegimeBudget {
  readonly key: string;
  readonly dim: Dim;
  readonly value: string;
  /** Budgets per model (base budget where the entry does not name the model). */
  readonly budgets: Float64Array;
}

export interface BudgetTable {
  readonly models: readonly string[];
  readonly base: Float64Array;
  /** Entries in precedence order (dimension order, then key). */
  readonly regimes: readonly RegimeBudget[];
}

const SUM_TOLERANCE = 1e-9;

function assertSum(models: readonly string[], budgets: Float64Array, where: string): void {
  let sum = 0;
  for (let i = 0; i < budgets.length; i++) sum += budgets[i]!;
  if (sum > 1 + SUM_TOLERANCE) {
    const parts = models.map((m, i) => `${m} ${budgets[i]}`).join(' + ');
    throw new UserError(
      `budgets sum to ${Number(sum.toFixed(6))} > 1: ${parts}; budgets are fractions of NAV (the rest is cash), lower one of them`,
      where,
    );
  }
}

export function parseRegimeKey(key: string): { dim: Dim; value: string } {
  for (const dim of DIMS) {
    if (key.startsWith(`${dim}_`)) {
      const value = key.slice(dim.length + 1).toUpperCase();
      if (VALUES[dim].includes(value)) return { dim, value };
    }
  }
  const valid = DIMS.flatMap((d) => VALUES[d].map((v) => `${d}_${v.toLowerCase()}`)).join(', ');
  throw new UserError(`unknown regime key '${key}'; expected one of ${valid}`, 'config backtest.regime_budgets');
}

/**
 * Build and validate the budget table.
 * @param models model names in engine order with their base budgets
 */
export function budgetTable(
  models: readonly { readonly name: string; readonly budget: number }[],
  regimeBudgets: Readonly<Record<string, Readonly<Record<string, number>>>>,
): BudgetTable {
  const names = models.map((m) => m.name);
  const base = Float64Array.from(models, (m) => m.budget);
  for (let i = 0; i < base.length; i++) {
    const b = base[i]!;
    if (!(b >= 0 && b <= 1)) throw new UserError(`budget ${b} of model '${names[i]}' is not a fraction in [0, 1]`, 'config backtest.models');
  }
  assertSum(names, base, 'config backtest.models');
  const regimes: RegimeBudget[] = [];
  for (const key of Object.keys(regimeBudgets).sort()) {
    const { dim, value } = parseRegimeKey(key);
    const entry = regimeBudgets[key]!;
    const budgets = Float64Array.from(base);
    for (const m of Object.keys(entry).sort()) {
      const i = names.indexOf(m);
      if (i < 0) {
        throw new UserError(`regime budget '${key}' names model '${m}', which is not in the backtest (models: ${names.join(', ') || 'none'})`, 'config backtest.regime_budgets');
      }
      budgets[i] = entry[m]!;
    }
    assertSum(names, budgets, `config backtest.regime_budgets.${key}`);
    regimes.push({ key, dim, value, budgets });
  }
  regimes.sort((a, b) => DIMS.indexOf(a.dim) - DIMS.indexOf(b.dim) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { models: names, base, regimes };
}

/**
 * The budgets in force under `snapshot` (written into `out`); returns the matching key or null. A
 * dimension without data (`snapshot.noData`, regime/coverage.ts) matches no key: its neutral default
 * is not a measured regime, so the base budgets hold.
 */
export function budgetsFor(table: BudgetTable, snapshot: RegimeSnapshot, out: Float64Array): string | null {
  const noData = snapshot.noData;
  for (const r of table.regimes) {
    if (snapshot[r.dim] === r.value && (noData === undefined || !noData.includes(r.dim))) {
      out.set(r.budgets);
      return r.key;
    }
  }
  out.set(table.base);
  return null;
}
