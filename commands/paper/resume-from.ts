import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { UserError } from '../../src/core/errors.js';
import { PaperLoop } from '../../src/paper/loop.js';
import { resolveSessionId } from '../../src/paper/report.js';
import { runSession } from '../../src/paper/run-session.js';
import { openVenueMirror } from '../../src/paper/venue-mirror.js';
import { writeControl } from '../../src/paper/control.js';
import { paperPaths, readJson } from '../../src/paper/files.js';
import { openLiveSession } from '../../src/paper/live-start.js';
import type { PaperSpec } from '../../src/paper/spec.js';
import { wallScheduler } from '../../src/shell/wall-clock.js';

export default defineCommand({
  name: 'resume-from',
  summary: 'continue a stopped or crashed paper session from its last committed bar (nothing lost, nothing doubled)',
  job: true,
  positional: ['id'],
  schema: z.object({
    id: z.string().min(1).describe("session id (see `paper status`), or 'last'"),
    bars: z.coerce.number().int().positive().optional().describe('stop again after N more bars'),
    baseUrl: z.string().optional().describe('venue brokers: send requests to this origin (a local fixture or a proxy)'),
    yesLive: z.boolean().default(false).describe("a session on a venue's real account (--real): resume without the [y/N] question (required in headless runs)"),
  }),
  examples: ['paper resume-from paper-1', 'paper resume-from last --bars 100'],
  async run(session, args, io) {
    const id = resolveSessionId(session.dataRoot, args.id) ?? args.id;
    const spec = readJson<PaperSpec>(paperPaths(session.dataRoot, id).spec);
    if (spec?.venueMode === 'live' && !args.yesLive && !(io.confirm && (await io.confirm(`Resume ${id} on ${spec.broker}'s REAL account (real orders, real capital)?`)))) {
      throw new UserError(io.confirm ? 'resuming on the real account was not confirmed' : `paper session '${id}' trades ${spec.broker}'s real account: headless runs must pass --yes-live`, '--yes-live');
    }
    // a live session: its data is the history window of spec.json plus its stored feed bars (live-start.ts)
    const live = spec?.mode === 'live' ? openLiveSession(spec, { dataRoot: session.dataRoot, datasets: session.datasets, time: wallScheduler, env: process.env, signal: io.signal }) : undefined;
    const loop = live?.loop ?? PaperLoop.open(session.dataRoot, id, session.datasets);
    const last = loop.resumedFrom;
    if (last?.status === 'finished') throw new UserError(`paper session '${id}' has finished its replay (see \`paper status ${id}\`)`, 'paper resume-from');
    if (last?.status === 'killed') throw new UserError(`paper session '${id}' was stopped by its kill switch (${last.killReason ?? 'kill'}); start a new session`, 'paper resume-from');
    writeControl(loop.paths, { paused: false }); // resuming is an explicit request: a pause before the crash is over
    // a venue session: rebuilt from its venue journal, its working orders handed back to the adapter by client order id
    if (loop.spec.broker !== 'sim') await loop.reattachVenue(await openVenueMirror(loop.spec, loop, { ...(args.baseUrl ? { baseUrl: args.baseUrl } : {}) }));
    io.log(`paper ${id}: resuming after bar ${last ? last.step : 'none'}`);
    return runSession(loop, io, { ...(args.bars !== undefined ? { bars: args.bars } : {}), ...(live ? { live: live.live } : {}) });
  },
});
