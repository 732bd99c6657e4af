/**
 * EdgeTemplateModel_v1: trades a discovery edge candidate (`backtest edge:ID`). Its entries are the
 * candidate's events — found by the family's causal detector on the same bars (each event uses data
 * up to its trigger bar's close only; test/research/point-in-time.test.ts) and filtered by the
 * candidate's condition — each with the side the candidate's action gives. At a decision time equal
 * to an entry's trigger close it takes that side on the symbol (1 / universe size of the budget)
 * and goes flat `horizon_bars` of the symbol's bars later; an entry while a position is open
 * restarts the clock with the new side.
 */
import { z } from 'zod';
import type { Model, ModelContext, ModelDecision } from './types.js';

export const edgeTemplateParams = z
  .object({
    candidate: z.string().min(1).describe('edge candidate id (see `edges`)'),
    symbols: z.array(z.string().min(1)).min(1).describe('symbols traded'),
    entries: z.record(z.string(), z.array(z.number())).describe('per symbol: entry times (trigger bar close, ms), signed by the side'),
    horizon_bars: z.number().int().min(1).describe('bars a position is held'),
  })
  .strict();

export type EdgeTemplateParams = z.infer<typeof edgeTemplateParams>;

interface SymbolState {
  side: number;
  exitIndex: number;
}

export function createEdgeTemplate(p: EdgeTemplateParams): Model {
  const sideAt = p.symbols.map((s) => new Map((p.entries[s] ?? []).map((e) => [Math.abs(e), Math.sign(e)])));
  const weight = 1 / p.symbols.length;
  return {
    name: 'edge_template',
    version: '1.0.0',
    universe: p.symbols,
    warmupBars: 1,
    parameters: p,
    decide(ctx: ModelContext): ModelDecision | null {
      const st = (ctx.state['symbols'] ??= p.symbols.map((): SymbolState => ({ side: 0, exitIndex: -1 }))) as SymbolState[];
      let changed = false;
      for (let i = 0; i < p.symbols.length; i++) {
        const bar = ctx.bars[i]!;
        if (!bar.fresh) continue;
        const s = st[i]!;
        const entry = sideAt[i]!.get(ctx.t);
        if (entry !== undefined) {
          if (s.side !== entry) changed = true;
          s.side = entry;
          s.exitIndex = bar.index + p.horizon_bars;
        } else if (s.side !== 0 && bar.index >= s.exitIndex) {
          s.side = 0;
          changed = true;
        }
      }
      if (!changed) return null;
      return { weights: Object.fromEntries(p.symbols.map((sym, i) => [sym, st[i]!.side * weight])), horizonBars: p.horizon_bars };
    },
  };
}
