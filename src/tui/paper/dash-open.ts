/**
 * How `paper dash` asks the interactive shell to open the dashboard: its result carries a status
 * block titled 'paper dash' naming the session; the App (App.tsx) sees it and shows PaperDashApp
 * full screen until q / Esc. Headless, the same result prints one frame of the dashboard as text.
 */
import React from 'react';
import { renderToString } from 'ink';
import { status, text, type Block, type CommandResult } from '../../core/result.js';
import { DashSource } from './dash-data.js';
import { PaperDash } from './PaperDash.js';

export const DASH_BLOCK_TITLE = 'paper dash';

/** The session a `paper dash` result asks to open, if it is one. */
export function dashSessionOf(result: CommandResult): string | undefined {
  for (const b of result.blocks) if (b.kind === 'status' && b.title === DASH_BLOCK_TITLE) return b.fields.find((f) => f.name === 'session')?.value;
  return undefined;
}

/**
 * The blocks of `paper dash ID`: one frame at 120×40 without colour (the feed's age is measured at
 * the last commit, so the frame depends on the files only), and the status block that opens the
 * live dashboard in the interactive shell.
 */
export function dashBlocks(dataRoot: string, id: string, columns = 120, rows = 40): Block[] {
  const data = new DashSource(dataRoot, id).read();
  const frame = renderToString(React.createElement(PaperDash, { data, width: columns, height: rows, now: data.head?.wallAt ?? 0, colors: [] }), { columns });
  return [text(frame), status(DASH_BLOCK_TITLE, [{ name: 'session', value: id }])];
}
