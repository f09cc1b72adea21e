/** step (pure): a percentage rises by at most `max_step` points in one change. */
import type { Finding } from '../model/finding.js';
import { normalizeState, percentageOf, type MaybeState } from '../model/state.js';
import { gateFinding } from './common.js';
import type { FlagChange, GateContext } from './types.js';

type PercentKind = 'percentage_of_actors' | 'percentage_of_time';

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** The percentage key a state uses (time only when it has no actor percentage). */
function kindOf(state: MaybeState): PercentKind | undefined {
  const s = normalizeState(state);
  if (typeof s !== 'object') return undefined;
  if (s.percentage_of_actors !== undefined) return 'percentage_of_actors';
  return s.percentage_of_time !== undefined ? 'percentage_of_time' : undefined;
}

/**
 * The rise is measured on the largest percentage of each state (`percentageOf`): fully on is 100%,
 * off and actors-only are 0%, absent is `default_enabled`.
 */
export function stepGate(change: FlagChange, ctx: Pick<GateContext, 'env'>): Finding[] {
  const max = ctx.env.maxStep;
  if (max === undefined || change.kind !== 'rollout') return [];
  const from = percentageOf(change.before, change.defaultEnabled);
  const to = percentageOf(change.after, change.defaultEnabled);
  const rise = round2(to - from);
  if (rise <= max) return [];
  const kind = kindOf(change.after) ?? kindOf(change.before) ?? 'percentage_of_actors';
  const limit = round2(from + max);
  const target =
    normalizeState(change.after) === true || (change.after === undefined && change.defaultEnabled)
      ? 'fully on'
      : `${to}%`;
  return [
    gateFinding(change, {
      code: 'step/too-large',
      message:
        `${change.env}: the percentage rises from ${from}% to ${target} (${rise} points) in one change, ` +
        `more than max_step ${max}. Set ${kind}: ${limit} now and raise it further in later changes.`,
      hint: 'max_step limits how many percentage points a single change may add; fully on counts as 100%.',
    }),
  ];
}
