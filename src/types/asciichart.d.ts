// asciichart ships no types; this covers the part we use.
declare module 'asciichart' {
  export interface PlotConfig {
    height?: number;
    offset?: number;
    padding?: string;
    colors?: string[];
    min?: number;
    max?: number;
    format?: (x: number, i: number) => string;
    /** Glyphs for the axis and the line (asciichart's `symbols` option). */
    symbols?: string[];
  }
  export function plot(series: number[] | number[][], config?: PlotConfig): string;
  export const black: string;
  export const red: string;
  export const green: string;
  export const yellow: string;
  export const blue: string;
  export const magenta: string;
  export const cyan: string;
  export const lightgray: string;
  export const darkgray: string;
  export const reset: string;
  export const defaultColor: string;
  const asciichart: { plot: typeof plot; red: string; green: string; yellow: string; blue: string; reset: string; defaultColor: string; lightgray: string; darkgray: string; cyan: string; magenta: string };
  export default asciichart;
}
