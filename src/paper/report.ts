/**
 * What the paper commands print (docs/paper.md): a session's head as result blocks — one summary
 * line, the book's numbers, positions with P&L, open orders, per-model P&L — and the list of
 * sessions under the data root. Only data-derived values: no wall times or absolute paths, so a
 * headless replay's transcript is the same on every machine.
 */
import { readdirSync, statSync } from 'node:fs';
import { metrics, table, text, type Block } from '../core/result.js';
import { isoUtc } from '../core/time.js';
import { resultDigest } from '../backtest/engine-digest.js';
import type { BacktestResult } from '../backtest/types.js';
import { paperPaths, paperRoot, readJson } from './files.js';
import type { PaperHead } from './head.js';
import type { PaperSpec } from './spec.js';

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

export function headLine(head: PaperHead): string {
  const when = head.t !== null ? isoUtc(head.t) : 'no bar yet';
  return `paper ${head.id} · ${head.status} · bar ${head.bars}/${head.totalBars} (${when}) · NAV ${round(head.nav)} · ${head.mode}${head.message ? ` · ${head.message}` : ''}`;
}

export function headBlocks(head: PaperHead, result: BacktestResult | null = null): Block[] {
  const blocks: Block[] = [text(headLine(head), head.status === 'failed' || head.status === 'killed' ? 'bad' : head.mode === 'NORMAL' ? 'info' : 'warn')];
  blocks.push(
    metrics(
      [
        { name: 'NAV', value: round(head.nav) },
        { name: 'cash', value: round(head.cash) },
        { name: 'gross', value: head.gross, unit: 'x', digits: 2 },
        { name: 'drawdown', value: head.drawdown, unit: '%', digits: 2 },
        { name: 'risk mode', value: head.mode },
        { name: 'orders', value: head.orders, unit: 'count' },
        { name: 'fills', value: head.fills, unit: 'count' },
        { name: 'closed trades', value: head.closedTrades, unit: 'count' },
        { name: 'errors', value: head.errors, unit: 'count' },
        ...(result ? [{ name: 'result digest', value: resultDigest(result).slice(0, 12) }] : []),
      ],
      'paper book',
    ),
  );
  if (head.positions.length) {
    blocks.push(table(['symbol', 'qty', 'mark', 'value', 'P&L'], head.positions.map((p) => [p.symbol, p.qty, round(p.mark, 4), round(p.value), round(p.pnl)]), 'positions'));
  }
  if (head.openOrders.length) {
    blocks.push(table(['id', 'symbol', 'qty', 'type', 'price', 'reason'], head.openOrders.map((o) => [o.id, o.symbol, o.qty, o.type, o.price, o.reason]), 'open orders'));
  }
  if (head.models.length > 1) blocks.push(table(['model', 'P&L'], head.models.map((m) => [m.name, round(m.pnl)]), 'P&L by model'));
  return blocks;
}

/**
 * Every paper session under the data root, oldest first (by when its spec.json was written: a
 * replay's id is a digest, paper-N only for live and venue sessions, docs/paper.md "Session ids"),
 * with its spec and head.
 */
export function listSessions(dataRoot: string): { id: string; spec: PaperSpec | undefined; head: PaperHead | undefined }[] {
  let names: string[];
  try {
    names = readdirSync(paperRoot(dataRoot), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  const started = new Map(names.map((n) => [n, statSync(paperPaths(dataRoot, n).spec, { throwIfNoEntry: false })?.mtimeMs ?? Infinity]));
  const number = (n: string): number => Number(/^paper-(\d+)$/.exec(n)?.[1] ?? Infinity);
  const ascending = (x: number, y: number): number => (x === y ? 0 : x < y ? -1 : 1);
  names.sort((a, b) => ascending(started.get(a)!, started.get(b)!) || ascending(number(a), number(b)) || a.localeCompare(b));
  return names.map((id) => {
    const p = paperPaths(dataRoot, id);
    return { id, spec: readJson<PaperSpec>(p.spec), head: readJson<PaperHead>(p.head) };
  });
}

/** The next free session id: paper-1, paper-2, … (the same in a replay on a fresh data root). */
export function nextSessionId(dataRoot: string): string {
  const taken = new Set(listSessions(dataRoot).map((s) => s.id));
  let n = 1;
  while (taken.has(`paper-${n}`)) n++;
  return `paper-${n}`;
}

/** `ID` or 'last' (the newest session) → an existing id. */
export function resolveSessionId(dataRoot: string, id: string | undefined): string | undefined {
  const all = listSessions(dataRoot);
  if (id === undefined || id === 'last') return all[all.length - 1]?.id;
  return all.find((s) => s.id === id)?.id ?? id;
}

export function sessionsTable(dataRoot: string): Block {
  const rows = listSessions(dataRoot).map(({ id, spec, head }) => [
    id, spec ? (spec.model ?? 'portfolio') : '?', spec?.mode === 'live' ? `live ${spec.live?.feed ?? ''}`.trim() : spec?.mode ?? '?', spec?.broker ?? '?', head?.status ?? 'starting', head ? `${head.bars}/${head.totalBars}` : '', head ? round(head.nav) : null, head?.mode ?? '',
  ]);
  return table(['id', 'trades', 'feed', 'broker', 'status', 'bars', 'NAV', 'risk'], rows, 'paper sessions');
}
