/**
 * The sweep kernel's quiet loops in WebAssembly (sweep-scan.wat says what each computes and why it
 * is exact; sma-block.ts `ComboRun.run` calls them; docs/optimize.md "Speed" has the figures), and
 * the memory they read: one instance per thread, holding
 *
 * - at bytes 0, 8, 16, 24 the figures a loop hands back (the NAV steps' sum, the peak, the low, the
 *   maximum drawdown), read through `slots`;
 * - the closes of the current 1024-bar block (`loadCloses`, once per block for every combo);
 * - the block's moving averages, one 1024-value row per period (`meanRows`: the batch's buffer,
 *   filled by shared-sma.ts `MeanCursor`).
 *
 * The module is assembled from the text by `scripts/build.mjs` into dist/ next to this file's
 * JavaScript; run from the TypeScript sources (vitest), where no .wasm lies beside this file, the
 * text beside it is assembled here with wabt (a devDependency), so the tests always run the current
 * loops and never a stale build. Nothing is fetched at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CROSS_BLOCK as BLOCK } from '../models/sma-cross.js';

/** Byte offsets: the returned figures, the block's closes, the first row of averages. */
const CLOSE_AT = 64;
export const MEANS_AT = CLOSE_AT + 8 * BLOCK;
/** Indices of the returned figures in `slots`. */
export const SUM_SLOT = 0;
export const PEAK_SLOT = 1;
export const LOW_SLOT = 2;
export const WORST_SLOT = 3;

/** What this file uses of the WebAssembly API (Node's global; the ES2023 lib declares none of it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: Record<string, unknown> };
};

async function scanBytes(): Promise<Uint8Array> {
  const built = new URL('./sweep-scan.wasm', import.meta.url);
  if (existsSync(built)) return readFileSync(built);
  const wabt = (await import('wabt')).default;
  const text = readFileSync(new URL('./sweep-scan.wat', import.meta.url), 'utf8');
  return (await wabt()).parseWat('sweep-scan.wat', text).toBinary({}).buffer;
}

const instance = new WebAssembly.Instance(new WebAssembly.Module(await scanBytes()));
const memory = instance.exports['memory'] as WasmMemory;

type Scan = (f: number, s: number, c: number, k: number, end: number, dir: number, gate: number, sum: number, cash: number, q: number, peak: number, low: number, worst: number) => number;
type FlatScan = (f: number, s: number, k: number, end: number, dir: number, gate: number, sum: number, nav: number) => number;
type BoundedScan = (f: number, s: number, c: number, k: number, end: number, dir: number, gate: number, sum: number, cash: number, q: number) => number;

/**
 * The loops (sweep-scan.wat), each over bars k … end − 1 while (fast[k] − slow[k]) · dir > gate,
 * returning where it stopped; f, s, c are byte bases (`rowBase`, `closeBase`). `scanFlat` adds nav
 * per bar; `scanHeldBounded` adds cash + q · close; `scanHeldLow` also the new lows and their
 * drawdowns; `scanHeld` also the new peaks. The figures they change are in `slots` afterwards.
 */
export const scanFlat = instance.exports['flat'] as FlatScan;
export const scanHeldBounded = instance.exports['heldBounded'] as BoundedScan;
export const scanHeldLow = instance.exports['heldLow'] as Scan;
export const scanHeld = instance.exports['held'] as Scan;

/** Views of the memory; made again whenever it grows (growing detaches the old ones). */
export let slots = new Float64Array(memory.buffer, 0, 4);
let closes = new Float64Array(memory.buffer, CLOSE_AT, BLOCK);
let means = new Float64Array(memory.buffer, MEANS_AT, (memory.buffer.byteLength - MEANS_AT) >> 3);

/**
 * The buffer for `rows` rows of block averages (row i at i · 1024, bar k of the block at k mod 1024),
 * in the loops' memory. Grows the memory when it is too small: every view made before (an earlier
 * call's buffer included) is then detached, so take it again after any call.
 */
export function meanRows(rows: number): Float64Array {
  const bytes = MEANS_AT + 8 * BLOCK * rows;
  if (bytes > memory.buffer.byteLength) {
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    slots = new Float64Array(memory.buffer, 0, 4);
    closes = new Float64Array(memory.buffer, CLOSE_AT, BLOCK);
    means = new Float64Array(memory.buffer, MEANS_AT, (memory.buffer.byteLength - MEANS_AT) >> 3);
  }
  return means;
}

/** Copies the closes of bars from … to − 1 (inside one aligned block) to where the loops read them. */
export function loadCloses(close: Float64Array, from: number, to: number): void {
  closes.set(close.subarray(from, to), from % BLOCK);
}

/** Byte base of the row whose bar k is at means[at + k] (`meanRows`): the value's address is the base + 8·k. */
export const rowBase = (at: number): number => MEANS_AT + 8 * at;

/** Byte base of the block's closes for the block starting at bar `base` (a multiple of 1024). */
export const closeBase = (base: number): number => CLOSE_AT - 8 * base;
