import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, table, text, type CommandResult } from '../src/core/result.js';
import { UserError, CancelledError } from '../src/core/errors.js';
import { jobsOf, type Job, type JobEnd } from '../src/shell/jobs/job-table.js';

/** Wait for a job to end; Ctrl+C stops the waiting (not the job). */
function until(job: Job, signal: AbortSignal): Promise<JobEnd> {
  if (signal.aborted) return Promise.reject(new CancelledError('stopped waiting; the job still runs'));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError('stopped waiting; the job still runs'));
    signal.addEventListener('abort', onAbort, { once: true });
    void job.whenDone().then((end) => {
      signal.removeEventListener('abort', onAbort);
      resolve(end);
    });
  });
}

export default defineCommand({
  name: 'wait',
  summary: 'wait until background job N ends (or every job, without N) and show its result',
  positional: ['id'],
  schema: z.object({
    id: z.coerce.number().int().positive().optional().describe('job number from `jobs` (default: every background job)'),
  }),
  examples: ['backtest sma_cross --symbol SPY &', 'wait 1', 'wait'],
  async run(session, args, io): Promise<CommandResult> {
    const jobs = jobsOf(session);
    if (args.id !== undefined) {
      const job = jobs.get(args.id);
      if (!job) throw new UserError(`no job ${args.id} (jobs lists them)`, 'id');
      const end = await until(job, io.signal);
      const status = end.result.status === 'ok' ? 'ok' : 'error';
      const head = text(`${job.label} ${end.result.status}: ${job.line}`, status === 'ok' ? undefined : 'warn');
      return { title: `wait ${args.id}`, status, blocks: [head, ...end.result.blocks], summary: `${job.label} ${end.result.status}` };
    }
    const background = jobs.list().filter((j) => j.id !== undefined);
    if (background.length === 0) return ok('wait', [text('no background jobs')]);
    for (const job of background) await until(job, io.signal);
    const rows = background.map((j) => [j.label, j.end!.result.status, j.line, j.end!.result.summary ?? '']);
    const bad = background.filter((j) => j.end!.result.status !== 'ok').length;
    const result = ok('wait', [table(['job', 'outcome', 'line', 'summary'], rows)], `${background.length} jobs ended${bad ? `, ${bad} not ok` : ''}`);
    return bad ? { ...result, status: 'error' } : result;
  },
});
