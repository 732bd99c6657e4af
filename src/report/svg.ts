/**
 * Inline SVG charts for the HTML tear sheet: line charts on a time axis and a heatmap of monthly
 * returns. Hand-written on purpose: the page must open offline with no script or CDN, and a few
 * polylines and rects are all it needs (no charting library renders to static SVG without a DOM).
 */
export interface Line {
  readonly name: string;
  readonly values: ArrayLike<number>;
  readonly color: string;
}

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const W = 860;
const H = 220;
const PAD = { left: 64, right: 12, top: 12, bottom: 26 };

const fmtAxis = (v: number): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3));
const year = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** Every k-th index so a line keeps at most `max` points (the last one always). */
function stride(n: number, max: number): number[] {
  const k = Math.max(1, Math.ceil(n / max));
  const idx: number[] = [];
  for (let i = 0; i < n; i += k) idx.push(i);
  if (n > 0 && idx[idx.length - 1] !== n - 1) idx.push(n - 1);
  return idx;
}

/** A line chart of `lines` over times `x` (NaN values leave gaps), with a y grid and a legend. */
export function lineChart(id: string, x: ArrayLike<number>, lines: readonly Line[], opts: { zero?: boolean } = {}): string {
  const n = x.length;
  const idx = stride(n, 1200);
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lines) for (const i of idx) {
    const v = l.values[i]!;
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (opts.zero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (!(hi > lo)) {
    lo = Number.isFinite(lo) ? lo - 1 : 0;
    hi = lo + 2;
  }
  const x0 = n ? x[0]! : 0;
  const x1 = n ? x[n - 1]! : 1;
  const px = (t: number): number => PAD.left + ((t - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const py = (v: number): number => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const grid: string[] = [];
  for (let g = 0; g <= 4; g++) {
    const v = lo + ((hi - lo) * g) / 4;
    grid.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(v).toFixed(1)}" y2="${py(v).toFixed(1)}" class="grid"/>`);
    grid.push(`<text x="${PAD.left - 6}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end">${fmtAxis(v)}</text>`);
  }
  grid.push(`<text x="${PAD.left}" y="${H - 6}">${year(x0)}</text><text x="${W - PAD.right}" y="${H - 6}" text-anchor="end">${year(x1)}</text>`);
  const paths = lines.map((l) => {
    let d = '';
    let pen = false;
    for (const i of idx) {
      const v = l.values[i]!;
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(x[i]!).toFixed(1)},${py(v).toFixed(1)}`;
      pen = true;
    }
    return `<path d="${d}" stroke="${l.color}" fill="none" stroke-width="1.4" data-series="${escapeHtml(l.name)}"/>`;
  });
  const legend = lines.map((l) => `<span class="key"><i style="background:${l.color}"></i>${escapeHtml(l.name)}</span>`).join('');
  return `<figure class="chart" data-chart="${id}"><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(id)}">${grid.join('')}${paths.join('')}</svg><figcaption>${legend}</figcaption></figure>`;
}

/** Red–white–green cell colour for a return (±10 % saturates). */
function heat(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '#f4f4f4';
  const a = Math.min(1, Math.abs(v) / 0.1);
  const mix = (c: number): number => Math.round(255 + (c - 255) * a);
  return v >= 0 ? `rgb(${mix(26)},${mix(152)},${mix(80)})` : `rgb(${mix(215)},${mix(48)},${mix(39)})`;
}

/** Monthly returns heatmap: one row per year, one column per month, the return in % in each cell. */
export function monthlyHeatmap(years: readonly string[], cells: readonly (readonly (number | null)[])[]): string {
  const cw = 58;
  const ch = 24;
  const left = 48;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const parts: string[] = months.map((m, j) => `<text x="${left + j * cw + cw / 2}" y="14" text-anchor="middle">${m}</text>`);
  years.forEach((y, i) => {
    const top = 20 + i * ch;
    parts.push(`<text x="${left - 6}" y="${top + 16}" text-anchor="end">${y}</text>`);
    cells[i]!.forEach((v, j) => {
      parts.push(`<rect x="${left + j * cw}" y="${top}" width="${cw - 2}" height="${ch - 2}" fill="${heat(v)}"/>`);
      if (v !== null && Number.isFinite(v)) parts.push(`<text x="${left + j * cw + cw / 2}" y="${top + 16}" text-anchor="middle">${(v * 100).toFixed(1)}</text>`);
    });
  });
  const h = 24 + years.length * ch;
  const w = left + 12 * cw;
  return `<figure class="chart" data-chart="monthly-heatmap"><svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="monthly returns">${parts.join('')}</svg></figure>`;
}
