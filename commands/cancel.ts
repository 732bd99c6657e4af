import { z } from 'zod';
import { defineCommand } from '../src/shell/command.js';
import { ok, text } from '../src/core/result.js';
import { UserError } from '../src/core/errors.js';
import { jobsOf } from '../src/shell/jobs/job-table.js';

export default defineCommand({
  name: 'cancel',
  summary: 'stop a job: cancel N stops background job N, cancel alone the newest running job (Ctrl+C stops the foreground one)',
  positional: ['id'],
  schema: z.object({
    id: z.coerce.number().int().positive().optional().describe('job number from `jobs` (default: the newest running job)'),
  }),
  examples: ['cancel 1', 'cancel'],
  // Whether the job was still running when this line came is a matter of timing: not recorded.
  unrecorded: true,
  immediate: true,
  run(session, args) {
    const table = jobsOf(session);
    const running = table.running();
    const job = args.id !== undefined ? table.get(args.id) : running[running.length - 1];
    if (!job) {
      if (args.id === undefined) return ok('cancel', [text('no job is running')]);
      throw new UserError(`no job ${args.id} (jobs lists them)`, 'id');
    }
    if (job.state !== 'running') return ok('cancel', [text(`${job.label} already ended (${job.state}): ${job.line}`)]);
    job.controller.abort();
    return ok('cancel', [text(`${job.label} cancelling: ${job.line}`, 'warn')], `${job.label} cancelling`);
  },
});
