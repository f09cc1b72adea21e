import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, mirroredFlagRepo, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
let sim: GitlabSim;

beforeEach(async () => {
  sim = await startFlagRepoSim({ user: { username: 'root', admin: true }, token: 'admin-token-0001' });
  sim.addUser({ username: 'alice' });
});
afterEach(() => closeCheckedSim(sim));

const flagFile = (state: string) => `name: my_flag\ntype: wip\nactor: user\nenvironments:\n  staging:\n${state}`;

/** A flag repository with one gitlab-features environment, staging, applied once with my_flag at 25% of actors. */
async function appliedAt25(env: Record<string, string>) {
  const dir = tree({});
  const repo = mirroredFlagRepo(sim, dir);
  const config = `flags: flags\ngitlab: { url: ${sim.url}, token_env: GL_TOKEN }\nenvironments:\n  - name: staging\n    backend: { type: gitlab-features, url: ${sim.url}, token_env: GL_TOKEN }\n`;
  repo.commit({ 'flagops.yml': config, 'flags/my_flag.yml': flagFile('    percentage_of_actors: 25\n') });
  expect((await cli(['apply'], { cwd: dir, env })).code).toBe(0);
  return { dir, repo };
}

describe('the applied-commit record', () => {
  it('an apply cut off half-way is completed by the next run, not held as drift', async () => {
    const env = { GL_TOKEN: 'admin-token-0001', CI_PROJECT_ID: '20', FLAGOPS_GITLAB_RETRY_BUDGET: '1' };
    const { dir, repo } = await appliedAt25(env);

    // the new state needs two calls: disable (clears the percentage), then add alice; the second one fails
    repo.commit({ 'flags/my_flag.yml': flagFile('    actors:\n      users: [alice]\n') });
    const fault = sim.faults.add({ method: 'POST', path: /features\/my_flag/, kind: 'status', status: 500 });
    let posts = 0;
    const first = sim.requests.length;
    const cut = await cli(['apply'], { cwd: dir, env });
    posts = sim.requests.slice(first).filter((q) => q.method === 'POST' && q.path.includes('/features/')).length;
    expect(cut.code).toBe(3);
    expect(posts).toBeGreaterThan(0);
    fault.remove();
    // live is half-way (off); the record shows the interrupted attempt
    sim.setFeature('my_flag', { boolean: false });
    const statuses = sim.project(20).deployments.map((d) => d.status);
    expect(statuses).toEqual(['success', 'failed']);

    const again = await cli(['apply', '--format', 'json'], { cwd: dir, env });
    expect(JSON.parse(again.stdout).findings.filter((f: { severity: string }) => f.severity !== 'info')).toEqual([]);
    expect(again.code).toBe(0);
    expect(sim.feature('my_flag')).toMatchObject({ state: 'conditional' });
    expect(sim.project(20).deployments.map((d) => d.status)).toEqual(['success', 'failed', 'success']);
  });

  it('without an interrupted attempt, an outside turn-off of a changed flag is drift and is held', async () => {
    const env = { GL_TOKEN: 'admin-token-0001', CI_PROJECT_ID: '20' };
    const { dir, repo } = await appliedAt25(env);
    sim.setFeature('my_flag', { boolean: false }); // emergency `feature set my_flag false`
    repo.commit({ 'flags/my_flag.yml': flagFile('    percentage_of_actors: 50\n') });
    const run = await cli(['apply'], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error drift: staging: my_flag was changed outside flagops');
    expect(sim.feature('my_flag')).toMatchObject({ state: 'off' });
  });

  it('uncommitted edits to a flag file or flagops.yml: applied, but HEAD is not recorded as applied; .flagops/ does not count', async () => {
    const env = { GL_TOKEN: 'admin-token-0001', CI_PROJECT_ID: '20' };
    const { dir, repo } = await appliedAt25(env);
    expect(sim.project(20).deployments.map((d) => d.status)).toEqual(['success']);
    writeFileSync(join(dir, 'flags', 'my_flag.yml'), flagFile('    percentage_of_actors: 50\n')); // not committed
    const run = await cli(['apply', '--format', 'json'], { cwd: dir, env });
    expect(run.code, run.stdout).toBe(0);
    expect(sim.feature('my_flag')).toMatchObject({ state: 'conditional' });
    const findings = JSON.parse(run.stdout).findings as { code: string; message: string }[];
    expect(findings.filter((f) => f.code === 'apply/record')).toMatchObject([{ message: expect.stringContaining('uncommitted edits (flags/my_flag.yml)') }]);
    expect(sim.project(20).deployments.map((d) => d.status)).toEqual(['success']);

    repo.commit({ 'flags/my_flag.yml': flagFile('    percentage_of_actors: 50\n') });
    mkdirSync(join(dir, '.flagops', 'state'), { recursive: true });
    writeFileSync(join(dir, '.flagops', 'state', 'x.json'), '{}');
    const clean = await cli(['apply', '--format', 'json'], { cwd: dir, env });
    expect(clean.code, clean.stdout).toBe(0);
    expect(sim.project(20).deployments.map((d) => d.status)).toEqual(['success', 'success']);
  });
});
