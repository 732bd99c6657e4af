/**
 * The header line: session id, seed, datasets loaded and whether each passed its readiness gate,
 * where results live, and the running job. On a narrow terminal the least important segments are
 * dropped (see headerSegments); the line never wraps.
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

/**
 * Readiness of the loaded datasets: ready (gate passed), failing, raw (not cleaned yet: research
 * commands refuse it), unchecked (clean bars or funding without a gate). Derived tables and macro
 * series carry no gate and are only counted in the total.
 */
export function readiness(datasets: ReadonlyMap<string, Dataset>): { total: number; ready: number; failing: number; raw: number; unchecked: number } {
  let ready = 0;
  let failing = 0;
  let raw = 0;
  let unchecked = 0;
  for (const ds of datasets.values()) {
    if (ds.gate) {
      if (ds.gate.pass) ready++;
      else failing++;
    } else if (ds.stage === 'raw') raw++;
    else if (ds.stage === 'clean' && (ds.kind === 'bars' || ds.kind === 'funding')) unchecked++;
  }
  return { total: datasets.size, ready, failing, raw, unchecked };
}

export function dataSegment(datasets: ReadonlyMap<string, Dataset>): Segment {
  const r = readiness(datasets);
  if (r.total === 0) return { text: 'data: none loaded', color: 'yellow' };
  const parts = [
    ...(r.ready ? [`${r.ready} ready`] : []),
    ...(r.failing ? [`${r.failing} failing`] : []),
    ...(r.raw ? [`${r.raw} raw`] : []),
    ...(r.unchecked ? [`${r.unchecked} unchecked`] : []),
  ];
  const detail = parts.length ? ` (${parts.join(', ')})` : '';
  return { text: `data: ${r.total} set${r.total === 1 ? '' : 's'}${detail}`, color: r.failing ? 'red' : r.unchecked || r.raw ? 'yellow' : 'green' };
}

const lineWidth = (segments: readonly Segment[]): number => 1 + segments.reduce((n, s, i) => n + (i ? 3 : 0) + displayWidth(s.text), 0);

/**
 * The segments that fit in `width`, in display order. When they do not all fit, the version goes
 * first, then the least important segment (seed, session id, results path, job, data); the
 * name stays and is cut if it must be.
 */
export function headerSegments(p: StatusBarProps): Segment[] {
  const ranked: (Segment & { rank: number })[] = [
    { text: `edgelab${p.version ? ` ${p.version}` : ''}`, bold: true, rank: 0 },
    { text: `session ${p.sessionId}`, rank: 4 },
    { text: `seed ${p.seed}`, rank: 5 },
    { ...dataSegment(p.datasets), rank: 1 },
    ...(p.job ? [{ text: `▶ ${p.job}${p.fraction !== undefined ? ` ${Math.round(p.fraction * 100)}%` : ''}`, color: 'cyan', rank: 2 }] : []),
    { text: `results: ${p.resultsDb}`, color: 'gray', rank: 3 },
  ];
  let kept = ranked;
  if (lineWidth(kept) > p.width) kept = kept.map((s) => (s.rank === 0 ? { ...s, text: 'edgelab' } : s));
  while (lineWidth(kept) > p.width && kept.length > 1) {
    const worst = kept.reduce((a, b) => (b.rank > a.rank ? b : a));
    kept = kept.filter((s) => s !== worst);
  }
  return kept.map(({ rank: _rank, ...s }) => (lineWidth([s]) > p.width ? { ...s, text: truncate(s.text, p.width - 1) } : s));
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
