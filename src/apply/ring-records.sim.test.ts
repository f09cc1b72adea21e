/**
 * Rings' records: each instance's apply is a deployment of `<ring>/<instance>` in the flag repository, and the soak
 * of the next environment counts from the last instance's successful apply (the GitLab simulator holds the records).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, FLAG_PROJECT_ID, mirroredFlagRepo, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const HOUR = 3_600_000;
const T0 = new Date('2026-11-21T12:00:00Z');
let clock = T0;
let sim: GitlabSim;

beforeEach(async () => {
  clock = T0;
  sim = await startFlagRepoSim({ user: { username: 'root', admin: true }, token: 'admin-token-0001', now: () => clock });
});
afterEach(() => closeCheckedSim(sim));

const env = { GL_TOKEN: 'admin-token-0001', CI_PROJECT_ID: String(FLAG_PROJECT_ID) };
const config = () => `flags: flags
gitlab: { url: ${sim.url}, token_env: GL_TOKEN }
environments:
  - name: ring1
    instances:
      - { name: cell-1, backend: { type: file, path: state/cell-1.json } }
      - { name: cell-2, backend: { type: file, path: state/cell-2.json } }
  - name: production
    backend: { type: file, path: state/production.json }
    soak: 1d
`;
const flags = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, 'state', `${file}.json`), 'utf8')).flags;
const records = () => {
  const project = sim.project(FLAG_PROJECT_ID);
  return project.deployments.map((d) => [project.environments.find((e) => e.id === d.environmentId)?.name, d.status, d.finishedAt]);
};

describe('records of a ring', () => {
  it('one deployment per instance, <ring>/<instance>; the next soak counts from the last instance to converge', async () => {
    const dir = tree({});
    const repo = mirroredFlagRepo(sim, dir);
    repo.commit({ 'flagops.yml': config(), 'flags/a.yml': 'name: a\ntype: wip\nenvironments:\n  ring1: true\n  production: true\n' });

    // cell-1 first, cell-2 six hours later (its own job, say)
    expect((await cli(['apply', '--env', 'ring1', '--instance', 'cell-1'], { cwd: dir, env, now: clock })).code).toBe(0);
    clock = new Date(T0.getTime() + 6 * HOUR);
    const early = await cli(['apply', '--env', 'production'], { cwd: dir, env, now: clock });
    expect(early.code).toBe(1);
    expect(early.stdout).toContain('production: ring1 (instance cell-2 of 2) has not been applied with at least on yet (flagops has no record of applying ring1/cell-2; 1 of 2 instances hold it)');
    expect((await cli(['apply', '--env', 'ring1'], { cwd: dir, env, now: clock })).code).toBe(0);
    // only the missing instance was written and recorded; cell-1 was already converged at this commit
    expect(records()).toEqual([
      ['ring1/cell-1', 'success', T0.toISOString()],
      ['ring1/cell-2', 'success', clock.toISOString()],
    ]);
    expect([flags(dir, 'cell-1'), flags(dir, 'cell-2')]).toEqual([{ a: true }, { a: true }]);

    // a day after cell-1, but only 18 hours after cell-2: still soaking
    clock = new Date(T0.getTime() + 24 * HOUR);
    const soaking = await cli(['apply', '--env', 'production'], { cwd: dir, env, now: clock });
    expect(soaking.code).toBe(1);
    expect(soaking.stdout).toContain('ring1 has held at least on for 18h of the required 1d (applied 2026-11-21 18:00 UTC to its last instance, cell-2)');
    clock = new Date(T0.getTime() + 30 * HOUR);
    expect((await cli(['apply', '--env', 'production'], { cwd: dir, env, now: clock })).code).toBe(0);
    expect(flags(dir, 'production')).toEqual({ a: true });

    // history reads the same records: one history per instance
    const history = JSON.parse((await cli(['history', 'a', '--format', 'json'], { cwd: dir, env, now: clock })).stdout);
    const envs = history.flags[0].environments as { environment: string; instance?: string; entries: { appliedAt: string }[] }[];
    expect(envs.map((e) => [e.environment, e.instance ?? null, e.entries.map((x) => x.appliedAt)])).toEqual([
      ['ring1', 'cell-1', [T0.toISOString()]],
      ['ring1', 'cell-2', [new Date(T0.getTime() + 6 * HOUR).toISOString()]],
      ['production', null, [clock.toISOString()]],
    ]);
  });
});
