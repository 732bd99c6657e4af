/**
 * The tables of a run export (docs/reports.md lists every column): fills, orders, trades, equity,
 * positions and per-model equity, as ColumnTables (time columns in epoch ms, written as ISO 8601
 * UTC in CSV). Column order is part of the format: the names the issue fixed come first.
 */
import type { ColumnTable } from '../core/table.js';
import type { RunData } from './run-data.js';

/** Build a ColumnTable from named columns (numbers → Float64Array, text → string[]). */
function tableOf(n: number, cols: Record<string, (i: number) => number | string | null>): ColumnTable {
  const columns: Record<string, Float64Array | string[]> = {};
  for (const [name, get] of Object.entries(cols)) {
    const first = n > 0 ? get(0) : 0;
    const numeric = typeof first === 'number' || (first === null && n > 0 && [...Array(n).keys()].some((i) => typeof get(i) === 'number'));
    if (numeric || n === 0) {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = get(i);
        a[i] = v === null ? NaN : Number(v);
      }
      columns[name] = a;
    } else columns[name] = Array.from({ length: n }, (_, i) => String(get(i) ?? ''));
  }
  return { length: n, columns };
}

/** Model a fill, order or trade belongs to: the order's model (stops), the one model of a single run, else the net portfolio. */
export function ownerOf(run: RunData, model: string | null | undefined): string {
  if (model) return model;
  return run.models.length === 1 ? run.models[0]!.name : 'portfolio';
}

/** Clock steps t with from < t ≤ to (bars a trade was held: its entry bar to the bar before its exit fill). */
export function stepsBetween(ts: Float64Array, from: number, to: number): number {
  const upper = (x: number): number => {
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return upper(to) - upper(from);
}

export function fillsTable(run: RunData): ColumnTable {
  const f = run.fills;
  const modelOf = new Map(run.orders.map((o) => [o.id, o.model] as const));
  return tableOf(f.length, {
    ts: (i) => f[i]!.ts,
    symbol: (i) => f[i]!.symbol,
    side: (i) => (f[i]!.qty > 0 ? 'buy' : 'sell'),
    qty: (i) => Math.abs(f[i]!.qty),
    price: (i) => f[i]!.price,
    fee: (i) => f[i]!.fee,
    slippage: (i) => f[i]!.slippage,
    impact: (i) => f[i]!.impact,
    model: (i) => ownerOf(run, modelOf.get(f[i]!.orderId)),
    order_id: (i) => f[i]!.orderId,
    ref_price: (i) => f[i]!.refPrice,
    notional: (i) => f[i]!.notional,
    liquidity: (i) => f[i]!.liquidity,
    gap: (i) => String(f[i]!.gap),
    type: (i) => f[i]!.type,
    reason: (i) => f[i]!.reason,
    booked_ts: (i) => f[i]!.bookedTs,
  });
}

export function ordersTable(run: RunData): ColumnTable {
  const o = run.orders;
  return tableOf(o.length, {
    order_id: (i) => o[i]!.id,
    symbol: (i) => o[i]!.symbol,
    side: (i) => (o[i]!.qty > 0 ? 'buy' : 'sell'),
    qty: (i) => Math.abs(o[i]!.qty),
    type: (i) => o[i]!.type,
    price: (i) => o[i]!.price,
    status: (i) => o[i]!.status,
    placed_ts: (i) => o[i]!.placedAt,
    closed_ts: (i) => o[i]!.closedAt,
    reason: (i) => o[i]!.reason,
    filled_qty: (i) => Math.abs(o[i]!.filled),
    model: (i) => ownerOf(run, o[i]!.model),
  });
}

export function tradesTable(run: RunData): ColumnTable {
  const t = run.trades;
  const ts = run.equity.ts;
  const last = ts.length ? ts[ts.length - 1]! : 0;
  return tableOf(t.length, {
    symbol: (i) => t[i]!.symbol,
    side: (i) => t[i]!.side,
    entry_ts: (i) => t[i]!.entryTs,
    exit_ts: (i) => t[i]!.exitTs,
    entry_price: (i) => t[i]!.entryPrice,
    exit_price: (i) => t[i]!.exitPrice,
    qty: (i) => t[i]!.maxQty,
    pnl: (i) => t[i]!.pnl,
    return: (i) => t[i]!.pnl / (t[i]!.entryPrice * t[i]!.maxQty),
    bars_held: (i) => stepsBetween(ts, t[i]!.entryTs, t[i]!.exitTs ?? last),
    model: () => ownerOf(run, null),
    open: (i) => String(t[i]!.exitTs === null),
    fees: (i) => t[i]!.fees,
    funding: (i) => t[i]!.funding,
    borrow: (i) => t[i]!.borrow,
  });
}

export function equityTable(run: RunData): ColumnTable {
  const e = run.equity;
  return tableOf(e.ts.length, {
    ts: (i) => e.ts[i]!,
    nav: (i) => e.nav[i]!,
    cash: (i) => e.cash[i]!,
    gross_exposure: (i) => e.gross[i]!,
    net_exposure: (i) => e.net[i]!,
    drawdown: (i) => e.drawdown[i]!,
    risk_mode: (i) => e.mode[i]!,
    benchmark: (i) => run.benchmark.value[i]! * run.initialCapital,
  });
}

/** Signed position of each symbol at each step, from the fills in booking order. */
export function positionsOnClock(run: RunData): Float64Array[] {
  const steps = run.equity.ts.length;
  const index = new Map(run.symbols.map((s, i) => [s, i] as const));
  const out = run.symbols.map(() => new Float64Array(steps));
  const order = run.fills.map((_, i) => i).sort((a, b) => run.fills[a]!.bookedTs - run.fills[b]!.bookedTs || a - b);
  const q = new Float64Array(run.symbols.length);
  let next = 0;
  for (let k = 0; k < steps; k++) {
    while (next < order.length && run.fills[order[next]!]!.bookedTs <= run.equity.ts[k]!) {
      const f = run.fills[order[next]!]!;
      q[index.get(f.symbol)!]! += f.qty;
      next++;
    }
    for (let s = 0; s < q.length; s++) out[s]![k] = q[s]!;
  }
  return out;
}

/** One row per step and held symbol: quantity, mark, value and weight of NAV. */
export function positionsTable(run: RunData): ColumnTable {
  const q = positionsOnClock(run);
  const rows: [number, number][] = [];
  for (let k = 0; k < run.equity.ts.length; k++) for (let s = 0; s < q.length; s++) if (Math.abs(q[s]![k]!) > 1e-12) rows.push([k, s]);
  return tableOf(rows.length, {
    ts: (i) => run.equity.ts[rows[i]![0]]!,
    symbol: (i) => run.symbols[rows[i]![1]]!,
    qty: (i) => q[rows[i]![1]]![rows[i]![0]]!,
    price: (i) => run.marks[rows[i]![1]]![rows[i]![0]]!,
    value: (i) => q[rows[i]![1]]![rows[i]![0]]! * run.marks[rows[i]![1]]![rows[i]![0]]!,
    weight: (i) => (q[rows[i]![1]]![rows[i]![0]]! * run.marks[rows[i]![1]]![rows[i]![0]]!) / run.equity.nav[rows[i]![0]]!,
  });
}

/** Per-model equity: one column per model, its budget share of capital plus its cumulative attributed P&L. */
export function modelEquityTable(run: RunData): ColumnTable {
  const cols: Record<string, (i: number) => number> = { ts: (i) => run.equity.ts[i]! };
  for (const m of run.models) cols[m.name] = (i) => m.budget * run.initialCapital + m.pnl[i]!;
  return tableOf(run.equity.ts.length, cols);
}

export const EXPORT_TABLES = {
  fills: fillsTable,
  orders: ordersTable,
  trades: tradesTable,
  equity: equityTable,
  positions: positionsTable,
  model_equity: modelEquityTable,
} as const;
