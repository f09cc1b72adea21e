/**
 * The simulator is at least as strict as GitLab (issue "faithful to GitLab", Build 3): the Unleash client API,
 * the per-process feature cache, unique strategy scopes, the project feature-flag limit, Ruby's split of actor lists.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { scopeMatches } from './routes/unleash.js';
import { call, startSim } from './test-helpers.js';

let sim: GitlabSim;
const P = '/projects/group%2Fapp';
beforeEach(async () => {
  sim = await startSim();
});
afterEach(async () => {
  expect(sim.unexpected).toEqual([]);
  await sim.close();
});

async function client(app: string | undefined, instanceId = sim.unleashInstanceId('group/app')) {
  const id = sim.project('group/app').id;
  const headers: Record<string, string> = { 'UNLEASH-INSTANCEID': instanceId };
  if (app !== undefined) headers['UNLEASH-APPNAME'] = app;
  const res = await fetch(`${sim.url}/api/v4/feature_flags/unleash/${id}/client/features`, { headers });
  return { status: res.status, body: (await res.json()) as { version?: number; features?: { name: string; enabled: boolean; strategies: unknown[] }[] } };
}

describe('Unleash client API (lib/api/unleash.rb)', () => {
  beforeEach(() => {
    sim.addUserList('group/app', { name: 'beta', userXids: ['u1', 'u2'] });
    sim.addFeatureFlag('group/app', {
      name: 'checkout',
      strategies: [
        { name: 'default', scopes: ['staging'] },
        { name: 'userWithId', parameters: { userIds: 'alice' }, scopes: ['*'] },
        { name: 'gitlabUserList', userList: 'beta', scopes: ['prod*'] },
      ],
    });
    sim.addFeatureFlag('group/app', { name: 'review-only', active: false, strategies: [{ name: 'default', scopes: ['review/*'] }] });
  });

  it('serves each environment the strategies whose scope matches it, wildcards included; user lists as userWithId', async () => {
    const prod = await client('production');
    expect(prod.status).toBe(200);
    expect(prod.body).toEqual({
      version: 1,
      features: [
        {
          name: 'checkout',
          enabled: true,
          strategies: [
            { name: 'userWithId', parameters: { userIds: 'alice' } },
            { name: 'userWithId', parameters: { userIds: 'u1,u2' } },
          ],
        },
      ],
    });
    const review = await client('review/fix-1');
    expect(review.body.features?.map((f) => [f.name, f.enabled, f.strategies.length])).toEqual([
      ['checkout', true, 1],
      ['review-only', false, 1],
    ]);
  });

  it('no app name serves nothing; a wrong instance id is 401 without a user token', async () => {
    expect((await client(undefined)).body).toEqual({ version: 1, features: [] });
    expect((await client('production', 'glffct-wrong')).status).toBe(401);
    expect(sim.requests.every((r) => r.token === 'none')).toBe(true);
  });

  it('matches scopes as SQL LIKE over a glob: `*` any run, the rest literal, case-sensitive', () => {
    expect(scopeMatches('*', 'anything')).toBe(true);
    expect(scopeMatches('review/*', 'review/a/b')).toBe(true);
    expect(scopeMatches('review/*', 'review')).toBe(false);
    expect(scopeMatches('prod.*', 'production')).toBe(false);
    expect(scopeMatches('Prod*', 'production')).toBe(false);
  });
});

describe('instance features behind a per-process cache (lib/feature.rb)', () => {
  it('with the switch on, GET /features answers the list from before the write, the write answers fresh', async () => {
    sim.staleFeatureReads(60_000);
    const set = await call(sim, '/features/checkout', { form: { value: 'true' } });
    expect(set.body).toMatchObject({ name: 'checkout', state: 'on' });
    expect((await call(sim, '/features')).body).toEqual([]);
    sim.staleFeatureReads(0);
    expect((await call(sim, '/features')).body).toMatchObject([{ name: 'checkout', state: 'on' }]);
  });
});

describe('a refused feature call stores nothing', () => {
  it('an invalid value for an actor → 400, and the flag is not persisted', async () => {
    const res = await call(sim, '/features/never_stored', { form: { value: 'maybe', user: 'luke' } });
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toMatch(/Cannot set 'never_stored' to "maybe" for/);
    expect(sim.features).toEqual([]);
    expect((await call(sim, '/features')).body).toEqual([]);
  });
});

describe('project feature flags: what GitLab refuses', () => {
  it('the same scope twice in one strategy fails on the unique index: 500', async () => {
    const res = await call(sim, `${P}/feature_flags`, {
      json: { name: 'dup', version: 'new_version_flag', strategies: [{ name: 'default', scopes: [{ environment_scope: 'production' }, { environment_scope: 'production' }] }] },
    });
    expect(res.status).toBe(500);
    expect(sim.project('group/app').featureFlags).toEqual([]);
  });

  it('one flag over the project limit is refused with an array message', async () => {
    sim.project('group/app').featureFlagsLimit = 1;
    const first = await call(sim, `${P}/feature_flags`, { json: { name: 'one', version: 'new_version_flag' } });
    expect(first.status).toBe(201);
    const second = await call(sim, `${P}/feature_flags`, { json: { name: 'two', version: 'new_version_flag' } });
    expect(second.status).toBe(400);
    expect(second.body).toEqual({ message: ['Maximum number of project feature flags (1) exceeded'] });
  });
});

describe('actor lists split as Ruby does (lib/feature/target.rb)', () => {
  it('an empty name inside the list is looked up and not found; a trailing comma is dropped', async () => {
    const res = await call(sim, '/features/a1', { form: { value: 'true', user: 'luke,,luke' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: '400 Bad request -  is not found!' });
    const ok = await call(sim, '/features/a1', { form: { value: 'true', user: 'luke,' } });
    expect(ok.status).toBe(201);
  });
});
