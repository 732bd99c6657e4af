/**
 * The head of a paper session (head.json, docs/paper.md "State"): what the loop commits after every
 * bar — positions, cash, open orders, equity, drawdown, risk mode, per-model P&L, feed health, how
 * long each log was at the commit, and which checkpoint the full state (model state included) can
 * be rebuilt from. The dashboard and `paper status` read it; a resumed loop checks its rebuilt book
 * against it.
 */
import { RISK_MODES, type RiskMode } from '../risk/types.js';
import type { OrderRecord } from '../execution/types.js';
import type { Trader } from '../engine/trader.js';
import type { SimulatedVenue } from '../execution/simulated-venue.js';
import type { LogName } from './files.js';

export const HEAD_FORMAT = 1;

export type PaperStatus = 'running' | 'paused' | 'stopped' | 'finished' | 'killed' | 'failed';

export interface PositionRow {
  readonly symbol: string;
  readonly qty: number;
  readonly mark: number;
  readonly value: number;
  /** P&L of the asset since the start: Σ cash flows (fills, fees, funding, borrow) + qty × mark. */
  readonly pnl: number;
}

export interface DriftRow {
  /** What the paper book is compared with. */
  readonly against: string;
  readonly navDiff: number;
  /** Σ |qty difference| × mark over symbols. */
  readonly positionDiff: number;
}

export interface PaperHead {
  readonly format: typeof HEAD_FORMAT;
  readonly id: string;
  readonly status: PaperStatus;
  /** Last clock step processed (−1: none). */
  readonly step: number;
  /** Recorded bars processed / in the replay window. */
  readonly bars: number;
  readonly totalBars: number;
  /** Close time of the last bar (epoch ms UTC), null before the first. */
  readonly t: number | null;
  /** Wall time of this commit (epoch ms; shell layer: only the dashboard reads it). */
  readonly wallAt: number;
  /** Feed lag: how far the bar clock is behind where the pace says it should be (ms of bar time; 0 at max speed). */
  readonly lagMs: number;
  readonly nav: number;
  readonly cash: number;
  readonly gross: number;
  readonly drawdown: number;
  readonly peak: number;
  readonly mode: RiskMode;
  readonly positions: readonly PositionRow[];
  readonly openOrders: readonly OrderRecord[];
  readonly models: readonly { readonly name: string; readonly pnl: number }[];
  readonly orders: number;
  readonly fills: number;
  readonly closedTrades: number;
  readonly errors: number;
  readonly drift: DriftRow;
  /** The step of the checkpoint the state is rebuilt from (−1: none yet, rebuild from the start). */
  readonly checkpointStep: number;
  /** The checkpoint file (two alternate, so the one a head names is never being written). */
  readonly checkpoint: string;
  readonly logs: Readonly<Record<LogName, number>>;
  readonly killReason?: string;
  readonly message?: string;
}

/** The numbers of a head that a rebuilt Trader must reproduce (cash and positions, exactly). */
export function bookOf(trader: Trader<SimulatedVenue>): { cash: number; positions: number[] } {
  const a = trader.broker.account;
  return { cash: a.cash, positions: Array.from(a.position) };
}

export interface HeadExtras {
  readonly id: string;
  readonly status: PaperStatus;
  readonly wallAt: number;
  readonly lagMs: number;
  readonly openOrders: readonly OrderRecord[];
  readonly errors: number;
  readonly drift: DriftRow;
  readonly checkpointStep: number;
  readonly checkpoint: string;
  readonly logs: Readonly<Record<LogName, number>>;
  readonly killReason?: string;
  readonly message?: string;
}

/** The head for the Trader's state now. */
export function headOf(trader: Trader<SimulatedVenue>, extras: HeadExtras): PaperHead {
  const { prep, input, progress, mark, broker } = trader;
  const a = broker.account;
  const positions: PositionRow[] = [];
  let value = 0;
  let gross = 0;
  input.symbols.forEach((sym, s) => {
    const qty = a.position[s]!;
    const m = mark[s]!;
    const v = qty !== 0 ? qty * m : 0;
    value += v;
    gross += Math.abs(v);
    if (qty !== 0 || a.cashByAsset[s] !== 0) positions.push({ symbol: sym.symbol, qty, mark: m, value: v, pnl: a.cashByAsset[s]! + v });
  });
  const nav = a.cash + value;
  const recorded = progress.lastStep >= prep.kStart ? progress.lastStep - prep.kStart : -1;
  const t = progress.lastStep >= 0 ? prep.clock.times[progress.lastStep]! + prep.clock.offset : null;
  const models = input.models.map((m, i) => ({ name: m.model.name, pnl: recorded >= 0 ? trader.series.pnlM[i]![recorded]! : 0 }));
  return {
    format: HEAD_FORMAT,
    id: extras.id,
    status: extras.status,
    step: progress.lastStep,
    bars: recorded + 1,
    totalBars: prep.kEnd - prep.kStart + 1,
    t,
    wallAt: extras.wallAt,
    lagMs: extras.lagMs,
    nav,
    cash: a.cash,
    gross: nav > 0 ? gross / nav : 0,
    drawdown: progress.peak > 0 ? Math.max(0, 1 - nav / progress.peak) : 0,
    peak: progress.peak,
    mode: RISK_MODES[progress.mode] ?? 'NORMAL',
    positions,
    openOrders: extras.openOrders,
    models,
    orders: broker.orders.length,
    fills: broker.fills.length,
    closedTrades: a.trades.closed.length,
    errors: extras.errors,
    drift: extras.drift,
    checkpointStep: extras.checkpointStep,
    checkpoint: extras.checkpoint,
    logs: extras.logs,
    ...(extras.killReason !== undefined ? { killReason: extras.killReason } : {}),
    ...(extras.message !== undefined ? { message: extras.message } : {}),
  };
}
