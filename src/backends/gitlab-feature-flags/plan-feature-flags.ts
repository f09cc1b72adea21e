/**
 * Live → desired for one flag in one environment scope of a project's feature flags (pure).
 *
 * `PUT /projects/:id/feature_flags/:name` appends every strategy sent without an `id`, so edits
 * always address strategies by id: a live strategy that already does what a target does is kept;
 * one that is only this scope's is edited in place (keeping its id and, for rollouts, its
 * `groupId`) or destroyed with `_destroy`; one shared with other scopes is never edited or
 * destroyed, only split: this scope's entry is destroyed and a new strategy serves this scope.
 * All changes to one flag go in one PUT. Removing the last strategy of the flag in any scope
 * deletes the flag. A flag without a strategy in this scope is "create": the backend creates it,
 * or appends the strategies when the flag exists for other scopes.
 */
import type { FeatureFlagStrategy } from '../../gitlab/port.js';
import { describeState, normalizeState, type MaybeState } from '../../model/state.js';
import type { Operation } from '../types.js';
import {
  contributionOf,
  describeStrategy,
  isEquivalent,
  strategiesOf,
  targetStrategies,
  type FeatureFlagsMeta,
  type StrategyBody,
} from './strategies.js';

export interface PlanFeatureFlagInput {
  flag: string;
  /** The project, for `describe`. */
  project: string | number;
  scope: string;
  /**
   * This scope's live state and the whole flag; undefined when the planner should create the flag
   * (nothing of it known). A flag known to exist with no strategy here has `state: undefined`.
   */
  live: { state: MaybeState; meta: FeatureFlagsMeta } | undefined;
  desired: MaybeState;
}

/**
 * Strategy entries of a PUT body: live strategies by id (edited, split, or `_destroy`ed), or new ones
 * without id. Each carries its whole `name`/`parameters` (the port's shape; unchanged values for a
 * split or destroy) and only the scope entries that change (`[]`: scopes untouched).
 */
export type StrategyEdit = FeatureFlagStrategy;

export function planFeatureFlag(input: PlanFeatureFlagInput): Operation[] {
  const { flag, scope, live } = input;
  const desired = normalizeState(input.desired);
  const where = `feature flag ${flag} in ${input.project} [${scope}]`;

  if (live === undefined) {
    if (desired === undefined) return [];
    const strategies = targetStrategies(desired, flag).map((t) => newStrategy(t, scope));
    return [
      {
        flag,
        action: 'create',
        describe: `create ${where}: ${describeState(desired)} (${strategies.map(describeStrategy).join(', ')})`,
        payload: { create: { name: flag, active: true, version: 'new_version_flag', strategies }, desired },
      },
    ];
  }

  const { meta } = live;
  const ours = strategiesOf(meta.strategies, scope);
  const targets = desired === undefined ? [] : targetStrategies(desired, flag);
  const kept = new Set<FeatureFlagStrategy>();
  const unmatched: StrategyBody[] = [];
  for (const target of targets) {
    const match = ours.find((s) => !kept.has(s) && isEquivalent(s, target, meta.userLists));
    if (match) kept.add(match);
    else unmatched.push(target);
  }

  const edits: StrategyEdit[] = [];
  const notes: string[] = [];
  const spare = ours.filter(
    (s) => !kept.has(s) && isExclusive(s, scope) && s.name !== 'gitlabUserList' && s.id !== undefined,
  );
  for (const target of unmatched) {
    const reuse = pickReusable(spare, target, meta);
    if (reuse) {
      spare.splice(spare.indexOf(reuse), 1);
      kept.add(reuse);
      const edit = retarget(reuse, target);
      edits.push(edit);
      notes.push(`change #${reuse.id} ${describeStrategy(reuse)} → ${describeStrategy(edit)}`);
    } else {
      edits.push(newStrategy(target, scope));
      notes.push(`add ${describeStrategy(target)}`);
    }
  }
  for (const s of ours) {
    if (kept.has(s) || s.id === undefined) continue;
    if (isExclusive(s, scope)) {
      edits.push({ ...existing(s), scopes: [], _destroy: true });
      notes.push(`remove #${s.id} ${describeStrategy(s)}`);
    } else {
      const scopes = s.scopes
        .filter((sc) => sc.environment_scope === scope && sc.id !== undefined)
        .map((sc) => ({ id: sc.id as number, environment_scope: scope, _destroy: true }));
      edits.push({ ...existing(s), scopes });
      const others = s.scopes
        .filter((sc) => sc.environment_scope !== scope)
        .map((sc) => sc.environment_scope);
      notes.push(`take ${scope} off #${s.id} ${describeStrategy(s)} (kept for ${others.join(', ')})`);
    }
  }

  const activate = desired !== undefined && desired !== false && !meta.active;
  if (edits.length === 0 && !activate) return [];

  if (desired === undefined) {
    const destroyed = new Set(edits.filter((e) => e._destroy === true).map((e) => e.id));
    if (meta.strategies.every((s) => destroyed.has(s.id))) {
      return [
        {
          flag,
          action: 'delete',
          describe: `delete ${where} (no strategy left in any scope)`,
          payload: { delete: true },
        },
      ];
    }
  }
  const update: { active?: boolean; strategies: StrategyEdit[] } = { strategies: edits };
  if (activate) {
    update.active = true;
    notes.push('re-activate the flag (for every scope)');
  }
  const target = desired === undefined ? 'unset' : describeState(desired);
  return [
    {
      flag,
      action: 'update',
      describe: `update ${where} → ${target}: ${notes.join('; ')}`,
      payload: { update },
    },
  ];
}

function isExclusive(s: FeatureFlagStrategy, scope: string): boolean {
  return s.scopes.every((sc) => sc.environment_scope === scope || sc._destroy === true);
}

/** A live strategy as an edit entry: id, name, parameters and user list unchanged. */
function existing(s: FeatureFlagStrategy): StrategyEdit {
  const listId = s.user_list?.id ?? s.user_list_id;
  return {
    id: s.id,
    name: s.name,
    parameters: { ...s.parameters },
    scopes: [],
    ...(listId === undefined ? {} : { user_list_id: listId }),
  };
}

function newStrategy(target: StrategyBody, scope: string): StrategyEdit {
  return { name: target.name, parameters: { ...target.parameters }, scopes: [{ environment_scope: scope }] };
}

/** Prefer a strategy of the same kind, so a rollout keeps its groupId (and its users). */
function pickReusable(
  spare: readonly FeatureFlagStrategy[],
  target: StrategyBody,
  meta: FeatureFlagsMeta,
): FeatureFlagStrategy | undefined {
  const kind = contributionOf(target, {}).kind;
  return (
    spare.find((s) => contributionOf(s, meta.userLists).kind === kind && sameFamily(s, target)) ?? spare[0]
  );
}

function sameFamily(s: FeatureFlagStrategy, t: StrategyBody): boolean {
  if (t.name !== 'flexibleRollout') return s.name === t.name;
  return (
    s.name === 'flexibleRollout' ||
    (s.name === 'gradualRolloutUserId' && t.parameters.stickiness === 'userId')
  );
}

/** The in-place edit turning a live strategy into a target. */
function retarget(s: FeatureFlagStrategy, target: StrategyBody): StrategyEdit {
  const liveGroupId = s.parameters?.groupId;
  const groupId = liveGroupId && /^[a-z]{1,32}$/.test(liveGroupId) ? liveGroupId : target.parameters.groupId;
  if (target.name === 'flexibleRollout' && groupId !== undefined) {
    if (s.name === 'gradualRolloutUserId' && target.parameters.stickiness === 'userId') {
      return {
        id: s.id,
        name: 'gradualRolloutUserId',
        parameters: { groupId, percentage: target.parameters.rollout as string },
        scopes: [],
      };
    }
    return { id: s.id, name: 'flexibleRollout', parameters: { ...target.parameters, groupId }, scopes: [] };
  }
  return { id: s.id, name: target.name, parameters: { ...target.parameters }, scopes: [] };
}
