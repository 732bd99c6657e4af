/**
 * DuckDB's Node packages, loaded on first use. Importing them costs about a second of the main
 * thread on a cold start (its native binding and the API layer), and the interactive shell must draw
 * its full screen before anything needs a database (docs/shell.md, "Start-up"). So modules that
 * talk to DuckDB import only its types statically and call `duckdb()` where they first open an
 * instance; every later call returns the loaded modules at once.
 */
type Api = typeof import('@duckdb/node-api');
type Bindings = typeof import('@duckdb/node-bindings');

export interface DuckModules {
  /** `@duckdb/node-api`: DuckDBInstance, DuckDBDataChunk, the type constants. */
  readonly api: Api;
  /** `@duckdb/node-bindings`: the C API, for the memcpy paths in data/lake/columns.ts. */
  readonly bindings: Bindings;
}

let loading: Promise<DuckModules> | undefined;
let loaded: DuckModules | undefined;

/** Load DuckDB's packages (once per thread). */
export function duckdb(): Promise<DuckModules> {
  loading ??= (async () => {
    const [api, bindingsModule] = await Promise.all([import('@duckdb/node-api'), import('@duckdb/node-bindings')]);
    // node-bindings is CommonJS: its functions are on the default export.
    const bindings = ((bindingsModule as unknown as { default?: Bindings }).default ?? bindingsModule) as Bindings;
    loaded = { api, bindings };
    return loaded;
  })();
  return loading;
}

/** The loaded modules; only valid once `duckdb()` has resolved (a connection exists, so it has). */
export function duckdbLoaded(): DuckModules {
  if (!loaded) throw new Error('DuckDB used before duckdb() loaded it');
  return loaded;
}

/** Has DuckDB been loaded in this thread? (the start-up test checks the shell has not.) */
export function duckdbIsLoaded(): boolean {
  return loaded !== undefined;
}
