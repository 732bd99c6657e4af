/**
 * A run for the decisions alone without the book (engine/decisions.ts) makes the very decide calls a
 * Trader makes (engine.ts `runForDecisions`): same contexts (time, step, bars, budget fraction,
 * regime) and same decisions, call for call, on the demo portfolio and every registry model that
 * does not read the book; a model that reads its budget's value or its exposures ends it with
 * BookReadError, also when it catches the error. Through the `backtest` pipeline, the probe outcomes
 * (look-ahead, warm-up, gates) are the same whether the probe runs are made without the book or,
 * because the models read it, through the Trader.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createRng } from '../../src/core/rng.js';
import { portfolioPlan, singleModelPlan, type BacktestPlan } from '../../src/backtest/run-backtest-plan.js';
import { prepareBacktest, runBacktestReport } from '../../src/backtest/run-backtest.js';
import { runDecisionsWithoutBook, runForDecisions } from '../../src/backtest/engine.js';
import { BookReadError } from '../../src/engine/decisions.js';
import type { Model, ModelContext } from '../../src/models/types.js';
import { modelNames } from '../../src/models/registry.js';
import { generateSyntheticMarket, toDatasets } from '../../src/data/synthetic/index.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const { config } = loadConfig(resolve(root, 'configs/base.yaml'));
const market = generateSyntheticMarket({ seed: 7, start: '2021-01-01', years: 1.2, equityStart: '2021-01-01' }, (s) => createRng(7, s));
const data = new Map(toDatasets(market).map((d) => [d.name, d] as const));

/** Every decide call of a run: what the context held (besides the book) and what the model returned. */
function recordCalls(model: Model, calls: string[]): Model {
  return {
    ...model,
    decide(ctx: ModelContext) {
      const d = model.decide(ctx);
      const bars = ctx.bars.map((b) => `${b.index}:${b.close}:${b.fresh}`).join(',');
      calls.push(`${model.name} t=${ctx.t} k=${ctx.barIndex} f=${ctx.budget.fraction} r=${JSON.stringify(ctx.regime)} ${bars} -> ${JSON.stringify(d)}`);
      return d;
    },
  };
}

function calls(plan: BacktestPlan, run: (input: Parameters<typeof runForDecisions>[0]) => void): string[] {
  const out: string[] = [];
  const { input } = prepareBacktest(plan, data, false, (m) => recordCalls(m, out));
  run(input);
  return out;
}

const needsArtifacts = new Set(['alpha_bundle', 'edge_template', 'hybrid_alpha']);
const readsBook = new Set(['vol_compression_v1']);

describe('decisions without the book = the Trader\'s decide calls', () => {
  it('the demo portfolio: the same calls, call for call', () => {
    const plan = portfolioPlan(config);
    const trader = calls(plan, runForDecisions);
    const alone = calls(plan, runDecisionsWithoutBook);
    expect(trader.length).toBeGreaterThan(1000);
    expect(alone).toEqual(trader);
  }, 60_000);

  for (const name of modelNames().filter((n) => !needsArtifacts.has(n))) {
    it(`${name} alone: the same calls, or BookReadError when it reads the book`, () => {
      const plan = singleModelPlan(config, name);
      const trader = calls(plan, runForDecisions);
      let alone: string[] | BookReadError;
      try {
        alone = calls(plan, runDecisionsWithoutBook);
      } catch (err) {
        if (!(err instanceof BookReadError)) throw err;
        alone = err;
      }
      // this reads the book (vol_compression_v1 reads its exposures): it must take the Trader. sma_cross with its
      // default equity sizing does not read its budget's value (its weight is ±F whatever the NAV): the same calls
      if (readsBook.has(name)) expect(alone).toBeInstanceOf(BookReadError);
      else expect(alone).toEqual(trader);
    }, 60_000);
  }

  it('a model that catches the book read still ends the run', () => {
    const plan = singleModelPlan(config, 'equity_trend');
    const { input } = prepareBacktest(plan, data, false, (m) => ({
      ...m,
      decide(ctx: ModelContext) {
        try {
          void ctx.exposures[m.universe[0]!];
        } catch {
          // swallowed on purpose
        }
        return m.decide(ctx);
      },
    }));
    expect(() => runDecisionsWithoutBook(input)).toThrow(BookReadError);
  });
});

describe('probe outcomes through the pipeline', () => {
  it('the same whether the probe runs are made without the book or through the Trader', async () => {
    const plan = portfolioPlan(config);
    const plain = (m: Model): Model => ({ ...m, decide: (ctx) => m.decide(ctx) });
    // reading the budget's value sends every probe run of the event engine through the Trader
    const readingBook = (m: Model): Model => ({ ...m, decide: (ctx) => (void ctx.budget.value, m.decide(ctx)) });
    const alone = await runBacktestReport(plan, data, { decorate: plain });
    const trader = await runBacktestReport(plan, data, { decorate: readingBook });
    expect(alone.digest).toBe(trader.digest);
    expect(alone.lookAhead).toEqual(trader.lookAhead);
    expect(alone.warmup).toEqual(trader.warmup);
    expect(alone.gates).toEqual(trader.gates);
    expect(alone.lookAhead?.cuts.length).toBeGreaterThan(0);
    expect(alone.warmup?.length).toBeGreaterThan(0);
  }, 120_000);
});
