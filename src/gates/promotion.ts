/**
 * promotion (pure): the desired exposure of an environment never exceeds the desired exposure of its
 * `after` environment, both read from the flag file (not from live state).
 */
import type { Finding } from '../model/finding.js';
import { describeState, exposure } from '../model/state.js';
import { gateFinding } from './common.js';
import type { FlagChange, GateContext } from './types.js';

export function promotionGate(change: FlagChange, ctx: Pick<GateContext, 'env'>): Finding[] {
  const after = ctx.env.after;
  if (after === null || change.kind !== 'rollout') return [];
  const mine = change.after;
  const theirs = change.desiredByEnv[after];
  if (exposure(mine, change.defaultEnabled) <= exposure(theirs, change.defaultEnabled)) return [];
  const d = change.defaultEnabled;
  return [
    gateFinding(change, {
      code: 'promotion/ahead-of-after',
      message:
        `${change.env}: ${describeState(mine, d)} would expose more than ${after} (${describeState(theirs, d)}), ` +
        `which it is promoted from. Roll out to ${after} first: give it at least the same exposure in this file, ` +
        `or lower ${change.env}.`,
      hint: `Promotion order is ${after} → ${change.env}; exposure order: off < actors < percentage < on.`,
    }),
  ];
}
