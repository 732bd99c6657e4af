/** The Ink TUI: the interactive shell and the pieces it is built from. */
export { runInteractive, type RunInteractiveOptions } from './run-interactive.js';
export { App, type AppProps } from './App.js';
export { Table, fitWidths, type TableProps } from './Table.js';
export { Pane } from './Pane.js';
export { Log } from './Log.js';
export { GatesPane, gatesRows } from './GatesPane.js';
export { EquityPane, equityLines } from './EquityPane.js';
export { RiskPane, RISK_MODE_COLORS } from './RiskPane.js';
export { StatusBar, headerSegments, readiness } from './StatusBar.js';
export { Prompt, PROMPT } from './Prompt.js';
export { ProgressLine, progressBar, progressText } from './ProgressLine.js';
export { ErrorBoundary } from './ErrorBoundary.js';
export { paneState, reducePanes, emptyPanes, type PaneState, type ExecutedLike } from './pane-state.js';
export { computeLayout, type Layout } from './layout.js';
export { logLines, entryLines, logWindow, type LogEntry, type LogLine } from './log-lines.js';
export { promptReducer, emptyPrompt, type PromptState, type PromptAction } from './prompt-state.js';
export { plotLines, fillGaps, drawdownSummary } from './chart.js';
export { useShell, type ShellDispatcher } from './use-shell.js';
