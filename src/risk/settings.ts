/** Risk limits from the config section, validated (halt must not come before reduce). */
import { UserError } from '../core/errors.js';
import { parseUtc } from '../core/time.js';
import type { RiskConfig } from '../config/sections/backtest.js';
import type { RiskLimits } from './types.js';

export function riskLimits(risk: RiskConfig): RiskLimits {
  const dd = risk.drawdown;
  if (dd.halt_at < dd.reduce_at) {
    throw new UserError(`drawdown halt_at ${dd.halt_at} is below reduce_at ${dd.reduce_at}; HALT must come at a deeper drawdown`, 'config backtest.risk.drawdown');
  }
  const recoverAt = dd.recover_at ?? 0.75 * dd.reduce_at;
  if (recoverAt > dd.reduce_at) {
    throw new UserError(`drawdown recover_at ${recoverAt} is above reduce_at ${dd.reduce_at}; REDUCED must recover at a shallower drawdown`, 'config backtest.risk.drawdown');
  }
  const ks = risk.kill_switch;
  const killAt = !ks.enabled ? Infinity : ks.at === null ? -Infinity : parseUtc(ks.at);
  return {
    perTradeRisk: risk.per_trade_risk,
    perAssetCap: risk.per_asset_cap,
    classCaps: Object.keys(risk.class_caps)
      .sort()
      .map((key) => ({ key, cap: risk.class_caps[key]! })),
    maxGross: risk.max_gross,
    reduceAt: dd.reduce_at,
    recoverAt,
    reduceScale: dd.reduce_scale,
    haltAt: dd.halt_at,
    haltAction: dd.halt_action,
    killAt,
  };
}
