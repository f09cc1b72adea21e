import { describe, expect, it } from 'vitest';
import type { FeatureFlagStrategy } from '../../gitlab/port.js';
import type { MaybeState } from '../../model/state.js';
import { planFeatureFlag } from './plan-feature-flags.js';
import { flagStateIn, type FeatureFlagsMeta } from './strategies.js';

function live(strategies: FeatureFlagStrategy[], active = true, userLists: Record<string, string[]> = {}) {
  const meta: FeatureFlagsMeta = { active, strategies, userLists };
  return { state: flagStateIn({ active, strategies }, 'production', userLists), meta };
}
const plan = (l: ReturnType<typeof live> | undefined, desired: MaybeState) =>
  planFeatureFlag({ flag: 'my_flag', project: 'group/app', scope: 'production', live: l, desired });

const rollout = (
  id: number,
  p: string,
  envs: [number, string][] = [[id * 10, 'production']],
): FeatureFlagStrategy => ({
  id,
  name: 'flexibleRollout',
  parameters: { groupId: 'default', rollout: p, stickiness: 'userId' },
  scopes: envs.map(([sid, e]) => ({ id: sid, environment_scope: e })),
});

describe('planFeatureFlag', () => {
  it('creates a missing flag with new_version_flag and camelCase parameters', () => {
    const ops = plan(undefined, { percentage_of_actors: 25 });
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ flag: 'my_flag', action: 'create' });
    expect(ops[0]?.payload).toEqual({
      create: {
        name: 'my_flag',
        active: true,
        version: 'new_version_flag',
        strategies: [
          {
            name: 'flexibleRollout',
            parameters: { groupId: 'myflag', rollout: '25', stickiness: 'userId' },
            scopes: [{ environment_scope: 'production' }],
          },
        ],
      },
      desired: { percentage_of_actors: 25 },
    });
    expect(plan(undefined, undefined)).toEqual([]);
  });

  it('edits a rollout in place, keeping its id and groupId', () => {
    const ops = plan(live([rollout(1, '25')]), { percentage_of_actors: 50 });
    expect(ops.map((o) => o.payload)).toEqual([
      {
        update: {
          strategies: [
            {
              id: 1,
              name: 'flexibleRollout',
              parameters: { groupId: 'default', rollout: '50', stickiness: 'userId' },
              scopes: [],
            },
          ],
        },
      },
    ]);
    expect(ops[0]?.describe).toContain('feature flag my_flag in group/app [production]');
    expect(plan(live([rollout(1, '50')]), { percentage_of_actors: 50 })).toEqual([]);
  });

  it('splits a strategy shared with another scope instead of changing it', () => {
    const shared = rollout(1, '25', [
      [10, 'production'],
      [11, 'staging'],
    ]);
    const ops = plan(live([shared]), true);
    expect(ops.map((o) => o.payload)).toEqual([
      {
        update: {
          strategies: [
            { name: 'default', parameters: {}, scopes: [{ environment_scope: 'production' }] },
            { ...shared, scopes: [{ id: 10, environment_scope: 'production', _destroy: true }] },
          ],
        },
      },
    ]);
    expect(ops[0]?.describe).toContain('kept for staging');
  });

  it('destroys this scope strategies; deletes the flag when nothing is left', () => {
    expect(
      plan(live([rollout(1, '25'), rollout(2, '5', [[20, 'staging']])]), undefined).map((o) => o.payload),
    ).toEqual([{ update: { strategies: [{ ...rollout(1, '25'), scopes: [], _destroy: true }] } }]);
    expect(
      plan(live([rollout(1, '25'), rollout(2, '5')]), undefined).map((o) => [o.action, o.payload]),
    ).toEqual([['delete', { delete: true }]]);
  });

  it('keeps persisted off apart from absent', () => {
    const ops = plan(live([rollout(1, '25')]), false);
    expect(ops.map((o) => o.payload)).toEqual([
      {
        update: {
          strategies: [
            {
              id: 1,
              name: 'flexibleRollout',
              parameters: { groupId: 'default', rollout: '0', stickiness: 'random' },
              scopes: [],
            },
          ],
        },
      },
    ]);
  });

  it('re-activates an inactive flag only to enable something', () => {
    const inactive = live(
      [{ id: 1, name: 'default', parameters: {}, scopes: [{ id: 10, environment_scope: 'production' }] }],
      false,
    );
    expect(inactive.state).toBe(false);
    expect(plan(inactive, true).map((o) => o.payload)).toEqual([
      { update: { strategies: [], active: true } },
    ]);
    expect(plan(inactive, true)[0]?.describe).toContain('re-activate');
  });

  it('accepts a user list with the same users, and replaces one with other users', () => {
    const list: FeatureFlagStrategy = {
      id: 3,
      name: 'gitlabUserList',
      parameters: {},
      scopes: [{ id: 30, environment_scope: 'production' }],
      user_list: { id: 7 },
    };
    const l = live([list], true, { '7': ['alice', 'bob'] });
    expect(plan(l, { actors: { users: ['bob', 'alice'] } })).toEqual([]);
    expect(plan(l, { actors: { users: ['alice'] } }).map((o) => o.payload)).toEqual([
      {
        update: {
          strategies: [
            {
              name: 'userWithId',
              parameters: { userIds: 'alice' },
              scopes: [{ environment_scope: 'production' }],
            },
            { id: 3, name: 'gitlabUserList', parameters: {}, scopes: [], user_list_id: 7, _destroy: true },
          ],
        },
      },
    ]);
  });
});
