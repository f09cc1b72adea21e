import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { startGitlabSim, type GitlabSim } from '../../test/gitlab-sim/index.js';

const tree = useTmpTree();
const TOKEN = 'glpat-licensed-admin-0001';
let sim: GitlabSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function world(force: string, flags: Record<string, string>, options: { gitlab?: boolean } = {}) {
  sim = await startGitlabSim();
  sim.addUser({ username: 'root', admin: true });
  sim.addToken(TOKEN, { user: 'root', scopes: ['api'] });
  const config = `flags: flags\n${options.gitlab ? `gitlab: { url: '${sim.url}' }\n` : ''}environments:\n  - name: staging\n    backend:\n      type: gitlab-features\n      url: ${sim.url}\n      token_env: STAGING_TOKEN\n${force}`;
  const dir = tree({});
  const r = gitRepo(dir);
  r.commit({ 'flagops.yml': config, ...flags });
  return { dir, r, env: { STAGING_TOKEN: TOKEN } };
}
const flag = (name: string, state: string): string => `name: ${name}\ntype: wip\nenvironments:\n  staging: ${state}\n`;

describe('licensed feature names (force: on gitlab-features)', () => {
  it('unlisted: validate fails with a backend-fit error whose hint names the flagops.yml line', async () => {
    const { dir, env } = await world('', { 'flags/zentao_issues_integration.yml': flag('zentao_issues_integration', 'true') });
    const run = await cli(['validate', '--format', 'json'], { cwd: dir, env });
    expect(run.code).toBe(1);
    const f = JSON.parse(run.stdout).findings.find((x: { code: string }) => x.code === 'backend-fit');
    expect(f).toMatchObject({ severity: 'error', file: 'flags/zentao_issues_integration.yml', line: 4, env: 'staging', flag: 'zentao_issues_integration' });
    expect(f.hint).toContain('add `force: [zentao_issues_integration]` to the backend of environment staging at flagops.yml:4:5');
  });

  it('listed: validate, plan and apply pass; apply sends force=true for that flag only, DELETE without it', async () => {
    const { dir, r, env } = await world('      force: [zentao_issues_integration]\n', {
      'flags/zentao_issues_integration.yml': flag('zentao_issues_integration', 'true'),
      'flags/other_flag.yml': flag('other_flag', 'true'),
    });
    const validate = await cli(['validate', '--format', 'json'], { cwd: dir, env });
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout).findings).toContainEqual(expect.objectContaining({ code: 'backend-fit/force', severity: 'info', flag: 'zentao_issues_integration' }));
    expect((await cli(['plan'], { cwd: dir, env })).code).toBe(0);
    expect((await cli(['check', '--base', 'HEAD'], { cwd: dir, env })).code).toBe(0);
    const apply = await cli(['apply'], { cwd: dir, env });
    expect(apply.code).toBe(0);
    expect(sim!.feature('zentao_issues_integration')?.state).toBe('on');
    const posts = sim!.requests.filter((q) => q.method === 'POST');
    const sent = posts.map((q) => [q.path, (q.body as Record<string, unknown>).force]);
    expect(sent).toHaveLength(2);
    expect(sent).toEqual(expect.arrayContaining([['/api/v4/features/other_flag', undefined], ['/api/v4/features/zentao_issues_integration', 'true']]));
    const before = r.git('rev-parse', 'HEAD');
    r.commit({ 'flags/zentao_issues_integration.yml': null });
    const del = await cli(['apply'], { cwd: dir, env: { ...env, CI_COMMIT_BEFORE_SHA: before } });
    expect(del.code).toBe(0);
    const deletes = sim!.requests.filter((q) => q.method === 'DELETE');
    expect(deletes.map((q) => [q.path, q.query.force, (q.body as Record<string, unknown> | undefined)?.force])).toEqual([['/api/v4/features/zentao_issues_integration', undefined, undefined]]);
    expect(sim!.feature('zentao_issues_integration')).toBeUndefined();
  });

  it('apply --force is refused with a pointer to force: in flagops.yml', async () => {
    const { dir, env } = await world('', { 'flags/other_flag.yml': flag('other_flag', 'true') });
    const run = await cli(['apply', '--force'], { cwd: dir, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('apply has no --force');
    expect(sim!.requests).toEqual([]);
  });

  it('a name GitLab refuses that the snapshot does not know: the same backend-fit finding, nothing stored', async () => {
    const { dir, env } = await world('', { 'flags/future_paid_feature.yml': flag('future_paid_feature', 'true') });
    sim!.addLicensedFeature('future_paid_feature');
    const run = await cli(['apply', '--format', 'json'], { cwd: dir, env });
    expect(run.code).toBe(1);
    const f = JSON.parse(run.stdout).findings.find((x: { code: string }) => x.code === 'backend-fit');
    expect(f).toMatchObject({ severity: 'error', file: 'flags/future_paid_feature.yml', line: 4, env: 'staging', flag: 'future_paid_feature' });
    expect(f.message).toBe("staging: 'future_paid_feature' is a GitLab licensed feature name: the Features API sets it only with force=true, which staging sends only for the flags its backend lists under force");
    expect(f.hint).toContain('add `force: [future_paid_feature]`');
    expect(sim!.feature('future_paid_feature')).toBeUndefined();
  });
  it('check --note on an unlisted licensed flag: the note shows its change and the backend-fit finding', async () => {
    const { dir, r, env } = await world('', { 'flags/other_flag.yml': flag('other_flag', 'false') }, { gitlab: true });
    sim!.addProject({ path: 'group/flags', id: 20 });
    sim!.addMergeRequest(20, { iid: 7, state: 'opened', description: 'zentao on staging' });
    const base = r.git('rev-parse', 'HEAD');
    r.git('checkout', '-q', '-b', 'zentao');
    r.commit({ 'flags/zentao_issues_integration.yml': flag('zentao_issues_integration', 'true') });
    const mr = { ...env, FLAGOPS_GITLAB_TOKEN: TOKEN, CI_SERVER_URL: sim!.url, CI_PROJECT_ID: '20', CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_DIFF_BASE_SHA: base };
    const run = await cli(['check', '--note'], { cwd: dir, env: mr });
    expect(run.code).toBe(1);
    const note = sim!.project(20).mergeRequests[0]!.notes[0]!.body;
    expect(note).not.toContain('No flag state changes');
    expect(note).toContain('#### staging');
    expect(note).toMatch(/\| `zentao_issues_integration` \| unset \(default off\) → on \(rollout\) \|/);
    expect(note).toContain('**Invalid flag files**');
    expect(note).toContain('`flags/zentao_issues_integration.yml:4` staging: \'zentao_issues_integration\' is a GitLab licensed feature name');
    expect(note).toContain('add `force: [zentao_issues_integration]` to the backend of environment staging at flagops.yml:5:5');
    expect(sim!.requests.filter((q) => q.path.startsWith('/api/v4/features') && q.method !== 'GET')).toEqual([]);
  });

  it('an MR that adds force: is judged by the target branch: still refused, and the change is a policy warning', async () => {
    const { dir, r, env } = await world('', { 'flags/other_flag.yml': flag('other_flag', 'false') }, { gitlab: true });
    sim!.addProject({ path: 'group/flags', id: 20 });
    sim!.addMergeRequest(20, { iid: 7, state: 'opened', description: 'zentao on staging' });
    const base = r.git('rev-parse', 'HEAD');
    r.git('checkout', '-q', '-b', 'zentao');
    const config = readFileSync(join(dir, 'flagops.yml'), 'utf8');
    r.commit({ 'flagops.yml': `${config}      force: [zentao_issues_integration]\n`, 'flags/zentao_issues_integration.yml': flag('zentao_issues_integration', 'true') });
    const mr = { ...env, FLAGOPS_GITLAB_TOKEN: TOKEN, CI_SERVER_URL: sim!.url, CI_PROJECT_ID: '20', CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_DIFF_BASE_SHA: base };
    const run = await cli(['check', '--note', '--format', 'json'], { cwd: dir, env: mr });
    expect(run.code).toBe(1);
    const findings = JSON.parse(run.stdout).findings as { code: string; severity: string; message: string }[];
    expect(findings).toContainEqual(expect.objectContaining({ code: 'config/force-changed', severity: 'warning', message: 'staging: force (not set) → [zentao_issues_integration]' }));
    expect(findings).toContainEqual(expect.objectContaining({ code: 'backend-fit', severity: 'error' }));
    const note = sim!.project(20).mergeRequests[0]!.notes[0]!.body;
    expect(note).toContain('staging: force (not set) → [zentao_issues_integration]');
    expect(note).toMatch(/\| `zentao_issues_integration` \| unset \(default off\) → on \(rollout\) \|/);
  });
});
