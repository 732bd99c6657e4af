import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text, type Cell } from '../src/core/result.js';
import { jobsOf, type Job } from '../src/shell/jobs/job-table.js';

/** 'running 43% · backtest 2021-03' or the outcome and summary of a finished job. */
export function jobStateText(job: Job): string {
  const end = job.end;
  if (!end) {
    const p = job.progress;
    const pct = p?.fraction !== undefined ? ` ${Math.round(p.fraction * 100)}%` : '';
    const stopping = job.cancelRequested() ? ' (cancelling)' : '';
    return `running${pct}${stopping}${p?.label ? ` · ${p.label}` : ''}`;
  }
  return `${end.result.status}${end.result.summary ? ` · ${end.result.summary}` : ''}`;
}

export default defineCommand({
  name: 'jobs',
  summary: 'list background jobs (CMD &) and the running foreground line, with progress or outcome',
  schema: z.object({}),
  examples: ['backtest &', 'jobs', 'wait 1', 'cancel 1'],
  // It reports timings, which differ run to run, so it stays out of the transcript.
  unrecorded: true,
  immediate: true,
  run(session) {
    const list = jobsOf(session).list();
    if (list.length === 0) return ok('jobs', [text('no jobs (end a line with & to run it in the background)')]);
    const rows: Cell[][] = list.map((j) => [j.label, jobStateText(j), `${j.elapsedSeconds().toFixed(1)} s`, j.line]);
    const running = list.filter((j) => j.state === 'running').length;
    return ok('jobs', [table(['job', 'state', 'time', 'line'], rows)], `${running} running, ${list.length - running} ended`);
  },
});
