/**
 * `flagops apply` then `flagops verify` against the simulator: the downstream pipeline's result is the simulator's
 * answer (`sim.answerPipelines`). Passing: nothing rolled back. Failing: staging rolled back to its state before the
 * apply, a revert merge request opened (production's entry in the same file untouched), a note on the change's merge
 * request; a re-run starts nothing, rolls back nothing and opens nothing twice; the next apply holds the flag
 * (`drift/revert-open`) until the revert merges, and a rollback still lands. Timeout: an error, nothing rolled back.
 * No `verify:`: nothing is started.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, FLAG_PROJECT_ID, mirroredFlagRepo, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const TOKEN = 'glpat-verify-bot-0001';
const E2E = 'group/e2e-tests';
let sim: GitlabSim;

beforeEach(async () => {
  sim = await startFlagRepoSim({ user: { username: 'bot' }, token: TOKEN });
  sim.addProject({ path: E2E, id: 40 });
  sim.addCommit(E2E, { sha: 'e2e0'.padEnd(40, '0'), parents: [] });
  sim.setBranch(E2E, 'main', 'e2e0'.padEnd(40, '0'));
});
afterEach(() => closeCheckedSim(sim));

const config = (verify: string, url: string) => `flags: flags
gitlab: { url: ${url} }
environments:
  - name: staging
    after: null
    backend: { type: file, path: state/staging.json }
${verify}  - name: production
    after: null
    backend: { type: file, path: state/production.json }
`;
const VERIFY = `    verify: { project: ${E2E}, ref: main, timeout: 1s }\n`;
const flagFile = (staging: string) => `name: my_flag
type: beta
# the rollout plan
environments:
  staging: ${staging}   # toggled by !3
  production: false
`;

function setup(verify = VERIFY) {
  const dir = tree({});
  const repo = mirroredFlagRepo(sim, dir);
  repo.commit({ 'flagops.yml': config(verify, sim.url), 'flags/my_flag.yml': flagFile('false') });
  const sha = repo.commit({ 'flags/my_flag.yml': flagFile('true') });
  sim.setBranch(FLAG_PROJECT_ID, 'main', sha);
  sim.addMergeRequest(FLAG_PROJECT_ID, { iid: 3, state: 'merged', mergeCommitSha: sha, commits: [sha], description: 'Enable my_flag on staging' });
  const env = { FLAGOPS_GITLAB_TOKEN: TOKEN, CI_PROJECT_ID: String(FLAG_PROJECT_ID), CI_COMMIT_SHA: sha, CI_DEFAULT_BRANCH: 'main', CI_PIPELINE_URL: 'https://ci.example/p/1' };
  const live = (e: string): unknown => (JSON.parse(readFileSync(join(dir, 'state', `${e}.json`), 'utf8')) as { flags: Record<string, unknown> }).flags.my_flag;
  return { dir, repo, sha, env, live };
}

async function applyStaging(w: ReturnType<typeof setup>): Promise<void> {
  const applied = await cli(['apply', '--env', 'staging', '--report', 'json=flagops-apply-staging.json'], { cwd: w.dir, env: w.env });
  expect([applied.code, applied.stderr]).toEqual([0, '']);
}

const created = () => sim.project(40).pipelines.filter((p) => p.source === 'api');
const reverts = () => sim.project(FLAG_PROJECT_ID).mergeRequests.filter((m) => m.sourceBranch.startsWith('flagops/revert-'));

describe('flagops verify', () => {
  it('passes: the pipeline got the changed flags as variables, and nothing is rolled back', async () => {
    const w = setup();
    await applyStaging(w);
    sim.answerPipelines(E2E, ['success']);
    const run = await cli(['verify', '--env', 'staging'], { cwd: w.dir, env: w.env });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('verification pipeline');
    expect(created().map((p) => [p.ref, p.status, Object.fromEntries(p.variables!.map((v) => [v.key, v.value]))])).toEqual([
      ['main', 'success', {
        FLAGOPS_CHANGED_FLAGS: 'my_flag=true',
        FLAGOPS_CHANGES: JSON.stringify([{ flag: 'my_flag', before: null, after: true }]),
        FLAGOPS_ENVIRONMENT: 'staging',
        FLAGOPS_COMMIT: w.sha,
        FLAGOPS_PIPELINE_URL: 'https://ci.example/p/1',
      }],
    ]);
    expect(w.live('staging')).toBe(true);
    expect(reverts()).toEqual([]);
  });

  it('fails: rolls staging back, opens one revert merge request, notes it; a re-run does nothing twice; apply holds the rollout until it merges', async () => {
    const w = setup();
    await applyStaging(w);
    sim.answerPipelines(E2E, ['failed']);
    const run = await cli(['verify', '--env', 'staging'], { cwd: w.dir, env: w.env });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('verify/failed');
    expect(w.live('staging')).toBeUndefined();
    const [mr, ...more] = reverts();
    expect(more).toEqual([]);
    expect([mr!.state, mr!.targetBranch, mr!.sourceBranch, mr!.labels]).toEqual(['opened', 'main', `flagops/revert-staging-${w.sha.slice(0, 12)}`, ['flagops::revert']]);
    expect(mr!.description).toContain(`${sim.url}/group/e2e-tests/-/pipelines/`);
    const files = sim.project(FLAG_PROJECT_ID).trees![mr!.sha!]!;
    // staging's entry goes (it was unset before), production and the comments stay
    expect(files['flags/my_flag.yml']).toBe('name: my_flag\ntype: beta\n# the rollout plan\nenvironments:\n  production: false\n');
    const notes = sim.project(FLAG_PROJECT_ID).mergeRequests.find((m) => m.iid === 3)!.notes.filter((n) => n.body.includes('flagops:verify:'));
    expect(notes.map((n) => n.body)).toEqual([expect.stringContaining('verification failed in staging: rolled back')]);
    expect(notes[0]!.body).toContain(`!${mr!.iid}`);

    // a re-run: nothing started, rolled back or opened again
    const writes = sim.requests.filter((r) => r.method !== 'GET').length;
    const again = await cli(['verify', '--env', 'staging'], { cwd: w.dir, env: w.env });
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('failed earlier');
    expect(created().length).toBe(1);
    expect(reverts().length).toBe(1);
    expect(sim.requests.filter((r) => r.method !== 'GET').length).toBe(writes);

    // the next apply of staging (drift: fail would hold it anyway; the revert hold names the merge request)
    const held = await cli(['apply', '--env', 'staging'], { cwd: w.dir, env: w.env });
    expect(held.code).toBe(1);
    expect(held.stdout).toContain('drift/revert-open');
    expect(held.stdout).toContain(`!${mr!.iid}`);
    expect(w.live('staging')).toBeUndefined();

    // the revert merges: the files say what is live, and the flow goes on
    const merged = w.repo.commit({ 'flags/my_flag.yml': files['flags/my_flag.yml']! });
    mr!.state = 'merged';
    const after = await cli(['apply', '--env', 'staging'], { cwd: w.dir, env: { ...w.env, CI_COMMIT_SHA: merged } });
    expect([after.code, after.stdout]).toEqual([0, expect.not.stringContaining('revert-open') as string]);
  });

  it('a run cut off after the rollback, before the merge request: the re-run opens it without starting the tests', async () => {
    const w = setup();
    await applyStaging(w);
    // what the cut-off run left: staging back to unset, no merge request
    const state = JSON.parse(readFileSync(join(w.dir, 'state', 'staging.json'), 'utf8')) as { flags: Record<string, unknown> };
    delete state.flags.my_flag;
    writeFileSync(join(w.dir, 'state', 'staging.json'), JSON.stringify(state));
    const run = await cli(['verify', '--env', 'staging'], { cwd: w.dir, env: w.env });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('failed earlier');
    expect(created()).toEqual([]);
    expect(reverts().map((m) => m.state)).toEqual(['opened']);
  });

  it('holds a rollout under drift: overwrite too, and a rollback still lands', async () => {
    const w = setup(`${VERIFY}    drift: overwrite\n`);
    await applyStaging(w);
    sim.answerPipelines(E2E, ['failed']);
    expect((await cli(['verify', '--env', 'staging'], { cwd: w.dir, env: w.env })).code).toBe(1);
    const held = await cli(['apply', '--env', 'staging'], { cwd: w.dir, env: w.env });
    expect(held.stdout).toContain('drift/revert-open');
    expect(w.live('staging')).toBeUndefined();
    // a rollback below the live state: the file says false, live is unset (off): applied
    const off = w.repo.commit({ 'flags/my_flag.yml': flagFile('false') });
    const rollback = await cli(['apply', '--env', 'staging'], { cwd: w.dir, env: { ...w.env, CI_COMMIT_SHA: off } });
    expect(rollback.stdout).not.toContain('drift/revert-open');
    expect(w.live('staging')).toBe(false);
  });

  it('times out: says so, rolls nothing back, opens nothing', async () => {
    const w = setup();
    await applyStaging(w);
    sim.answerPipelines(E2E, ['running']);
    const run = await cli(['verify', '--env', 'staging'], { cwd: w.dir, env: w.env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/verify\/timeout: .*has not finished after 1s \(running\): nothing rolled back/);
    expect(w.live('staging')).toBe(true);
    expect(reverts()).toEqual([]);
  });

  it('without verify config, starts nothing', async () => {
    const w = setup('');
    await applyStaging(w);
    const none = await cli(['verify', '--env', 'staging'], { cwd: w.dir, env: w.env });
    expect([none.code, none.stdout]).toEqual([0, 'staging has no verify section in flagops.yml: nothing to verify\n']);
    expect(created()).toEqual([]);
  });

  it('when the apply changed nothing, starts nothing', async () => {
    const v = setup();
    await applyStaging(v);
    await applyStaging(v); // the second apply changes nothing: its report has nothing applied
    const nothing = await cli(['verify', '--env', 'staging'], { cwd: v.dir, env: v.env });
    expect(nothing.code).toBe(0);
    expect(created()).toEqual([]);
  });

  it('apply needs the gitlab token where verify holds rollouts (exit 2, naming the variable)', async () => {
    const w = setup();
    const run = await cli(['apply', '--env', 'staging'], { cwd: w.dir, env: { ...w.env, FLAGOPS_GITLAB_TOKEN: undefined } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('FLAGOPS_GITLAB_TOKEN');
    expect(run.stderr).not.toContain(TOKEN);
  });

  it('refuses the report of another commit', async () => {
    const w = setup();
    await applyStaging(w);
    const run = await cli(['verify', '--env', 'staging'], { cwd: w.dir, env: { ...w.env, CI_COMMIT_SHA: 'a'.repeat(40) } });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('verify/report');
    expect(created()).toEqual([]);
  });
});
