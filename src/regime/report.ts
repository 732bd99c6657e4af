/**
 * Result blocks of the `regime` command, built from the engine's timelines (plain data only).
 * Long timelines are thinned for the chart pane to at most CHART_POINTS points, keeping the last row
 * of each bucket (the regime in force at the bucket's end) and always the final row.
 */
import type { Block, Cell, SeriesBlock, StatusField, Tone } from '../core/result.js';
import { metrics, table } from '../core/result.js';
import { shortUtc } from '../core/time.js';
import { dailyRegimeAt } from '../data/synthetic/truth.js';
import { REGIME_NAMES, type SyntheticTruth } from '../data/synthetic/types.js';
import { DIMENSIONS, LEVELS, type RegimeDimension } from './codes.js';
import type { DailySeries } from './daily.js';
import { confusionMatrix, type Confusion } from './hmm/confusion.js';
import { HMM_LABELS } from './hmm/labels.js';
import type { HmmTimeline } from './hmm/walk-forward.js';
import { hmmRegimeReturns, pct, returnRowCells, ruleRegimeReturns } from './summary.js';
import type { RegimeTimeline } from './timeline.js';

export const CHART_POINTS = 400;

/** Row indices kept for a chart of n rows starting at `from`. */
export function thinRows(from: number, n: number, max = CHART_POINTS): number[] {
  const len = n - from;
  if (len <= 0) return [];
  const step = Math.ceil(len / max);
  const out: number[] = [];
  for (let i = from + step - 1; i < n; i += step) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

const TONES: { readonly [D in RegimeDimension]: Readonly<Record<string, Tone>> } = {
  equity: { BULL: 'good', NEUTRAL: 'info', BEAR: 'bad' },
  vol: { LOW: 'good', NORMAL: 'info', HIGH: 'bad' },
  crypto: { RISK_ON: 'good', RISK_OFF: 'warn' },
  macro: { EXPANSION: 'good', SLOWDOWN: 'warn', RECESSION: 'bad' },
};

/** Status fields of the latest snapshot: equity, vol, crypto, macro (neutral dimensions without input are 'info'). */
export function latestFields(tl: RegimeTimeline): StatusField[] {
  const snap = tl.lookup(tl.ts.length ? tl.ts[tl.ts.length - 1]! : -Infinity);
  return DIMENSIONS.map((d) => {
    const value = snap[d];
    const tone = tl.dimensions[d].status === 'ok' ? TONES[d][value] ?? 'info' : 'info';
    return { name: d, value, tone };
  });
}

const legend = (d: RegimeDimension): string => (LEVELS[d] as readonly string[]).map((l, i) => `${i} ${l}`).join(' · ');

export function ruleSeriesBlock(tl: RegimeTimeline): SeriesBlock {
  const idx = thinRows(0, tl.ts.length);
  return {
    kind: 'series',
    title: 'regime timeline (codes: see regime inputs)',
    pane: 'regime',
    x: idx.map((i) => tl.ts[i]!),
    series: DIMENSIONS.map((d) => ({
      name: d,
      values: tl.dimensions[d].status === 'ok' ? idx.map((i) => tl.codes[d][i]!) : idx.map(() => null),
    })),
  };
}

export function inputsTable(tl: RegimeTimeline): Cell[][] {
  return DIMENSIONS.map((d) => {
    const info = tl.dimensions[d];
    return [
      d,
      info.status,
      info.sources.length ? info.sources.join(', ') : info.note ?? '',
      `${info.method}; codes ${legend(d)}`,
      info.firstKnown === null ? null : shortUtc(info.firstKnown, true),
    ];
  });
}

export const ruleReturnRows = (tl: RegimeTimeline, asset: DailySeries): Cell[][] => ruleRegimeReturns(tl, asset).map(returnRowCells);

export const hmmReturnRows = (h: HmmTimeline): Cell[][] => hmmRegimeReturns(h).map(returnRowCells);

export function hmmSeriesBlock(h: HmmTimeline): SeriesBlock {
  const idx = thinRows(h.evalFrom, h.obs.n);
  const L = HMM_LABELS.length;
  return {
    kind: 'series',
    title: `HMM filtered state probabilities (${h.obs.source})`,
    pane: 'regime',
    x: idx.map((i) => h.obs.knownAt[i]!),
    series: HMM_LABELS.map((l, q) => ({ name: `P(${l})`, values: idx.map((i) => Math.round(h.probs[i * L + q]! * 1e6) / 1e6) })),
  };
}

/** Per state of the last fit: label, return moments, mean of every other feature, persistence, share of days. */
export function hmmStateTable(h: HmmTimeline): Block {
  const fit = h.fits[h.fits.length - 1]!;
  const { k, d, means, vars, trans } = fit.params;
  const feats = h.obs.features;
  const ret = feats.indexOf('return');
  const counts = new Array<number>(HMM_LABELS.length).fill(0);
  for (let i = h.evalFrom; i < h.obs.n; i++) if (h.label[i]! >= 0) counts[h.label[i]!]!++;
  const total = counts.reduce((a, b) => a + b, 0);
  const rows: Cell[][] = [];
  for (let j = 0; j < k; j++) {
    const stay = trans[j * k + j]!;
    const label = fit.labels[j]!;
    const labelShare = total ? counts[HMM_LABELS.indexOf(label)]! / total : NaN;
    rows.push([
      j,
      label,
      pct(means[j * d + ret]!, 3),
      pct(Math.sqrt(vars[j * d + ret]!), 2),
      ...feats.flatMap((f, c) => (c === ret ? [] : [Math.round(means[j * d + c]! * 1000) / 1000])),
      Math.round(stay * 1000) / 1000,
      stay < 1 ? Math.round(10 / (1 - stay)) / 10 : null,
      pct(labelShare, 1),
    ]);
  }
  const columns = ['state', 'label', 'mean daily %', 'sd daily %', ...feats.filter((_, c) => c !== ret).map((f) => `mean ${f}`), 'stay prob', 'expected days', 'label share %'];
  const window = h.mode === 'full' ? 'fitted on all days (in-sample parameters)' : `${h.mode} refits, last fit on days ${fit.trainFrom}–${fit.trainTo - 1}`;
  return table(columns, rows, `HMM states of ${h.obs.source}: ${window}`);
}

/** Truth label of every evaluated row (the synthetic daily regime of the row's UTC day). */
export function hmmConfusion(h: HmmTimeline, truth: SyntheticTruth): Confusion {
  const t: string[] = [];
  const p: string[] = [];
  for (let i = h.evalFrom; i < h.obs.n; i++) {
    if (h.label[i]! < 0) continue;
    t.push(dailyRegimeAt(truth, h.obs.dayTs[i]!));
    p.push(HMM_LABELS[h.label[i]!]!);
  }
  return confusionMatrix(t, p, REGIME_NAMES);
}

export function hmmTruthBlocks(h: HmmTimeline, truth: SyntheticTruth): Block[] {
  const c = hmmConfusion(h, truth);
  const rows: Cell[][] = c.classes.map((name, a) => {
    const row = c.matrix[a]!;
    const n = row.reduce((s, v) => s + v, 0);
    return [name, ...row, n, n ? pct(row[a]! / n, 1) : null];
  });
  return [
    table(['truth \\ filtered', ...c.classes, 'days', 'recall %'], rows, `HMM filtered state vs planted regime (${c.n} days)`),
    metrics(
      [
        { name: 'accuracy', value: c.accuracy, unit: '%', digits: 1 },
        { name: `chance (always ${c.chanceLabel})`, value: c.chance, unit: '%', digits: 1 },
        { name: 'days', value: c.n, unit: 'count' },
        { name: 'fit window', value: h.inSample ? `${h.mode} (in-sample parameters)` : h.mode },
      ],
      'HMM recovery of the planted regimes',
    ),
  ];
}
