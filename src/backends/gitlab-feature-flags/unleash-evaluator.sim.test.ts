/**
 * What users see equals the files (issue "faithful to GitLab", Build 4): after `flagops apply`, the official
 * Unleash Node SDK (`unleash-client`), connected to the simulator's Unleash client API as an application of the
 * `production` environment, evaluates 10,000 user ids.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlagState } from '../../model/state.js';
import { PROJECT, SCOPE, startApplyWorld, type ApplyWorld } from '../../../test/helpers/apply-world.js';
import { connectUnleash, USER_IDS } from '../../../test/evaluators/unleash.js';
import { cli } from '../../../test/helpers/run-cli.js';

let world: ApplyWorld;
beforeEach(async () => {
  world = await startApplyWorld();
});
afterEach(async () => {
  expect(world.sim.unexpected).toEqual([]);
  await world.close();
});

async function apply(flag: string, state: FlagState | undefined) {
  world.writeFlags({ [flag]: { kind: 'managed', envs: state === undefined ? {} : { production: state } } });
  return cli(['apply', '--env', 'production', '--format', 'json'], { cwd: world.dir, env: world.vars });
}

async function view() {
  return connectUnleash(world.sim, PROJECT, SCOPE);
}

const LISTED = ['alice', 'qa-bot'];

describe('unleash-client sees what the file says', () => {
  it.each<[string, FlagState, { share: number; listed?: boolean }]>([
    ['fully on', true, { share: 100 }],
    ['persisted off', false, { share: 0 }],
    ['users only', { actors: { users: LISTED } }, { share: 0, listed: true }],
    ['percentage of actors', { percentage_of_actors: 25 }, { share: 25 }],
    ['percentage of time', { percentage_of_time: 30 }, { share: 30 }],
    ['percentage of actors and users', { percentage_of_actors: 40, actors: { users: LISTED } }, { share: 40, listed: true }],
  ])('%s', async (_, state, want) => {
    const run = await apply('checkout', state);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const app = await view();
    try {
      expect(Math.abs(app.share('checkout', USER_IDS) - want.share)).toBeLessThanOrEqual(2);
      if (want.listed) for (const u of LISTED) expect(app.enabled('checkout', u)).toBe(true);
    } finally {
      app.close();
    }
  });

  it('a flag the file leaves out of production is not served: the application falls back to its own default', async () => {
    world.sim.addFeatureFlag(PROJECT, { name: 'checkout', strategies: [{ name: 'default', scopes: [SCOPE] }] });
    const run = await apply('checkout', undefined);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const app = await view();
    try {
      expect(app.share('checkout', USER_IDS.slice(0, 100))).toBe(0);
    } finally {
      app.close();
    }
  });

  it('a rollout from 25 % to 50 % keeps everyone who had it', async () => {
    expect((await apply('checkout', { percentage_of_actors: 25 })).code).toBe(0);
    const before = await view();
    const had = USER_IDS.filter((u) => before.enabled('checkout', u));
    before.close();
    expect((await apply('checkout', { percentage_of_actors: 50 })).code).toBe(0);
    const after = await view();
    try {
      expect(had.length).toBeGreaterThan(2300);
      expect(had.filter((u) => !after.enabled('checkout', u))).toEqual([]);
      expect(Math.abs(after.share('checkout', USER_IDS) - 50)).toBeLessThanOrEqual(2);
    } finally {
      after.close();
    }
  });

  it('a `*` strategy made in the UI that turns production on is reported, never in sync', async () => {
    world.sim.addFeatureFlag(PROJECT, { name: 'checkout', strategies: [{ name: 'default', scopes: ['*'] }] });
    const run = await apply('checkout', false);
    const app = await view();
    try {
      // what users see: everyone, whatever the file says
      expect(app.share('checkout', USER_IDS)).toBe(100);
    } finally {
      app.close();
    }
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: { code: string; env: string; flag: string; message: string }[] };
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'backend-fit', env: 'production', flag: 'checkout' }));
    const status = await cli(['status', '--env', 'production'], { cwd: world.dir, env: world.vars });
    expect(status.code).toBe(1);
    expect(status.stdout).not.toMatch(/checkout.*in sync/);
  });

  it('a `prod*` percentage strategy the file already covers with the same bucketing is not a finding', async () => {
    world.sim.addFeatureFlag(PROJECT, {
      name: 'checkout',
      strategies: [{ name: 'flexibleRollout', parameters: { groupId: 'checkout', rollout: '20', stickiness: 'userId' }, scopes: ['prod*'] }],
    });
    const run = await apply('checkout', { percentage_of_actors: 30 });
    expect(run.code, run.stdout).toBe(0);
    const app = await view();
    try {
      expect(Math.abs(app.share('checkout', USER_IDS) - 30)).toBeLessThanOrEqual(2);
    } finally {
      app.close();
    }
  });
});
