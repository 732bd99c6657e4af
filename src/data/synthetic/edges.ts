/**
 * The planted edges: their truth records and how their drift is added. An edge is a causal rule
 * evaluated on the published data (funding rates and liquidations are untouched by any drift;
 * the price rules run online while the bars are built) that adds a constant per-bar drift of
 * size/H to the H bars after the trigger bar:
 *
 *   r_t = r⁰_t + Σ_events sign_e · (size_bps / 10⁴) / H · 1[t_e < t ≤ t_e + H]
 *
 * In placebo mode the drift is zero; the truth keeps the rule, sizeBps 0 and the events the rule
 * finds in the placebo data (what a researcher would test).
 */
import type { EdgeId, PlantedEdge, ResolvedOptions } from './types.js';

const fmt = (x: number): string => String(x);

/** The truth record of each edge that applies to the chosen symbols, in a fixed order. */
export function plantedEdges(o: ResolvedOptions): PlantedEdge[] {
  const crypto = o.cryptoSymbols.map((s) => `${s}:15m`);
  const equity = o.equitySymbols.map((s) => `${s}:1d`);
  const e = o.edges;
  const mk = (
    id: EdgeId,
    title: string,
    assetClass: PlantedEdge['assetClass'],
    datasets: string[],
    summary: string,
    trigger: string,
    effect: string,
    horizonBars: number,
    horizonText: string,
    size: number,
    params: Record<string, number>,
  ): PlantedEdge => ({
    id,
    title,
    assetClass,
    datasets,
    summary,
    trigger,
    effect,
    horizonBars,
    horizonText,
    sizeBps: o.placebo ? 0 : size,
    nominalSizeBps: size,
    active: !o.placebo,
    params,
  });
  const out: PlantedEdge[] = [];
  if (crypto.length > 0) {
    const f = e.funding_extreme_reversal;
    out.push(
      mk(
        'funding_extreme_reversal',
        'funding-extreme reversal',
        'crypto_perp',
        crypto,
        `|funding z| ≥ ${fmt(f.z)} (${f.lookback} settlements)`,
        `at a funding settlement bar (funding_rate set, close at 00/08/16 UTC): z = (F − mean of the previous ${f.lookback} settlements) / their sample sd; z ≥ ${fmt(f.z)} or z ≤ −${fmt(f.z)}`,
        'drift against the sign of z',
        f.horizon_bars,
        `${f.horizon_bars} bars (${(f.horizon_bars * 15) / 60} h)`,
        f.size_bps,
        { ...f },
      ),
    );
    const v = e.vol_compression_breakout;
    out.push(
      mk(
        'vol_compression_breakout',
        'volatility-compression breakout',
        'crypto_perp',
        crypto,
        `${v.channel_bars}-bar channel width ≤ p${fmt(v.percentile * 100)}, close breaks it`,
        `channel = max high / min low of the previous ${v.channel_bars} bars, width w = log(max/min); compression: at most ${fmt(v.percentile * 100)} % of the ${v.history} widths at t − k·${v.step_bars} (k = 1…${v.history}) are below w; breakout: close above the channel high (up) or below its low (down); no new event inside a running horizon`,
        'drift in the breakout direction',
        v.horizon_bars,
        `${v.horizon_bars} bars (${(v.horizon_bars * 15) / 60} h)`,
        v.size_bps,
        { ...v },
      ),
    );
    const l = e.liquidation_exhaustion;
    out.push(
      mk(
        'liquidation_exhaustion',
        'liquidation-exhaustion bounce',
        'crypto_perp',
        crypto,
        `liquidations ≥ ${fmt(l.ratio)}× ${l.lookback_bars}-bar mean`,
        `liquidations_long ≥ ${fmt(l.ratio)} × their mean over the previous ${l.lookback_bars} bars (else the same for liquidations_short); no new event inside a running horizon`,
        'long-liquidation spike: up drift; short-liquidation spike: down drift',
        l.horizon_bars,
        `${l.horizon_bars} bars (${(l.horizon_bars * 15) / 60} h)`,
        l.size_bps,
        { ...l },
      ),
    );
  }
  if (equity.length > 0) {
    const q = e.equity_reversal;
    out.push(
      mk(
        'equity_reversal',
        'equity short-term reversal',
        'etf',
        equity,
        `|daily return| ≥ ${fmt(q.sigma)} sd (${q.lookback_days} d)`,
        `|daily close-to-close log return| ≥ ${fmt(q.sigma)} × sample sd of the previous ${q.lookback_days} daily returns`,
        'drift against the day’s move over the next session (both of its session bars; the overnight gap is untouched)',
        1,
        '1 day (next session)',
        q.size_bps,
        { ...q },
      ),
    );
  }
  return out;
}

/** Add an edge's drift for each signed event ±(row+1) to rows row+1 … row+H (clipped at the end). */
export function addEventDrift(drift: Float64Array, events: readonly number[], horizon: number, sizeBps: number): void {
  if (sizeBps === 0) return;
  const perBar = sizeBps / 1e4 / horizon;
  const n = drift.length;
  for (const ev of events) {
    const row = Math.abs(ev) - 1;
    const d = ev > 0 ? perBar : -perBar;
    for (let j = row + 1; j <= row + horizon && j < n; j++) drift[j]! += d;
  }
}
