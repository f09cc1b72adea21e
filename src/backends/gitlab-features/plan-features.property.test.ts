/**
 * The Features API planner against a small pure model of GitLab + Flipper (FACTS.md; GitLab's
 * Admin::SetFeatureFlagService, Feature::Target, Flipper's ActiveRecord adapter):
 * - `value` true/100/100.0 → fully on, clearing every gate; false/0/0.0 → off, clearing every gate;
 *   both whatever `key` says; with actor parameters they add/remove exactly those actors.
 * - `key` with any actor parameter → 400; a percentage with actor parameters → 400.
 * - a percentage on a fully-on flag → 400; a value that is not a decimal → 400.
 * - actor names resolve to Flipper ids; an unknown one → 400; `feature_group` is one literal name.
 * - a namespace that is a group is stored as `Group:<id>`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Feature, SetFeatureParams } from '../../gitlab/port.js';
import { statesEqual, type ConditionalState, type MaybeState } from '../../model/state.js';
import type { Operation } from '../types.js';
import { featureToLive, flipperIdsOf } from './features-to-state.js';
import { alignNamespaces, planFeatures } from './plan-features.js';

interface FlipperModel {
  boolean: boolean;
  pa: number;
  pt: number;
  actors: Set<string>;
  groups: Set<string>;
}

const WORLD = {
  users: { alice: 1, bob: 2, carol: 3 } as Record<string, number>,
  groups: { 'g-one': 10, 'g-two': 11 } as Record<string, number>,
  projects: { 'g-one/app': 20, 'g-two/web': 21 } as Record<string, number>,
  userNamespaces: { alice: 31, dave: 32 } as Record<string, number>,
  repositories: ['g-one/app.git', 'g-two/web.wiki.git'],
};

class ApiError extends Error {}

function resolveActor(param: string, name: string): string {
  const fail = (): never => {
    throw new ApiError(`${name} is not found!`);
  };
  switch (param) {
    case 'user':
      return WORLD.users[name] !== undefined ? `User:${WORLD.users[name]}` : fail();
    case 'group':
      return WORLD.groups[name] !== undefined ? `Group:${WORLD.groups[name]}` : fail();
    case 'project':
      return WORLD.projects[name] !== undefined ? `Project:${WORLD.projects[name]}` : fail();
    case 'namespace':
      if (WORLD.groups[name] !== undefined) return `Group:${WORLD.groups[name]}`;
      return WORLD.userNamespaces[name] !== undefined
        ? `Namespaces::UserNamespace:${WORLD.userNamespaces[name]}`
        : fail();
    case 'repository':
      return WORLD.repositories.includes(name) ? `Repository:${name}` : fail();
    default:
      return fail();
  }
}

const NAMES = new Map<string, string | null>([
  ...Object.entries(WORLD.users).map(([n, id]) => [`User:${id}`, n] as [string, string]),
  ...Object.entries(WORLD.groups).map(([n, id]) => [`Group:${id}`, n] as [string, string]),
  ...Object.entries(WORLD.projects).map(([n, id]) => [`Project:${id}`, n] as [string, string]),
  ...Object.entries(WORLD.userNamespaces).map(
    ([n, id]) => [`Namespaces::UserNamespace:${id}`, n] as [string, string],
  ),
  ...WORLD.repositories.map((r) => [`Repository:${r}`, r] as [string, string]),
]);

const ACTOR_PARAMS = ['user', 'group', 'project', 'namespace', 'repository'] as const;

/** The reference model of `POST /features/:name` and `DELETE /features/:name`. */
function applyFeatureOp(
  model: FlipperModel | undefined,
  payload: Record<string, unknown>,
): FlipperModel | undefined {
  if (payload.delete === true) return undefined;
  const p = payload as unknown as SetFeatureParams;
  const m: FlipperModel = model
    ? { ...model, actors: new Set(model.actors), groups: new Set(model.groups) }
    : { boolean: false, pa: 0, pt: 0, actors: new Set(), groups: new Set() };
  const value = String(p.value);
  const actorParams = ACTOR_PARAMS.filter((k) => p[k] !== undefined);
  const gateSpecified = actorParams.length > 0 || p.feature_group !== undefined;
  if (p.key !== undefined && gateSpecified) throw new ApiError('key, user are mutually exclusive');
  if (p.key !== undefined && p.key !== 'percentage_of_actors' && p.key !== 'percentage_of_time')
    throw new ApiError('bad key');
  const enable = ['true', '100', '100.0'].includes(value);
  const disable = ['false', '0', '0.0'].includes(value);
  const clear = (): void => {
    m.pa = 0;
    m.pt = 0;
    m.actors.clear();
    m.groups.clear();
  };
  if (gateSpecified) {
    const ids = actorParams.flatMap((k) =>
      String(p[k])
        .split(',')
        .map((n) => resolveActor(k, n)),
    );
    if (!enable && !disable) throw new ApiError(`Cannot set to ${value} for a target`);
    for (const id of ids) {
      if (enable) m.actors.add(id);
      else m.actors.delete(id);
    }
    if (p.feature_group !== undefined) {
      if (enable) m.groups.add(p.feature_group);
      else m.groups.delete(p.feature_group);
    }
    return m;
  }
  if (enable || disable) {
    clear();
    m.boolean = enable;
    return m;
  }
  if (!/^\d+(\.\d+)?$/.test(value)) throw new ApiError('Not a percentage');
  const pct = Number(value);
  if (pct > 100) throw new ApiError('percentage out of range');
  const on = m.boolean || m.pt === 100;
  if (p.key === 'percentage_of_actors') {
    if (on) throw new ApiError('Cannot enable percentage of actors for a fully-enabled flag');
    m.pa = pct;
  } else {
    if (on) throw new ApiError('Cannot enable percentage of time for a fully-enabled flag');
    m.pt = pct;
  }
  return m;
}

/** `GET /features` for one flag: the boolean gate always, others when set (GitLab's Entities::Feature). */
function readFeature(name: string, m: FlipperModel): Feature {
  const gates: Feature['gates'] = [{ key: 'boolean', value: m.boolean }];
  if (m.actors.size > 0) gates.push({ key: 'actors', value: [...m.actors] });
  if (m.groups.size > 0) gates.push({ key: 'groups', value: [...m.groups] });
  if (m.pa > 0) gates.push({ key: 'percentage_of_actors', value: m.pa });
  if (m.pt > 0) gates.push({ key: 'percentage_of_time', value: m.pt });
  const on = m.boolean || m.pt === 100;
  const conditional = m.actors.size > 0 || m.groups.size > 0 || m.pa > 0 || m.pt > 0;
  return { name, state: on ? 'on' : conditional ? 'conditional' : 'off', gates };
}

function readLive(m: FlipperModel | undefined) {
  return m === undefined ? undefined : featureToLive(readFeature('flag', m), NAMES);
}

function run(model: FlipperModel | undefined, ops: Operation[]): FlipperModel | undefined {
  return ops.reduce((acc, op) => applyFeatureOp(acc, op.payload), model);
}

function planFrom(model: FlipperModel | undefined, desired: MaybeState): Operation[] {
  const live = readLive(model);
  return planFeatures('flag', live?.state, desired, live ? { meta: live.meta } : {});
}

// ---- generators ----------------------------------------------------------------------------
const pct = fc.oneof(fc.integer({ min: 1, max: 99 }), fc.constantFrom(0.5, 12.5, 33.33, 99.99));
const sub = <T>(xs: readonly T[]) => fc.subarray([...xs]);
const liveIds = [
  ...NAMES.keys(),
  'User:999', // a deleted user
  'User:1:opt_out',
  'Namespaces::ProjectNamespace:77',
  'FlipperGitlabInstance:gitlab.example.com',
];
const featureGroups = ['gitlab_team_members', 'beta_testers'];

const liveModel: fc.Arbitrary<FlipperModel | undefined> = fc.option(
  fc.record({
    boolean: fc.boolean(),
    pa: fc.oneof(fc.constant(0), pct, fc.constant(100)),
    pt: fc.oneof(fc.constant(0), fc.constant(0), pct, fc.constant(100)),
    actors: sub(liveIds).map((a) => new Set(a)),
    groups: sub(featureGroups).map((g) => new Set(g)),
  }),
  { nil: undefined },
);

function desiredState(namespaces: readonly string[]): fc.Arbitrary<MaybeState> {
  const cond: fc.Arbitrary<ConditionalState> = fc.record(
    {
      percentage_of_actors: pct,
      percentage_of_time: pct,
      actors: fc.record(
        {
          users: sub(Object.keys(WORLD.users)),
          groups: sub(Object.keys(WORLD.groups)),
          projects: sub(Object.keys(WORLD.projects)),
          namespaces: sub(namespaces),
          repositories: sub(WORLD.repositories),
        },
        { requiredKeys: [] },
      ),
      feature_groups: sub(featureGroups),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(fc.constant(undefined), fc.constant(true), fc.constant(false), cond, cond);
}

describe('planFeatures against a model of the Features API', () => {
  it('reaches the desired state with accepted requests only, and replanning is empty', () => {
    fc.assert(
      fc.property(liveModel, desiredState(Object.keys(WORLD.userNamespaces)), (live, desired) => {
        const ops = planFrom(live, desired);
        const after = run(live, ops); // throws ApiError on any request GitLab would refuse
        const readBack = readLive(after);
        expect(statesEqual(readBack?.state, desired)).toBe(true);
        expect(planFrom(after, desired)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('treats a group given as a namespace as the same gate', () => {
    const namespaces = [...Object.keys(WORLD.userNamespaces), ...Object.keys(WORLD.groups)];
    fc.assert(
      fc.property(liveModel, desiredState(namespaces), (live, desired) => {
        const after = run(live, planFrom(live, desired));
        const readBack = readLive(after)?.state;
        if (typeof readBack === 'object' && typeof desired === 'object') {
          expect(statesEqual(alignNamespaces(readBack, desired), desired)).toBe(true);
        } else {
          expect(statesEqual(readBack, desired)).toBe(true);
        }
        expect(planFrom(after, desired)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('only resolves actor ids of known, settable kinds', () => {
    const m: FlipperModel = { boolean: false, pa: 0, pt: 0, actors: new Set(liveIds), groups: new Set() };
    expect(flipperIdsOf([readFeature('flag', m)])).toEqual([...NAMES.keys(), 'User:999'].sort());
  });
});
