/** Where the results database lives: `--db PATH` (relative to the working directory) or config session.results_db (relative to the project root). */
export interface ResultsDbSession {
  resolvePath(p: string): string;
  projectPath(p: string): string;
  readonly config: { readonly session: { readonly results_db: string } };
}

export function resultsDbPath(session: ResultsDbSession, override?: string): string {
  return override ? session.resolvePath(override) : session.projectPath(session.config.session.results_db);
}

/**
 * How a result names the results database: `--db` as typed, an absolute configured path as is, and
 * a configured path under `data/` as `DATA_ROOT/…`. Never the resolved absolute path of a relative
 * one, so a result (and its transcript digest) does not depend on where the data root is: replay
 * runs on its own temporary data root and must print the same.
 */
export function resultsDbLabel(session: ResultsDbSession, override?: string): string {
  if (override) return override;
  const configured = session.config.session.results_db;
  return configured.startsWith('/') ? configured : `DATA_ROOT/${configured.replace(/^(\.\/)?data\//, '')}`;
}
