/**
 * Fitting plain text into a width, counting code points like src/shell/format.ts does (box
 * drawing, ✓ ✗ · and block glyphs are one column each).
 */
import { displayWidth } from '../shell/format.js';

/** Cut to `width` columns, ending with … when something was cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(s) <= width) return s;
  return `${[...s].slice(0, width - 1).join('')}…`;
}

/** Hard-wrap one line to `width` columns (no line is ever lost). Tabs become two spaces. */
export function wrapLine(line: string, width: number): string[] {
  const chars = [...line.replace(/\t/g, '  ').trimEnd()];
  if (width <= 0 || chars.length <= width) return [chars.join('')];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
  return out;
}

/** Wrap multi-line text. */
export const wrapText = (text: string, width: number): string[] => text.split('\n').flatMap((l) => wrapLine(l, width));

/** Pad or cut to exactly `width` columns. */
export function fit(s: string, width: number): string {
  const t = truncate(s, width);
  return t + ' '.repeat(Math.max(0, width - displayWidth(t)));
}
