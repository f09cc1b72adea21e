/**
 * soak end to end: the CLI in a real git flag repository, the GitLab simulator holding the flag repository's
 * deployment records (the real client), and a clock both share. Commit dates are set by hand to show they do not count.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, FLAG_PROJECT_ID, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const HOUR = 3_600_000;
const T0 = new Date('2026-11-21T12:00:00Z');
const TWO_DAYS_AGO = new Date(T0.getTime() - 48 * HOUR).toISOString();
let clock = T0;
let sim: GitlabSim;

beforeEach(async () => {
  clock = T0;
  sim = await startFlagRepoSim({ user: { username: 'root', admin: true }, token: 'admin-token-0001', now: () => clock });
});
afterEach(() => closeCheckedSim(sim));

const env = { GL_TOKEN: 'admin-token-0001', CI_PROJECT_ID: String(FLAG_PROJECT_ID) };
const flag = (name: string, envs: string) => `name: ${name}\ntype: wip\nenvironments:\n${envs}`;

/** The flag repository, mirrored in the simulator; every commit is dated two days ago. */
function flagRepo(config: string) {
  const dir = tree({});
  const repo = gitRepo(dir);
  let head: string | undefined;
  const commit = (files: Record<string, string>): string => {
    const sha = repo.commit(files, 'change', TWO_DAYS_AGO);
    sim.addCommit(FLAG_PROJECT_ID, { sha, parents: head === undefined ? [] : [head] });
    if (head === undefined) sim.setBranch(FLAG_PROJECT_ID, 'main', sha);
    head = sha;
    return sha;
  };
  commit({ 'flagops.yml': config });
  return { dir, commit };
}

const gitlabConfig = () => `flags: flags
gitlab: { url: ${sim.url}, token_env: GL_TOKEN }
environments:
  - name: staging
    backend: { type: gitlab-features, url: ${sim.url}, token_env: GL_TOKEN }
  - name: production
    backend: { type: file, path: state/production.json }
    soak: 1d
`;

describe('soak from the deployment records of the after environment', () => {
  it('a backdated commit does not bypass it: held until staging has been applied for 1d on the GitLab clock', async () => {
    const { dir, commit } = flagRepo(gitlabConfig());
    const staged = commit({
      'flags/my_flag.yml': flag('my_flag', '  staging:\n    percentage_of_actors: 25\n'),
      'flags/other_flag.yml': flag('other_flag', '  staging: true\n'),
    });
    clock = new Date(T0.getTime() - HOUR);
    expect((await cli(['apply', '--env', 'staging'], { cwd: dir, env, now: clock })).code).toBe(0);
    // the apply recorded the commit it converged staging to, finished at the simulator's clock
    expect(sim.project(FLAG_PROJECT_ID).deployments.map((d) => [d.status, d.sha, d.finishedAt])).toEqual([['success', staged, clock.toISOString()]]);

    const rollout = commit({
      'flags/my_flag.yml': flag('my_flag', '  staging:\n    percentage_of_actors: 25\n  production:\n    percentage_of_actors: 25\n'),
      'flags/other_flag.yml': flag('other_flag', '  staging: true\n  production: true\n'),
    });
    clock = T0;
    const seen = sim.requests.length;
    const check = await cli(['check', '--base', staged, '--format', 'json'], { cwd: dir, env, now: clock });
    expect(check.code).toBe(1);
    const findings = JSON.parse(check.stdout).findings.filter((f: { code: string }) => f.code.startsWith('soak'));
    expect(findings.map((f: { flag: string; code: string }) => [f.flag, f.code])).toEqual([
      ['my_flag', 'soak/too-early'],
      ['other_flag', 'soak/too-early'],
    ]);
    expect(findings[0].message).toBe(
      'production: staging has held at least 25% of actors for 1h of the required 1d (applied 2026-11-21 11:00 UTC). Wait until 2026-11-22 11:00 UTC.',
    );
    // the deployment records of staging are read once for both flags
    const deploymentReads = sim.requests.slice(seen).filter((q) => q.method === 'GET' && q.path.endsWith('/deployments'));
    expect(deploymentReads).toHaveLength(1);

    const held = await cli(['apply', '--env', 'production'], { cwd: dir, env: { ...env, CI_COMMIT_BEFORE_SHA: staged }, now: clock });
    expect(held.code).toBe(1);
    expect(held.stdout).toContain('soak/too-early');
    expect(readState(dir)).toEqual({});

    clock = new Date(T0.getTime() + 23 * HOUR + 1);
    expect((await cli(['apply', '--env', 'production'], { cwd: dir, env: { ...env, CI_COMMIT_BEFORE_SHA: staged }, now: clock })).code).toBe(0);
    expect(readState(dir)).toEqual({ my_flag: { percentage_of_actors: 25 }, other_flag: true });
    expect(rollout).toMatch(/^[0-9a-f]{40}$/);
  });

  it('a later apply that lowered staging resets the clock; a record of a commit the clone lacks is not trusted', async () => {
    const { dir, commit } = flagRepo(gitlabConfig());
    const at50 = commit({ 'flags/my_flag.yml': flag('my_flag', '  staging:\n    percentage_of_actors: 50\n') });
    clock = new Date(T0.getTime() - 72 * HOUR);
    expect((await cli(['apply', '--env', 'staging'], { cwd: dir, env, now: clock })).code).toBe(0);
    const at10 = commit({ 'flags/my_flag.yml': flag('my_flag', '  staging:\n    percentage_of_actors: 10\n') });
    clock = new Date(T0.getTime() - 48 * HOUR);
    expect((await cli(['apply', '--env', 'staging', '--base', at50], { cwd: dir, env, now: clock })).code).toBe(0);
    const back = commit({ 'flags/my_flag.yml': flag('my_flag', '  staging:\n    percentage_of_actors: 50\n') });
    clock = new Date(T0.getTime() - 2 * HOUR);
    expect((await cli(['apply', '--env', 'staging', '--base', at10], { cwd: dir, env, now: clock })).code).toBe(0);
    commit({ 'flags/my_flag.yml': flag('my_flag', '  staging:\n    percentage_of_actors: 50\n  production:\n    percentage_of_actors: 25\n') });

    clock = T0;
    const check = await cli(['check', '--base', back], { cwd: dir, env, now: clock });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('staging has held at least 25% of actors for 2h of the required 1d');

    // someone records a success for a commit this clone does not have: flagops cannot read it, so it does not count
    sim.addCommit(FLAG_PROJECT_ID, { sha: 'f'.repeat(40), parents: [] });
    sim.addDeployment(FLAG_PROJECT_ID, { environment: 'staging', sha: 'f'.repeat(40), status: 'success' });
    clock = new Date(T0.getTime() + 30 * HOUR);
    const unreadable = await cli(['check', '--base', back], { cwd: dir, env, now: clock });
    expect(unreadable.code).toBe(1);
    expect(unreadable.stdout).toContain('staging was applied from commit fffffff, which is not in this clone');
  });
});

describe('soak without a gitlab section', () => {
  const fileConfig = `flags: flags
environments:
  - name: dev
    backend: { type: file, path: state/dev.json }
  - name: production
    backend: { type: file, path: state/production.json }
    soak: 1d
`;

  it('counts from the apply times the file backend records', async () => {
    const dir = tree({ 'flagops.yml': fileConfig, 'flags/my_flag.yml': flag('my_flag', '  dev: true\n') });
    clock = new Date(T0.getTime() - HOUR);
    expect((await cli(['apply', '--env', 'dev'], { cwd: dir, now: clock })).code).toBe(0);
    const dev = JSON.parse(readFileSync(join(dir, 'state/dev.json'), 'utf8'));
    expect(dev.applied).toEqual({ my_flag: [{ at: clock.toISOString(), state: true }] });

    // a folder without git: the working tree is the desired state
    writeFileSync(join(dir, 'flags/my_flag.yml'), flag('my_flag', '  dev: true\n  production: true\n'));
    clock = T0;
    const held = await cli(['apply', '--env', 'production'], { cwd: dir, now: clock });
    expect(held.code).toBe(1);
    expect(held.stdout).toContain('dev has held at least on for 1h of the required 1d');
    clock = new Date(T0.getTime() + 23 * HOUR);
    expect((await cli(['apply', '--env', 'production'], { cwd: dir, now: clock })).code).toBe(0);
  });

  it('is a configuration error at the soak key when the after environment keeps no record', async () => {
    const config = `flags: flags
environments:
  - name: staging
    backend: { type: gitlab-features, url: http://127.0.0.1:9, token_env: T }
  - name: production
    backend: { type: file, path: state/production.json }
    soak: 1d
`;
    const dir = tree({ 'flagops.yml': config, 'flags/my_flag.yml': flag('my_flag', '  staging: true\n') });
    for (const args of [['validate'], ['check'], ['apply', '--env', 'production']]) {
      const run = await cli(args, { cwd: dir, now: clock });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/flagops\.yml:7:5: .*soak counts from when staging was applied, and without a 'gitlab' section nothing records that/);
    }
  });
});

function readState(dir: string): unknown {
  try {
    return JSON.parse(readFileSync(join(dir, 'state/production.json'), 'utf8')).flags;
  } catch {
    return {};
  }
}
