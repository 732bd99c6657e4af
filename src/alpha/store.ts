/**
 * Fitted models live as JSON files under `<data root>/models/NAME.json`, written atomically (a
 * temporary file renamed into place) so a killed fit never leaves half a model.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { bundleIntact, type AlphaBundleFile } from './bundle.js';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const modelsDir = (dataRoot: string): string => join(dataRoot, 'models');

export function checkModelName(name: string): void {
  if (!NAME_RE.test(name)) throw new UserError(`'${name}' is not a model name (letters, digits, _ . -; at most 64)`, '--out');
}

export function saveBundle(dataRoot: string, bundle: AlphaBundleFile): string {
  checkModelName(bundle.name);
  const dir = modelsDir(dataRoot);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${bundle.name}.json`);
  const tmp = `${path}.partial`;
  writeFileSync(tmp, `${JSON.stringify(bundle, null, 1)}\n`);
  renameSync(tmp, path);
  return path;
}

export function loadBundle(dataRoot: string, name: string): AlphaBundleFile {
  checkModelName(name);
  const path = join(modelsDir(dataRoot), `${name}.json`);
  if (!existsSync(path)) {
    const known = listModelFiles(dataRoot).map((m) => m.name);
    throw new UserError(`no fitted model '${name}' in ${modelsDir(dataRoot)}${known.length ? ` (models: ${known.join(', ')})` : ' (run `fit` first)'}`, 'model');
  }
  let parsed: AlphaBundleFile;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as AlphaBundleFile;
  } catch (err) {
    throw new UserError(`not a model file: ${(err as Error).message}`, path);
  }
  if (parsed.format !== 'edgelab-alpha-bundle') throw new UserError('not an AlphaBundle model file', path);
  if (!bundleIntact(parsed)) throw new UserError('the file does not match its digest (edited by hand or damaged)', path);
  return parsed;
}

export function listModelFiles(dataRoot: string): { name: string; path: string }[] {
  const dir = modelsDir(dataRoot);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => ({ name: f.slice(0, -5), path: join(dir, f) }));
}
