/**
 * `flagops pipeline` with a gitlab section: each environment's base is the commit last applied to it (the flag
 * repository's deployments, read through the simulator), so a rollout an earlier pipeline left unapplied keeps the
 * promotion order even when the push itself only rolls back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitlabSim, type GitlabSim } from '../../../test/gitlab-sim/index.js';
import { gitRepo } from '../../../test/helpers/git-repo.js';
import { cli } from '../../../test/helpers/run-cli.js';
import { useTmpTree } from '../../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const TOKEN = 'glpat-SECRET-pipeline-token-1';
let sim: GitlabSim;

beforeEach(async () => {
  sim = await startGitlabSim();
  sim.addUser({ username: 'bot' });
  sim.addToken(TOKEN, { user: 'bot', scopes: ['read_api'] });
  sim.addGroup({ path: 'group' });
  sim.addProject({ path: 'group/flags', id: 20 });
});
afterEach(async () => {
  expect(sim.unexpected).toEqual([]);
  await sim.close();
});

const config = () => `flags: flags
gitlab: { url: ${sim.url}, token_env: FLAGOPS_GITLAB_TOKEN }
environments:
  - name: staging
    backend: { type: file, path: state/staging.json }
  - name: production
    backend: { type: file, path: state/production.json }
`;
const flag = (staging: string, production: string) => `name: my_flag\ntype: beta\nenvironments:\n  staging: ${staging}\n  production: ${production}\n`;

/** c1: off everywhere; c2: on everywhere (a rollout); c3: staging off again (a rollback), production still on. */
function history() {
  const dir = tree({});
  const repo = gitRepo(dir);
  const c1 = repo.commit({ 'flagops.yml': config(), 'flags/my_flag.yml': flag('false', 'false') });
  const c2 = repo.commit({ 'flags/my_flag.yml': flag('true', 'true') });
  const c3 = repo.commit({ 'flags/my_flag.yml': flag('false', 'true') });
  return { dir, c1, c2, c3 };
}

const run = (dir: string, before: string, extra: Record<string, string> = {}) =>
  cli(['pipeline', '--format', 'json', '-o', 'child.yml'], { cwd: dir, env: { FLAGOPS_GITLAB_TOKEN: TOKEN, CI_PROJECT_ID: '20', CI_COMMIT_BEFORE_SHA: before, ...extra } });

describe('flagops pipeline: bases from the last applied records', () => {
  it('every environment applied at the previous push: the rollback gets the fast lane', async () => {
    const { dir, c2 } = history();
    for (const environment of ['staging', 'production']) sim.addDeployment(20, { environment, sha: c2, status: 'success', createdAt: '2026-11-21T10:00:00Z' });
    const out = await run(dir, c2);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ lane: 'rollback', changes: 1, rollbacks: 1, base: c2 });
    expect(out.stdout + out.stderr).not.toContain(TOKEN);
  });

  it('production never got the earlier rollout (its manual job never ran): the push carries it, promotion order stays', async () => {
    const { dir, c1, c2 } = history();
    sim.addDeployment(20, { environment: 'staging', sha: c2, status: 'success', createdAt: '2026-11-21T10:00:00Z' });
    sim.addDeployment(20, { environment: 'production', sha: c1, status: 'success', createdAt: '2026-11-20T10:00:00Z' });
    const out = await run(dir, c2);
    expect(out.code, out.stderr).toBe(0);
    // staging c2 → c3 lowers exposure, but production c1 → c3 raises it: a rollout, in promotion order
    expect(JSON.parse(out.stdout)).toMatchObject({ lane: 'rollout', changes: 2, rollbacks: 1 });
    // what the push alone shows (--base: the records are not read) would have been a rollback
    const pushOnly = await cli(['pipeline', '--format', 'json', '--base', c2], { cwd: dir, env: {} });
    expect(JSON.parse(pushOnly.stdout)).toMatchObject({ lane: 'rollback', changes: 1 });
  });

  it('an environment never applied has no base: promotion order', async () => {
    const { dir, c2 } = history();
    sim.addDeployment(20, { environment: 'staging', sha: c2, status: 'success', createdAt: '2026-11-21T10:00:00Z' });
    const out = await run(dir, c2);
    expect(JSON.parse(out.stdout)).toMatchObject({ lane: 'rollout', changes: 1, rollbacks: 1 });
  });

  it('no token: a configuration error naming the variable (exit 2), not a guess', async () => {
    const { dir, c2 } = history();
    const out = await cli(['pipeline', '-o', 'child.yml'], { cwd: dir, env: { CI_PROJECT_ID: '20', CI_COMMIT_BEFORE_SHA: c2 } });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('$FLAGOPS_GITLAB_TOKEN is not set');
  });
});

describe('flagops pipeline: the last applied records of a ring', () => {
  const ringConfig = () => `flags: flags
gitlab: { url: ${sim.url}, token_env: FLAGOPS_GITLAB_TOKEN }
environments:
  - name: ring1
    instances:
${Array.from({ length: 30 }, (_, i) => `      - { name: cell-${i + 1}, backend: { type: file, path: state/cell-${i + 1}.json } }\n`).join('')}`;
  const ringFlag = (state: string) => `name: my_flag\ntype: beta\nenvironments:\n  ring1: ${state}\n`;

  it('each instance by its own record (ring/instance), every base counted: one instance behind keeps the rollout lane', async () => {
    const dir = tree({});
    const repo = gitRepo(dir);
    const c1 = repo.commit({ 'flagops.yml': ringConfig(), 'flags/my_flag.yml': ringFlag('false') });
    const c2 = repo.commit({ 'flags/my_flag.yml': ringFlag('true') });
    repo.commit({ 'flags/my_flag.yml': ringFlag('{ percentage_of_time: 10 }') });
    for (let i = 1; i <= 30; i++) sim.addDeployment(20, { environment: `ring1/cell-${i}`, sha: i === 17 ? c1 : c2, status: 'success', createdAt: '2026-11-21T10:00:00Z' });
    const out = await run(dir, c2);
    expect(out.code, out.stderr).toBe(0);
    // 29 instances at c2: on → 10% lowers exposure; cell-17 at c1: off → 10% raises it
    expect(JSON.parse(out.stdout)).toMatchObject({ lane: 'rollout', changes: 2, rollbacks: 1 });
    const deployments = sim.requests.filter((r) => r.path.includes('/deployments'));
    expect(new Set(deployments.map((r) => decodeURIComponent(r.path + JSON.stringify(r.query ?? {})).match(/ring1\/cell-\d+/)?.[0])).size).toBe(30);
  });
});
