/**
 * Phase 1 over the chosen assets: group them (asset class × interval), run each event family on
 * each asset, and pool the events of a group per horizon into observations. Families that cannot
 * run on an asset (no funding, no spot twin, all-NaN input) and groups with too few events are
 * reported with their reason instead of failing the run.
 */
import { UserError } from '../core/errors.js';
import type { AssetBars, EventFamily, FamilyEvent, FamilyId, FamilyParams } from './types.js';
import { FAMILIES } from './families/index.js';
import { barContext, type BarContext } from './context.js';
import { forwardReturns, observe, type AssetEvents, type ForwardReturns } from './event-study.js';
import type { EventSet } from './hypotheses.js';

export interface StudyAsset {
  readonly bars: AssetBars;
  readonly context: BarContext;
  /** Forward returns per horizon, computed on first use. */
  forward(horizon: number): ForwardReturns;
}

/** Context and forward returns are computed on first use: a shell sending its units to workers never needs them. */
export function studyAsset(bars: AssetBars): StudyAsset {
  const cache = new Map<number, ForwardReturns>();
  let context: BarContext | undefined;
  return {
    bars,
    get context() {
      return (context ??= barContext(bars));
    },
    forward(h) {
      let f = cache.get(h);
      if (!f) cache.set(h, (f = forwardReturns(bars, h)));
      return f;
    },
  };
}

export interface AssetGroup {
  /** e.g. 'crypto_perp 15m'. */
  readonly label: string;
  readonly assets: readonly StudyAsset[];
}

export function groupAssets(assets: readonly StudyAsset[]): AssetGroup[] {
  const by = new Map<string, StudyAsset[]>();
  for (const a of assets) {
    const label = `${a.bars.assetClass} ${a.bars.interval}`;
    by.set(label, [...(by.get(label) ?? []), a]);
  }
  return [...by].map(([label, list]) => ({ label, assets: list }));
}

export interface Skip {
  readonly family: FamilyId;
  readonly where: string;
  readonly reason: string;
}

export interface GroupEvents {
  readonly family: EventFamily;
  readonly group: AssetGroup;
  readonly params: FamilyParams;
  /** The assets the family ran on, with their events. */
  readonly perAsset: readonly { readonly asset: StudyAsset; readonly events: readonly FamilyEvent[] }[];
}

/** Run one family on one group with given parameters (default: the family's for the group's bar length). */
export function detectGroup(family: EventFamily, group: AssetGroup, skips: Skip[], params?: FamilyParams): GroupEvents {
  const p = params ?? family.defaults(group.assets[0]!.bars.barMs);
  const perAsset: { asset: StudyAsset; events: FamilyEvent[] }[] = [];
  for (const asset of group.assets) {
    const why = family.unusable(asset.bars);
    if (why) {
      skips.push({ family: family.id, where: asset.bars.name, reason: why });
      continue;
    }
    perAsset.push({ asset, events: family.detect(asset.bars, p) });
  }
  return { family, group, params: p, perAsset };
}

export function eventSet(g: GroupEvents, horizon: number): EventSet {
  const assets: AssetEvents[] = g.perAsset.map(({ asset, events }) => ({ bars: asset.bars, context: asset.context, events, fwd: asset.forward(horizon) }));
  const obs = observe(assets, horizon);
  return {
    family: g.family.id,
    params: g.params,
    group: g.group.label,
    datasets: g.perAsset.map((x) => x.asset.bars.name),
    horizon,
    baseline: assets.every((a) => a.fwd.kind === 'regime') ? 'regime' : 'unconditional',
    obs,
  };
}

export function familyOf(id: string): EventFamily {
  const f = (FAMILIES as Record<string, EventFamily>)[id];
  if (!f) throw new UserError(`unknown event family '${id}' (families: ${Object.keys(FAMILIES).join(', ')}, or all)`, id);
  return f;
}
