/**
 * The AlphaBundle's signals: per-symbol raw values from the kernels, then made cross-sectional at
 * every bar over the universe's members (a rank for cross-sectional momentum, a clipped z-score for
 * the rest, then every signal z-scored again so all share one scale). Every value at bar t reads bars
 * ≤ t only (docs/alpha.md "Signals"; test/alpha/point-in-time.test.ts perturbs the future).
 */
import { UserError } from '../core/errors.js';
import { crossSectionalRank, crossSectionalZ } from './cross-section.js';
import {
  fundingCarry, logReturns, meanReversion, orderflowImbalance, pastReturn, rollingSd, timeSeriesMomentum,
} from './kernels.js';
import { column, setColumn, type Panel } from './panel.js';

export const BUILTIN_SIGNALS = ['tsmom', 'xsmom', 'meanrev', 'carry', 'orderflow', 'onchain'] as const;
export type BuiltinSignal = (typeof BUILTIN_SIGNALS)[number];

export interface SignalParams {
  /** Bars in the return-volatility window. @default 168 */
  readonly volWindow: number;
  /** Time-series momentum horizons in bars. @default [24, 72, 168] */
  readonly tsmomHorizons: readonly number[];
  /** Cross-sectional momentum look-back in bars. @default 72 */
  readonly xsmomLookback: number;
  /** Mean-reversion state decay λ per bar. @default 0.75 */
  readonly meanrevDecay: number;
  /** Order-flow window in bars. @default 24 */
  readonly orderflowWindow: number;
}

export const DEFAULT_SIGNAL_PARAMS: SignalParams = {
  volWindow: 168, tsmomHorizons: [24, 72, 168], xsmomLookback: 72, meanrevDecay: 0.75, orderflowWindow: 24,
};

/** Bars a symbol needs before every built-in signal is defined. */
export const signalWarmup = (p: SignalParams): number => Math.max(p.volWindow + 1, ...p.tsmomHorizons.map((h) => h + 1), p.xsmomLookback + 1, p.orderflowWindow);

/** One symbol's inputs, oldest first. */
export interface SymbolInputs {
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly takerBuy: Float64Array;
  readonly funding: Float64Array;
  readonly extra: ReadonlyMap<string, Float64Array>;
}

/** A signal name is a built-in or `xsz:COLUMN` / `xsrank:COLUMN` of an extra panel column. */
export function checkSignalName(name: string, available: ReadonlySet<string>): void {
  if ((BUILTIN_SIGNALS as readonly string[]).includes(name)) {
    if (name === 'onchain' && !available.has('onchain')) throw new UserError("signal 'onchain' needs an on-chain flow file (--onchain PATH with ts,symbol,value)", '--signals');
    return;
  }
  const m = /^xs(z|rank):(.+)$/.exec(name);
  if (m && available.has(m[2]!)) return;
  if (m) throw new UserError(`no column '${m[2]}' to rank (extra columns: ${[...available].join(', ') || 'none'})`, '--signals');
  throw new UserError(`unknown signal '${name}' (signals: ${BUILTIN_SIGNALS.join(', ')}, xsz:COLUMN, xsrank:COLUMN)`, '--signals');
}

/** Raw (pre-cross-section) value of one signal for one symbol. */
export function rawSignal(name: string, x: SymbolInputs, p: SignalParams, vol: Float64Array, ret: Float64Array): Float64Array {
  switch (name) {
    case 'tsmom': return timeSeriesMomentum(x.close, vol, p.tsmomHorizons);
    case 'xsmom': return pastReturn(x.close, p.xsmomLookback);
    case 'meanrev': return meanReversion(ret, vol, p.meanrevDecay);
    case 'carry': return fundingCarry(x.funding, vol);
    case 'orderflow': return orderflowImbalance(x.volume, x.takerBuy, p.orderflowWindow);
    case 'onchain': return x.extra.get('onchain')!;
    default: return x.extra.get(name.slice(name.indexOf(':') + 1))!;
  }
}

/** Every named signal's raw per-symbol values, as T×N matrices. */
export function rawSignals(panel: Panel, names: readonly string[], p: SignalParams): Map<string, Float64Array> {
  const N = panel.symbols.length;
  const T = panel.ts.length;
  const out = new Map(names.map((n) => [n, new Float64Array(T * N)] as const));
  for (let i = 0; i < N; i++) {
    const inputs: SymbolInputs = {
      close: column(panel.close, N, i), volume: column(panel.volume, N, i), takerBuy: column(panel.takerBuy, N, i),
      funding: column(panel.funding, N, i), extra: new Map([...panel.extra].map(([k, m]) => [k, column(m, N, i)])),
    };
    const ret = logReturns(inputs.close);
    const vol = rollingSd(ret, p.volWindow);
    for (const name of names) setColumn(out.get(name)!, N, i, rawSignal(name, inputs, p, vol, ret));
  }
  return out;
}

/** Make raw signals cross-sectional: rank (xsmom, xsrank:) or clipped z-score, then one common z scale. */
export function crossSectionalSignals(raw: ReadonlyMap<string, Float64Array>, n: number, member: Uint8Array): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const [name, x] of raw) {
    const first = name === 'xsmom' || name.startsWith('xsrank:') ? crossSectionalRank(x, n, member) : x;
    out.set(name, crossSectionalZ(first, n, member));
  }
  return out;
}

/** Signals of a panel over its universe: raw kernels then the cross-sectional step. */
export function buildSignals(panel: Panel, names: readonly string[], member: Uint8Array, p: SignalParams = DEFAULT_SIGNAL_PARAMS): Map<string, Float64Array> {
  const available = new Set(panel.extra.keys());
  for (const name of names) checkSignalName(name, available);
  return crossSectionalSignals(rawSignals(panel, names, p), panel.symbols.length, member);
}
