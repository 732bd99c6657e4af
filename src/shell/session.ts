/**
 * Session state: the seed, configuration, loaded datasets and per-room results of one shell or
 * headless run. Everything the engine needs that could vary (seed, config, data) comes from here;
 * the wall clock never does.
 */
import { existsSync } from 'node:fs';
import { resolve, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.js';
import { createRng, type Rng } from '../core/rng.js';
import type { Dataset } from '../core/table.js';
import type { EdgelabConfig } from '../config/schema.js';
import { loadConfig, configDigest, validateConfig } from '../config/load.js';
import { suggest } from '../core/suggest.js';
import { provenanceOf, type Provenance } from './provenance.js';

/** The package root (…/edgelab), from this file's location in src/shell or dist/src/shell. */
export function packageRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes('/dist/') ? resolve(here, '../../..') : resolve(here, '../..');
}

export interface SessionInit {
  /** Project root: holds configs/ and data/. Defaults to the package root. */
  readonly root?: string;
  /** Directory that relative file arguments are resolved against. Defaults to process.cwd(). */
  readonly cwd?: string;
  readonly seed?: number;
  readonly id?: string;
  readonly configPath?: string;
  readonly overlays?: readonly string[];
  /** A ready config (tests); skips reading files. */
  readonly config?: EdgelabConfig;
  /**
   * The folder that plays the part of the project's `data/` folder: config paths under `data/`
   * (session.results_db, session.lake_dir) resolve inside it, so EDGELAB_DATA_ROOT=/x puts the
   * results database at /x/edgelab.duckdb and the lake at /x/lake. Defaults to $EDGELAB_DATA_ROOT,
   * else `<project root>/data`. Tests and replay point it at a temporary folder.
   */
  readonly dataRoot?: string;
  /**
   * The code provenance results are stamped with (run records' code revision). Replay passes the
   * transcript's, so a run id reproduces on a later revision whose numbers are the same.
   * Defaults to the package version and git revision of the running code.
   */
  readonly provenance?: Provenance;
}

/** One recorded line and how it ended (`running` while it runs, e.g. a background job). */
export interface SessionOutcome {
  readonly line: string;
  status: 'ok' | 'error' | 'cancelled' | 'running';
}

export class Session {
  readonly id: string;
  readonly root: string;
  readonly cwd: string;
  readonly dataRoot: string;
  seed: number;
  config: EdgelabConfig;
  configDigest: string;
  /** Loaded datasets by name, in insertion order. */
  readonly datasets = new Map<string, Dataset>();
  /** Per-room results (features, regimes, last backtest…), keyed by room name. */
  readonly state = new Map<string, unknown>();
  /** Lines submitted in this session, in typing order: a line is added when the dispatcher takes it (a running or background line is already here), not when it ends. */
  readonly history: string[] = [];
  /** Outcome of every recorded line, in typing order (`running` until it ends; `save` keeps the lines that succeeded). */
  readonly results: SessionOutcome[] = [];

  constructor(init: SessionInit = {}) {
    this.root = init.root ?? packageRoot();
    this.cwd = init.cwd ?? process.cwd();
    const envRoot = process.env['EDGELAB_DATA_ROOT'];
    this.dataRoot = resolve(init.dataRoot ?? (envRoot ? envRoot : resolve(this.root, 'data')));
    if (init.config) {
      this.config = init.config;
    } else {
      const base = init.configPath ?? resolve(this.root, 'configs/base.yaml');
      this.config = loadConfig(base, init.overlays ?? []).config;
    }
    this.configDigest = configDigest(this.config);
    this.seed = init.seed ?? this.config.session.seed;
    this.id = init.id ?? `session-${this.seed}`;
    this.provenanceOverride = init.provenance;
  }

  /** Package version and git revision of the running code (for run records and transcripts). */
  get provenance(): Provenance {
    return this.provenanceOverride ?? provenanceOf(this.root);
  }

  /** SessionInit.provenance, when given (jobs carry it to their worker's copy of the session). */
  readonly provenanceOverride: Provenance | undefined;

  /** A named, seeded random stream: the same (seed, stream) always draws the same numbers. */
  rng(stream: string): Rng {
    return createRng(this.seed, stream);
  }

  setConfig(raw: unknown): void {
    this.config = validateConfig(raw);
    this.configDigest = configDigest(this.config);
  }

  /** Resolve a user-typed path against the session's working directory. */
  resolvePath(p: string): string {
    const expanded = p.startsWith('~/') ? resolve(process.env['HOME'] ?? '/', p.slice(2)) : p;
    return isAbsolute(expanded) ? expanded : resolve(this.cwd, expanded);
  }

  /**
   * Resolve a configured project path (results db, lake): absolute paths stay, paths under `data/`
   * go inside the data root (`data/edgelab.duckdb` → `<data root>/edgelab.duckdb`), others resolve
   * against the project root. A data root laid out the old way (`<data root>/data/edgelab.duckdb`,
   * before the data root stood for `data/` itself) is still read when only the old path exists.
   */
  projectPath(p: string): string {
    if (isAbsolute(p)) return p;
    const normal = p.replace(/^\.\//, '');
    if (normal !== 'data' && !normal.startsWith('data/')) return resolve(this.root, normal);
    const inside = resolve(this.dataRoot, normal.slice('data'.length).replace(/^\//, '') || '.');
    const oldLayout = resolve(this.dataRoot, normal);
    return !existsSync(inside) && existsSync(oldLayout) && this.dataRoot !== resolve(this.root, 'data') ? oldLayout : inside;
  }

  addDataset(ds: Dataset): void {
    this.datasets.set(ds.name, ds);
  }

  /** The dataset called `name`, or a UserError with a "did you mean". */
  dataset(name: string): Dataset {
    const ds = this.datasets.get(name);
    if (ds) return ds;
    const names = [...this.datasets.keys()];
    const hint = suggest(name, names);
    const loaded = names.length ? '' : ' (no datasets are loaded: try `ingest synthetic`)';
    throw new UserError(`no dataset '${name}'${hint ? `; did you mean '${hint}'?` : ''}${loaded}`);
  }

  /** Symbols present in loaded datasets, sorted. */
  symbols(): string[] {
    const s = new Set<string>();
    for (const ds of this.datasets.values()) if (ds.symbol) s.add(ds.symbol);
    return [...s].sort();
  }
}
