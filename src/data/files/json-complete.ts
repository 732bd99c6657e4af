/**
 * Is a JSON file whole? DuckDB's `read_json` reads a JSON array that stops half-way (a copy cut
 * short, a download that died) and returns the records before the cut without a word, so a
 * truncated file would be ingested in part. Before reading, one pass over the bytes (gunzipped for
 * `.gz`) tracks bracket depth and string state; a file must end at depth 0 outside a string. This
 * works for one JSON document and for newline-delimited JSON alike (each record returns to depth 0).
 * Hand-written: a full JSON parser would hold the whole file in memory, and this needs only the
 * structural characters (all ASCII, so byte offsets are exact in UTF-8).
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { UserError } from '../../core/errors.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

export interface JsonScan {
  /** Bytes read (after decompression). */
  readonly bytes: number;
  /** 1-based line of the last byte. */
  readonly lines: number;
  /** Open brackets and braces at the end. */
  readonly depth: number;
  readonly inString: boolean;
}

/** Scan a byte stream's JSON structure (see the file comment). */
export async function scanJson(stream: Readable): Promise<JsonScan> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let bytes = 0;
  let lines = 1;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === NEWLINE) lines++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    }
    bytes += chunk.length;
  }
  return { bytes, lines, depth, inString };
}

/** Refuse a JSON file that ends before its structure closes, naming the byte and line where it ends. */
export async function assertJsonComplete(path: string, shown = path): Promise<void> {
  const file = createReadStream(path);
  const gz = /\.(gz|jsongz)$/i.test(path);
  const source: Readable = gz ? file.pipe(createGunzip()) : file;
  let scan: JsonScan;
  try {
    scan = await scanJson(source);
  } catch (err) {
    file.destroy();
    throw new UserError(`cannot read as JSON: ${gz ? 'gzip stream is damaged or cut short' : (err as Error).message}`, shown);
  }
  if (scan.inString || scan.depth > 0) {
    const what = scan.inString ? 'inside a string' : `with ${scan.depth} bracket${scan.depth === 1 ? '' : 's'} still open`;
    throw new UserError(`JSON ends at byte ${scan.bytes} (line ${scan.lines}) ${what}: the file is cut short; nothing was ingested`, shown);
  }
  if (scan.depth < 0) throw new UserError(`JSON has more closing than opening brackets (by ${-scan.depth}); nothing was ingested`, shown);
}
