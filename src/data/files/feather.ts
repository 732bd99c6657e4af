/**
 * Arrow IPC / Feather v2 files (freqtrade's `.feather`) through apache-arrow. DuckDB reads Feather
 * only with its optional arrow extension, so Arrow does it here. freqtrade writes LZ4-frame
 * compressed buffers; apache-arrow needs a codec registered for that (STACK.md), from lz4js.
 * Numbers, booleans and timestamps (any unit) become Float64Array (timestamps as epoch ms,
 * nulls as NaN); anything else becomes text.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Type, Vector } from 'apache-arrow';
import * as lz4 from 'lz4js';
import type { Column, ColumnTable } from '../../core/table.js';
import { UserError } from '../../core/errors.js';

type Arrow = typeof import('apache-arrow');
let loaded: Arrow | undefined;

/**
 * apache-arrow, loaded (synchronously, through its CommonJS build) on the first Feather file: it
 * costs about half a second of start-up that the shell should not pay before anyone reads Arrow.
 */
function arrow(): Arrow {
  loaded ??= createRequire(import.meta.url)('apache-arrow') as Arrow;
  return loaded;
}

let registered = false;
function registerLz4(): void {
  if (registered) return;
  const { compressionRegistry, CompressionType } = arrow();
  compressionRegistry.set(CompressionType.LZ4_FRAME, {
    encode: (d: Uint8Array) => Uint8Array.from(lz4.compress(d)),
    decode: (d: Uint8Array) => Uint8Array.from(lz4.decompress(d)),
  });
  registered = true;
}

/** ms per unit of an Arrow TimeUnit (SECOND=0, MILLISECOND=1, MICROSECOND=2, NANOSECOND=3). */
const MS_PER_UNIT = [1000, 1, 1e-3, 1e-6];

function toFloat64(v: Vector): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  const typeId = v.type.typeId as Type;
  const { Type: T } = arrow();
  if (typeId === T.Timestamp) {
    const unit = (v.type as { unit: number }).unit;
    const scale = MS_PER_UNIT[unit]!;
    const divisor = scale < 1 ? BigInt(Math.round(1 / scale)) : 1n;
    let off = 0;
    for (const chunk of v.data) {
      const raw = chunk.values as ArrayLike<number | bigint>;
      for (let i = 0; i < chunk.length; i++) {
        const x = raw[chunk.offset + i]!;
        // Integer division first keeps ns → ms exact for the whole-ms part (freqtrade's jitter is whole ms).
        out[off + i] = typeof x === 'bigint' ? (scale < 1 ? Number(x / divisor) : Number(x) * scale) : x * scale;
        if (chunk.nullCount > 0 && !chunk.getValid(i)) out[off + i] = NaN;
      }
      off += chunk.length;
    }
    return out;
  }
  if (typeId === T.Date) {
    for (let i = 0; i < n; i++) {
      const x = v.get(i) as Date | number | null;
      out[i] = x === null ? NaN : typeof x === 'number' ? x : x.getTime();
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const x = v.get(i) as number | bigint | boolean | null;
    out[i] = x === null ? NaN : Number(x);
  }
  return out;
}

const numericTypes = (T: Arrow['Type']): Set<Type> => new Set<Type>([T.Int, T.Float, T.Decimal, T.Bool, T.Timestamp, T.Date]);

/** Read an Arrow IPC file (Feather v2) into a ColumnTable with the file's column names. */
export function readFeather(path: string, shown = path): { table: ColumnTable; timestampColumns: string[] } {
  registerLz4();
  let t;
  try {
    t = arrow().tableFromIPC(readFileSync(path));
  } catch (err) {
    throw new UserError(`cannot read as Arrow/Feather: ${(err as Error).message.split('\n')[0]}`, shown);
  }
  const columns: Record<string, Column> = {};
  const timestampColumns: string[] = [];
  const T = arrow().Type;
  const NUMERIC_TYPES = numericTypes(T);
  for (const field of t.schema.fields) {
    const v = t.getChild(field.name)!;
    const typeId = field.type.typeId as Type;
    if (NUMERIC_TYPES.has(typeId)) {
      columns[field.name] = toFloat64(v);
      if (typeId === T.Timestamp || typeId === T.Date) timestampColumns.push(field.name);
    } else {
      const out: string[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = v.get(i) as unknown;
        out[i] = x === null || x === undefined ? '' : String(x);
      }
      columns[field.name] = out;
    }
  }
  return { table: { length: t.numRows, columns }, timestampColumns };
}
