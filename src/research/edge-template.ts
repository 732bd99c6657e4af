/**
 * `backtest edge:ID`: an edge candidate becomes the parameters of the edge_template model — its
 * family re-run (stored parameters) on its datasets in the session, its condition applied, each
 * event's entry time (trigger bar close) signed by the side its action takes.
 */
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import type { Interval } from '../core/time.js';
import type { StoredCandidate } from '../store/ledger.js';
import { assetBars } from './inputs.js';
import { conditionById } from './conditions.js';
import { familyOf, studyAsset } from './study.js';

export interface EdgeTemplatePlan {
  readonly params: { candidate: string; symbols: string[]; entries: Record<string, number[]>; horizon_bars: number };
  readonly interval: Interval;
  readonly events: number;
}

export function edgeTemplateFor(c: StoredCandidate, datasets: ReadonlyMap<string, Dataset>): EdgeTemplatePlan {
  const family = familyOf(c.family);
  const params = JSON.parse(c.params) as Record<string, number>;
  const condition = conditionById(c.condition);
  if (!condition) throw new UserError(`candidate ${c.id} has an unknown condition '${c.condition}'`, c.id);
  const action = c.action === 'with' ? 1 : -1;
  const entries: Record<string, number[]> = {};
  const symbols: string[] = [];
  let interval: Interval | undefined;
  let events = 0;
  for (const name of c.datasets.split(',')) {
    const ds = datasets.get(name);
    if (!ds) throw new UserError(`candidate ${c.id} was found on ${name}, which is not loaded (load the same data, e.g. \`ingest synthetic\`)`, name);
    const a = studyAsset(assetBars(ds, datasets));
    const why = family.unusable(a.bars);
    if (why) throw new UserError(why, name);
    interval = a.bars.interval;
    const list: number[] = [];
    for (const e of family.detect(a.bars, params)) {
      if (!condition.holds(a.context.trend[e.row]!, a.context.vol[e.row]!)) continue;
      list.push(action * e.direction * (a.bars.ts[e.row]! + a.bars.barMs));
    }
    symbols.push(a.bars.symbol);
    entries[a.bars.symbol] = list;
    events += list.length;
  }
  return { params: { candidate: c.id, symbols, entries, horizon_bars: c.horizon }, interval: interval!, events };
}
