/**
 * The body shared by `paper pause`, `paper resume` and `paper kill`: find the session, write the
 * request (control.json, or the KILL file), say what the running loop will do.
 */
import { existsSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { ok, text, type CommandResult } from '../core/result.js';
import { engageKill, writeControl } from './control.js';
import { paperPaths } from './files.js';
import { resolveSessionId } from './report.js';

export type ControlRequest = 'pause' | 'resume' | 'kill';

export function controlSession(dataRoot: string, idArg: string | undefined, request: ControlRequest): CommandResult {
  const id = resolveSessionId(dataRoot, idArg);
  const paths = id !== undefined ? paperPaths(dataRoot, id) : undefined;
  if (!id || !paths || !existsSync(paths.spec)) throw new UserError(idArg ? `no paper session '${idArg}' (see \`paper status\`)` : 'no paper session yet (`paper start` starts one)', `paper ${request}`);
  if (request === 'kill') {
    engageKill(paths, 'paper kill');
    return ok(`paper kill ${id}`, [text(`kill switch engaged for ${id}: the loop cancels its working orders, closes its positions at the last close and stops at its next check (file ${id}/KILL)`, 'bad')]);
  }
  writeControl(paths, { paused: request === 'pause' });
  return ok(`paper ${request} ${id}`, [text(request === 'pause' ? `${id}: pause requested (the loop commits its state and waits)` : `${id}: resume requested`)]);
}
