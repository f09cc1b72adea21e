import { describe, expect, it } from 'vitest';
import type { FeatureFlagStrategy } from '../../gitlab/port.js';
import { flagStateIn, isEquivalent, targetStrategies, unleashGroupId } from './strategies.js';

let nextId = 1;
function strategy(
  name: FeatureFlagStrategy['name'],
  parameters: Record<string, string>,
  envs = ['production'],
  extra: Partial<FeatureFlagStrategy> = {},
): FeatureFlagStrategy {
  return {
    id: nextId++,
    name,
    parameters,
    scopes: envs.map((e) => ({ id: nextId++, environment_scope: e })),
    ...extra,
  };
}
const lists = { '7': ['alice', 'bob'] };
const stateOf = (strategies: FeatureFlagStrategy[], active = true) =>
  flagStateIn({ active, strategies }, 'production', lists);

describe('unleashGroupId', () => {
  it('keeps 1 to 32 lowercase letters', () => {
    expect(unleashGroupId('zentao_issues_integration')).toBe('zentaoissuesintegration');
    expect(unleashGroupId('a2b_c')).toBe('abc');
    expect(unleashGroupId('123')).toBe('default');
    expect(unleashGroupId('x'.repeat(40))).toHaveLength(32);
  });
});

describe('flagStateIn', () => {
  it('reads each strategy kind', () => {
    expect(stateOf([strategy('default', {})])).toBe(true);
    expect(
      stateOf([strategy('flexibleRollout', { groupId: 'default', rollout: '25', stickiness: 'userId' })]),
    ).toEqual({ percentage_of_actors: 25 });
    expect(stateOf([strategy('gradualRolloutUserId', { groupId: 'default', percentage: '30' })])).toEqual({
      percentage_of_actors: 30,
    });
    expect(
      stateOf([strategy('flexibleRollout', { groupId: 'a', rollout: '10', stickiness: 'random' })]),
    ).toEqual({ percentage_of_time: 10 });
    expect(stateOf([strategy('userWithId', { userIds: 'bob, alice' })])).toEqual({
      actors: { users: ['alice', 'bob'] },
    });
    expect(stateOf([strategy('gitlabUserList', {}, ['production'], { user_list: { id: 7 } })])).toEqual({
      actors: { users: ['alice', 'bob'] },
    });
    expect(stateOf([strategy('gitlabUserList', {}, ['production'], { user_list: { id: 8 } })])).toEqual({
      actors: { users: ['#user_list:8'] },
    });
  });

  it('tells persisted off from absent, and ignores other scopes (wildcards too)', () => {
    expect(stateOf([strategy('flexibleRollout', { groupId: 'a', rollout: '0', stickiness: 'random' })])).toBe(
      false,
    );
    expect(stateOf([strategy('default', {})], false)).toBe(false);
    expect(stateOf([strategy('default', {}, ['staging', '*'])])).toBeUndefined();
    expect(stateOf([])).toBeUndefined();
    expect(stateOf([strategy('default', {}, ['staging', 'production'])])).toBe(true);
  });
});

describe('targetStrategies', () => {
  it('writes GitLab camelCase bodies with string percentages', () => {
    expect(targetStrategies(true, 'my_flag')).toEqual([{ name: 'default', parameters: {} }]);
    expect(targetStrategies(false, 'my_flag')).toEqual([
      { name: 'flexibleRollout', parameters: { groupId: 'myflag', rollout: '0', stickiness: 'random' } },
    ]);
    expect(
      targetStrategies(
        { percentage_of_actors: 25, percentage_of_time: 5, actors: { users: ['bob', 'alice'] } },
        'my_flag',
      ),
    ).toEqual([
      { name: 'flexibleRollout', parameters: { groupId: 'myflag', rollout: '25', stickiness: 'userId' } },
      { name: 'flexibleRollout', parameters: { groupId: 'myflag', rollout: '5', stickiness: 'random' } },
      { name: 'userWithId', parameters: { userIds: 'alice,bob' } },
    ]);
  });
});

describe('isEquivalent', () => {
  const [actors25] = targetStrategies({ percentage_of_actors: 25 }, 'f');
  it('accepts what does the same, whatever the groupId', () => {
    expect(
      isEquivalent(strategy('gradualRolloutUserId', { groupId: 'x', percentage: '25' }), actors25!, {}),
    ).toBe(true);
    expect(
      isEquivalent(
        strategy('flexibleRollout', { groupId: 'x', rollout: '25', stickiness: 'userId' }),
        actors25!,
        {},
      ),
    ).toBe(true);
    expect(
      isEquivalent(
        strategy('flexibleRollout', { groupId: 'x', rollout: '25', stickiness: 'default' }),
        actors25!,
        {},
      ),
    ).toBe(false);
    expect(
      isEquivalent(
        strategy('flexibleRollout', { groupId: 'x', rollout: '26', stickiness: 'userId' }),
        actors25!,
        {},
      ),
    ).toBe(false);
  });
});
