/** Types for the untyped `lz4js` package (LZ4 frame format), used as Arrow's LZ4_FRAME codec. */
declare module 'lz4js' {
  export function compress(data: Uint8Array | number[]): number[];
  export function decompress(data: Uint8Array | number[], maxSize?: number): number[];
}
