/** Which reader a file needs: by extension, confirmed by its first bytes. */
import { extname } from 'node:path';
import { readHead } from './sniff.js';

export type FileFormat = 'csv' | 'parquet' | 'feather' | 'json';

export function detectFormat(path: string, shown = path): FileFormat {
  const head = readHead(path, 16, shown);
  const ascii = head.toString('latin1');
  if (ascii.startsWith('PAR1')) return 'parquet';
  if (ascii.startsWith('ARROW1') || ascii.startsWith('\xff\xff\xff\xff')) return 'feather';
  const lower = path.toLowerCase();
  if (lower.endsWith('.json.gz') || lower.endsWith('.jsongz') || lower.endsWith('.ndjson') || extname(lower) === '.json') return 'json';
  if (head[0] === 0x1f && head[1] === 0x8b) return lower.includes('.json') ? 'json' : 'csv';
  const first = ascii.trimStart()[0];
  if ((first === '[' || first === '{') && !lower.endsWith('.csv')) return 'json';
  if (extname(lower) === '.parquet') return 'parquet';
  if (extname(lower) === '.feather' || extname(lower) === '.arrow') return 'feather';
  return 'csv';
}
