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
import type { AppliedVersion, FlagChange, GateContext, InstanceHistory, RecordedState } from './types.js';

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

/**
 * Pure: the soak findings of one rollout, from the `after` environment's records. `versions` are a plain
 * environment's; `instances` a ring's, one history per instance. A ring has held the exposure only once every one of
 * its instances has (README "Rings"): it counts from the LAST instance's converged apply, and an instance that has
 * not held it (failed, never applied, applied with less) holds the rollout and is named.
 */
export function judgeSoak(args: {
  change: FlagChange;
  after: string;
  soakMs: number;
  soak: string;
  now: Date;
  versions?: readonly AppliedVersion[];
  instances?: readonly InstanceHistory[];
}): Finding[] {
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
  const ring = args.instances !== undefined && args.instances.some((h) => h.record !== after);
  const histories: readonly InstanceHistory[] = args.instances ?? [{ instance: after, record: after, versions: args.versions ?? [] }];
  const threshold = exposure(change.after, d);
  const judged = histories.map((h) => ({ h, held: heldSince(h.versions, threshold) }));
  // the ring's clock: the latest `since` of its instances; any instance that has not held it holds the ring
  const notHeld = judged.filter((j) => !j.held.held);
  const unreadable = judged.find((j) => j.held.stop.kind === 'unreadable');
  const latest = judged.reduce<{ since: Date; instance: string } | undefined>((acc, j) => {
    if (!j.held.held) return acc;
    return !acc || j.held.since > acc.since ? { since: j.held.since, instance: j.h.instance } : acc;
  }, undefined);
  if (notHeld.length === 0 && latest && now.getTime() - latest.since.getTime() >= args.soakMs) return [];
  const whose = (names: readonly string[]): string => (ring ? ` (instance${names.length > 1 ? 's' : ''} ${names.join(', ')} of ${histories.length})` : '');
  if (unreadable && unreadable.held.stop.kind === 'unreadable') {
    const held = unreadable.held;
    return [
      gateFinding(change, {
        code: 'soak/record-unreadable',
        message:
          `${change.env}: ${after}${whose([unreadable.h.instance])} was applied from commit ${shortSha(unreadable.held.stop.sha)}, which is not in this clone, so flagops cannot tell ` +
          `whether ${after} held ${target} then${held.held ? ` (it has held it since ${formatUtc(held.since)})` : ''}; ${required} of soak are required.`,
        hint: SHALLOW_HINT,
      }),
    ];
  }
  if (notHeld.length > 0 || !latest) {
    const first = notHeld[0] ?? judged[0];
    const stop = first?.held.stop.kind;
    const why =
      !first || first.h.versions.length === 0
        ? `flagops has no record of applying ${ring ? `${first?.h.record ?? after}` : after}`
        : stop === 'unfinished'
          ? `the last apply of ${ring ? first.h.record : after} did not finish`
          : `${ring ? first.h.record : after} was last applied with less`;
    const converged = ring ? `; ${histories.length - notHeld.length} of ${histories.length} instances hold it` : '';
    return [
      gateFinding(change, {
        code: 'soak/not-held',
        message:
          `${change.env}: ${after}${whose(notHeld.map((j) => j.h.instance))} has not been applied with ${target} yet (${why}${converged}), so it cannot have soaked for ${required}. ` +
          `Apply it to ${ring ? `every instance of ${after}` : after} first, then to ${change.env} ${required} later.`,
        hint: ring ? `flagops apply --env ${after} completes the instances that are missing; the soak counts from the last one.` : 'Or merge now: the scheduled apply rolls it out once the soak time has passed.',
      }),
    ];
  }
  const heldMs = Math.max(0, now.getTime() - latest.since.getTime());
  const until = new Date(latest.since.getTime() + args.soakMs);
  return [
    gateFinding(change, {
      code: 'soak/too-early',
      message:
        `${change.env}: ${after} has held ${target} for ${formatGateDuration(heldMs)} of the required ${required} ` +
        `(applied ${formatUtc(latest.since)}${ring ? ` to its last instance, ${latest.instance}` : ''}). Wait until ${formatUtc(until)}.`,
      hint: 'Or merge now: the scheduled apply rolls it out once the soak time has passed.',
    }),
  ];
}

export async function soakGate(change: FlagChange, ctx: GateContext): Promise<Finding[]> {
  const { env } = ctx;
  if (env.after === null || !env.soakMs || change.kind !== 'rollout') return [];
  if (!ctx.applied) throw new ConfigError(`soak of ${env.name} needs the recorded applies of ${env.after}`);
  const instances = await ctx.applied({ env: env.after, flag: change.flag, file: change.file, defaultEnabled: change.defaultEnabled });
  return judgeSoak({ change, after: env.after, soakMs: env.soakMs, soak: env.soak ?? formatGateDuration(env.soakMs), now: ctx.now, instances });
}
