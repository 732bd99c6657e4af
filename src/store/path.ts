/** Where the results database lives: `--db PATH` (relative to the working directory) or config session.results_db (relative to the project root). */
export interface ResultsDbSession {
  resolvePath(p: string): string;
  projectPath(p: string): string;
  readonly config: { readonly session: { readonly results_db: string } };
}

export function resultsDbPath(session: ResultsDbSession, override?: string): string {
  return override ? session.resolvePath(override) : session.projectPath(session.config.session.results_db);
}
