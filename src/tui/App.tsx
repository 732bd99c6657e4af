/**
 * The interactive shell screen (TUI.md): header, log, gates / equity / risk panes, prompt and the
 * job line. All keys go through one input handler here; editing rules are in prompt-state.ts,
 * job running in use-shell.ts, geometry in layout.ts.
 */
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, type Key } from 'ink';
import { complete, type Completion } from '../shell/complete.js';
import { pushHistory } from '../shell/history-file.js';
import { RunIdCache, storeRunIdReader } from '../shell/run-id-cache.js';
import { resultsDbPath } from '../store/path.js';
import { CHROME_ROWS, computeLayout, type PaneId } from './layout.js';
import { logLines } from './log-lines.js';
import { emptyPrompt, promptReducer, type PromptAction, type PromptState } from './prompt-state.js';
import { useShell, type LiveBoardView, type ShellDispatcher } from './use-shell.js';
import type { LiveBoard } from '../shell/live-board.js';
import type { BoardClock } from './leaderboard-lines.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';
import { StatusBar } from './StatusBar.js';
import { Body, nextStacked, nextTab, tabIds } from './Body.js';
import { TableView } from './TableView.js';
import { latestTables, moveView, openView, viewportOf, type TableViewKey, type TableViewState } from './table-view.js';
import { Prompt } from './Prompt.js';
import { ProgressLine } from './ProgressLine.js';
import { CONFIRM_HINT, ConfirmDialog } from './ConfirmDialog.js';
import { truncate } from './text-fit.js';
import { splitInput } from './keys.js';
import { PaperDashApp } from './paper/PaperDash.js';
import { dashSessionOf } from './paper/dash-open.js';

export interface AppProps {
  readonly dispatcher: ShellDispatcher;
  /** Lines run before the prompt takes input (e.g. `ingest synthetic` for the demo data). */
  readonly startupLines?: readonly string[];
  /** Prompt history from earlier sessions, oldest first. */
  readonly history?: readonly string[];
  /** Called with each line the user submits (persist it). */
  readonly onHistoryAdd?: (line: string) => void;
  readonly header: { readonly sessionId: string; readonly resultsDb: string; readonly version?: string };
  /** Fixed terminal size (tests); default: the real terminal, following resizes. */
  readonly size?: TerminalSize;
  /** Called when the user quits (`exit`, Ctrl+D, Ctrl+C twice), before the app unmounts. */
  readonly onExit?: () => void;
  /** How often progress and job log lines are drawn, in ms. @default 250 */
  readonly throttleMs?: number;
  /** Text already typed on the first frame, before the App was ready (first-paint.ts). */
  readonly initialInput?: string;
  /** Lines entered on the first frame: they run after the startup lines and enter the prompt history like any typed line. */
  readonly typedLines?: readonly string[];
  /** Lines written outside the shell (console output) to show in the log. */
  readonly externalLog?: { subscribe(fn: (message: string) => void): () => void };
}

const BANNER = 'help lists commands · Tab completes · ↑↓ history · Ctrl+D quits';

export function App({ dispatcher, startupLines = [], history: initialHistory = [], onHistoryAdd, header, size, onExit, throttleMs = 250, externalLog, initialInput = '', typedLines = [] }: AppProps): React.JSX.Element {
  const { exit } = useApp();
  const term = useTerminalSize(size);
  const layout = computeLayout(term.columns, term.rows);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const quitRef = useRef<() => void>(() => {});
  const runIdsRef = useRef<RunIdCache | undefined>(undefined);
  const shell = useShell(dispatcher, {
    throttleMs,
    onExecuted: (executed) => {
      setNotice(undefined);
      runIdsRef.current?.invalidate(); // the line may have stored a run
      // `paper dash` opens the paper dashboard full screen (src/tui/paper, docs/paper.md)
      const dashId = executed.result.status === 'ok' ? dashSessionOf(executed.result) : undefined;
      if (dashId !== undefined) showDash(dashId);
      if (!executed.exit) return true;
      quitRef.current();
      return false;
    },
  });

  // State read by the key handler lives in refs too: keys can arrive faster than renders.
  const typedAhead: PromptState = { ...emptyPrompt, value: initialInput, cursor: initialInput.length };
  const [prompt, setPromptState] = useState<PromptState>(typedAhead);
  const promptRef = useRef<PromptState>(typedAhead);
  const edit = useCallback((a: PromptAction) => {
    promptRef.current = promptReducer(promptRef.current, a);
    setPromptState(promptRef.current);
  }, []);
  const historyRef = useRef<readonly string[]>(initialHistory);
  const [scroll, setScroll] = useState(0);
  const armedQuit = useRef(false);
  // The full-width table view (Ctrl+T) and the tab a tabbed layout shows (Shift+Tab; a newer
  // result brings its own pane to the front).
  const [tableView, setTableView] = useState<TableViewState | undefined>(undefined);
  const tableViewRef = useRef<TableViewState | undefined>(undefined);
  const showTable = (v: TableViewState | undefined): void => {
    tableViewRef.current = v;
    setTableView(v);
  };
  const [dash, setDash] = useState<string | undefined>(undefined);
  const dashRef = useRef<string | undefined>(undefined);
  const showDash = (id: string | undefined): void => {
    dashRef.current = id;
    setDash(id);
  };
  const [tabChoice, setTabChoice] = useState<{ readonly tab: PaneId; readonly count: number } | undefined>(undefined);
  const tab = tabChoice && tabChoice.count === shell.panes.count ? tabChoice.tab : undefined;
  const quitting = useRef(false);

  const lines = useMemo(() => logLines(shell.entries, layout.log.width - 2), [shell.entries, layout.log.width]);
  const logInner = Math.max(1, layout.log.height - 2);
  const maxScroll = Math.max(0, lines.length - logInner);
  const maxScrollRef = useRef(maxScroll);
  maxScrollRef.current = maxScroll;

  const quit = useCallback(() => {
    if (quitting.current) return;
    quitting.current = true;
    shell.cancel();
    onExit?.();
    exit();
  }, [shell, onExit, exit]);

  quitRef.current = quit;

  useEffect(() => {
    shell.note({ kind: 'message', text: BANNER, tone: 'info' });
    for (const line of startupLines) shell.submit(line);
    for (const line of typedLines) {
      historyRef.current = pushHistory(historyRef.current, line);
      onHistoryAdd?.(line);
      shell.submit(line);
    }
    // Startup runs once per mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => externalLog?.subscribe((m) => shell.note({ kind: 'message', text: m })), [externalLog, shell]);

  // Stored run ids for Tab, read in the background (never blocking the prompt); re-read after each line.
  const runIds = useMemo(() => new RunIdCache(storeRunIdReader(() => resultsDbPath(dispatcher.session))), [dispatcher]);
  runIdsRef.current = runIds;
  const completeLine = useCallback(
    (line: string): Completion =>
      complete(dispatcher.registry, dispatcher.session, line, {
        runIds: () => {
          const ids = runIds.ids();
          if (runIds.loaded) return ids;
          // First read still running: complete this line again when it lands, if it is unchanged.
          const off = runIds.onLoaded(() => {
            off();
            if (promptRef.current.value === line) edit({ type: 'complete', complete: completeLine });
          });
          return undefined;
        },
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [dispatcher, runIds],
  );

  const submit = (): void => {
    const line = promptRef.current.value.trim();
    edit({ type: 'clear' });
    setScroll(0);
    if (line === '') return;
    historyRef.current = pushHistory(historyRef.current, line);
    onHistoryAdd?.(line);
    const running = shell.job?.line;
    if (shell.submit(line)) {
      // The demo data loads behind the prompt: a line typed meanwhile says what it waits for.
      setNotice(running !== undefined && running === startupLines[0] ? `waiting for the demo data (${running}), then: ${line}` : `queued: ${line} (Ctrl+C cancels the job and the queue)`);
    }
  };

  const onKey = (input: string, key: Key): void => {
    const keys = splitInput(input, key);
    if (keys.length > 1) {
      for (const [i, k] of keys) onKey(i, k);
      return;
    }
    if (key.ctrl && input === 'c') {
      if (shell.busy()) {
        // A second Ctrl+C while the job is still stopping quits.
        if (shell.cancelRequested()) quit();
        else shell.cancel();
        return;
      }
      if (shell.cancelBackground()) return;
      if (armedQuit.current) return quit();
      armedQuit.current = true;
      edit({ type: 'clear' });
      setNotice('press Ctrl+C again to quit (or type exit)');
      return;
    }
    armedQuit.current = false;
    if (shell.question !== undefined) return confirmKey(input, key);
    if (dashRef.current !== undefined) return; // the dashboard has its own keys
    if (notice !== undefined) setNotice(undefined);
    if (tableViewRef.current) return tableKey(input, key, tableViewRef.current);
    if (key.ctrl && input === 't') {
      const found = latestTables(shell.entries);
      if (found) showTable(openView(found, layout.log.width - 4));
      else setNotice('no table to view yet (Ctrl+T shows the latest result\'s tables full width)');
      return;
    }
    if (key.ctrl && input === 'd') {
      if (promptRef.current.value === '') quit();
      else edit({ type: 'delete' });
      return;
    }
    const page = Math.max(1, logInner - 1);
    if (key.pageUp) return setScroll((s) => Math.min(maxScrollRef.current, s + page));
    if (key.pageDown) return setScroll((s) => Math.max(0, s - page));
    if (key.return) return submit();
    if (key.tab) {
      if (!key.shift) edit({ type: 'complete', complete: completeLine });
      else if (layout.tabbed) setTabChoice({ tab: nextTab(tab ?? shell.panes.focus ?? 'equity', tabIds(shell.panes)), count: shell.panes.count });
      else if (layout.mode === 'side' && shell.panes.learning) setTabChoice({ tab: nextStacked(tab ?? shell.panes.focus ?? 'equity'), count: shell.panes.count });
      return;
    }
    if (key.upArrow) return edit({ type: 'historyUp', history: historyRef.current });
    if (key.downArrow) return edit({ type: 'historyDown', history: historyRef.current });
    if (key.leftArrow) return edit({ type: 'left' });
    if (key.rightArrow) return edit({ type: 'right' });
    if (key.home) return edit({ type: 'home' });
    if (key.end) return edit({ type: 'end' });
    // Most terminals send DEL (0x7f) for Backspace and Ink reports it as `delete`: both erase left.
    if (key.backspace || key.delete) return edit({ type: 'backspace' });
    if (key.escape) return edit({ type: 'dismiss' });
    if (key.ctrl) {
      const ctrlActions: Record<string, PromptAction> = { a: { type: 'home' }, e: { type: 'end' }, u: { type: 'killBefore' }, k: { type: 'killAfter' }, w: { type: 'killWord' } };
      const action = ctrlActions[input];
      if (action) edit(action);
      else if (input === 'l') shell.clearLog();
      return;
    }
    if (key.meta) return;
    if (input) edit({ type: 'insert', text: input });
  };
  /** Keys while the confirm dialog is open: y says yes; n, Enter and Esc say no (the default); others are ignored. */
  const confirmKey = (input: string, key: Key): void => {
    if (input === 'y' || input === 'Y') shell.answer(true);
    else if (input === 'n' || input === 'N' || key.return || key.escape) shell.answer(false);
  };
  /** Keys while the table view is open: scroll it, switch tables, Esc / q closes it. */
  const tableKey = (input: string, key: Key, view: TableViewState): void => {
    if (key.escape || input === 'q') return showTable(undefined);
    const move: TableViewKey | undefined = key.upArrow ? 'up' : key.downArrow ? 'down' : key.leftArrow ? 'left' : key.rightArrow ? 'right' : key.pageUp ? 'pageUp' : key.pageDown ? 'pageDown' : key.home ? 'home' : key.end ? 'end' : key.tab ? (key.shift ? 'previous' : 'next') : undefined;
    if (move) showTable(moveView(view, move, viewportOf(layout.columns, layout.rows - CHROME_ROWS)));
  };
  // One stable subscription; it always calls the latest handler.
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  useInput(useCallback((input: string, key: Key) => onKeyRef.current(input, key), []));

  const uniqueHint = useMemo(() => {
    if (prompt.value === '' || prompt.cursor !== prompt.value.length) return undefined;
    const c = completeLine(prompt.value);
    return c.candidates.length === 1 && c.candidates[0] !== prompt.value.slice(c.start) ? c.candidates[0] : undefined;
  }, [prompt.value, prompt.cursor, completeLine]);

  const session = dispatcher.session;
  const job = shell.job;
  const live = liveOf(shell.board);
  let aux: React.ReactNode = <Text> </Text>;
  if (job) {
    aux = (
      <ProgressLine
        job={job.line}
        progress={shell.progress}
        elapsedSeconds={(Date.now() - job.startedAt) / 1000}
        frame={shell.tick}
        width={layout.columns}
        cancelling={job.cancelling}
      />
    );
  } else if (prompt.candidates.length > 0) {
    aux = (
      <Text color="gray" wrap="truncate">
        {truncate(`   ${prompt.candidates.join('  ')}`, layout.columns)}
      </Text>
    );
  } else if (shell.background.length > 0 && !notice) {
    const jobsText = shell.background.map((j) => `${j.label} ${j.fraction !== undefined ? `${Math.round(j.fraction * 100)}% ` : ''}${j.line}`).join(' · ');
    aux = (
      <Text color="gray" wrap="truncate">
        {truncate(` background: ${jobsText} (jobs lists them)`, layout.columns)}
      </Text>
    );
  } else if (notice) {
    aux = (
      <Text color="yellow" wrap="truncate">
        {' '}
        {notice}
      </Text>
    );
  }

  if (dash !== undefined) {
    return <PaperDashApp dataRoot={session.dataRoot} id={dash} width={layout.columns} height={layout.rows} onExit={() => setTimeout(() => showDash(undefined), 0)} />; // after this key reached both handlers
  }

  return (
    <Box flexDirection="column" width={layout.columns} height={layout.rows}>
      <StatusBar
        {...(header.version !== undefined ? { version: header.version } : {})}
        sessionId={header.sessionId}
        seed={session.seed}
        datasets={session.datasets}
        resultsDb={header.resultsDb}
        {...(job ? { job: job.line } : {})}
        {...(shell.progress?.fraction !== undefined ? { fraction: shell.progress.fraction } : {})}
        width={layout.columns}
      />
      {tableView ? (
        <TableView state={tableView} width={layout.columns} height={layout.rows - CHROME_ROWS} />
      ) : (
        <Body layout={layout} panes={shell.panes} lines={lines} scroll={Math.min(scroll, maxScroll)} {...(tab ? { tab } : {})} {...(live ? { live } : {})} />
      )}
      {shell.question !== undefined ? (
        <ConfirmDialog question={shell.question} width={layout.columns} />
      ) : (
        <Prompt
          value={prompt.value}
          cursor={prompt.cursor}
          width={layout.columns}
          busy={job !== undefined}
          {...(uniqueHint ? { completionHint: uniqueHint } : {})}
          {...(job && notice ? { message: notice } : {})}
        />
      )}
      {shell.question !== undefined ? (
        <Text color="gray" wrap="truncate">
          {truncate(CONFIRM_HINT, layout.columns)}
        </Text>
      ) : (
        aux
      )}
    </Box>
  );
}

/** The leaderboard pane's board and clock (the shell side reads the wall clock; commands never do). */
function liveOf(view: LiveBoardView | undefined): { board: LiveBoard; clock: BoardClock } | undefined {
  if (!view) return undefined;
  const elapsedSeconds = view.ended ? view.ended.elapsedSeconds : (Date.now() - view.startedAt) / 1000;
  return { board: view.board, clock: { elapsedSeconds, ...(view.fraction !== undefined ? { fraction: view.fraction } : {}), ...(view.ended ? { ended: view.ended.status } : {}) } };
}
