/**
 * computeRuleRegimes: the four rule regimes of seed 003 §6 from their inputs, merged into one
 * point-in-time timeline. A missing input leaves its dimension neutral and is reported in
 * `timeline.dimensions[d]` (not an error); `ruleInputsFrom` turns it into a UserError only for an
 * input the user named explicitly.
 */
import { UserError } from '../core/errors.js';
import type { Dataset } from '../core/table.js';
import type { RegimeConfig } from '../config/sections/regime.js';
import { availableAt } from '../features/align.js';
import type { RegimeDimension } from './codes.js';
import { dailySeries, type DailySeries } from './daily.js';
import { findBars, requireBars } from './resolve.js';
import { cryptoRegime } from './rules/crypto.js';
import { equityRegime } from './rules/equity.js';
import { macroRegime, type MacroInput } from './rules/macro.js';
import type { DimensionSeries } from './rules/series.js';
import { impliedVolRegime, realisedVolRegime } from './rules/vol.js';
import { mergeTimeline, type RegimeTimeline } from './timeline.js';

export interface ImpliedVolInput {
  readonly name: string;
  readonly knownAt: Float64Array;
  readonly value: Float64Array;
}

export interface RuleInputs {
  readonly equity?: DailySeries;
  /** Daily closes for realised vol (used unless `implied` is given and vol.source is not 'realized'). */
  readonly vol?: DailySeries;
  readonly implied?: ImpliedVolInput;
  readonly crypto?: DailySeries;
  readonly pmi?: MacroInput;
  readonly curve?: MacroInput;
  /** Why an input is absent, per dimension (shown in the result). */
  readonly notes?: { readonly [D in RegimeDimension]?: string };
}

export function computeRuleRegimes(inputs: RuleInputs, config: RegimeConfig): RegimeTimeline {
  const series: { [D in RegimeDimension]?: DimensionSeries } = {};
  if (inputs.equity) series.equity = equityRegime(inputs.equity, config.equity);
  if (inputs.implied && config.vol.source !== 'realized') {
    series.vol = impliedVolRegime(inputs.implied.knownAt, inputs.implied.value, inputs.implied.name, config.vol);
  } else if (inputs.vol && config.vol.source !== 'implied') {
    series.vol = realisedVolRegime(inputs.vol, config.vol);
  }
  if (inputs.crypto) series.crypto = cryptoRegime(inputs.crypto, config.crypto);
  if (inputs.pmi || inputs.curve) series.macro = macroRegime(inputs.pmi, inputs.curve, config.macro);
  return mergeTimeline(series, inputs.notes ?? {});
}

/** Which inputs the user named on the command line (those must exist). */
export interface ExplicitInputs {
  readonly equity?: string;
  readonly crypto?: string;
  readonly vol?: string;
}

function seriesInput(ds: Dataset): { knownAt: Float64Array; value: Float64Array } {
  const cols = ds.table.columns;
  const v = cols['value'] instanceof Float64Array ? cols['value'] : cols['close'];
  if (!(v instanceof Float64Array)) throw new UserError("needs a numeric 'value' (series) or 'close' (bars) column", ds.name);
  return { knownAt: availableAt(ds), value: v };
}

/**
 * Gather the rule inputs from the session's datasets. Config names are looked up softly (absent →
 * the dimension stays neutral, with a note); names in `explicit` must resolve or a UserError says
 * which bar symbols exist. `vol.source: implied` also requires its dataset.
 */
export function ruleInputsFrom(datasets: ReadonlyMap<string, Dataset>, config: RegimeConfig, explicit: ExplicitInputs = {}): RuleInputs & { readonly used: readonly Dataset[] } {
  const notes: { [D in RegimeDimension]?: string } = {};
  const used: Dataset[] = [];
  const bars = (spec: string, dim: RegimeDimension, isExplicit: boolean): DailySeries | undefined => {
    const ds = isExplicit ? requireBars(datasets, spec, 'daily', `--${dim}`) : findBars(datasets, spec, 'daily');
    if (!ds) {
      notes[dim] = `no dataset or symbol '${spec}' with price bars`;
      return undefined;
    }
    if (!used.includes(ds)) used.push(ds);
    return dailySeries(ds);
  };
  const equity = bars(explicit.equity ?? config.equity.symbol, 'equity', explicit.equity !== undefined);
  let implied: ImpliedVolInput | undefined;
  if (config.vol.source !== 'realized') {
    const name = config.vol.implied_datasets.find((n) => datasets.has(n));
    if (name) {
      const ds = datasets.get(name)!;
      used.push(ds);
      implied = { name, ...seriesInput(ds) };
    } else if (config.vol.source === 'implied') {
      throw new UserError(`vol.source is 'implied' but none of ${config.vol.implied_datasets.join(', ')} is loaded`, 'regime.vol');
    }
  }
  const volSpec = explicit.vol ?? config.vol.symbol;
  const vol = implied ? undefined : volSpec === (explicit.equity ?? config.equity.symbol) && equity ? equity : bars(volSpec, 'vol', explicit.vol !== undefined);
  const crypto = bars(explicit.crypto ?? config.crypto.symbol, 'crypto', explicit.crypto !== undefined);
  const macro = (name: string): MacroInput | undefined => {
    const ds = datasets.get(name);
    if (!ds) return undefined;
    used.push(ds);
    const s = seriesInput(ds);
    return { name, ts: s.knownAt, value: s.value };
  };
  const pmi = macro(config.macro.pmi_dataset);
  const curve = macro(config.macro.curve_dataset);
  if (!pmi && !curve) notes.macro = `neither ${config.macro.pmi_dataset} nor ${config.macro.curve_dataset} is loaded`;
  return {
    ...(equity ? { equity } : {}),
    ...(vol ? { vol } : {}),
    ...(implied ? { implied } : {}),
    ...(crypto ? { crypto } : {}),
    ...(pmi ? { pmi } : {}),
    ...(curve ? { curve } : {}),
    notes,
    used,
  };
}
