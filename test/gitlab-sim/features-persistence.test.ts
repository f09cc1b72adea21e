/**
 * What a `POST /features/:name` call stores, call by call, as GitLab does it: Admin::SetFeatureFlagService
 * (app/services/admin/set_feature_flag_service.rb) over lib/feature.rb over Flipper, whose `Feature#enable` and
 * `#disable` persist the flag (`adapter.add`) before writing a gate (flipper lib/flipper/feature.rb).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { call, startSim } from './test-helpers.js';

let sim: GitlabSim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.state.features.splice(0);
  sim.staleFeatureReads(0);
});

const set = (name: string, form: Record<string, string>) => call(sim, `/features/${name}`, { form });
const listed = async () => ((await call(sim, '/features')).body as { name: string }[]).map((f) => f.name);
const GROUP_TO_S = /^400 Bad request - No opt-out exists for #<Flipper::Types::Group:0x[0-9a-f]{16}>$/;

describe('remove_opt_out for a feature group (Feature.opted_out? ignores groups)', () => {
  it('is 400 "No opt-out exists for #<Flipper::Types::Group…>" and stores nothing', async () => {
    const res = await set('g1', { value: 'remove_opt_out', feature_group: 'gitlab_team_members' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(GROUP_TO_S);
    expect(await listed()).toEqual([]);
  });

  it('on a flag that has the group: 400, the group stays', async () => {
    await set('g2', { value: 'true', feature_group: 'gitlab_team_members' });
    const res = await set('g2', { value: 'remove_opt_out', feature_group: 'gitlab_team_members' });
    expect(res.status).toBe(400);
    expect(sim.feature('g2')?.gates).toContainEqual({ key: 'groups', value: ['gitlab_team_members'] });
  });

  it('the feature group is the first target: with a user whose opt-out exists, nothing is removed', async () => {
    const root = sim.state.users.find((u) => u.username === 'root')!;
    await set('g3', { value: 'true' });
    expect((await set('g3', { value: 'opt_out', user: 'root' })).status).toBe(201);
    const res = await set('g3', { value: 'remove_opt_out', user: 'root', feature_group: 'gitlab_team_members' });
    expect(res.body.message).toMatch(GROUP_TO_S);
    expect(sim.state.features.find((f) => f.name === 'g3')?.actors).toEqual([`User:${root.id}:opt_out`]);
  });

  it('for a user, the opt-out is removed when it exists (201) and refused when not (400)', async () => {
    await set('g4', { value: 'true' });
    await set('g4', { value: 'opt_out', user: 'root' });
    expect((await set('g4', { value: 'remove_opt_out', user: 'root' })).status).toBe(201);
    expect(sim.state.features.find((f) => f.name === 'g4')?.actors).toEqual([]);
    const again = await set('g4', { value: 'remove_opt_out', user: 'root' });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/^400 Bad request - No opt-out exists for /);
  });
});

describe('a failed call stores no flag', () => {
  it('every refusal before the first gate write leaves no feature row', async () => {
    const refusals: [string, Record<string, string>, string][] = [
      ['f1', { value: 'true', user: 'luke,nobody' }, 'nobody is not found!'],
      ['f2', { value: '150', key: 'percentage_of_actors' }, 'value must be a positive number less than or equal to 100, but was 150.0'],
      ['f3', { value: '150' }, 'value must be a positive number less than or equal to 100, but was 150.0'],
      ['f4', { value: 'half', key: 'percentage_of_actors' }, 'Not a percentage'],
      ['f5', { value: 'maybe' }, `Cannot set 'f5' to "maybe"`],
      ['f6', { value: 'remove_opt_out', user: 'luke' }, 'No opt-out exists for @luke'],
      ['f7', { value: 'remove_opt_out' }, `Cannot set 'f7' to "remove_opt_out"`],
      ['zentao_issues_integration', { value: 'false' }, "The 'zentao_issues_integration' is a licensed feature name"],
    ];
    for (const [name, form, message] of refusals) {
      const res = await set(name, form);
      expect([name, res.status]).toEqual([name, 400]);
      expect(res.body.message).toContain(message);
    }
    expect(await listed()).toEqual([]);
  });

  it('targets before the refused one stay applied (no transaction around them), and reads are stale after it', async () => {
    const [luke, root] = ['luke', 'root'].map((n) => sim.state.users.find((u) => u.username === n)!);
    await set('p1', { value: 'opt_out', user: 'root' });
    sim.staleFeatureReads(60_000);
    const res = await set('p1', { value: 'true', user: 'luke,root' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('400 Bad request - Opt-out exists for @root - remove opt-out before enabling');
    expect(sim.state.features.find((f) => f.name === 'p1')?.actors).toEqual([`User:${root!.id}:opt_out`, `User:${luke!.id}`]);
    // another web process still has the flag as it was before the refused call
    const stale = (await call(sim, '/features')).body as { name: string; gates: unknown[] }[];
    expect(stale.find((f) => f.name === 'p1')?.gates).toEqual([
      { key: 'boolean', value: false },
      { key: 'actors', value: [`User:${root!.id}:opt_out`] },
    ]);
  });
});

describe('a call that writes no gate stores no flag', () => {
  it('opt_out for a feature group is a no-op (Feature.opt_out ignores groups): 201, the flag as it is, nothing stored', async () => {
    const res = await set('n1', { value: 'opt_out', feature_group: 'gitlab_team_members' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'n1', state: 'off', gates: [{ key: 'boolean', value: false }], definition: null });
    expect(await listed()).toEqual([]);
  });

  it('Flipper persists on every enable/disable, even one that changes no gate', async () => {
    await set('n2', { value: 'false' });
    await set('n3', { value: 'false', user: 'luke' });
    await set('n4', { value: 'false', feature_group: 'gitlab_team_members' });
    await set('n5', { value: 'opt_out', user: 'luke' });
    expect(await listed()).toEqual(['n2', 'n3', 'n4', 'n5']);
    expect(sim.feature('n3')).toMatchObject({ state: 'off', gates: [{ key: 'boolean', value: false }] });
  });
});
