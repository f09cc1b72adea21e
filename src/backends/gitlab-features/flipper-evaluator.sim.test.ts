/**
 * What users see equals the files (issue "faithful to GitLab", Build 4): after `flagops apply`, Flipper itself
 * (Debian's ruby-flipper, what GitLab's Feature is built on) evaluates the gates read from `GET /features` for
 * 10,000 synthetic actors of the flag's declared kind plus the listed ones, as GitLab's
 * `Feature.enabled?(name, thing)` does: the thing's `flipper_id` (`Project:42`), hashed with the feature name.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlagState } from '../../model/state.js';
import { startApplyWorld, type ApplyWorld } from '../../../test/helpers/apply-world.js';
import { flipperEnabled } from '../../../test/evaluators/flipper.js';
import type { FeatureEntity } from '../../../test/gitlab-sim/index.js';
import { cli } from '../../../test/helpers/run-cli.js';

let world: ApplyWorld;
beforeEach(async () => {
  world = await startApplyWorld();
});
afterEach(async () => {
  expect(world.sim.unexpected).toEqual([]);
  await world.close();
});

type Kind = 'user' | 'project' | 'group';
const CLASS: Record<Kind, string> = { user: 'User', project: 'Project', group: 'Group' };
const synthetic = (kind: Kind) => Array.from({ length: 10_000 }, (_, i) => `${CLASS[kind]}:${500_000 + i}`);

async function apply(flag: string, state: FlagState, actor?: Kind) {
  const text = `name: ${flag}\ntype: beta\ndescription: evaluator test\n${actor ? `actor: ${actor}\n` : ''}environments: ${JSON.stringify({ staging: state })}\n`;
  world.writeFlags({});
  writeFileSync(join(world.dir, 'flags', `${flag}.yml`), text);
  return cli(['apply', '--env', 'staging', '--format', 'json'], { cwd: world.dir, env: world.vars });
}

/** The gates as GitLab's API gives them (GET /features with the environment's token). */
async function gates(flag: string): Promise<FeatureEntity> {
  const res = await fetch(`${world.sim.url}/api/v4/features`, { headers: { 'PRIVATE-TOKEN': world.vars.FLAGOPS_STAGING_TOKEN! } });
  const all = (await res.json()) as FeatureEntity[];
  const found = all.find((f) => f.name === flag);
  if (!found) throw new Error(`${flag} is not persisted`);
  return found;
}

const idOf = {
  user: (name: string) => `User:${world.sim.state.users.find((u) => u.username === name)!.id}`,
  project: (path: string) => `Project:${world.sim.project(path).id}`,
  group: (path: string) => `Group:${world.sim.state.groups.find((g) => g.path === path)!.id}`,
};

const share = (on: boolean[]) => (100 * on.filter(Boolean).length) / on.length;

// skipped only outside CI when ruby-flipper is missing; .ci/run installs it, so there it always runs
describe('Flipper sees what the file says', () => {
  it.each<[string, FlagState, Kind | undefined, { share: number; listed: string[] }]>([
    ['fully on', true, 'project', { share: 100, listed: [] }],
    ['persisted off', false, 'project', { share: 0, listed: [] }],
    ['users', { actors: { users: ['alice', 'bob'] } }, 'user', { share: 0, listed: ['user:alice', 'user:bob'] }],
    ['projects', { actors: { projects: ['rebels/x-wing'] } }, 'project', { share: 0, listed: ['project:rebels/x-wing'] }],
    ['groups', { actors: { groups: ['rebels'] } }, 'group', { share: 0, listed: ['group:rebels'] }],
    ['feature group', { feature_groups: ['gitlab_team_members'] }, 'user', { share: 0, listed: ['user:carol'] }],
    ['percentage of actors', { percentage_of_actors: 25 }, 'project', { share: 25, listed: [] }],
    ['percentage of actors, two decimals', { percentage_of_actors: 12.5 }, 'user', { share: 12.5, listed: [] }],
    ['percentage of time', { percentage_of_time: 30 }, undefined, { share: 30, listed: [] }],
    ['percentage and listed projects', { percentage_of_actors: 40, actors: { projects: ['empire/tie'] } }, 'project', { share: 40, listed: ['project:empire/tie'] }],
  ])('%s', async (_, state, kind, want) => {
    const run = await apply('checkout', state, kind);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const feature = await gates('checkout');
    const listed = want.listed.map((l) => {
      const [k, name] = l.split(/:(.*)/s) as [Kind, string];
      return idOf[k](name);
    });
    const on = flipperEnabled({
      feature,
      actors: [...synthetic(kind ?? 'user'), ...listed],
      groups: { gitlab_team_members: [idOf.user('carol')] },
    });
    expect(on.slice(10_000)).toEqual(listed.map(() => true));
    expect(Math.abs(share(on.slice(0, 10_000)) - want.share)).toBeLessThanOrEqual(2);
  });

  it('a rollout from 25 % to 50 % keeps every project that had it', async () => {
    const actors = synthetic('project');
    expect((await apply('checkout', { percentage_of_actors: 25 }, 'project')).code).toBe(0);
    const before = flipperEnabled({ feature: await gates('checkout'), actors });
    expect((await apply('checkout', { percentage_of_actors: 50 }, 'project')).code).toBe(0);
    const after = flipperEnabled({ feature: await gates('checkout'), actors });
    expect(before.filter(Boolean).length).toBeGreaterThan(2300);
    expect(actors.filter((_, i) => before[i] && !after[i])).toEqual([]);
    expect(Math.abs(share(after) - 50)).toBeLessThanOrEqual(2);
  });
});
