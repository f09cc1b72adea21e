/**
 * Every actor kind, on both GitLab backends, round trip through the simulator (issue 9, item 5): apply → read
 * back → status in sync → a second apply writes nothing. Nothing may stay "out of sync" forever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeState, type FlagState } from '../model/state.js';
import { startApplyWorld, type ApplyWorld } from '../../test/helpers/apply-world.js';
import { cli } from '../../test/helpers/run-cli.js';
import { gitRepo } from '../../test/helpers/git-repo.js';

let world: ApplyWorld;
beforeAll(async () => {
  world = await startApplyWorld();
});
afterAll(async () => {
  await world.close();
});

interface JsonFlag {
  flag: string;
  status: string;
  live: unknown;
  desired: unknown;
}
interface JsonReport {
  environments: { env: string; flags: JsonFlag[] }[];
  findings: { code: string; message: string }[];
}

async function roundTrip(flag: string, envs: { staging?: FlagState; production?: FlagState }): Promise<void> {
  world.writeFlags({ [flag]: { kind: 'managed', envs } });
  const first = await cli(['apply', '--format', 'json', '--env', 'staging', '--env', 'production'], { cwd: world.dir, env: world.vars });
  expect(first.code, first.stdout).toBe(0);
  const status = await cli(['status', '--format', 'json', '--env', 'staging', '--env', 'production'], { cwd: world.dir, env: world.vars });
  expect(status.code, status.stdout).toBe(0);
  const report = JSON.parse(status.stdout) as JsonReport;
  for (const env of report.environments) {
    for (const f of env.flags.filter((x) => x.flag === flag)) {
      expect({ env: env.env, status: f.status, live: f.live }).toEqual({ env: env.env, status: 'in-sync', live: f.desired === null ? null : normalizeState(f.desired as FlagState) });
    }
  }
  const mark = world.sim.requests.length;
  const second = await cli(['apply', '--format', 'json', '--env', 'staging', '--env', 'production'], { cwd: world.dir, env: world.vars });
  expect(second.code, second.stdout).toBe(0);
  expect(world.sim.requests.slice(mark).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([]);
  expect(world.sim.unexpected).toEqual([]);
}

describe('gitlab-features: every actor kind converges', () => {
  it('users, groups, projects, namespaces (a user and a group) and repositories (project, wiki, design)', async () => {
    await roundTrip('every_kind', {
      staging: {
        actors: {
          users: ['alice', 'bob'],
          groups: ['empire'],
          projects: ['rebels/x-wing'],
          namespaces: ['carol', 'rebels'],
          repositories: ['empire/tie.git', 'rebels/x-wing.design.git', 'rebels/x-wing.wiki.git'],
        },
      },
    });
  });

  it('a group named under namespaces reads back as Group:<id> and still counts as the namespace', async () => {
    await roundTrip('group_as_namespace', { staging: { actors: { namespaces: ['empire'] } } });
  });

  it('names spelled with other letter cases than GitLab stores them (GitLab looks paths and usernames up case-insensitively)', async () => {
    await roundTrip('case_spelling', {
      staging: {
        actors: { users: ['Alice'], groups: ['Rebels'], projects: ['Empire/TIE'], namespaces: ['EMPIRE', 'Bob'], repositories: ['Rebels/X-Wing.git'] },
      },
    });
  });

  it('a percentage with actors of every kind, then the actors changed', async () => {
    await roundTrip('mixed', { staging: { percentage_of_actors: 10, actors: { users: ['carol'], namespaces: ['rebels'], repositories: ['empire/tie.git'] } } });
    await roundTrip('mixed', { staging: { percentage_of_actors: 10, actors: { groups: ['rebels'], repositories: ['rebels/x-wing.git'] } } });
  });
});

describe('gitlab-features: aligned actors are never drift', () => {
  it('a namespace that is a group, in another letter case, unchanged since the base: in sync, no drift, no writes', async () => {
    world.writeFlags({ drift_free: { kind: 'managed', envs: { staging: { actors: { namespaces: ['Empire'], users: ['BOB'] } } } } });
    const repo = gitRepo(world.dir);
    const before = repo.commit({}, 'flags');
    const first = await cli(['apply', '--format', 'json', '--env', 'staging'], { cwd: world.dir, env: world.vars });
    expect(first.code, first.stdout).toBe(0);
    repo.commit({ 'notes.txt': 'unrelated\n' }, 'unrelated');
    const mark = world.sim.requests.length;
    const again = await cli(['apply', '--format', 'json', '--env', 'staging'], { cwd: world.dir, env: { ...world.vars, CI_COMMIT_BEFORE_SHA: before } });
    expect(again.code, again.stdout).toBe(0);
    const report = JSON.parse(again.stdout) as JsonReport;
    expect(report.findings.filter((f) => f.code === 'drift')).toEqual([]);
    expect(report.environments[0]?.flags.find((f) => f.flag === 'drift_free')?.status).toBe('in-sync');
    expect(world.sim.requests.slice(mark).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('gitlab-feature-flags: user ids converge', () => {
  it('user ids in any order, with digits', async () => {
    await roundTrip('user_ids', { production: { actors: { users: ['zed', 'alice', '42'] } } });
  });

  it('user ids together with a percentage, then changed', async () => {
    await roundTrip('user_ids_pct', { production: { percentage_of_actors: 20, actors: { users: ['b', 'a'] } } });
    await roundTrip('user_ids_pct', { production: { percentage_of_actors: 20, actors: { users: ['a', 'c'] } } });
  });
});
