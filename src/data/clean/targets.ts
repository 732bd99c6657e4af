/**
 * Which clean intervals to build from a source. Canonical intraday/daily targets are 15m, 1h, 4h
 * and 1d; weekly and monthly sources stay weekly and monthly. A target must be at least as coarse
 * as the source and (for fixed grids) a whole multiple of it.
 */
import { UserError } from '../../core/errors.js';
import { DAY, INTERVALS, intervalMs, type Interval } from '../../core/time.js';

export const CANONICAL_TARGETS: readonly Interval[] = ['15m', '1h', '4h', '1d'];
const COARSE: readonly Interval[] = ['1w', '1M'];

const lengthOf = (iv: Interval): number => (iv === '1M' ? 28 * DAY : intervalMs(iv));

/**
 * Resolve `--to`: undefined/'native' → the smallest target at least as coarse as the source; 'all'
 * → every canonical target that is; or a comma list. `sourceStep` is the source interval (or the
 * median step of irregular bars; 0 for trades).
 */
export function resolveTargets(spec: string | undefined, source: Interval | undefined, sourceStep: number): Interval[] {
  const step = source ? lengthOf(source) : sourceStep;
  const candidates = [...CANONICAL_TARGETS, ...COARSE];
  if (spec === undefined || spec === '' || spec === 'native') {
    if (source === '1M') return ['1M'];
    const t = candidates.find((iv) => lengthOf(iv) >= step);
    if (!t) throw new UserError(`no clean interval is coarse enough for steps of ${step} ms`, 'to');
    return [t];
  }
  if (spec === 'all') {
    const all = CANONICAL_TARGETS.filter((iv) => lengthOf(iv) >= step && (!source || intervalMs(iv) % intervalMs(source) === 0));
    if (all.length) return all;
    return resolveTargets(undefined, source, sourceStep);
  }
  const out: Interval[] = [];
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(INTERVALS as readonly string[]).includes(raw)) throw new UserError(`unknown interval '${raw}' (one of ${INTERVALS.join(', ')}, all, native)`, 'to');
    const iv = raw as Interval;
    if (lengthOf(iv) < step) throw new UserError(`cannot make ${iv} bars from coarser ${source ?? 'irregular'} bars`, 'to');
    if (source && source !== iv && iv !== '1M' && source !== '1M' && intervalMs(iv) % intervalMs(source) !== 0)
      throw new UserError(`${iv} is not a whole number of ${source} bars`, 'to');
    if (source === '1M' && iv !== '1M') throw new UserError(`monthly bars can only stay monthly`, 'to');
    if (!out.includes(iv)) out.push(iv);
  }
  if (out.length === 0) throw new UserError('give at least one interval', 'to');
  return out.sort((a, b) => lengthOf(a) - lengthOf(b));
}
