/**
 * The readiness rule: research and backtest commands refuse a dataset whose readiness gate failed,
 * unless the user passes --force, and they say which gates failed.
 */
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';

export function assertReady(ds: Dataset, force: boolean): void {
  if (force) return;
  if (ds.stage === 'raw') {
    throw new UserError(`is raw data that has not been cleaned: run \`clean ${ds.name}\` first, or pass --force`, ds.name);
  }
  if (!ds.gate || ds.gate.pass) return;
  const failedGates = ds.gate.gates
    .filter((g) => !g.pass)
    .map((g) => `${g.name} ${g.value ?? ''} (needs ${g.threshold})`.replace(/\s+/g, ' '))
    .join(', ');
  throw new UserError(`readiness gate failed: ${failedGates}; fix the data or pass --force`, ds.name);
}
