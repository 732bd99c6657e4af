/**
 * While the full-screen shell is up, a library's console.log would tear the frame, so console
 * output is sent to the log pane instead (Ink's patchConsole prints above the frame, which in a
 * full-height screen scrolls it).
 */
import { format } from 'node:util';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';
const METHODS: readonly ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];

/** Send console.log/info/warn/error/debug to `sink` (formatted like console does) until the returned function is called. */
export function captureConsole(sink: (message: string) => void, target: Console = console): () => void {
  const saved = METHODS.map((m) => [m, target[m]] as const);
  for (const m of METHODS) target[m] = (...args: unknown[]) => sink(format(...args));
  return () => {
    for (const [m, fn] of saved) target[m] = fn;
  };
}
