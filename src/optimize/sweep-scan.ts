/**
 * The sweep kernel's quiet loops in WebAssembly (sweep-scan.wat says what each computes and why it
 * is exact; sma-block.ts `ComboRun.run` calls them; docs/optimize.md "Speed" has the figures), and
 * the memory they read: one instance per thread, holding
 *
 * - at bytes 0, 8, 16, 24 the figures a loop hands back (the NAV steps' sum, the peak, the low, the
 *   maximum drawdown), at 32 … 56 the running sums of `scanMeans4`, all read through `slots`;
 * - the closes of the current 1024-bar block and of the `reach` bars before it that the averages'
 *   windows read (`loadCloses`, once per block for every combo);
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

/** Byte offset of the closes (after the returned figures). */
const CLOSE_AT = 64;
/** Indices of the returned figures in `slots`; the four running sums of `scanMeans4` from MEAN_SUMS on. */
export const SUM_SLOT = 0;
export const PEAK_SLOT = 1;
export const LOW_SLOT = 2;
export const WORST_SLOT = 3;
export const MEAN_SUMS = 4;

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
type MeansScan = (c: number, l0: number, l1: number, l2: number, l3: number, o0: number, o1: number, o2: number, o3: number, t: number, end: number, p0: number, p1: number, p2: number, p3: number) => void;

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
/**
 * Four moving averages over bars t … end − 1 between rebuilds (shared-sma.ts `MeanCursor.fillFour`):
 * c the closes' byte base (`closeBase`), lN = 8 · period N, oN the byte base of mean N's bar 0
 * (`rowBase`), pN the periods; the running sums in and out through slots[MEAN_SUMS …].
 */
export const scanMeans4 = instance.exports['means4'] as MeansScan;

/** Bars before a block whose closes are kept with it (the longest period of the batch), and where the averages start. */
let reach = 0;
let meansAt = CLOSE_AT + 8 * BLOCK;

/** Views of the memory; made again whenever it grows (growing detaches the old ones) or the layout changes. */
export let slots = new Float64Array(memory.buffer, 0, 8);
let closes = new Float64Array(memory.buffer, CLOSE_AT, BLOCK);
let means = new Float64Array(memory.buffer, meansAt, BLOCK);

/**
 * The buffer for `rows` rows of block averages (row i at i · 1024, bar k of the block at k mod 1024),
 * in the loops' memory, after the closes of a block and of the `periods` bars before it (the longest
 * period of the batch). Grows the memory when it is too small: every view made before (an earlier
 * call's buffer included) is then detached, so take it again after any call.
 */
export function meanRows(rows: number, periods = 0): Float64Array {
  reach = Math.max(0, Math.ceil(periods));
  meansAt = CLOSE_AT + 8 * (reach + BLOCK);
  const bytes = meansAt + 8 * BLOCK * rows;
  if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
  slots = new Float64Array(memory.buffer, 0, 8);
  closes = new Float64Array(memory.buffer, CLOSE_AT, reach + BLOCK);
  means = new Float64Array(memory.buffer, meansAt, BLOCK * rows);
  return means;
}

/**
 * Copies the closes of bars from … to − 1 (inside one aligned block), and of the `reach` bars before
 * `from` (`meanRows`), to where the loops read them.
 */
export function loadCloses(close: Float64Array, from: number, to: number): void {
  const base = from - (from % BLOCK);
  const first = Math.max(0, from - reach);
  closes.set(close.subarray(first, to), first - base + reach);
}

/** Byte base of the row whose bar k is at means[at + k] (`meanRows`): the value's address is the base + 8·k. */
export const rowBase = (at: number): number => meansAt + 8 * at;

/** Byte base of the closes for the block starting at bar `base` (a multiple of 1024): close[k] is at the base + 8·k. */
export const closeBase = (base: number): number => CLOSE_AT + 8 * (reach - base);
