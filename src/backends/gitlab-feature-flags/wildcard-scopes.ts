/**
 * Wildcard strategies (scope `*`, `prod*`…) serve an environment next to its own strategies, ORed
 * (`Operations::FeatureFlag.for_unleash_client`). flagops never edits them (they are other environments'
 * too), so when one makes the environment's users see more than the file says, no apply can fix it: this
 * says so, in words a person can act on (pure).
 */
import type { FeatureFlagStrategy, ProjectFeatureFlag } from '../../gitlab/port.js';
import { normalizeState, type MaybeState } from '../../model/state.js';
import { contributionOf, describeStrategy, strategiesOf, unleashGroupId, wildcardStrategiesOf } from './strategies.js';

/** Does the desired state already give everyone this strategy enables (same bucketing for percentages)? */
function covered(
  s: FeatureFlagStrategy,
  desired: MaybeState,
  ctx: { flag: string; own: readonly FeatureFlagStrategy[]; userLists: Readonly<Record<string, string[]>> },
): boolean {
  const c = contributionOf(s, ctx.userLists);
  if (c.kind === 'none') return true;
  const d = normalizeState(desired);
  if (d === true) return true;
  if (d === undefined || d === false) return false;
  if (c.kind === 'on') return false;
  if (c.kind === 'users') {
    const users = new Set(d.actors?.users ?? []);
    return c.users.every((u) => users.has(u));
  }
  const p = c.kind === 'actors' ? d.percentage_of_actors : d.percentage_of_time;
  if (p === undefined || p < c.p) return false;
  if (c.kind === 'time') return true;
  // a percentage of users is the same users only when it buckets them the same way (Unleash: groupId + user id)
  const groupId = s.parameters?.groupId;
  const ours = ctx.own.map((o) => o.parameters?.groupId);
  return groupId !== undefined && (groupId === unleashGroupId(ctx.flag) || ours.includes(groupId));
}

/**
 * Why users of the environment see something else than `desired` because of wildcard strategies, or undefined
 * when they do not. `flag` is the live flag (all scopes); `scope` the environment's own scope.
 */
export function wildcardNote(args: {
  flag: Pick<ProjectFeatureFlag, 'name' | 'active' | 'strategies'>;
  scope: string;
  desired: MaybeState;
  userLists: Readonly<Record<string, string[]>>;
}): string | undefined {
  const { flag, scope } = args;
  // an inactive flag serves nobody, and flagops activates it only for a desired state that enables someone
  const d = normalizeState(args.desired);
  if (!flag.active && (d === undefined || d === false)) return undefined;
  const own = strategiesOf(flag.strategies, scope);
  const extra = wildcardStrategiesOf(flag.strategies, scope).filter(
    (s) => !covered(s, args.desired, { flag: flag.name, own, userLists: args.userLists }),
  );
  if (extra.length === 0) return undefined;
  const list = extra
    .map((s) => `#${s.id ?? '?'} ${describeStrategy(s)} [${s.scopes.map((sc) => sc.environment_scope).join(', ')}]`)
    .join('; ');
  return `GitLab also serves ${scope} ${list}, a strategy of a wildcard scope that flagops does not manage: users see more than the file says`;
}
