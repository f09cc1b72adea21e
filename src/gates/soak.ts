/**
 * soak (DESIGN §4): the `after` environment has held at least the new exposure for `soak`, counted from when flagops
 * applied it there — the recorded applies of that environment (soak-source.ts gathers them), never commit dates.
 * `heldSince` and `judgeSoak` are pure; `soakGate` only fetches the records and hands them over.
 */
import { ConfigError } from '../errors/errors.js';
import { SHALLOW_HINT } from '../git/git.js';
import type { Finding } from '../model/finding.js';
import { describeState, exposure, statesEqual, type MaybeState } from '../model/state.js';
import { formatUtc } from '../util/duration.js';
import { own } from '../util/own.js';
import { formatGateDuration, gateFinding, shortSha } from './common.js';
import type { AppliedVersion, FlagChange, GateContext, RecordedState } from './types.js';

export type HeldSince =
  /** Held continuously since `since` (the oldest converged apply of the unbroken run). */
  | { held: true; since: Date; stop: Stop }
  /** The newest record does not hold it. */
  | { held: false; stop: Stop };

/** Why the walk stopped: a record below the threshold (or unmanaged), an unfinished apply that changed the flag,
 * an unreadable record, or the end of the records. */
export type Stop = { kind: 'below' | 'unfinished' | 'end' } | { kind: 'unreadable'; sha: string };

/**
 * Pure. Walks the records newest first while the environment held at least `threshold`: each converged apply that
 * holds it moves `since` back to its finish time. An apply that did not finish may have left the flag anywhere
 * between its old and new state (flagops' intermediate steps included), so it breaks the run unless it asked for
 * exactly the state of the converged apply before it (nothing of this flag was written).
 */
export function heldSince(versions: readonly AppliedVersion[], threshold: number): HeldSince {
  let since: Date | undefined;
  const result = (stop: Stop): HeldSince => (since ? { held: true, since, stop } : { held: false, stop });
  for (let i = 0; i < versions.length; i++) {
    const v = versions[i]!;
    if (v.state.kind === 'unreadable') return result({ kind: 'unreadable', sha: v.state.sha });
    if (v.state.kind === 'unmanaged' || exposure(v.state.state, v.state.defaultEnabled) < threshold) return result({ kind: 'below' });
    if (!v.converged) {
      const previous = versions.slice(i + 1).find((x) => x.converged);
      if (!previous || !sameState(previous.state, v.state)) return result({ kind: 'unfinished' });
      continue;
    }
    if (since === undefined || v.at < since) since = v.at;
  }
  return result({ kind: 'end' });
}

function sameState(a: RecordedState, b: RecordedState): boolean {
  return a.kind === 'state' && b.kind === 'state' && a.defaultEnabled === b.defaultEnabled && statesEqual(a.state, b.state);
}

/** Pure: the soak findings of one rollout, from the `after` environment's records. */
export function judgeSoak(args: { change: FlagChange; after: string; soakMs: number; soak: string; now: Date; versions: readonly AppliedVersion[] }): Finding[] {
  const { change, after, now } = args;
  const d = change.defaultEnabled;
  const target = `at least ${describeState(change.after, d)}`;
  const required = args.soak;
  const desired: MaybeState = own(change.desiredByEnv, after);
  if (exposure(desired, d) < exposure(change.after, d)) {
    return [
      gateFinding(change, {
        code: 'soak/not-held',
        message:
          `${change.env}: ${after} does not hold ${target} (it is at ${describeState(desired, d)} in this file), ` +
          `so it cannot have soaked for ${required}. Roll out to ${after} first, then to ${change.env} ${required} later.`,
      }),
    ];
  }
  const held = heldSince(args.versions, exposure(change.after, d));
  if (held.held && now.getTime() - held.since.getTime() >= args.soakMs) return [];
  if (held.stop.kind === 'unreadable') {
    return [
      gateFinding(change, {
        code: 'soak/record-unreadable',
        message:
          `${change.env}: ${after} was applied from commit ${shortSha(held.stop.sha)}, which is not in this clone, so flagops cannot tell ` +
          `whether ${after} held ${target} then${held.held ? ` (it has held it since ${formatUtc(held.since)})` : ''}; ${required} of soak are required.`,
        hint: SHALLOW_HINT,
      }),
    ];
  }
  if (!held.held) {
    const why =
      args.versions.length === 0
        ? `flagops has no record of applying ${after}`
        : held.stop.kind === 'unfinished'
          ? `the last apply of ${after} did not finish`
          : `${after} was last applied with less`;
    return [
      gateFinding(change, {
        code: 'soak/not-held',
        message:
          `${change.env}: ${after} has not been applied with ${target} yet (${why}), so it cannot have soaked for ${required}. ` +
          `Apply it to ${after} first, then to ${change.env} ${required} later.`,
        hint: 'Or merge now: the scheduled apply rolls it out once the soak time has passed.',
      }),
    ];
  }
  const heldMs = Math.max(0, now.getTime() - held.since.getTime());
  const until = new Date(held.since.getTime() + args.soakMs);
  return [
    gateFinding(change, {
      code: 'soak/too-early',
      message:
        `${change.env}: ${after} has held ${target} for ${formatGateDuration(heldMs)} of the required ${required} ` +
        `(applied ${formatUtc(held.since)}). Wait until ${formatUtc(until)}.`,
      hint: 'Or merge now: the scheduled apply rolls it out once the soak time has passed.',
    }),
  ];
}

export async function soakGate(change: FlagChange, ctx: GateContext): Promise<Finding[]> {
  const { env } = ctx;
  if (env.after === null || !env.soakMs || change.kind !== 'rollout') return [];
  if (!ctx.applied) throw new ConfigError(`soak of ${env.name} needs the recorded applies of ${env.after}`);
  const versions = await ctx.applied({ env: env.after, flag: change.flag, file: change.file, defaultEnabled: change.defaultEnabled });
  return judgeSoak({ change, after: env.after, soakMs: env.soakMs, soak: env.soak ?? formatGateDuration(env.soakMs), now: ctx.now, versions });
}
