/**
 * The first frame, drawn before anything heavy loads. `bin/edgelab.js` imports this file (Node
 * built-ins only, a few milliseconds) and draws a header and a working `edgelab> ` prompt on the
 * terminal's alternate screen at once; keys typed while Ink, React and the command registry load
 * are echoed here, and lines entered are kept. When the full screen is ready, run-interactive.tsx
 * takes the typed text over (takeEarlyInput), so nothing typed is lost (docs/shell.md, "Start-up").
 */
import { PROMPT_TEXT } from './prompt-text.js';

export interface EarlyInput {
  /** Lines entered (Enter) before the full screen was ready, oldest first. */
  readonly lines: readonly string[];
  /** What is on the prompt now. */
  readonly partial: string;
}

interface EarlyState {
  readonly lines: string[];
  partial: string;
  readonly onData: (chunk: Buffer) => void;
}

let early: EarlyState | undefined;

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H\u001b[2J';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

/** Redraw the prompt row: the prompt, the typed text, and a note of lines waiting. */
function drawPrompt(rows: number, state: EarlyState): void {
  const waiting = state.lines.length ? `   (${state.lines.length} line${state.lines.length === 1 ? '' : 's'} queued)` : '';
  process.stdout.write(`\u001b[${Math.max(1, rows - 1)};1H\u001b[2K${PROMPT_TEXT}${state.partial}\u001b[s\u001b[2m${waiting}\u001b[0m\u001b[u`);
}

/**
 * Draw the first frame and start echoing keys. Does nothing unless both ends are a terminal.
 * Ctrl+C or Ctrl+D before the shell is ready leaves at once.
 */
export function paintFirstFrame(version: string): boolean {
  if (early || !process.stdin.isTTY || !process.stdout.isTTY) return false;
  const rows = process.stdout.rows || 24;
  process.stdout.write(`${ENTER_ALT_SCREEN}\u001b[1medgelab\u001b[0m ${version} · starting: loading the shell and the demo data…`);
  const state: EarlyState = {
    lines: [],
    partial: '',
    onData: (chunk) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\u0003' || ch === '\u0004') {
          process.stdout.write(LEAVE_ALT_SCREEN);
          process.exit(ch === '\u0003' ? 130 : 0);
        }
        if (ch === '\r' || ch === '\n') {
          if (state.partial.trim() !== '') state.lines.push(state.partial.trim());
          state.partial = '';
        } else if (ch === '\u007f' || ch === '\b') state.partial = state.partial.slice(0, -1);
        else if (ch >= ' ') state.partial += ch;
      }
      drawPrompt(rows, state);
    },
  };
  early = state;
  drawPrompt(rows, state);
  process.stdin.setRawMode(true);
  process.stdin.on('data', state.onData);
  return true;
}

/** Stop echoing and hand over what was typed (empty when no first frame was drawn). */
export function takeEarlyInput(): EarlyInput {
  const state = early;
  if (!state) return { lines: [], partial: '' };
  early = undefined;
  // Not paused: Ink reads on (pausing here left Ink's reader idle in some terminals, e.g. tmux).
  process.stdin.off('data', state.onData);
  return { lines: [...state.lines], partial: state.partial };
}
