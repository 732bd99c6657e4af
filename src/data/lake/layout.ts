/**
 * Where things live in the lake (ARCHITECTURE.md "data/"):
 *
 * ```
 * <lake>/raw/source=<source>/symbol=<symbol>/interval=<interval>/v0001-<digest12>.parquet
 * <lake>/raw/source=<source>/symbol=<symbol>/interval=<interval>/manifest.json
 * <lake>/clean/symbol=<symbol>/interval=<interval>/bars-<digest12>.parquet
 * <lake>/clean/symbol=<symbol>/interval=<interval>/quarantine-<digest12>.parquet
 * <lake>/clean/symbol=<symbol>/interval=<interval>/gate-<digest12>.json
 * <lake>/clean/symbol=<symbol>/interval=<interval>/manifest.json
 * ```
 *
 * Partition values are percent-encoded (`BTC/USDT:USDT` → `BTC%2FUSDT%3AUSDT`), so any symbol maps to
 * one folder and back. `interval` is a bar interval ('15m', '1d') or a kind for non-bar data
 * ('funding', 'trades', 'series').
 */
import { join } from 'node:path';

/** What the lake needs from a session: its config and project-path resolver (no shell import). */
export interface LakeHost {
  readonly config: { readonly session: { readonly lake_dir: string } };
  projectPath(p: string): string;
}

/** The lake root for a session: `session.lake_dir` resolved against the project root. */
export const lakeDir = (host: LakeHost): string => host.projectPath(host.config.session.lake_dir);

export interface RawPartition {
  /** 'file', 'binanceusdm', 'yahoo', 'fred', … */
  readonly source: string;
  readonly symbol: string;
  /** Bar interval, or 'funding' / 'trades' / 'series' / 'table'. */
  readonly interval: string;
}

export interface CleanPartition {
  readonly symbol: string;
  readonly interval: string;
}

const enc = (s: string): string => encodeURIComponent(s).replace(/\./g, '%2E').replace(/\*/g, '%2A');

export const rawPartitionDir = (lake: string, p: RawPartition): string =>
  join(lake, 'raw', `source=${enc(p.source)}`, `symbol=${enc(p.symbol)}`, `interval=${enc(p.interval)}`);

export const cleanPartitionDir = (lake: string, p: CleanPartition): string =>
  join(lake, 'clean', `symbol=${enc(p.symbol)}`, `interval=${enc(p.interval)}`);

/** Decode one `key=value` folder name back to its value. */
export const decodePartValue = (folder: string): string => decodeURIComponent(folder.slice(folder.indexOf('=') + 1));
