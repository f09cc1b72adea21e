/**
 * gitlab-features against the GitLab simulator through the real client: seed live state, plan,
 * execute, read back == desired, plan again = nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitlabClient } from '../../gitlab/client.js';
import { statesEqual, type MaybeState } from '../../model/state.js';
import { startGitlabSim, type FeatureInput, type GitlabSim } from '../../../test/gitlab-sim/index.js';
import type { Backend } from '../types.js';
import { createGitlabFeaturesBackend } from './gitlab-features-backend.js';

const TOKEN = 'glpat-admin-features-test';
let sim: GitlabSim;

beforeAll(async () => {
  sim = await startGitlabSim({
    seed: {
      users: [{ username: 'root', admin: true }, { username: 'luke' }, { username: 'leia' }],
      tokens: [{ token: TOKEN, user: 'root', scopes: ['api'] }],
      groups: [{ path: 'rebels' }],
      projects: [{ path: 'rebels/x-wing' }, { path: 'rebels/falcon' }],
    },
  });
});
afterAll(async () => {
  await sim.close();
});

function backend(options: { repositoryNames?: string[] } = {}): Backend {
  const port = createGitlabClient({
    baseUrl: sim.url,
    token: TOKEN,
    tokenEnv: 'FLAGOPS_TEST_TOKEN',
    retries: 0,
  });
  return createGitlabFeaturesBackend({ port, env: 'staging', ...options });
}

async function converge(b: Backend, flag: string, desired: MaybeState): Promise<string[]> {
  const live = await b.read();
  const ops = b.plan(flag, live.get(flag), desired);
  for (const op of ops) await b.execute(op);
  const after = await b.readFlag(flag);
  expect(statesEqual(after?.state, desired)).toBe(true);
  expect(b.plan(flag, after, desired)).toEqual([]);
  return ops.map((o) => o.describe);
}

const cases: { name: string; seed?: FeatureInput; desired: MaybeState; expect?: string[] }[] = [
  {
    name: 'unset to a percentage of actors',
    desired: { percentage_of_actors: 25 },
    expect: ['feature set f1 25 --actors --staging'],
  },
  {
    name: 'fully on to actors of every kind',
    seed: { boolean: true },
    desired: {
      actors: {
        users: ['leia', 'luke'],
        groups: ['rebels'],
        projects: ['rebels/x-wing'],
        namespaces: ['luke'],
      },
      feature_groups: ['gitlab_team_members'],
    },
    expect: [
      'feature set f2 false --staging',
      'feature set --user=leia,luke --group=rebels --project=rebels/x-wing --namespace=luke --feature-group=gitlab_team_members f2 true --staging',
    ],
  },
  {
    name: 'drop a percentage, keep an actor',
    seed: { percentageOfTime: 30, users: ['luke'] },
    desired: { actors: { users: ['luke'] } },
  },
  {
    name: 'remove one user',
    seed: { users: ['luke', 'leia'] },
    desired: { actors: { users: ['luke'] } },
    expect: ['feature set --user=leia f4 false --staging'],
  },
  {
    name: 'conditional to persisted off',
    seed: { percentageOfActors: 10, groups: ['rebels'] },
    desired: false,
  },
  { name: 'persisted off to unset', seed: {}, desired: undefined, expect: ['feature delete f6 --staging'] },
  {
    name: 'an opt-out under a fully-on flag',
    seed: { boolean: true, actors: ['User:2:opt_out'] },
    desired: true,
    expect: ['feature set f7 true --staging'],
  },
  {
    name: 'a deleted user',
    seed: { actors: ['User:999'], users: ['luke'] },
    desired: { actors: { users: ['luke'] } },
  },
  { name: 'a group given as a namespace', desired: { actors: { namespaces: ['rebels'] } } },
];

describe('gitlab-features backend on the simulator', () => {
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const flag = `f${i + 1}`;
      if (c.seed) sim.setFeature(flag, c.seed);
      const b = backend();
      if (c.name === 'a group given as a namespace') {
        // GitLab stores the group's own id: it reads back as a group, which the planner accepts.
        const live = await b.read();
        for (const op of b.plan(flag, live.get(flag), c.desired)) await b.execute(op);
        const after = await b.readFlag(flag);
        expect(after?.state).toEqual({ actors: { groups: ['rebels'] } });
        expect(b.plan(flag, after, c.desired)).toEqual([]);
        return;
      }
      const described = await converge(b, flag, c.desired);
      if (c.expect) expect(described).toEqual(c.expect);
      expect(sim.unexpected).toEqual([]);
    });
  });

  it('an opt-out of a user the file lists is cleared before the user is added (GitLab refuses the add otherwise)', async () => {
    const leia = sim.state.users.find((u) => u.username === 'leia')!;
    sim.setFeature('o1', { users: ['luke'], actors: [`User:${leia.id}:opt_out`] });
    const described = await converge(backend(), 'o1', { actors: { users: ['leia', 'luke'] } });
    expect(described).toEqual(['feature set o1 false --staging', 'feature set --user=leia,luke o1 true --staging']);
    expect(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/features/o1')).map((r) => r.status)).toEqual([201, 201]);
    expect(sim.unexpected).toEqual([]);
  });

  it('reads once and resolves each actor id once', async () => {
    sim.setFeature('r1', { users: ['luke', 'leia'], projects: ['rebels/x-wing'] });
    sim.setFeature('r2', { users: ['luke'], groups: ['rebels'] });
    const before = sim.requests.length;
    const live = await backend().read();
    const paths = sim.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(paths.filter((p) => p === 'GET /api/v4/features')).toHaveLength(1);
    const lookups = paths.filter((p) => p !== 'GET /api/v4/features');
    expect(new Set(lookups).size).toBe(lookups.length);
    expect(live.get('r1')?.state).toEqual({
      actors: { users: ['leia', 'luke'], projects: ['rebels/x-wing'] },
    });
  });

  it('resolves hashed repository ids against known repository names', async () => {
    sim.setFeature('repo_flag', { repositories: ['rebels/falcon.git'] });
    expect((await backend().readFlag('repo_flag'))?.state).toEqual({
      actors: { repositories: [expect.stringMatching(/^#Repository:@hashed\//)] },
    });
    // The backend must know every repository the flag files name (hashed ids cannot be reversed).
    const b = backend({ repositoryNames: ['rebels/falcon.git', 'rebels/x-wing.git'] });
    const live = await b.readFlag('repo_flag');
    expect(live?.state).toEqual({ actors: { repositories: ['rebels/falcon.git'] } });
    await converge(b, 'repo_flag', { actors: { repositories: ['rebels/falcon.git', 'rebels/x-wing.git'] } });
  });
});
