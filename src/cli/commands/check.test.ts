import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitlabSim, type GitlabSim } from '../../../test/gitlab-sim/index.js';
import { gitRepo } from '../../../test/helpers/git-repo.js';
import { cli, spawnCli } from '../../../test/helpers/run-cli.js';
import { useTmpTree } from '../../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const TOKEN = 'glpat-SECRET-check-token-123';
const NOW = new Date('2026-11-21T12:00:00Z');
let sim: GitlabSim;

beforeEach(async () => {
  sim = await startGitlabSim({ now: () => NOW });
  sim.addUser({ username: 'bot' });
  sim.addToken(TOKEN, { user: 'bot', scopes: ['api'] });
  sim.addGroup({ path: 'group' });
  sim.addProject({ path: 'group/app', id: 10 });
  sim.addProject({ path: 'group/flags', id: 20 });
  sim.addGroup({ path: 'ops' });
  sim.addProject({ path: 'ops/changes', id: 30 });
  // code project: c1 ← c2 (MR !5 merged as c2) ← c3 ; deployed to gprd at c1 only, to gstg at c3
  sim.addCommit(10, { sha: 'c1'.padEnd(40, '1'), parents: [] });
  sim.addCommit(10, { sha: 'c2'.padEnd(40, '2'), parents: ['c1'.padEnd(40, '1')] });
  sim.addCommit(10, { sha: 'c3'.padEnd(40, '3'), parents: ['c2'.padEnd(40, '2')] });
  sim.addMergeRequest(10, { iid: 5, state: 'merged', mergeCommitSha: 'c2'.padEnd(40, '2'), mergedAt: '2026-11-20T10:00:00Z' });
  sim.addDeployment(10, { environment: 'gstg', sha: 'c3'.padEnd(40, '3'), status: 'success', createdAt: '2026-11-21T09:00:00Z' });
  sim.addDeployment(10, { environment: 'gprd', sha: 'c1'.padEnd(40, '1'), status: 'success', createdAt: '2026-11-21T10:02:00Z' });
  sim.addIssue(30, { iid: 12, title: 'Enable my_flag on production', state: 'opened', labels: ['change::approved'] });
  sim.addMergeRequest(20, { iid: 7, state: 'opened', description: 'Roll out my_flag. Change: ops/changes#12' });
});
afterEach(async () => {
  expect(sim.unexpected).toEqual([]);
  await sim.close();
});

function config(): string {
  return `flags: flags
gitlab: { url: ${sim.url}, token_env: FLAGOPS_GITLAB_TOKEN }
environments:
  - name: staging
    backend: { type: file, path: state/staging.json }
    deployment: { environment: gstg }
  - name: production
    backend: { type: file, path: state/production.json }
    deployment: { environment: gprd }
    change_management: { project: ops/changes, labels: ['change::approved'] }
`;
}

const flag = (envs: string): string =>
  `name: my_flag\ntype: beta\nintroduced_by_url: ${sim.url}/group/app/-/merge_requests/5\nenvironments:\n${envs}`;

/** A repo whose main holds `before`; the working tree holds `after` (the MR's change). */
function repo(before: string, after: string): { dir: string; base: string } {
  const dir = tree({});
  const r = gitRepo(dir);
  const base = r.commit({ 'flagops.yml': config(), 'flags/my_flag.yml': before });
  r.write({ 'flags/my_flag.yml': after });
  return { dir, base };
}

const env = (base: string, extra: Record<string, string> = {}) => ({
  FLAGOPS_GITLAB_TOKEN: TOKEN,
  CI_PROJECT_ID: '20',
  CI_MERGE_REQUEST_IID: '7',
  CI_MERGE_REQUEST_DIFF_BASE_SHA: base,
  ...extra,
});

describe('flagops check against the GitLab simulator', () => {
  it('passes when the code is deployed, and holds production while it is not, saying what to do', async () => {
    const { dir, base } = repo(flag('  staging: false\n  production: false\n'), flag('  staging: true\n  production: true\n'));
    const run = await cli(['check'], { cwd: dir, env: env(base), now: NOW });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('staging: my_flag (rollout): deployed pass');
    expect(run.stdout).toContain('production: my_flag (rollout): promotion pass, deployed fail, change-request pass');
    expect(run.stdout).toMatch(/production: MR !5 \(merge commit c222222\) is not yet deployed to gprd \(last successful deployment c111111 at 2026-11-21 10:02 UTC\)/);
    sim.addDeployment(10, { environment: 'gprd', sha: 'c3'.padEnd(40, '3'), status: 'success', createdAt: '2026-11-21T11:00:00Z' });
    expect((await cli(['check'], { cwd: dir, env: env(base), now: NOW })).code).toBe(0);
  });

  it('requires an open, approved change issue that names the flag', async () => {
    sim.addMergeRequest(20, { iid: 8, state: 'opened', description: 'no change issue here' });
    const { dir, base } = repo(flag('  staging: true\n  production: false\n'), flag('  staging: true\n  production: true\n'));
    const run = await cli(['check', '--env', 'production', '--format', 'json'], { cwd: dir, env: env(base, { CI_MERGE_REQUEST_IID: '8' }), now: NOW });
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: { code: string }) => f.code)).toContain('change-request/missing');
    expect(report.findings.find((f: { code: string }) => f.code === 'change-request/missing')).toMatchObject({ file: 'flags/my_flag.yml', line: 6, column: 3, env: 'production' });
  });

  it('lets a rollback through while every rollout gate would fail', async () => {
    sim.addMergeRequest(20, { iid: 9, state: 'opened', description: 'Emergency: turn it off' });
    const { dir, base } = repo(flag('  staging: true\n  production: true\n'), flag('  staging: true\n  production: false\n'));
    const run = await cli(['check'], { cwd: dir, env: env(base, { CI_MERGE_REQUEST_IID: '9' }), now: NOW });
    expect(run.stdout).toContain('production: my_flag (rollback): promotion skip, deployed skip, change-request skip');
    expect(run.code).toBe(0);
  });

  it('posts one merge-request note, leaves it alone when unchanged and edits it in place', async () => {
    const { dir, base } = repo(flag('  staging: false\n  production: false\n'), flag('  staging: true\n  production: false\n'));
    await cli(['check', '--note'], { cwd: dir, env: env(base), now: NOW });
    const notes = () => sim.state.projects.find((p) => p.id === 20)!.mergeRequests.find((m) => m.iid === 7)!.notes;
    expect(notes().length).toBe(1);
    expect(notes()[0]!.body).toContain('| `my_flag` | off → on (rollout) | ✅ |');
    const puts = () => sim.requests.filter((r) => r.method === 'PUT').length;
    await cli(['check', '--note'], { cwd: dir, env: env(base), now: NOW });
    expect([notes().length, puts()]).toEqual([1, 0]);
    writeFileSync(`${dir}/flags/my_flag.yml`, flag('  staging:\n    percentage_of_actors: 50\n  production: false\n'));
    await cli(['check', '--note'], { cwd: dir, env: env(base), now: NOW });
    expect([notes().length, puts()]).toEqual([1, 1]);
    expect(notes()[0]!.body).toContain('off → 50% of actors');
  });

  it('sends the token only to the GitLab the target branch names, even when the MR changes gitlab.url', async () => {
    const evil = await startGitlabSim({ strict: false });
    try {
      const { dir, base } = repo(flag('  staging: false\n  production: false\n'), flag('  staging: true\n  production: false\n'));
      writeFileSync(join(dir, 'flagops.yml'), config().replace(sim.url, evil.url));
      const run = await cli(['check', '--format', 'json'], { cwd: dir, env: env(base), now: NOW });
      expect(evil.requests).toEqual([]);
      expect(JSON.parse(run.stdout).findings).toContainEqual(expect.objectContaining({ code: 'config/gitlab-changed', severity: 'warning' }));
      expect(run.code).toBe(0);
    } finally {
      await evil.close();
    }
  });

  it('a bad token: exit 2 naming the variable and scope, never the token', async () => {
    const { dir, base } = repo(flag('  staging: false\n  production: false\n'), flag('  staging: true\n  production: false\n'));
    const run = await spawnCli(['check', '--format', 'json'], { cwd: dir, env: env(base, { FLAGOPS_GITLAB_TOKEN: 'glpat-WRONG-token-456' }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('FLAGOPS_GITLAB_TOKEN');
    expect(run.stderr).toMatch(/read_api|api/);
    expect(run.stdout + run.stderr).not.toContain('glpat-WRONG-token-456');
  });

  it('GitLab unreachable: exit 3 with a clear message, no token', async () => {
    const { dir, base } = repo(flag('  staging: false\n  production: false\n'), flag('  staging: true\n  production: false\n'));
    const url = sim.url;
    await sim.close();
    sim = await startGitlabSim();
    const run = await spawnCli(['check'], { cwd: dir, env: { ...env(base), FLAGOPS_GITLAB_RETRY_BUDGET: '2' } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/flagops: error: .*(connect|unreachable|refused)/i);
    expect(run.stderr).toContain(new URL(url).host);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('a 429 storm: Retry-After honoured, gives up within the budget with exit 3', async () => {
    const { dir, base } = repo(flag('  staging: false\n  production: false\n'), flag('  staging: true\n  production: false\n'));
    sim.faults.add({ path: /merge_requests|deployments/, kind: 'status', status: 429, retryAfter: 1 });
    const started = Date.now();
    const run = await spawnCli(['check', '--report', 'json=report.json', '--report', 'junit=junit.xml'], { cwd: dir, env: { ...env(base), FLAGOPS_GITLAB_RETRY_BUDGET: '3' } });
    const elapsed = Date.now() - started;
    expect(run.code).toBe(3);
    for (const report of ['report.json', 'junit.xml']) expect(readFileSync(join(dir, report), 'utf8')).not.toContain(TOKEN);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toMatchObject({ ok: false, findings: [{ code: 'error/remote', severity: 'error' }] });
    expect(run.stderr).toMatch(/429/);
    const hits = sim.requests.filter((r) => r.status === 429).length;
    // Retry-After: 1 s within a 3 s budget allows only a few attempts
    expect(hits).toBeGreaterThanOrEqual(2);
    expect(hits).toBeLessThanOrEqual(5);
    expect(elapsed).toBeGreaterThan(900);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });
});
