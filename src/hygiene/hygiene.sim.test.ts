/**
 * hygiene with a `gitlab` section: "for N days" counts from the flag repository's deployment records of each
 * environment (what apply writes; the GitLab simulator, the real client), read with the soak gate's reader.
 * Commits are dated long ago to show that commit dates never count as exposure.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, FLAG_PROJECT_ID, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const DAY = 86_400_000;
const T0 = new Date('2026-11-01T12:00:00Z');
const TOKEN = 'admin-token-0001';
let clock = T0;
let sim: GitlabSim;

beforeEach(async () => {
  clock = T0;
  sim = await startFlagRepoSim({ user: { username: 'root', admin: true }, token: TOKEN, now: () => clock });
});
afterEach(() => closeCheckedSim(sim));

const env = { GL_TOKEN: TOKEN, CI_PROJECT_ID: String(FLAG_PROJECT_ID) };
const ISSUE = 'rollout_issue_url: https://gitlab.example.com/group/app/-/issues/1\n';

function flagRepo(files: Record<string, string>) {
  const dir = tree({});
  const repo = gitRepo(dir);
  const sha = repo.commit({ 'flagops.yml': `flags: flags\ngitlab: { url: ${sim.url}, token_env: GL_TOKEN }\nenvironments:\n  - name: staging\n    backend: { type: gitlab-features, url: ${sim.url}, token_env: GL_TOKEN }\n  - name: production\n    backend: { type: file, path: state/production.json }\n`, ...files }, 'flags', '2025-01-01T00:00:00Z');
  sim.addCommit(FLAG_PROJECT_ID, { sha, parents: [] });
  sim.setBranch(FLAG_PROJECT_ID, 'main', sha);
  return { dir, repo };
}

describe('hygiene from deployment records', () => {
  it('fully on and off everywhere count from the applies GitLab recorded, not from commit dates', async () => {
    const { dir } = flagRepo({
      'flags/on_flag.yml': `name: on_flag\ntype: ops\n${ISSUE}environments:\n  staging: true\n  production: true\n`,
      'flags/off_flag.yml': `name: off_flag\ntype: ops\n${ISSUE}environments:\n  staging: false\n`,
      'flags/half.yml': `name: half\ntype: ops\n${ISSUE}environments:\n  staging: true\n  production: false\n`,
    });
    // committed in 2025, but nothing applied yet: not "on for N days"
    const before = await cli(['hygiene', '--format', 'json'], { cwd: dir, env, now: clock });
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout).findings).toEqual([]);

    expect((await cli(['apply'], { cwd: dir, env, now: clock })).code).toBe(0);
    expect(sim.project(FLAG_PROJECT_ID).deployments.map((d) => d.status)).toEqual(['success', 'success']);

    clock = new Date(T0.getTime() + 29 * DAY);
    const early = JSON.parse((await cli(['hygiene', '--format', 'json'], { cwd: dir, env, now: clock })).stdout);
    expect(early.findings).toEqual([]);

    clock = new Date(T0.getTime() + 31 * DAY);
    const seen = sim.requests.length;
    const run = await cli(['hygiene', '--format', 'json', '--fail-on', 'any'], { cwd: dir, env, now: clock });
    expect(run.code).toBe(1);
    const found = JSON.parse(run.stdout).findings.map((f: { flag: string; code: string }) => [f.flag, f.code]);
    expect(found).toEqual([
      ['off_flag', 'hygiene/off'],
      ['on_flag', 'hygiene/fully-on'],
    ]);
    // one page of deployments per environment, and the token user; never a write
    const requests = sim.requests.slice(seen);
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('without the flag repository known, says it cannot judge on/off instead of guessing', async () => {
    const { dir } = flagRepo({ 'flags/on_flag.yml': `name: on_flag\ntype: ops\n${ISSUE}environments:\n  staging: true\n` });
    const run = await cli(['hygiene', '--format', 'json'], { cwd: dir, env: { GL_TOKEN: TOKEN }, now: clock });
    expect(run.code).toBe(0);
    const findings = JSON.parse(run.stdout).findings as { code: string; severity: string; env: string }[];
    expect(findings.map((f) => [f.code, f.severity, f.env])).toEqual([
      ['hygiene/no-records', 'info', 'staging'],
      ['hygiene/no-records', 'info', 'production'],
    ]);
  });
});
