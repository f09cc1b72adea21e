import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitlabSim, type GitlabSim } from '../../test/gitlab-sim/index.js';
import { FLAG_PROJECT_ID, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const TOKEN = 'glpat-SECRET-policy-token-42';
const NOW = new Date('2026-11-21T12:00:00Z');
let sim: GitlabSim;
let evil: GitlabSim;

beforeEach(async () => {
  sim = await startFlagRepoSim({ user: { username: 'bot' }, token: TOKEN, now: () => NOW });
  sim.addProject({ path: 'group/app', id: 10 });
  sim.addGroup({ path: 'ops' });
  sim.addProject({ path: 'ops/changes', id: 30 });
  sim.addMergeRequest(FLAG_PROJECT_ID, { iid: 7, state: 'opened', description: 'Turn my_flag on everywhere' });
  // the head's choice of GitLab: another loopback port, which must never hear from flagops
  evil = await startGitlabSim({ strict: false });
});
afterEach(async () => {
  expect(sim.unexpected).toEqual([]);
  expect(evil.requests).toEqual([]);
  await Promise.all([sim.close(), evil.close()]);
});

const guarded = (url: string): string => `flags: flags
gitlab: { url: ${url} }
environments:
  - name: staging
    backend: { type: file, path: state/staging.json }
  - name: production
    after: staging
    max_step: 25
    backend: { type: file, path: state/production.json }
    change_management: { project: ops/changes, labels: ['change::approved'] }
    freeze: { project: group/app }
`;
/** The head's policy: every gate of production removed, `after: null`, and the GitLab moved. */
const loosened = (url: string): string => `flags: flags
gitlab: { url: ${url} }
environments:
  - name: staging
    backend: { type: file, path: state/staging.json }
  - name: production
    after: null
    backend: { type: file, path: state/production.json }
`;
const flag = (staging: string, production: string): string => `name: my_flag\ntype: ops\nenvironments:\n  staging: ${staging}\n  production: ${production}\n`;

const mrEnv = (extra: Record<string, string>) => ({ FLAGOPS_GITLAB_TOKEN: TOKEN, CI_PROJECT_ID: '20', CI_MERGE_REQUEST_IID: '7', CI_SERVER_URL: sim.url, CI_DEFAULT_BRANCH: 'main', ...extra });
type Report = { findings: { code: string; severity: string; message: string; env?: string }[] };
const codes = (run: { stdout: string }): string[] => (JSON.parse(run.stdout) as Report).findings.map((f) => f.code);

/** main holds the reviewed policy; the MR branch (checked out) loosens it and raises production. */
function mrRepo(): { dir: string; base: string; r: ReturnType<typeof gitRepo> } {
  const dir = tree({});
  const r = gitRepo(dir);
  const base = r.commit({ 'flagops.yml': guarded(sim.url), 'flags/my_flag.yml': flag('false', 'false') });
  r.git('checkout', '-q', '-b', 'feature');
  r.commit({ 'flagops.yml': loosened(evil.url), 'flags/my_flag.yml': flag('false', 'false') }, 'loosen the policy');
  r.write({ 'flags/my_flag.yml': flag('false', 'true') });
  return { dir, base, r };
}

describe('check judges a merge request by the target branch\'s policy', () => {
  it('keeps every gate the head removes, and names each removed setting with its old and new value', async () => {
    const { dir, base } = mrRepo();
    const run = await cli(['check', '--format', 'json', '--note'], { cwd: dir, env: mrEnv({ CI_MERGE_REQUEST_DIFF_BASE_SHA: base }), now: NOW });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(codes(run)).toEqual(expect.arrayContaining(['promotion/exceeds', 'step/too-large', 'change-request/missing'].map((c) => expect.stringMatching(new RegExp(`^${c.split('/')[0]}`)))));
    const warnings = report.findings.filter((f) => f.code.startsWith('config/')).map((f) => f.message);
    expect(warnings).toEqual(
      expect.arrayContaining([
        `gitlab: ${sim.url} (token $FLAGOPS_GITLAB_TOKEN) → ${evil.url} (token $FLAGOPS_GITLAB_TOKEN)`,
        'production: after staging → null',
        'production: max_step 25 → (not set)',
        'production: change_management ops/changes, required rollout, labels [change::approved] → (not set)',
        'production: freeze group/app → (not set)',
      ]),
    );
    const note = sim.project(20).mergeRequests[0]!.notes[0]!.body;
    expect(note).toContain('**Policy changes**');
    expect(note).toContain('production: max_step 25 → (not set)');
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('reads the target branch tip by name when there is no diff base, never CI_COMMIT_BEFORE_SHA', async () => {
    const { dir, r } = mrRepo();
    const origin = tree({});
    execFileSync('git', ['init', '-q', '--bare', origin]);
    r.git('push', '-q', origin, 'main');
    r.git('remote', 'add', 'origin', origin);
    const before = r.git('rev-parse', 'HEAD'); // the author's own earlier push: the loosened policy
    const run = await cli(['check', '--format', 'json'], {
      cwd: dir,
      env: mrEnv({ CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_COMMIT_BEFORE_SHA: before, CI_MERGE_REQUEST_DIFF_BASE_SHA: '' }),
      now: NOW,
    });
    expect(codes(run)).toContain('config/max-step-changed');
    expect(codes(run).some((c) => c.startsWith('step'))).toBe(true);
    expect(run.code).toBe(1);
  });

  it('outside a merge request, judges by the default branch, not by the pushed one', async () => {
    const { dir, r } = mrRepo();
    const before = r.git('rev-parse', 'HEAD');
    const env = { FLAGOPS_GITLAB_TOKEN: TOKEN, CI_PROJECT_ID: '20', CI_SERVER_URL: sim.url, CI_DEFAULT_BRANCH: 'main', CI_COMMIT_BEFORE_SHA: before };
    r.git('update-ref', 'refs/remotes/origin/main', 'main');
    const run = await cli(['check', '--format', 'json'], { cwd: dir, env, now: NOW });
    expect(codes(run)).toContain('config/gitlab-changed');
    expect(codes(run).some((c) => c.startsWith('step'))).toBe(true);
  });

  it('with no flagops.yml on the target yet: the head\'s gates, unreviewed, and the token only to CI_SERVER_URL', async () => {
    const dir = tree({});
    const r = gitRepo(dir);
    const base = r.commit({ 'README.md': 'flags soon\n' });
    r.write({ 'flagops.yml': guarded(evil.url), 'flags/my_flag.yml': flag('false', 'true') });
    const run = await cli(['check', '--format', 'json', '--note'], { cwd: dir, env: mrEnv({ CI_MERGE_REQUEST_DIFF_BASE_SHA: base }), now: NOW });
    expect(codes(run)).toContain('config/unreviewed');
    expect(codes(run).some((c) => c.startsWith('promotion'))).toBe(true);
    expect(sim.requests.length).toBeGreaterThan(0);
    expect(sim.project(20).mergeRequests[0]!.notes.length).toBe(1);
  });

  it('refuses, unread, a flag file linked out of the repository: its content appears nowhere', async () => {
    const outside = tree({ 'secret.yml': 'name: my_flag\nroot:$6$SHADOW-LINE-never-echo:19000:0:99999:7:::\n' });
    const dir = tree({});
    const r = gitRepo(dir);
    const base = r.commit({ 'flagops.yml': guarded(sim.url), 'flags/my_flag.yml': flag('false', 'false') });
    mkdirSync(join(dir, 'flags', 'more'), { recursive: true });
    symlinkSync(join(outside, 'secret.yml'), join(dir, 'flags', 'leak.yml'));
    symlinkSync(outside, join(dir, 'flags', 'linked'));
    writeFileSync(join(dir, 'flags', 'more', 'x.yml'), flag('false', 'false').replace('my_flag', 'x'));
    const out = join(dir, 'report.json');
    for (const args of [['check', '--format', 'json', '--output', out], ['validate']]) {
      const run = await cli(args, { cwd: dir, env: mrEnv({ CI_MERGE_REQUEST_DIFF_BASE_SHA: base }), now: NOW });
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).not.toContain('SHADOW');
      expect(run.stdout + run.stderr).toContain('outside the repository');
    }
    expect(readFileSync(out, 'utf8')).not.toContain('SHADOW');
    expect(readFileSync(out, 'utf8')).toContain('file/outside-repository');
  });
});
