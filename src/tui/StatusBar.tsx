/**
 * The header line: session id, seed, datasets loaded and whether each passed its readiness gate,
 * where results live, and the running job. Segments are dropped from the right when the terminal
 * is narrow, never wrapped.
 */
import React from 'react';
import { Text } from 'ink';
import type { Dataset } from '../core/table.js';
import { displayWidth } from '../shell/format.js';
import { truncate } from './text-fit.js';

export interface StatusBarProps {
  readonly version?: string;
  readonly sessionId: string;
  readonly seed: number;
  readonly datasets: ReadonlyMap<string, Dataset>;
  readonly resultsDb: string;
  /** The running command line, if any. */
  readonly job?: string;
  /** Progress of the running job, 0..1, when known. */
  readonly fraction?: number;
  readonly width: number;
}

interface Segment {
  readonly text: string;
  readonly color?: string;
  readonly bold?: boolean;
}

/** Readiness of the loaded datasets: ready (gate passed), failing, unchecked (no gate). */
export function readiness(datasets: ReadonlyMap<string, Dataset>): { total: number; ready: number; failing: number; unchecked: number } {
  let ready = 0;
  let failing = 0;
  let unchecked = 0;
  for (const ds of datasets.values()) {
    if (!ds.gate) unchecked++;
    else if (ds.gate.pass) ready++;
    else failing++;
  }
  return { total: datasets.size, ready, failing, unchecked };
}

export function dataSegment(datasets: ReadonlyMap<string, Dataset>): Segment {
  const r = readiness(datasets);
  if (r.total === 0) return { text: 'data: none loaded', color: 'yellow' };
  const parts = [`${r.ready} ready`, ...(r.failing ? [`${r.failing} failing`] : []), ...(r.unchecked ? [`${r.unchecked} unchecked`] : [])];
  return { text: `data: ${r.total} set${r.total === 1 ? '' : 's'} (${parts.join(', ')})`, color: r.failing ? 'red' : r.unchecked ? 'yellow' : 'green' };
}

/** The segments that fit in `width` (the first one always, cut if it must be). */
export function headerSegments(p: StatusBarProps): Segment[] {
  const all: Segment[] = [
    { text: `edgelab${p.version ? ` ${p.version}` : ''}`, bold: true },
    { text: `session ${p.sessionId}` },
    { text: `seed ${p.seed}` },
    dataSegment(p.datasets),
    ...(p.job ? [{ text: `▶ ${p.job}${p.fraction !== undefined ? ` ${Math.round(p.fraction * 100)}%` : ''}`, color: 'cyan' }] : []),
    { text: `results: ${p.resultsDb}`, color: 'gray' },
  ];
  const out: Segment[] = [];
  let used = 1;
  for (const s of all) {
    const need = (out.length ? 3 : 0) + displayWidth(s.text);
    if (used + need > p.width) {
      if (out.length === 0) out.push({ ...s, text: truncate(s.text, p.width - 1) });
      continue;
    }
    out.push(s);
    used += need;
  }
  return out;
}

export function StatusBar(props: StatusBarProps): React.JSX.Element {
  const segments = headerSegments(props);
  return (
    <Text wrap="truncate">
      {' '}
      {segments.map((s, i) => (
        <Text key={i}>
          {i > 0 ? <Text color="gray"> · </Text> : null}
          <Text {...(s.color ? { color: s.color } : {})} bold={s.bold ?? false}>
            {s.text}
          </Text>
        </Text>
      ))}
    </Text>
  );
}
