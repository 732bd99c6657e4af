/**
 * Start the interactive shell on the real terminal and resolve when the user quits.
 *
 * The screen uses the terminal's alternate buffer (like less or vim) so quitting gives the user
 * their scrollback back; Ink's own Ctrl+C exit is off because Ctrl+C cancels jobs here; console
 * output from libraries is routed into the log instead of tearing the frame.
 */
import React from 'react';
import { render, Text, useApp, useInput } from 'ink';
import type { Dispatcher } from '../shell/dispatcher.js';
import { appendHistory, loadHistory, resolveHistoryPath } from '../shell/history-file.js';
import { App } from './App.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { captureConsole } from './console-capture.js';
import type { EarlyInput } from './first-paint.js';

export interface RunInteractiveOptions {
  readonly dispatcher: Dispatcher;
  /** Lines run first, shown in the log (the CLI passes `ingest synthetic`). */
  readonly startupLines: readonly string[];
  /** Prompt history file; `~` is expanded. */
  readonly historyFile: string;
  readonly header: { readonly sessionId: string; readonly resultsDb: string };
  /** What was typed on the first frame (first-paint.ts): its lines run after the startup lines. */
  readonly early?: EarlyInput;
}

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

/** Shown if the App itself fails to render: says so and quits on any key. */
function Fatal(): React.JSX.Element {
  const { exit } = useApp();
  useInput(() => exit());
  return <Text color="red">press any key to leave the shell</Text>;
}

export async function runInteractive(opts: RunInteractiveOptions): Promise<void> {
  const historyPath = resolveHistoryPath(opts.historyFile);
  let history = loadHistory(historyPath);

  const listeners = new Set<(m: string) => void>();
  const early: string[] = [];
  const restoreConsole = captureConsole((m) => {
    if (listeners.size === 0) early.push(m);
    for (const fn of listeners) fn(m);
  });
  const externalLog = {
    subscribe(fn: (m: string) => void): () => void {
      listeners.add(fn);
      for (const m of early.splice(0)) fn(m);
      return () => listeners.delete(fn);
    },
  };

  const tty = process.stdout.isTTY === true;
  if (tty) process.stdout.write(ENTER_ALT_SCREEN);
  const instance = render(
    <ErrorBoundary name="edgelab shell" fallback={<Fatal />}>
      <App
        dispatcher={opts.dispatcher}
        startupLines={opts.startupLines}
        typedLines={opts.early?.lines ?? []}
        initialInput={opts.early?.partial ?? ''}
        history={history}
        onHistoryAdd={(line) => {
          history = appendHistory(historyPath, history, line);
        }}
        header={{ ...opts.header, version: opts.dispatcher.session.provenance.version }}
        externalLog={externalLog}
      />
    </ErrorBoundary>,
    { exitOnCtrlC: false, patchConsole: false, maxFps: 30 },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    restoreConsole();
    if (tty) process.stdout.write(LEAVE_ALT_SCREEN);
  }
}
