import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { BASE_SEED, call, startSim, USER_TOKEN } from './test-helpers.js';

let sim: GitlabSim;
beforeAll(async () => {
  sim = await startSim();
  sim.addGroup({ path: 'icbd-trial', id: 9970 });
  sim.addProject({ path: 'icbd-trial/integration-trial', id: 278964 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.state.features.splice(0);
});

const set = (name: string, form: Record<string, string>) => call(sim, `/features/${name}`, { form });
const gates = async (name: string) =>
  (await call(sim, '/features')).body.find((f: { name: string }) => f.name === name);

describe('POST /features/:name value order (Admin::SetFeatureFlagService)', () => {
  it('true/100/100.0 turn the flag fully on, whatever key says', async () => {
    for (const value of ['true', '100', '100.0']) {
      const res = await set('f1', { value, key: 'percentage_of_actors' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        name: 'f1',
        state: 'on',
        gates: [{ key: 'boolean', value: true }],
        definition: null,
      });
    }
  });

  it('false/0/0.0 disable: every gate cleared, the flag stays persisted', async () => {
    for (const value of ['false', '0', '0.0']) {
      await set('f2', { value: '30', key: 'percentage_of_actors' });
      await set('f2', { value: 'true', user: 'luke' });
      const res = await set('f2', { value, key: 'percentage_of_time' });
      expect(res.body).toEqual({
        name: 'f2',
        state: 'off',
        gates: [{ key: 'boolean', value: false }],
        definition: null,
      });
      expect(await gates('f2')).toMatchObject({ state: 'off' });
    }
  });

  it('key=percentage_of_actors sets actors; a bare number sets percentage of time', async () => {
    expect((await set('f3', { value: '25', key: 'percentage_of_actors' })).body.gates).toEqual([
      { key: 'boolean', value: false },
      { key: 'percentage_of_actors', value: 25 },
    ]);
    const res = await set('f3', { value: '12.5' });
    expect(res.body.state).toBe('conditional');
    expect(res.body.gates).toEqual([
      { key: 'boolean', value: false },
      { key: 'percentage_of_actors', value: 25 },
      { key: 'percentage_of_time', value: 12.5 },
    ]);
  });

  it('refuses a percentage on a fully-on flag (400), and changes nothing', async () => {
    await set('f4', { value: 'true' });
    const res = await set('f4', { value: '50', key: 'percentage_of_actors' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      message: '400 Bad request - Cannot enable percentage of actors for a fully-enabled flag',
    });
    const time = await set('f4', { value: '50' });
    expect(time.body).toEqual({
      message: '400 Bad request - Cannot enable percentage of time for a fully-enabled flag',
    });
    expect(sim.feature('f4')?.state).toBe('on');
  });

  it('enabling fully on clears actors and percentages', async () => {
    await set('f5', { value: 'true', user: 'luke' });
    await set('f5', { value: '10', key: 'percentage_of_actors' });
    expect((await set('f5', { value: 'true' })).body.gates).toEqual([{ key: 'boolean', value: true }]);
  });

  it('rejects unknown operations', async () => {
    expect((await set('f6', { value: 'abc' })).body).toEqual({
      message: `400 Bad request - Cannot set 'f6' to "abc"`,
    });
    expect((await set('f6', { value: 'abc', key: 'percentage_of_actors' })).body).toEqual({
      message: '400 Bad request - Not a percentage',
    });
    expect((await set('f6', { value: '5', key: 'bogus' })).body).toEqual({
      message: `400 Bad request - Cannot set 'f6' ("bogus") to "5"`,
    });
    expect((await call(sim, '/features/f6', { form: { key: 'percentage_of_time' } })).body).toEqual({
      error: 'value is missing',
    });
  });
});

describe('actors', () => {
  it('key together with an actor parameter → 400 mutually exclusive', async () => {
    const res = await set('a1', { value: 'true', key: 'percentage_of_actors', user: 'luke' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'key, user are mutually exclusive' });
    const two = await set('a1', {
      value: 'true',
      key: 'percentage_of_actors',
      user: 'luke',
      project: 'icbd-trial/integration-trial',
    });
    expect(two.body).toEqual({
      error: 'key, user are mutually exclusive, key, project are mutually exclusive',
    });
    expect(sim.features).toEqual([]);
  });

  it('serialises actors as Flipper ids, adds with true and removes with false', async () => {
    const luke = sim.state.users.find((u) => u.username === 'luke')!;
    await set('a2', { value: 'true', user: 'luke,root', project: 'icbd-trial/integration-trial' });
    await set('a2', { value: 'true', group: 'icbd-trial', namespace: 'luke' });
    await set('a2', { value: 'true', feature_group: 'gitlab_team_members' });
    const res = await set('a2', { value: 'false', user: 'root' });
    expect(res.body.state).toBe('conditional');
    expect(res.body.gates).toEqual([
      { key: 'boolean', value: false },
      {
        key: 'actors',
        value: [
          `User:${luke.id}`,
          'Project:278964',
          'Group:9970',
          `Namespaces::UserNamespace:${luke.namespaceId}`,
        ],
      },
      { key: 'groups', value: ['gitlab_team_members'] },
    ]);
  });

  it('repository actors use the hashed storage path', async () => {
    const res = await set('a3', { value: 'true', repository: 'icbd-trial/integration-trial.git' });
    expect(res.body.gates[1].value[0]).toMatch(
      /^Repository:@hashed\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.git$/,
    );
  });

  it('repository paths are parsed as Gitlab::RepoPath does: `.git` optional, case-insensitive, wiki and design typed', async () => {
    const ids = async (flag: string, repository: string): Promise<string[]> =>
      ((await set(flag, { value: 'true', repository })).body.gates[1].value as string[]).map((id) => id.replace(/\/[0-9a-f]{64}/, '/H'));
    const plain = await ids('r1', 'icbd-trial/integration-trial');
    expect(await ids('r2', 'ICBD-Trial/Integration-Trial.git')).toEqual(plain);
    expect(plain[0]).toMatch(/^Repository:@hashed\/[0-9a-f]{2}\/[0-9a-f]{2}\/H\.git$/);
    expect((await ids('r3', 'icbd-trial/integration-trial.wiki.git'))[0]).toMatch(/\/H\.wiki\.git$/);
    expect((await ids('r4', 'icbd-trial/integration-trial.design.git'))[0]).toMatch(/\/H\.design\.git$/);
    expect((await set('r5', { value: 'true', repository: 'icbd-trial/nothing.design.git' })).status).toBe(400);
  });

  it('an unknown actor → 400 "<name> is not found!" and nothing changes', async () => {
    const res = await set('a4', { value: 'true', user: 'luke,nobody' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: '400 Bad request - nobody is not found!' });
    expect(sim.features).toEqual([]);
  });

  it('a percentage with an actor is refused', async () => {
    const res = await set('a5', { value: '50', user: 'luke' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^400 Bad request - Cannot set 'a5' to "50" for/);
  });
});

describe('GET and DELETE', () => {
  it('lists persisted flags only; DELETE → 204 always, then the flag is gone', async () => {
    await set('d1', { value: 'false' });
    expect((await call(sim, '/features')).body).toEqual([
      { name: 'd1', state: 'off', gates: [{ key: 'boolean', value: false }], definition: null },
    ]);
    expect((await call(sim, '/features/d1', { method: 'DELETE' })).status).toBe(204);
    expect((await call(sim, '/features/d1', { method: 'DELETE' })).status).toBe(204);
    expect((await call(sim, '/features')).body).toEqual([]);
  });

  it('is for administrators only, and validates names', async () => {
    expect(await call(sim, '/features', { token: USER_TOKEN })).toMatchObject({
      status: 403,
      body: { message: '403 Forbidden' },
    });
    expect((await call(sim, '/features/x', { token: USER_TOKEN, form: { value: 'true' } })).status).toBe(403);
    expect((await set('Bad-Name', { value: 'true' })).status).toBe(400);
  });

  it('accepts JSON bodies with boolean and numeric values', async () => {
    const res = await call(sim, '/features/j1', { json: { value: 30, key: 'percentage_of_actors' } });
    expect(res.body.gates).toContainEqual({ key: 'percentage_of_actors', value: 30 });
    expect((await call(sim, '/features/j1', { json: { value: true } })).body.state).toBe('on');
  });

  it('setFeature seeds the Flipper model by names', async () => {
    sim.setFeature('s1', { users: ['luke'], percentageOfTime: 100 });
    expect(sim.feature('s1')?.state).toBe('on');
  });
});

describe('licensed feature names (ee/app/services/ee/admin/set_feature_flag_service.rb)', () => {
  const refusal = (name: string) => ({
    message: `400 Bad request - The '${name}' is a licensed feature name, and thus it cannot be used as a feature flag name. Use \`rails console\` to set this feature flag state.`,
  });

  it('refuses a licensed name without force=true (400), and stores nothing', async () => {
    const forms: Record<string, string>[] = [{ value: 'true' }, { value: 'true', force: 'false' }, { value: '25', key: 'percentage_of_actors' }];
    for (const form of forms) {
      const res = await set('zentao_issues_integration', form);
      expect([res.status, res.body]).toEqual([400, refusal('zentao_issues_integration')]);
    }
    expect((await set('custom_fields', { value: 'true', user: 'luke' })).body).toEqual(refusal('custom_fields'));
    expect(sim.feature('zentao_issues_integration')).toBeUndefined();
    expect((await call(sim, '/features')).body).toEqual([]);
  });

  it('force=true (form or JSON) sets it; DELETE needs no force', async () => {
    expect((await set('zentao_issues_integration', { value: 'true', force: 'true' })).body).toMatchObject({ name: 'zentao_issues_integration', state: 'on' });
    const json = await call(sim, '/features/secret_push_protection', { json: { value: 30, key: 'percentage_of_actors', force: true } });
    expect(json.status).toBe(201);
    expect(json.body.gates).toContainEqual({ key: 'percentage_of_actors', value: 30 });
    expect((await call(sim, '/features/zentao_issues_integration', { method: 'DELETE' })).status).toBe(204);
    expect(sim.feature('zentao_issues_integration')).toBeUndefined();
  });

  it('an unlicensed name needs no force; a seeded name is refused like GitLab\'s own', async () => {
    expect((await set('my_paid_thing', { value: 'true' })).status).toBe(201);
    sim.addLicensedFeature('future_paid_feature');
    expect((await set('future_paid_feature', { value: 'true' })).body).toEqual(refusal('future_paid_feature'));
    expect((await set('future_paid_feature', { value: 'true', force: 'true' })).status).toBe(201);
    const seeded = await startSim({ seed: { ...BASE_SEED, licensedFeatures: ['seeded_paid_feature'] } });
    try {
      const res = await call(seeded, '/features/seeded_paid_feature', { form: { value: 'true' } });
      expect([res.status, res.body]).toEqual([400, refusal('seeded_paid_feature')]);
      expect(seeded.feature('seeded_paid_feature')).toBeUndefined();
    } finally {
      await seeded.close();
    }
  });
});
