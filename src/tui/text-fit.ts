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

/**
 * Wrap one line to `width` columns, at a space when there is one in the second half of the
 * line, else mid-word; no character is lost except the space a line breaks at. Tabs become two
 * spaces.
 */
export function wrapLine(line: string, width: number): string[] {
  let chars = [...line.replace(/\t/g, '  ').trimEnd()];
  if (width <= 0 || chars.length <= width) return [chars.join('')];
  const out: string[] = [];
  while (chars.length > width) {
    let cut = width;
    for (let i = width; i > width / 2; i--) {
      if (chars[i] === ' ') {
        cut = i;
        break;
      }
    }
    out.push(chars.slice(0, cut).join('').trimEnd());
    chars = chars.slice(chars[cut] === ' ' ? cut + 1 : cut);
  }
  if (chars.length) out.push(chars.join(''));
  return out;
}

/** Wrap multi-line text. */
export const wrapText = (text: string, width: number): string[] => text.split('\n').flatMap((l) => wrapLine(l, width));

/** Pad or cut to exactly `width` columns. */
export function fit(s: string, width: number): string {
  const t = truncate(s, width);
  return t + ' '.repeat(Math.max(0, width - displayWidth(t)));
}
