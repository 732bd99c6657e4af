/**
 * The screen between the header and the prompt: the log and the three panes, arranged by the
 * layout (side column when wide, a row under the log when folded, log only when tiny). Each part
 * has its own error boundary, keyed so the next result gets a fresh attempt.
 */
import React from 'react';
import { Box } from 'ink';
import type { Layout } from './layout.js';
import type { PaneState } from './pane-state.js';
import type { LogLine } from './log-lines.js';
import { ErrorBoundary } from './ErrorBoundary.js';
import { Log } from './Log.js';
import { GatesPane } from './GatesPane.js';
import { EquityPane } from './EquityPane.js';
import { RiskPane } from './RiskPane.js';

export interface BodyProps {
  readonly layout: Layout;
  readonly panes: PaneState;
  /** Every log display line, oldest first. */
  readonly lines: readonly LogLine[];
  /** Lines scrolled back from the end of the log. */
  readonly scroll: number;
}

export function Body({ layout, panes, lines, scroll }: BodyProps): React.JSX.Element {
  const key = panes.count;
  const log = (
    <ErrorBoundary key={`l${lines.length}`} name="log">
      <Log lines={lines} scroll={scroll} width={layout.log.width} height={layout.log.height} />
    </ErrorBoundary>
  );
  if (layout.mode === 'log-only') return log;
  const gates = (
    <ErrorBoundary key={`g${key}`} name="gates pane">
      <GatesPane state={panes.gates} width={layout.gates.width} height={layout.gates.height} />
    </ErrorBoundary>
  );
  const equityAndRisk = (
    <>
      <ErrorBoundary key={`e${key}`} name="equity pane">
        <EquityPane state={panes.equity} width={layout.equity.width} height={layout.equity.height} />
      </ErrorBoundary>
      <ErrorBoundary key={`r${key}`} name="risk pane">
        <RiskPane status={panes.status} width={layout.risk.width} height={layout.risk.height} />
      </ErrorBoundary>
    </>
  );
  if (layout.mode === 'wide') {
    return (
      <Box flexDirection="row" height={layout.log.height}>
        {log}
        <Box flexDirection="column" width={layout.gates.width}>
          {gates}
          {equityAndRisk}
        </Box>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      {log}
      <Box flexDirection="row" height={layout.gates.height}>
        {gates}
        <Box flexDirection="column">{equityAndRisk}</Box>
      </Box>
    </Box>
  );
}
