/**
 * flagops states ↔ project feature flag strategies (Unleash), for one environment scope (pure).
 *
 * Decisions:
 * - flagops writes only the strategies with a scope whose `environment_scope` is exactly this
 *   environment's scope. GitLab serves the environment every strategy whose scope matches it, `*` and
 *   globs like `prod*` included, ORed (`Operations::FeatureFlag.for_unleash_client`), so the live state
 *   (what the environment's users see) is read from all of them; wildcard strategies are never touched,
 *   and one that makes users see something else than the file says is reported (see `wildcardNote`).
 * - true → `default`; percentage_of_actors p → `flexibleRollout {rollout: p, stickiness: userId}`;
 *   percentage_of_time p → `flexibleRollout {stickiness: random}`; users → `userWithId {userIds}`.
 *   Strategies are OR'ed like Flipper's gates, so both percentages and users combine freely.
 *   `flexibleRollout` is what GitLab's UI creates ("Percent rollout"); a live `gradualRolloutUserId`
 *   ("Percent of users", same user hashing) or `gitlabUserList` with the same users is accepted as is.
 * - `groupId` must match `^[a-z]{1,32}$`: the flag name's letters (so flags bucket users
 *   differently), or an existing strategy's `groupId` when one is edited (so raising a percentage
 *   keeps the users who already have the feature).
 * - absent (undefined) = no strategy in this scope: GitLab's Unleash endpoint then does not serve the
 *   flag to this environment and clients fall back to the application's own default (the fallback
 *   passed to `isEnabled`); Unleash clients never see the flag file's `default_enabled`.
 *   false = one strategy that enables nobody (`flexibleRollout` 0%): the flag is served, and off.
 * - An inactive flag (`active: false`) serves nothing anywhere: it reads as false. Turning it on in
 *   this scope sets `active: true`, which re-enables the flag's other scopes too.
 */
import type { FeatureFlagStrategy, ProjectFeatureFlag } from '../../gitlab/port.js';
import { normalizeState, type ConditionalState, type FlagState } from '../../model/state.js';

/** Backend data kept in `LiveFlag.meta`: the whole flag, so edits can address strategies by id. */
export interface FeatureFlagsMeta {
  active: boolean;
  strategies: FeatureFlagStrategy[];
  /** User list id → its user ids, for `gitlabUserList` strategies. */
  userLists: Record<string, string[]>;
  /** The state of this environment's own scope alone (what flagops writes); `LiveFlag.state` is what users see. */
  own?: FlagState | null;
}

/** A strategy body without ids: what one target needs. */
export interface StrategyBody {
  name: FeatureFlagStrategy['name'];
  parameters: Record<string, string>;
}

/** Anything shaped like a strategy (live, target, or edit). */
export type StrategyLike = Pick<FeatureFlagStrategy, 'name'> &
  Partial<Pick<FeatureFlagStrategy, 'parameters' | 'user_list' | 'user_list_id'>>;

export type Contribution =
  | { kind: 'on' }
  | { kind: 'actors'; p: number }
  | { kind: 'time'; p: number }
  | { kind: 'users'; users: string[] }
  | { kind: 'none' };

/** GitLab's rule for `groupId`: 1–32 lowercase letters. */
export function unleashGroupId(flag: string): string {
  const letters = flag
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .slice(0, 32);
  return letters === '' ? 'default' : letters;
}

export function splitUserIds(userIds: string | undefined): string[] {
  return (userIds ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
}

export function hasScope(strategy: FeatureFlagStrategy, scope: string): boolean {
  return strategy.scopes.some((s) => s.environment_scope === scope && s._destroy !== true);
}

/**
 * Does `environment_scope` serve the environment named `environment`? `*`, the name itself, or a glob over it
 * (has_environment_scope.rb `on_environment`: `Gitlab::SQL::Glob.to_like`, `*` any run, the rest literal).
 */
export function scopeServes(scope: string, environment: string): boolean {
  if (scope === '*' || scope === environment) return true;
  if (!scope.includes('*')) return false;
  const glob = scope
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${glob}$`, 's').test(environment);
}

/** Strategies served to this environment by another scope than its own (wildcards), in GitLab's order. */
export function wildcardStrategiesOf(
  strategies: readonly FeatureFlagStrategy[],
  scope: string,
): FeatureFlagStrategy[] {
  return strategies.filter(
    (s) =>
      !hasScope(s, scope) &&
      s.scopes.some((sc) => sc._destroy !== true && sc.environment_scope !== scope && scopeServes(sc.environment_scope, scope)),
  );
}

/** Strategies of this scope, in GitLab's order. */
export function strategiesOf(
  strategies: readonly FeatureFlagStrategy[],
  scope: string,
): FeatureFlagStrategy[] {
  return strategies.filter((s) => hasScope(s, scope));
}

/** What one strategy enables, in flagops terms. */
export function contributionOf(
  strategy: StrategyLike,
  userLists: Readonly<Record<string, string[]>>,
): Contribution {
  const p = strategy.parameters ?? {};
  switch (strategy.name) {
    case 'default':
      return { kind: 'on' };
    case 'gradualRolloutUserId':
      return percent('actors', p.percentage);
    case 'flexibleRollout':
      return percent(
        p.stickiness === 'random' || p.stickiness === 'sessionId' ? 'time' : 'actors',
        p.rollout,
      );
    case 'userWithId': {
      const users = splitUserIds(p.userIds);
      return users.length > 0 ? { kind: 'users', users } : { kind: 'none' };
    }
    case 'gitlabUserList': {
      const id = strategy.user_list?.id ?? strategy.user_list_id;
      const users = id === undefined ? undefined : userLists[String(id)];
      if (users === undefined) return { kind: 'users', users: [`#user_list:${id ?? '?'}`] };
      return users.length > 0 ? { kind: 'users', users } : { kind: 'none' };
    }
    default:
      return { kind: 'none' };
  }
}

function percent(kind: 'actors' | 'time', raw: string | undefined): Contribution {
  const p = Number(raw);
  return Number.isFinite(p) && p > 0 ? { kind, p } : { kind: 'none' };
}

/** This scope's state of a flag, or undefined when no strategy has this scope. */
export function flagStateIn(
  flag: Pick<ProjectFeatureFlag, 'active' | 'strategies'>,
  scope: string,
  userLists: Readonly<Record<string, string[]>>,
): FlagState | undefined {
  return stateOf(flag.active, strategiesOf(flag.strategies, scope), userLists);
}

/** What the environment's users see: its own strategies ORed with the wildcard ones that serve it. */
export function servedStateIn(
  flag: Pick<ProjectFeatureFlag, 'active' | 'strategies'>,
  scope: string,
  userLists: Readonly<Record<string, string[]>>,
): FlagState | undefined {
  const served = [...strategiesOf(flag.strategies, scope), ...wildcardStrategiesOf(flag.strategies, scope)];
  return stateOf(flag.active, served, userLists);
}

function stateOf(
  active: boolean,
  ours: readonly FeatureFlagStrategy[],
  userLists: Readonly<Record<string, string[]>>,
): FlagState | undefined {
  if (ours.length === 0) return undefined;
  if (!active) return false;
  const cond: ConditionalState = {};
  const users: string[] = [];
  for (const s of ours) {
    const c = contributionOf(s, userLists);
    if (c.kind === 'on') return true;
    if (c.kind === 'actors') cond.percentage_of_actors = Math.max(cond.percentage_of_actors ?? 0, c.p);
    if (c.kind === 'time') cond.percentage_of_time = Math.max(cond.percentage_of_time ?? 0, c.p);
    if (c.kind === 'users') users.push(...c.users);
  }
  if (users.length > 0) cond.actors = { users };
  return normalizeState(cond) as FlagState;
}

/** The canonical strategies of a desired state (normalised, defined). */
export function targetStrategies(desired: FlagState, flag: string): StrategyBody[] {
  const s = normalizeState(desired) as FlagState;
  const groupId = unleashGroupId(flag);
  const rollout = (p: number, stickiness: string): StrategyBody => ({
    name: 'flexibleRollout',
    parameters: { groupId, rollout: String(p), stickiness },
  });
  if (s === true) return [{ name: 'default', parameters: {} }];
  if (s === false) return [rollout(0, 'random')];
  const out: StrategyBody[] = [];
  if (s.percentage_of_actors !== undefined) out.push(rollout(s.percentage_of_actors, 'userId'));
  if (s.percentage_of_time !== undefined) out.push(rollout(s.percentage_of_time, 'random'));
  const users = s.actors?.users;
  if (users && users.length > 0) out.push({ name: 'userWithId', parameters: { userIds: users.join(',') } });
  return out;
}

/** Does a live strategy already do what a target does? (`groupId` is ignored.) */
export function isEquivalent(
  live: FeatureFlagStrategy,
  target: StrategyBody,
  userLists: Readonly<Record<string, string[]>>,
): boolean {
  const t = contributionOf(target, {});
  const l = contributionOf(live, userLists);
  if (t.kind === 'none') return l.kind === 'none' && live.name !== 'gitlabUserList';
  if (t.kind === 'on') return live.name === 'default';
  if (t.kind === 'users') return l.kind === 'users' && sameSet(l.users, t.users);
  if (l.kind !== t.kind || l.p !== t.p) return false;
  // Same percentage and kind: the stickiness must be the one flagops would write.
  if (live.name === 'gradualRolloutUserId') return t.kind === 'actors';
  return live.parameters?.stickiness === target.parameters.stickiness;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** Human text for a strategy, as GitLab's UI names it. */
export function describeStrategy(s: StrategyLike): string {
  const p = s.parameters ?? {};
  switch (s.name) {
    case 'default':
      return 'all users (default)';
    case 'gradualRolloutUserId':
      return `${p.percentage}% of users (gradualRolloutUserId)`;
    case 'flexibleRollout':
      return `${p.rollout}% rollout by ${p.stickiness} (flexibleRollout)`;
    case 'userWithId':
      return `user ids ${p.userIds} (userWithId)`;
    case 'gitlabUserList':
      return `user list ${s.user_list?.name ?? s.user_list?.id ?? s.user_list_id ?? '?'} (gitlabUserList)`;
    default:
      return String(s.name);
  }
}
