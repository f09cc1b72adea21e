/**
 * soak: the `after` environment has held at least the new exposure for `soak`, measured on the flag file's
 * history on the target branch (commit times), with the working tree's desired state counted as "now".
 */
import { ConfigError } from '../errors/errors.js';
import { SHALLOW_HINT } from '../git/git.js';
import type { Finding } from '../model/finding.js';
import { describeState, exposure, type MaybeState } from '../model/state.js';
import { formatUtc } from '../util/duration.js';
import { formatGateDuration, gateFinding } from './common.js';
import type { FlagChange, FlagRevision, GateContext } from './types.js';

export interface HeldSince {
  /** Since when the environment has held the exposure continuously; undefined when it does not hold it now. */
  since: Date | undefined;
  /** Every known revision held it: older history (before the oldest revision) is unknown. */
  reachedOldest: boolean;
}

/**
 * Pure: walk the revisions newest first while the environment's exposure stays at or above `threshold`.
 * `current` is the working tree's state (at `now`); a revision without readable environments breaks the run.
 */
export function heldSince(args: {
  revisions: readonly FlagRevision[];
  env: string;
  threshold: number;
  now: Date;
  current: { state: MaybeState; defaultEnabled: boolean };
}): HeldSince {
  if (exposure(args.current.state, args.current.defaultEnabled) < args.threshold) {
    return { since: undefined, reachedOldest: false };
  }
  let since = args.now;
  for (const rev of args.revisions) {
    if (rev.environments === undefined) return { since, reachedOldest: false };
    if (exposure(rev.environments[args.env], rev.defaultEnabled) < args.threshold)
      return { since, reachedOldest: false };
    if (rev.committedAt < since) since = rev.committedAt;
  }
  return { since, reachedOldest: args.revisions.length > 0 };
}

export async function soakGate(change: FlagChange, ctx: GateContext): Promise<Finding[]> {
  const { env } = ctx;
  if (env.after === null || !env.soakMs || change.kind !== 'rollout') return [];
  if (!ctx.history) throw new ConfigError(`soak of ${env.name} needs the git history of the flag files`);
  const after = env.after;
  const d = change.defaultEnabled;
  const threshold = exposure(change.after, d);
  const target = `at least ${describeState(change.after, d)}`;
  const required = env.soak ?? formatGateDuration(env.soakMs);
  const current = change.desiredByEnv[after];

  const history = await ctx.history({ flag: change.flag, file: change.file });
  const held = heldSince({
    revisions: history.revisions,
    env: after,
    threshold,
    now: ctx.now,
    current: { state: current, defaultEnabled: d },
  });

  if (held.since === undefined) {
    return [
      gateFinding(change, {
        code: 'soak/not-held',
        message:
          `${change.env}: ${after} does not hold ${target} (it is at ${describeState(current, d)} in this file), ` +
          `so it cannot have soaked for ${required}. Roll out to ${after} first, then to ${change.env} ${required} later.`,
      }),
    ];
  }
  const heldMs = ctx.now.getTime() - held.since.getTime();
  if (heldMs >= env.soakMs) return [];
  const until = new Date(held.since.getTime() + env.soakMs);
  if (held.since.getTime() === ctx.now.getTime()) {
    return [
      gateFinding(change, {
        code: 'soak/not-held',
        message:
          `${change.env}: ${after} only gets ${target} in this same change; it must hold it for ${required} first. ` +
          `Roll out to ${after} alone now, and to ${change.env} in a later change after ${required}.`,
      }),
    ];
  }
  if (held.reachedOldest && history.shallow) {
    return [
      gateFinding(change, {
        code: 'soak/shallow-history',
        message:
          `${change.env}: ${after} has held ${target} at least since ${formatUtc(held.since)}, the oldest commit of this ` +
          `shallow clone: ${formatGateDuration(heldMs)} of the required ${required}. Older history is needed to know more.`,
        hint: SHALLOW_HINT,
      }),
    ];
  }
  return [
    gateFinding(change, {
      code: 'soak/too-early',
      message:
        `${change.env}: ${after} has held ${target} for ${formatGateDuration(heldMs)} of the required ${required} ` +
        `(since ${formatUtc(held.since)}). Wait until ${formatUtc(until)}.`,
      hint: 'Or merge now: the scheduled apply rolls it out once the soak time has passed.',
    }),
  ];
}
