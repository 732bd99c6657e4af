import { z } from 'zod';
import { defineCommand } from '../../src/shell/command.js';
import { ok, table, text, gates, type Cell, type Gate } from '../../src/core/result.js';
import { computeReadiness } from '../../src/data/readiness/compute.js';
import { UserError, throwIfAborted } from '../../src/core/errors.js';
import { createRng } from '../../src/core/rng.js';
import { shortUtc } from '../../src/core/time.js';
import { short } from '../../src/core/canonical.js';
import type { Dataset } from '../../src/core/table.js';
import { generateSyntheticMarketAsync, toDatasets, truthOf, type SyntheticOptions } from '../../src/data/synthetic/index.js';
import { spotDatasets } from '../../src/data/synthetic/spot.js';
import { generateUniverse, UNIVERSE_BAR_MS } from '../../src/data/synthetic/universe.js';

export default defineCommand({
  name: 'synthetic',
  summary: 'generate the seeded demo market (crypto 15m, ETFs 1d/4h, macro) with planted edges of known size',
  job: true,
  usage: '[--seed N] [--placebo] [--start DATE] [--years N] [--symbols A,B] [--equity-start DATE] [--long] [--spot] [--universe N]',
  schema: z.object({
    seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).optional().describe('generator seed (default: synthetic.seed, else the session seed)'),
    placebo: z.boolean().default(false).describe('the same process with every planted edge switched off'),
    start: z.string().optional().describe('first UTC day of the crypto 15m bars, e.g. 2019-01-01'),
    years: z.coerce.number().positive().max(10).optional().describe('years of data after --start (fractions allowed)'),
    symbols: z.string().optional().describe('comma-separated symbols: *USDT are crypto perpetuals, others ETFs (e.g. BTCUSDT,ETHUSDT,SPY)'),
    equityStart: z.string().optional().describe('first UTC day of the ETF and macro series'),
    long: z.boolean().default(false).describe('allow a market spanning up to 200 years (equity start to end) instead of 40'),
    spot: z.boolean().default(false).describe('also a spot twin of each perpetual (SYMBOL-SPOT:15m) with a basis process and a planted desync edge; other datasets unchanged'),
    universe: z.coerce.number().int().min(2).max(500).optional().describe('also N hourly perpetuals XS001USDT.. with planted carry and reversal loadings (an AlphaBundle universe, docs/alpha.md); other datasets unchanged'),
  }),
  examples: ['ingest synthetic', 'ingest synthetic --seed 7 --placebo', 'ingest synthetic --symbols BTCUSDT,SPY --years 1', 'ingest synthetic --universe 50 --years 1'],
  async run(session, args, io) {
    const cfg = session.config.synthetic;
    const seed = args.seed ?? cfg.seed ?? session.seed;
    const options: SyntheticOptions = {
      seed,
      start: args.start ?? cfg.start,
      years: args.years ?? cfg.years,
      equityStart: args.equityStart ?? cfg.equity_start,
      symbols: args.symbols !== undefined ? args.symbols.split(',') : cfg.symbols,
      placebo: args.placebo || cfg.placebo,
      edges: cfg.edges,
      long: args.long,
    };
    throwIfAborted(io.signal);
    io.progress({ label: 'synthetic market' });
    const market = await generateSyntheticMarketAsync(options, (stream) => createRng(seed, stream), io.signal);
    // Synthetic data arrives clean, but it passes the same readiness gate as anything else.
    // The universe draws from its own stream ('synthetic/universe'): the demo datasets keep their digests.
    const universe = args.universe !== undefined
      ? generateUniverse({ symbols: args.universe, startMs: market.options.startMs, bars: Math.round((market.options.endMs - market.options.startMs) / UNIVERSE_BAR_MS), placebo: market.options.placebo }, createRng(seed, 'synthetic/universe'))
      : [];
    const datasets = [...toDatasets(market), ...(args.spot ? spotDatasets(market, (stream) => createRng(seed, stream)) : []), ...universe].map((d) => (d.kind === 'bars' || d.kind === 'funding' || d.kind === 'series' ? { ...d, gate: computeReadiness(d, session.config) } : d));
    throwIfAborted(io.signal);
    const clash = datasets.filter((d) => {
      const prev = session.datasets.get(d.name);
      return prev !== undefined && prev.source !== 'synthetic';
    });
    if (clash.length > 0) {
      throw new UserError(
        `${clash.map((d) => d.name).join(', ')} already loaded from ${session.datasets.get(clash[0]!.name)!.source}; choose other --symbols`,
        'ingest synthetic',
      );
    }
    for (const ds of datasets) session.addDataset(ds);

    const o = market.options;
    const count = (pred: (d: Dataset) => boolean): number => datasets.filter(pred).length;
    const parts = [
      `${datasets.length} datasets`,
      o.cryptoSymbols.length ? `${o.cryptoSymbols.length} crypto 15m + funding` : '',
      o.equitySymbols.length ? `${o.equitySymbols.length} ETF 1d/4h` : '',
      args.spot ? `${count((d) => d.assetClass === 'crypto_spot')} spot twins` : '',
      args.universe !== undefined ? `universe of ${args.universe} 1h perpetuals + funding` : '',
      `${count((d) => d.assetClass === 'macro')} macro`,
      o.placebo ? 'placebo: no planted edges' : `${market.edges.length} planted edges`,
      `seed ${seed}`,
    ].filter((p) => p !== '');
    const gated = datasets.filter((d) => d.gate);
    const ready = gated.filter((d) => d.gate!.pass).length;
    parts.push(`${ready}/${gated.length} ready`);
    const summary = parts.join(' · ');
    const readiness: Gate[] = gated.map((d) => {
      const failing = d.gate!.gates.filter((g) => !g.pass);
      const coverage = d.gate!.gates.find((g) => g.name === 'coverage')?.value ?? null;
      return {
        name: d.name,
        value: coverage,
        threshold: 'every readiness gate',
        pass: failing.length === 0,
        ...(failing.length ? { reason: failing.map((g) => g.reason ?? g.name).join('; ') } : {}),
      };
    });

    const rows: Cell[][] = datasets.map((d) => {
      const ts = d.table.columns['ts'] as Float64Array;
      const daily = d.interval === '1d';
      return [d.name, d.table.length, d.table.length ? shortUtc(ts[0]!, daily) : '', d.table.length ? shortUtc(ts[d.table.length - 1]!, daily) : '', short(d.digest)];
    });
    const edgeRows: Cell[][] = market.edges.map((e) => {
      let events = 0;
      for (const name of e.datasets) {
        const ds = datasets.find((d) => d.name === name);
        events += ds ? (truthOf(ds)?.events[e.id]?.length ?? 0) : 0;
      }
      return [e.id, e.summary, e.horizonText, e.sizeBps, events, e.datasets.length];
    });
    return ok(
      'ingest synthetic',
      [
        text(summary),
        table(['dataset', 'rows', 'from', 'to', 'digest'], rows, 'datasets'),
        gates(`readiness · ${ready}/${gated.length} datasets ready (datasets NAME shows every gate)`, readiness),
        table(['edge', 'trigger', 'horizon', 'size bps', 'events', 'datasets'], edgeRows, o.placebo ? 'planted edges (placebo: size 0)' : 'planted edges (ground truth)'),
      ],
      summary,
    );
  },
});
