/**
 * `edgelab paper dash [ID]`: the paper dashboard in its own process, full screen on the terminal's
 * alternate buffer, attached to a session's files under the data root (the loop may run in a shell's
 * background job or another process). Resolves when the user leaves (q or Esc).
 */
import React from 'react';
import { render } from 'ink';
import { PaperDashApp } from './PaperDash.js';

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

export async function runDash(dataRoot: string, id: string): Promise<void> {
  const size = { columns: process.stdout.columns || 120, rows: process.stdout.rows || 40 };
  process.stdout.write(ENTER_ALT_SCREEN);
  let leave: () => void = () => undefined;
  const left = new Promise<void>((resolve) => (leave = resolve));
  const app = render(<PaperDashApp dataRoot={dataRoot} id={id} width={size.columns} height={size.rows} onExit={() => leave()} />, { exitOnCtrlC: true });
  process.stdout.on('resize', () => app.rerender(<PaperDashApp dataRoot={dataRoot} id={id} width={process.stdout.columns} height={process.stdout.rows} onExit={() => leave()} />));
  try {
    await Promise.race([left, app.waitUntilExit()]);
  } finally {
    app.unmount();
    process.stdout.write(LEAVE_ALT_SCREEN);
  }
}
