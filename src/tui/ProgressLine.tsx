/**
 * The job line under the prompt: `⠹ ▕██████████▌        ▏ 54% backtest 2021-03 · 1.9 M bars/s · 12 s`.
 * It draws whatever progress it is given; the caller throttles updates (a few per second).
 */
import React from 'react';
import { Text } from 'ink';
import type { Progress } from '../shell/command.js';
import { truncate } from './text-fit.js';

export interface ProgressLineProps {
  /** The running command line. */
  readonly job: string;
  readonly progress: Progress | undefined;
  /** Seconds since the job started. */
  readonly elapsedSeconds: number;
  /** Spinner frame index (advances with the throttled tick). */
  readonly frame: number;
  readonly width: number;
  /** The user asked to cancel and the job has not stopped yet. */
  readonly cancelling?: boolean;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `cells` columns between ▕ and ▏, with eighth-cell resolution. */
export function progressBar(fraction: number, cells: number): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const eighths = Math.round(f * cells * 8);
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8]!;
  const body = '█'.repeat(full) + part;
  return `▕${body}${' '.repeat(Math.max(0, cells - [...body].length))}▏`;
}

export function progressText(p: ProgressLineProps): string {
  const spin = SPINNER[p.frame % SPINNER.length]!;
  const fraction = p.progress?.fraction;
  const bar = fraction !== undefined ? `${progressBar(fraction, Math.max(5, Math.min(20, Math.floor(p.width / 6))))} ${String(Math.round(fraction * 100)).padStart(3)}% ` : '';
  const label = p.progress?.label ?? p.job;
  const rate = p.progress?.rate ? ` · ${p.progress.rate}` : '';
  const elapsed = p.elapsedSeconds >= 1 ? ` · ${Math.floor(p.elapsedSeconds)} s` : '';
  const tail = p.cancelling ? ' · cancelling…' : ' · Ctrl+C cancels';
  return truncate(` ${spin} ${bar}${label}${rate}${elapsed}${tail}`, p.width);
}

export function ProgressLine(props: ProgressLineProps): React.JSX.Element {
  return (
    <Text color={props.cancelling ? 'yellow' : 'cyan'} wrap="truncate">
      {progressText(props)}
    </Text>
  );
}
