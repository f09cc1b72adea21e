import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { call, startSim } from './test-helpers.js';

let sim: GitlabSim;
const P = '/projects/group%2Fapp';

beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const gradual = (percentage: string, scope: string) => ({
  name: 'gradualRolloutUserId',
  parameters: { groupId: 'default', percentage },
  scopes: [{ environment_scope: scope }],
});

describe('POST /projects/:id/feature_flags', () => {
  it('creates a new_version_flag with camelCase strategy parameters', async () => {
    const res = await call(sim, `${P}/feature_flags`, {
      json: { name: 'new-checkout', version: 'new_version_flag', strategies: [gradual('25', 'production')] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'new-checkout',
      active: true,
      version: 'new_version_flag',
      scopes: [],
      strategies: [
        {
          name: 'gradualRolloutUserId',
          parameters: { groupId: 'default', percentage: '25' },
          scopes: [{ environment_scope: 'production' }],
          user_list: null,
        },
      ],
    });
  });

  it('validates names and parameters as GitLab does', async () => {
    const bad = await call(sim, `${P}/feature_flags`, { json: { name: 'Bad_' } });
    expect(bad.body).toEqual({
      message: [
        "Name can contain only lowercase letters, digits, '_' and '-'. Must start with a letter, and cannot end with '-' or '_'",
      ],
    });
    expect((await call(sim, `${P}/feature_flags`, { json: { name: 'a' } })).body.message).toEqual([
      'Name is too short (minimum is 2 characters)',
    ]);
    expect((await call(sim, `${P}/feature_flags`, { json: { name: 'new-checkout' } })).body.message).toEqual([
      'Name has already been taken',
    ]);
    const snake = await call(sim, `${P}/feature_flags`, {
      json: {
        name: 'snake',
        strategies: [{ name: 'gradualRolloutUserId', parameters: { group_id: 'default', percentage: '5' } }],
      },
    });
    expect(snake.body.message).toEqual(['Strategies parameters parameters are invalid']);
    const numeric = await call(sim, `${P}/feature_flags`, {
      json: {
        name: 'numeric',
        strategies: [{ name: 'gradualRolloutUserId', parameters: { groupId: 'default', percentage: 5 } }],
      },
    });
    expect(numeric.body.message).toEqual([
      'Strategies parameters percentage must be a string between 0 and 100 inclusive',
    ]);
    const flexible = await call(sim, `${P}/feature_flags`, {
      json: {
        name: 'flex',
        strategies: [
          { name: 'flexibleRollout', parameters: { groupId: 'default', rollout: '50', stickiness: 'nope' } },
        ],
      },
    });
    expect(flexible.body.message).toEqual([
      'Strategies parameters stickiness parameter must be default, userId, sessionId, or random',
    ]);
    const users = await call(sim, `${P}/feature_flags`, {
      json: { name: 'users', strategies: [{ name: 'userWithId', parameters: { userIds: 'a,,b' } }] },
    });
    expect(users.body.message).toEqual([
      'Strategies parameters userIds must be a string of unique comma separated values each 256 characters or less',
    ]);
    expect(
      (await call(sim, `${P}/feature_flags`, { json: { name: 'vv', version: 'legacy_flag' } })).body,
    ).toEqual({
      message: 'Version is invalid',
    });
    expect((await call(sim, `${P}/feature_flags`, { json: { name: 'nn', strategies: [{}] } })).body).toEqual({
      error: 'strategies[0][name] is missing',
    });
    expect(sim.project('group/app').featureFlags.map((f) => f.name)).toEqual(['new-checkout']);
  });
});

describe('PUT /projects/:id/feature_flags/:name', () => {
  it('appends strategies sent without id', async () => {
    const res = await call(sim, `${P}/feature_flags/new-checkout`, {
      method: 'PUT',
      json: { strategies: [gradual('50', 'production')] },
    });
    expect(res.status).toBe(200);
    expect(
      res.body.strategies.map((s: { parameters: { percentage: string } }) => s.parameters.percentage),
    ).toEqual(['25', '50']);
  });

  it('updates in place with id and removes with _destroy', async () => {
    const [first, second] = sim.project('group/app').featureFlags[0]!.strategies;
    const res = await call(sim, `${P}/feature_flags/new-checkout`, {
      method: 'PUT',
      json: {
        strategies: [
          { id: first!.id, _destroy: true },
          {
            id: second!.id,
            parameters: { groupId: 'default', percentage: '75' },
            scopes: [{ id: second!.scopes[0]!.id, _destroy: true }, { environment_scope: 'staging' }],
          },
        ],
      },
    });
    expect(res.body.strategies).toEqual([
      {
        id: second!.id,
        name: 'gradualRolloutUserId',
        parameters: { groupId: 'default', percentage: '75' },
        scopes: [{ id: expect.any(Number), environment_scope: 'staging' }],
        user_list: null,
      },
    ]);
  });

  it('a strategy id of another flag → 404; an invalid change changes nothing', async () => {
    const before = JSON.stringify(sim.project('group/app').featureFlags);
    expect(
      (
        await call(sim, `${P}/feature_flags/new-checkout`, {
          method: 'PUT',
          json: { strategies: [{ id: 9999, _destroy: true }] },
        })
      ).status,
    ).toBe(404);
    const bad = await call(sim, `${P}/feature_flags/new-checkout`, {
      method: 'PUT',
      json: {
        strategies: [
          { name: 'default', parameters: {} },
          { name: 'bogus', parameters: {} },
        ],
      },
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { message: ['Strategies name strategy name is invalid'] },
    });
    expect(JSON.stringify(sim.project('group/app').featureFlags)).toBe(before);
  });

  it('gitlabUserList strategies need a user list of the project', async () => {
    const list = await call(sim, `${P}/feature_flags_user_lists`, {
      json: { name: 'beta', user_xids: 'u1,u2' },
    });
    expect(list.status).toBe(201);
    expect(list.body).toMatchObject({
      iid: 1,
      name: 'beta',
      user_xids: 'u1,u2',
      path: '/group/app/-/feature_flags_user_lists/1',
    });
    const noList = await call(sim, `${P}/feature_flags`, {
      json: { name: 'lists', strategies: [{ name: 'gitlabUserList', parameters: {} }] },
    });
    expect(noList.body.message).toEqual(["Strategies user list can't be blank"]);
    const res = await call(sim, `${P}/feature_flags`, {
      json: {
        name: 'lists',
        strategies: [
          {
            name: 'gitlabUserList',
            parameters: {},
            user_list_id: list.body.id,
            scopes: [{ environment_scope: '*' }],
          },
        ],
      },
    });
    expect(res.body.strategies[0].user_list).toEqual({
      id: list.body.id,
      iid: 1,
      name: 'beta',
      user_xids: 'u1,u2',
    });
    expect((await call(sim, `${P}/feature_flags_user_lists/1`, { method: 'DELETE' })).status).toBe(409);
    const put = await call(sim, `${P}/feature_flags_user_lists/1`, {
      method: 'PUT',
      json: { user_xids: 'u1,u1' },
    });
    expect(put.body.message).toEqual([
      'User xids user_xids must be a string of unique comma separated values each 256 characters or less',
    ]);
  });

  it('lists flags by name, gets, and deletes with 200 and the flag', async () => {
    expect((await call(sim, `${P}/feature_flags`)).body.map((f: { name: string }) => f.name)).toEqual([
      'lists',
      'new-checkout',
    ]);
    expect((await call(sim, `${P}/feature_flags?scope=disabled`)).body).toEqual([]);
    const del = await call(sim, `${P}/feature_flags/lists`, { method: 'DELETE' });
    expect(del).toMatchObject({ status: 200, body: { name: 'lists' } });
    expect((await call(sim, `${P}/feature_flags/lists`)).status).toBe(404);
    expect((await call(sim, `${P}/feature_flags_user_lists/1`, { method: 'DELETE' })).status).toBe(204);
  });
});
