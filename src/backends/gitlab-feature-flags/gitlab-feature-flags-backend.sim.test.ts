/**
 * gitlab-feature-flags against the GitLab simulator through the real client: seed live state, plan,
 * execute, read back == desired, plan again = nothing, other scopes untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitlabClient } from '../../gitlab/client.js';
import { statesEqual, type MaybeState } from '../../model/state.js';
import { startGitlabSim, type FeatureFlagInput, type GitlabSim } from '../../../test/gitlab-sim/index.js';
import type { Backend } from '../types.js';
import { createGitlabFeatureFlagsBackend } from './gitlab-feature-flags-backend.js';

const TOKEN = 'glpat-maintainer-ff-test';
const PROJECT = 'group/app';
let sim: GitlabSim;

beforeAll(async () => {
  sim = await startGitlabSim({
    seed: {
      users: [{ username: 'dev' }],
      tokens: [{ token: TOKEN, user: 'dev', scopes: ['api'] }],
      projects: [{ path: PROJECT, userLists: [{ name: 'beta', userXids: ['alice', 'bob'] }] }],
    },
  });
});
afterAll(async () => {
  await sim.close();
});

function backend(scope = 'production'): Backend {
  const port = createGitlabClient({
    baseUrl: sim.url,
    token: TOKEN,
    tokenEnv: 'FLAGOPS_TEST_TOKEN',
    retries: 0,
  });
  return createGitlabFeatureFlagsBackend({ port, project: PROJECT, environmentScope: scope, env: scope });
}

/** Strategies of other scopes, ids aside. */
function others(flag: string): string[] {
  const f = sim.project(PROJECT).featureFlags.find((x) => x.name === flag);
  return (f?.strategies ?? [])
    .flatMap((s) =>
      s.scopes
        .filter((sc) => sc.environmentScope !== 'production')
        .map((sc) => `${sc.environmentScope} ${s.name} ${JSON.stringify(s.parameters)}`),
    )
    .sort();
}

async function converge(b: Backend, flag: string, desired: MaybeState, readFirst = true): Promise<string[]> {
  const live = readFirst ? await b.read() : new Map();
  const ops = b.plan(flag, live.get(flag), desired);
  for (const op of ops) await b.execute(op);
  const after = await b.readFlag(flag);
  expect(statesEqual(after?.state, desired)).toBe(true);
  expect(b.plan(flag, after, desired)).toEqual([]);
  return ops.map((o) => o.action);
}

const staging = (
  name: string,
  p: Record<string, string> = {},
): NonNullable<FeatureFlagInput['strategies']>[number] => ({
  name,
  parameters: p,
  scopes: ['staging'],
});

const cases: {
  name: string;
  seed?: FeatureFlagInput['strategies'];
  active?: boolean;
  desired: MaybeState;
  actions: string[];
}[] = [
  {
    name: 'a new flag',
    desired: { percentage_of_actors: 25, actors: { users: ['alice'] } },
    actions: ['create'],
  },
  {
    name: 'a flag that exists only for staging',
    seed: [staging('default')],
    desired: true,
    actions: ['create'],
  },
  {
    name: 'raise a rollout in place',
    seed: [
      {
        name: 'flexibleRollout',
        parameters: { groupId: 'default', rollout: '10', stickiness: 'userId' },
        scopes: ['production'],
      },
      staging('default'),
    ],
    desired: { percentage_of_actors: 50 },
    actions: ['update'],
  },
  {
    name: 'split a strategy shared with staging',
    seed: [{ name: 'userWithId', parameters: { userIds: 'alice' }, scopes: ['production', 'staging'] }],
    desired: false,
    actions: ['update'],
  },
  {
    name: 'unset this scope, keep staging',
    seed: [{ name: 'default', parameters: {}, scopes: ['production'] }, staging('default')],
    desired: undefined,
    actions: ['update'],
  },
  {
    name: 'unset the last scope deletes the flag',
    seed: [{ name: 'default', parameters: {}, scopes: ['production'] }],
    desired: undefined,
    actions: ['delete'],
  },
  {
    name: 're-activate an inactive flag',
    seed: [{ name: 'default', parameters: {}, scopes: ['production'] }],
    active: false,
    desired: true,
    actions: ['update'],
  },
  {
    name: 'replace a user list by user ids',
    seed: [{ name: 'gitlabUserList', scopes: ['production'], userList: 'beta' }],
    desired: { actors: { users: ['carol'] } },
    actions: ['update'],
  },
];

describe('gitlab-feature-flags backend on the simulator', () => {
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const flag = `flag-${i + 1}`;
      if (c.seed) sim.addFeatureFlag(PROJECT, { name: flag, active: c.active ?? true, strategies: c.seed });
      const before = others(flag);
      expect(await converge(backend(), flag, c.desired)).toEqual(c.actions);
      expect(others(flag)).toEqual(c.desired === undefined && c.actions[0] === 'delete' ? [] : before);
      expect(sim.unexpected).toEqual([]);
    });
  });

  it('accepts a user list with the desired users as is', async () => {
    sim.addFeatureFlag(PROJECT, {
      name: 'listed',
      strategies: [{ name: 'gitlabUserList', scopes: ['production'], userList: 'beta' }],
    });
    const b = backend();
    const live = await b.read();
    expect(live.get('listed')?.state).toEqual({ actors: { users: ['alice', 'bob'] } });
    expect(b.plan('listed', live.get('listed'), { actors: { users: ['bob', 'alice'] } })).toEqual([]);
  });

  it('creates into a flag that appeared after the read (name taken → converge by id)', async () => {
    const b = backend();
    await b.read();
    sim.addFeatureFlag(PROJECT, { name: 'late', strategies: [staging('default')] });
    const ops = b.plan('late', undefined, { percentage_of_time: 5 });
    expect(ops.map((o) => o.action)).toEqual(['create']);
    const before = sim.requests.length;
    for (const op of ops) await b.execute(op);
    const sent = sim.requests.slice(before).map((r) => `${r.method} ${r.status}`);
    expect(sent).toEqual(['POST 400', 'GET 200', 'PUT 200']);
    expect((await b.readFlag('late'))?.state).toEqual({ percentage_of_time: 5 });
    expect(others('late')).toEqual(['staging default {}']);
  });
});
