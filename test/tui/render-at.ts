/**
 * ink-testing-library renders at a fixed 100 columns; the shell's layouts are tested at 80×24 and
 * 120×40, so the fake stdout is given the size (Ink lays out to stdout.columns on every render)
 * and the App the same size through its `size` prop.
 */
import type React from 'react';
import { render } from 'ink-testing-library';

export interface Size {
  readonly columns: number;
  readonly rows: number;
}

export function renderAt(tree: React.ReactElement, size: Size): ReturnType<typeof render> {
  const r = render(tree);
  Object.defineProperty(r.stdout, 'columns', { get: () => size.columns, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { get: () => size.rows, configurable: true });
  r.rerender(tree);
  return r;
}

export const frame = (r: ReturnType<typeof render>): string => r.lastFrame() ?? '';

/** Keys as a terminal sends them. */
export const KEY = {
  enter: '\r',
  tab: '\t',
  up: '\u001b[A',
  down: '\u001b[B',
  left: '\u001b[D',
  right: '\u001b[C',
  pageUp: '\u001b[5~',
  pageDown: '\u001b[6~',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  ctrlT: '\u0014',
  end: '\u001b[F',
  backspace: '\u007f',
  escape: '\u001b',
} as const;
