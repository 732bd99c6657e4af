/**
 * Session scripts (*.edgelab): one command per line, `#` comments and blank lines ignored. A line
 * ending in `# expect-error` is a deliberate bad input: it must fail (and a script run still passes).
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';

export interface ScriptLine {
  /** 1-based line number in the file. */
  readonly lineNo: number;
  readonly text: string;
  readonly expectError: boolean;
}

const EXPECT = /\s+#\s*expect-error\s*$/;

export function parseScript(source: string): ScriptLine[] {
  const out: ScriptLine[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const expectError = EXPECT.test(trimmed);
    out.push({ lineNo: i + 1, text: trimmed.replace(EXPECT, ''), expectError });
  });
  return out;
}

export function readScript(path: string): ScriptLine[] {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read script (${(err as NodeJS.ErrnoException).code ?? 'error'})`, path);
  }
  return parseScript(source);
}
