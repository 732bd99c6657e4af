/**
 * The paper dashboard's text (pure functions of DashData and a size, so tests compare lines):
 * header, equity and drawdown, positions, orders and fills, and the status column (risk mode and
 * why, per-model P&L, drift against the simulated book, feed health, recent errors).
 */
import { isoUtc } from '../../core/time.js';
import { plotLines, drawdownSummary } from '../chart.js';
import { truncate } from '../text-fit.js';
import type { DashData, DashOrderLine } from './dash-data.js';

const money = (x: number): string => (Math.abs(x) >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x.toFixed(2));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const when = (t: number): string => isoUtc(t).slice(0, 16).replace('T', ' ');

/** Seconds or minutes, short. */
export function ago(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/** The header's parts (the risk mode is drawn as a coloured badge between them); the least needed last, so a narrow screen cuts those. */
export function headerParts(d: DashData, now: number): { left: string; mode: string; right: string } {
  const h = d.head;
  const feed = d.spec ? (d.spec.mode === 'replay' ? `replay ${d.spec.speed === null ? 'max' : `×${d.spec.speed}`}` : `live ${d.spec.live?.feed ?? ''}`.trim()) : '';
  const broker = d.spec && d.spec.broker !== 'sim' ? ` · ${d.spec.broker}` : '';
  if (!h) return { left: ` PAPER ${d.id}${feed ? ` · ${feed}` : ''}${broker} · waiting for the first bar`, mode: '', right: '' };
  const bar = h.t !== null ? `bar ${when(h.t)}` : 'no bar yet';
  return { left: ` PAPER ${d.id} `, mode: h.mode, right: ` ${h.status} · ${bar} · feed ${ago(now - h.wallAt)} ago · lag ${ago(h.lagMs)} · ${h.bars}/${h.totalBars} · ${feed}${broker}` };
}

export function equityLines(d: DashData, width: number, rows: number, colors: readonly string[]): string[] {
  if (d.nav.length < 2) return [truncate('no bars yet', width)];
  const ddLine = drawdownSummary(d.drawdown) ?? '';
  const chart = plotLines([d.nav], width, rows - 1, colors, { x: d.ts, kind: 'time' });
  return [...chart, truncate(`NAV ${money(d.nav[d.nav.length - 1]!)} · ${ddLine}`, width)].slice(0, rows);
}

export function positionLines(d: DashData, width: number, rows: number): string[] {
  const h = d.head;
  if (!h) return [];
  const held = h.positions.filter((p) => p.qty !== 0);
  const rowsOut = held.map((p) => [p.symbol, String(p.qty), money(p.value), money(p.pnl)]);
  if (rowsOut.length === 0) return [truncate(`flat · cash ${money(h.cash)}`, width), ...h.positions.slice(0, rows - 1).map((p) => truncate(`${p.symbol} realised P&L ${money(p.pnl)}`, width))];
  const head = ['symbol', 'qty', 'value', 'P&L'];
  const w = head.map((c, i) => Math.max(c.length, ...rowsOut.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]): string => truncate(r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  '), width);
  const lines = [fmt(head), ...rowsOut.map(fmt)];
  if (lines.length > rows) return [...lines.slice(0, rows - 1), truncate(`… ${lines.length - rows + 1} more`, width)];
  return [...lines, ...(lines.length < rows ? [truncate(`cash ${money(h.cash)} · gross ${h.gross.toFixed(2)}×`, width)] : [])];
}

function orderText(o: DashOrderLine): string {
  const side = (o.qty ?? 0) >= 0 ? 'BUY' : 'SELL';
  const qty = Math.abs(o.qty ?? 0);
  if (o.kind === 'order') return `${when(o.placedAt ?? 0)} order #${o.id} ${side} ${qty} ${o.symbol} ${o.type}${o.price !== null && o.price !== undefined ? ` @ ${o.price}` : ''} (${o.reason})`;
  const who = o.kind === 'venue_fill' ? `${o.venue} fill` : 'fill';
  return `${when(o.ts ?? 0)} ${who} #${o.orderId} ${side} ${qty} ${o.symbol} @ ${Number(o.price).toFixed(4)}`;
}

/** Newest first. */
export function orderLines(d: DashData, width: number, rows: number): string[] {
  if (d.orders.length === 0) return [truncate('no orders yet', width)];
  return d.orders.slice(-rows).reverse().map((o) => truncate(orderText(o), width));
}

/** Risk mode and why, models, drift, errors: [text, tone] per line. */
export function statusLines(d: DashData, width: number, rows: number): [string, 'bad' | 'warn' | 'info' | ''][] {
  const h = d.head;
  if (!h) return [];
  const out: [string, 'bad' | 'warn' | 'info' | ''][] = [];
  const dd = d.spec && (d.spec.model === null || d.spec.keepRisk) ? d.spec.config.backtest.risk.drawdown : undefined;
  const limits = dd ? ` (reduce ${pct(dd.reduce_at)}, halt ${pct(dd.halt_at)})` : '';
  out.push([`risk ${h.mode} · DD ${pct(h.drawdown)}${limits}`, h.mode === 'HALT' ? 'bad' : h.mode === 'REDUCED' ? 'warn' : '']);
  if (h.status === 'killed') out.push([`KILLED: ${h.killReason ?? 'kill switch'} · no trading`, 'bad']);
  else if (h.status === 'paused') out.push(['PAUSED · r resumes', 'warn']);
  for (const m of h.models) out.push([`${m.name} ${m.pnl >= 0 ? '+' : ''}${money(m.pnl)}`, '']);
  out.push([`drift ${h.drift.against}: NAV ${money(h.drift.navDiff)} · pos ${money(h.drift.positionDiff)}`, h.drift.positionDiff !== 0 ? 'warn' : '']);
  out.push([`orders ${h.orders} · fills ${h.fills} · trades ${h.closedTrades} · errors ${h.errors}`, h.errors > 0 ? 'warn' : '']);
  for (const e of d.errors.slice(-3).reverse()) out.push([`! ${e.kind}: ${e.message}`, 'bad']);
  return out.slice(0, rows).map(([t, tone]) => [truncate(t, width), tone]);
}
