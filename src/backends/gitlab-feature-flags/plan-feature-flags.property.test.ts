/**
 * The project feature flag planner against a pure model of GitLab's API (FACTS.md, GitLab's
 * API::FeatureFlags, Operations::FeatureFlags::Strategy, FeatureFlagUserXidsValidator):
 * - POST creates; a taken name → 400. PUT edits strategies by `id` (`_destroy` removes one, a scope
 *   entry with `id` + `_destroy` removes that scope) and APPENDS every strategy sent without `id`;
 *   an unknown id → 404; any invalid strategy rejects the whole request.
 * - Strategy parameters: exact camelCase key sets, whole-number percentage strings, `groupId`
 *   `^[a-z]{1,32}$`, stickiness default|userId|sessionId|random, unique trimmed user ids.
 * The backend's `create` (create, or converge a flag that exists for other scopes) is modelled too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeatureFlagStrategy } from '../../gitlab/port.js';
import { statesEqual, type ConditionalState, type MaybeState } from '../../model/state.js';
import type { Operation } from '../types.js';
import { planFeatureFlag, type StrategyEdit } from './plan-feature-flags.js';
import { flagStateIn, type FeatureFlagsMeta } from './strategies.js';

interface MScope {
  id: number;
  environment_scope: string;
}
interface MStrategy {
  id: number;
  name: string;
  parameters: Record<string, string>;
  scopes: MScope[];
  user_list?: { id: number };
}
interface MFlag {
  name: string;
  active: boolean;
  strategies: MStrategy[];
}
interface World {
  flag: MFlag | undefined;
  nextId: number;
}

const SCOPE = 'production';
const USER_LISTS: Record<string, string[]> = { '1': ['alice', 'bob'], '2': [] };
const KEYS: Record<string, string[]> = {
  default: [],
  gitlabUserList: [],
  gradualRolloutUserId: ['groupId', 'percentage'],
  flexibleRollout: ['groupId', 'rollout', 'stickiness'],
  userWithId: ['userIds'],
};

class ApiError extends Error {}

function validate(s: MStrategy): void {
  const keys = KEYS[s.name];
  if (!keys) throw new ApiError(`strategy name is invalid: ${s.name}`);
  if (JSON.stringify(Object.keys(s.parameters).sort()) !== JSON.stringify([...keys].sort()))
    throw new ApiError('parameters are invalid');
  const p = s.parameters;
  const pct = (v: string | undefined) => typeof v === 'string' && /^\d+$/.test(v) && Number(v) <= 100;
  if ('groupId' in p && !/^[a-z]{1,32}$/.test(p.groupId as string))
    throw new ApiError('groupId parameter is invalid');
  if (s.name === 'gradualRolloutUserId' && !pct(p.percentage))
    throw new ApiError('percentage must be a string between 0 and 100');
  if (s.name === 'flexibleRollout') {
    if (!pct(p.rollout)) throw new ApiError('rollout must be a string between 0 and 100');
    if (!['default', 'userId', 'sessionId', 'random'].includes(p.stickiness as string))
      throw new ApiError('stickiness');
  }
  if (s.name === 'userWithId') {
    const ids = (p.userIds as string).split(',');
    if (
      /[\n\r\t]|,,/.test(p.userIds as string) ||
      new Set(ids).size !== ids.length ||
      ids.some((x) => x === '' || x.trim() !== x)
    ) {
      throw new ApiError('userIds must be a string of unique comma separated values');
    }
  }
  if ((s.name === 'gitlabUserList') !== (s.user_list !== undefined)) throw new ApiError('user_list');
  const envs = s.scopes.map((x) => x.environment_scope);
  if (new Set(envs).size !== envs.length) throw new ApiError('environment_scope has already been taken');
}

const STRATEGY_KEYS = new Set(['id', 'name', 'parameters', 'scopes', '_destroy', 'user_list_id']);
const SCOPE_KEYS = new Set(['id', 'environment_scope', '_destroy']);

function applyPut(w: World, body: { active?: boolean; strategies?: StrategyEdit[] }): World {
  if (!w.flag) throw new ApiError('404 Not found');
  const flag: MFlag = structuredClone(w.flag);
  let nextId = w.nextId;
  if (body.active !== undefined) flag.active = body.active;
  for (const e of body.strategies ?? []) {
    for (const k of Object.keys(e)) if (!STRATEGY_KEYS.has(k)) throw new ApiError(`unknown key ${k}`);
    for (const sc of e.scopes ?? [])
      for (const k of Object.keys(sc)) if (!SCOPE_KEYS.has(k)) throw new ApiError(`unknown key ${k}`);
    if (e.id === undefined) {
      if (e._destroy) throw new ApiError('destroy without id');
      flag.strategies.push({
        id: nextId++,
        name: e.name as string,
        parameters: structuredClone(e.parameters ?? {}),
        scopes: (e.scopes ?? []).map((sc) => ({ id: nextId++, environment_scope: sc.environment_scope })),
        ...(e.user_list_id === undefined ? {} : { user_list: { id: e.user_list_id } }),
      });
      continue;
    }
    const s = flag.strategies.find((x) => x.id === e.id);
    if (!s) throw new ApiError('404 strategy not found');
    if (e._destroy) {
      flag.strategies = flag.strategies.filter((x) => x !== s);
      continue;
    }
    const before = s.name;
    if (e.name !== undefined) s.name = e.name;
    if (e.parameters !== undefined) s.parameters = structuredClone(e.parameters);
    if (e.user_list_id !== undefined) s.user_list = { id: e.user_list_id };
    if (before === 'gitlabUserList' && s.name !== before) delete s.user_list;
    for (const sc of e.scopes ?? []) {
      if (sc.id === undefined) s.scopes.push({ id: nextId++, environment_scope: sc.environment_scope });
      else {
        const found = s.scopes.find((x) => x.id === sc.id);
        if (!found) throw new ApiError('404 scope not found');
        if (sc._destroy) s.scopes = s.scopes.filter((x) => x !== found);
        else found.environment_scope = sc.environment_scope;
      }
    }
  }
  flag.strategies.forEach(validate);
  return { flag, nextId };
}

function applyOp(w: World, op: Operation): World {
  const p = op.payload as Record<string, unknown>;
  if (p.delete === true) return { flag: undefined, nextId: w.nextId };
  if (p.update) return applyPut(w, p.update as { active?: boolean; strategies?: StrategyEdit[] });
  const create = p.create as { name: string; active: boolean; version: string; strategies: StrategyEdit[] };
  expect(create.version).toBe('new_version_flag');
  if (w.flag) {
    // The backend converges an existing flag with edits by id, planned from what it reads.
    return planFrom(w, p.desired as MaybeState, true).reduce((acc, o) => {
      expect(o.action).not.toBe('create');
      return applyOp(acc, o);
    }, w);
  }
  const empty: World = {
    flag: { name: create.name, active: create.active, strategies: [] },
    nextId: w.nextId,
  };
  return applyPut(empty, { strategies: create.strategies });
}

/** The flag as the backend reads it: with its meta even when nothing is in this scope (`known`). */
function liveOf(w: World, known = false) {
  if (!w.flag) return undefined;
  const strategies = w.flag.strategies as unknown as FeatureFlagStrategy[];
  const state = flagStateIn({ active: w.flag.active, strategies }, SCOPE, USER_LISTS);
  if (state === undefined && !known) return undefined;
  const meta: FeatureFlagsMeta = {
    active: w.flag.active,
    strategies: structuredClone(strategies),
    userLists: USER_LISTS,
  };
  return { state, meta };
}

function planFrom(w: World, desired: MaybeState, known = false): Operation[] {
  return planFeatureFlag({
    flag: 'my_flag',
    project: 'group/app',
    scope: SCOPE,
    live: liveOf(w, known),
    desired,
  });
}

/** What other scopes serve: their strategies, ids and groupIds aside. */
function otherScopes(w: World): string[] {
  return (w.flag?.strategies ?? [])
    .flatMap((s) =>
      s.scopes
        .filter((sc) => sc.environment_scope !== SCOPE)
        .map(
          (sc) =>
            `${sc.environment_scope} ${s.name} ${JSON.stringify({ ...s.parameters, groupId: undefined })} ${s.user_list?.id ?? ''}`,
        ),
    )
    .sort();
}

// ---- generators ----------------------------------------------------------------------------
const users = ['alice', 'bob', 'carol'];
const pctString = fc.integer({ min: 0, max: 100 }).map(String);
const groupId = fc.constantFrom('default', 'myflag', 'abc');
const strategyArb: fc.Arbitrary<Omit<MStrategy, 'id' | 'scopes'> & { envs: string[] }> = fc
  .record({
    pick: fc.constantFrom(
      'default',
      'gradualRolloutUserId',
      'flexibleRollout',
      'userWithId',
      'gitlabUserList',
    ),
    groupId,
    pct: pctString,
    stickiness: fc.constantFrom('default', 'userId', 'sessionId', 'random', 'userId', 'random'),
    userIds: fc.subarray(users, { minLength: 1 }),
    list: fc.constantFrom(1, 2, 3),
    envs: fc.subarray([SCOPE, 'staging', '*'], { minLength: 1 }),
  })
  .map((r) => {
    const base = { envs: r.envs };
    switch (r.pick) {
      case 'default':
        return { ...base, name: 'default', parameters: {} };
      case 'gradualRolloutUserId':
        return { ...base, name: r.pick, parameters: { groupId: r.groupId, percentage: r.pct } };
      case 'flexibleRollout':
        return {
          ...base,
          name: r.pick,
          parameters: { groupId: r.groupId, rollout: r.pct, stickiness: r.stickiness },
        };
      case 'userWithId':
        return { ...base, name: r.pick, parameters: { userIds: r.userIds.join(',') } };
      default:
        return { ...base, name: 'gitlabUserList', parameters: {}, user_list: { id: r.list } };
    }
  }) as fc.Arbitrary<Omit<MStrategy, 'id' | 'scopes'> & { envs: string[] }>;

const worldArb: fc.Arbitrary<World> = fc
  .option(fc.record({ active: fc.boolean(), strategies: fc.array(strategyArb, { maxLength: 4 }) }), {
    nil: undefined,
  })
  .map((f) => {
    if (!f) return { flag: undefined, nextId: 1 };
    let id = 100;
    const strategies = f.strategies.map(({ envs, ...s }) => ({
      ...s,
      id: id++,
      scopes: envs.map((e) => ({ id: id++, environment_scope: e })),
    }));
    return { flag: { name: 'my_flag', active: f.active, strategies }, nextId: id };
  });

const pct = fc.integer({ min: 1, max: 99 });
const desiredArb: fc.Arbitrary<MaybeState> = fc.oneof(
  fc.constant(undefined),
  fc.constant(true),
  fc.constant(false),
  fc.record(
    { percentage_of_actors: pct, percentage_of_time: pct, actors: fc.record({ users: fc.subarray(users) }) },
    { requiredKeys: [] },
  ) as fc.Arbitrary<ConditionalState>,
);

describe('planFeatureFlag against a model of the project feature flags API', () => {
  it('reaches the desired state with valid requests, leaves other scopes alone, and replanning is empty', () => {
    fc.assert(
      fc.property(worldArb, desiredArb, (world, desired) => {
        const ops = planFrom(world, desired);
        expect(ops.length).toBeLessThanOrEqual(1);
        const after = ops.reduce(applyOp, world); // throws ApiError on a request GitLab refuses
        expect(statesEqual(liveOf(after)?.state, desired)).toBe(true);
        expect(otherScopes(after)).toEqual(otherScopes(world));
        if (world.flag && after.flag && !(desired !== undefined && desired !== false))
          expect(after.flag.active).toBe(world.flag.active);
        expect(planFrom(after, desired)).toEqual([]);
      }),
      { numRuns: 800 },
    );
  });
});
