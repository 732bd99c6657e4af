/**
 * The paper dashboard (`paper dash`, docs/paper.md "Dashboard"): full screen, two columns —
 * equity and drawdown over orders and fills on the left; positions over risk / models / drift /
 * feed / errors on the right — under a header with the feed's health and the risk badge (NORMAL
 * green, REDUCED yellow, HALT red), over a line of keys.
 *
 * `PaperDash` draws one DashData (pure: tests render it at fixed sizes). `PaperDashApp` follows a
 * session's files at a bounded rate (`refreshMs`, default 250 ms: at most four frames a second,
 * however fast bars arrive) and handles the keys: p pause, r resume, k then y the kill switch,
 * q or Esc leaves.
 */
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { Pane } from '../Pane.js';
import { CHART_COLORS } from '../chart.js';
import { RISK_MODE_COLORS } from '../RiskPane.js';
import { truncate } from '../text-fit.js';
import { paperPaths } from '../../paper/files.js';
import { engageKill, writeControl } from '../../paper/control.js';
import { DashSource, type DashData } from './dash-data.js';
import { equityLines, headerParts, orderLines, positionLines, statusLines } from './dash-lines.js';

export interface PaperDashProps {
  readonly data: DashData;
  readonly width: number;
  readonly height: number;
  /** Wall time now (feed age). */
  readonly now: number;
  readonly notice?: string;
  readonly colors?: readonly string[];
}

const TONE_COLORS: Readonly<Record<string, string>> = { bad: 'red', warn: 'yellow', info: 'cyan' };

function Lines({ lines }: { readonly lines: readonly string[] }): React.JSX.Element {
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l}
        </Text>
      ))}
    </Box>
  );
}

export function PaperDash({ data, width, height, now, notice, colors = CHART_COLORS }: PaperDashProps): React.JSX.Element {
  const body = Math.max(4, height - 2);
  const leftW = Math.floor(width * 0.58);
  const rightW = width - leftW;
  const eqH = Math.min(body - 3, Math.max(8, Math.floor(body * 0.6)));
  const ordH = body - eqH;
  const posH = Math.max(3, Math.floor(body * 0.4));
  const stH = body - posH;
  const head = headerParts(data, now);
  const keys = '[p]ause [r]esume [k]ill [q]uit';
  const status = statusLines(data, rightW - 2, stH - 2);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold>{truncate(head.left, width)}</Text>
        {head.mode ? <Text backgroundColor={RISK_MODE_COLORS[head.mode] ?? 'gray'} color="black" bold>{` ${head.mode} `}</Text> : null}
        <Text>{truncate(head.right, Math.max(0, width - head.left.length - head.mode.length - 2))}</Text>
      </Text>
      <Box flexDirection="row" height={body}>
        <Box flexDirection="column" width={leftW}>
          <Pane title="equity / drawdown" width={leftW} height={eqH}>
            <Lines lines={equityLines(data, leftW - 2, eqH - 2, colors)} />
          </Pane>
          <Pane title="orders & fills" width={leftW} height={ordH}>
            <Lines lines={orderLines(data, leftW - 2, ordH - 2)} />
          </Pane>
        </Box>
        <Box flexDirection="column" width={rightW}>
          <Pane title="positions" width={rightW} height={posH}>
            <Lines lines={positionLines(data, rightW - 2, posH - 2)} />
          </Pane>
          <Pane title="risk · models · drift" width={rightW} height={stH} borderColor={data.head ? (RISK_MODE_COLORS[data.head.mode] ?? 'gray') : 'gray'}>
            <Box flexDirection="column">
              {status.map(([t, tone], i) => (
                <Text key={i} wrap="truncate" {...(tone ? { color: TONE_COLORS[tone] } : {})}>
                  {t}
                </Text>
              ))}
            </Box>
          </Pane>
        </Box>
      </Box>
      <Text wrap="truncate" color="gray">
        {truncate(` ${keys}${notice ? ` · ${notice}` : ''}`, width)}
      </Text>
    </Box>
  );
}

export interface PaperDashAppProps {
  readonly dataRoot: string;
  readonly id: string;
  readonly width: number;
  readonly height: number;
  readonly refreshMs?: number;
  readonly onExit: () => void;
  /** Wall clock (the TUI layer's). */
  readonly now?: () => number;
  readonly colors?: readonly string[];
}

export function PaperDashApp({ dataRoot, id, width, height, refreshMs = 250, onExit, now = Date.now, colors }: PaperDashAppProps): React.JSX.Element {
  const source = useRef(new DashSource(dataRoot, id));
  const [data, setData] = useState<DashData>(() => source.current.read());
  const [clock, setClock] = useState(now());
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const confirming = useRef(false);
  useEffect(() => {
    const timer = setInterval(() => {
      setData(source.current.read());
      setClock(now());
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, now]);
  useInput((input, key) => {
    const paths = paperPaths(dataRoot, id);
    if (confirming.current) {
      confirming.current = false;
      if (input === 'y') {
        engageKill(paths, 'dashboard key k');
        setNotice('kill switch engaged');
      } else setNotice('kill cancelled');
      return;
    }
    if (input === 'q' || key.escape) onExit();
    else if (input === 'p') {
      writeControl(paths, { paused: true });
      setNotice('pause requested');
    } else if (input === 'r') {
      writeControl(paths, { paused: false });
      setNotice('resume requested');
    } else if (input === 'k') {
      confirming.current = true;
      setNotice('kill switch: press y to confirm, any other key cancels');
    }
  });
  return <PaperDash data={data} width={width} height={height} now={clock} {...(notice ? { notice } : {})} {...(colors ? { colors } : {})} />;
}
