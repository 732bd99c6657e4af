/**
 * The gates pane: the latest gates table. One gates block shows its gates (✓/✗, value,
 * threshold); several (e.g. one readiness gate per dataset) show one row per block, failing
 * blocks first, with the first failing gate and its reason.
 */
import React from 'react';
import { Text } from 'ink';
import type { Cell, GatesBlock } from '../core/result.js';
import type { GatesPaneState } from './pane-state.js';
import { Pane } from './Pane.js';
import { Table, type ScalarRecord } from './Table.js';

export interface GatesPaneProps {
  readonly state: GatesPaneState | undefined;
  /** Outer size, borders included. */
  readonly width: number;
  readonly height: number;
  /** The tab strip, when this pane takes turns with the others (it becomes the title). */
  readonly tabs?: string;
}

type Row = ScalarRecord & Record<string, Cell>;

/** Rows and columns the pane shows for a list of gates blocks (pure; used by tests). */
export function gatesRows(blocks: readonly GatesBlock[]): { columns: string[]; rows: Row[] } {
  if (blocks.length === 1) {
    const b = blocks[0]!;
    return {
      columns: ['ok', 'gate', 'value', 'threshold'],
      rows: b.gates.map((g) => ({ ok: g.pass ? '✓' : '✗', gate: g.name, value: g.value, threshold: g.threshold })),
    };
  }
  const rows = blocks.map((b) => {
    const failing = b.gates.find((g) => !g.pass);
    const passed = b.gates.length - b.gates.filter((g) => !g.pass).length;
    return {
      ok: failing ? '✗' : '✓',
      set: b.title,
      pass: `${passed}/${b.gates.length}`,
      failing: failing ? `${failing.name}${failing.reason ? `: ${failing.reason}` : ''}` : '',
    };
  });
  // Failing first so a problem is visible in a short pane; otherwise keep the command's order.
  rows.sort((a, b) => (a.ok === b.ok ? 0 : a.ok === '✗' ? -1 : 1));
  return { columns: ['ok', 'set', 'pass', 'failing'], rows };
}

const okColor = (column: string, value: Cell): string | undefined =>
  column !== 'ok' ? undefined : value === '✓' ? 'green' : value === '✗' ? 'red' : undefined;

export function GatesPane({ state, width, height, tabs }: GatesPaneProps): React.JSX.Element | null {
  const inner = { width: width - 2, height: height - 2 };
  if (!state) {
    return (
      <Pane title={tabs ?? 'gates'} {...(tabs ? { note: 'gates' } : {})} width={width} height={height}>
        <Text color="gray" wrap="truncate">
          no gates yet (from discovery, data checks)
        </Text>
      </Pane>
    );
  }
  const { columns, rows } = gatesRows(state.blocks);
  const passed = state.blocks.reduce((n, b) => n + b.gates.filter((g) => g.pass).length, 0);
  const total = state.blocks.reduce((n, b) => n + b.gates.length, 0);
  const title = state.blocks.length === 1 ? `gates · ${state.blocks[0]!.title}` : `gates · ${state.blocks.length} sets`;
  const room = Math.max(0, inner.height - 1);
  const shown = rows.length > room ? rows.slice(0, Math.max(0, room - 1)) : rows;
  const more = rows.length - shown.length;
  return (
    <Pane title={tabs ?? title} note={tabs ? `${title} · ${passed}/${total} pass` : `${passed}/${total} pass`} width={width} height={height} borderColor={passed === total ? 'gray' : 'yellow'}>
      <Table data={shown} columns={columns} maxWidth={inner.width} cellColor={okColor} />
      {more > 0 ? (
        <Text color="gray" wrap="truncate">
          … {more} more (see log)
        </Text>
      ) : null}
    </Pane>
  );
}
