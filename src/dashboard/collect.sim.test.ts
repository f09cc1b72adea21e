/**
 * `flagops report` with a `gitlab` section: what was applied comes from the flag repository's deployment records
 * (written by apply; the GitLab simulator, the real client), each record's flag file read with git at its sha;
 * `--live` reads the instance's Features API with the environment's token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, FLAG_PROJECT_ID, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import type { DashboardModel } from './model.js';

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
const flag = (staging: string): string => `name: zentao_issues_integration\ntype: beta\nactor: project\n${ISSUE}environments:\n  staging: ${staging}\n`;

describe('report from deployment records', () => {
  it('applied states and their times from the records, pending against the last one, drift against live', async () => {
    const dir = tree({});
    const repo = gitRepo(dir);
    let head: string | undefined;
    const commit = (files: Record<string, string>, at: Date): string => {
      const sha = repo.commit(files, 'change', at.toISOString());
      sim.addCommit(FLAG_PROJECT_ID, { sha, parents: head ? [head] : [] });
      if (!head) sim.setBranch(FLAG_PROJECT_ID, 'main', sha);
      head = sha;
      return sha;
    };
    const config = `flags: flags\ngitlab: { url: ${sim.url}, token_env: GL_TOKEN }\nenvironments:\n  - name: staging\n    backend: { type: gitlab-features, url: ${sim.url}, token_env: GL_TOKEN, force: [zentao_issues_integration] }\n`;
    commit({ 'flagops.yml': config, 'flags/zentao_issues_integration.yml': flag('\n    percentage_of_actors: 25') }, new Date(T0.getTime() - DAY));
    expect((await cli(['apply'], { cwd: dir, env, now: clock })).code).toBe(0);
    const second = commit({ 'flags/zentao_issues_integration.yml': flag('\n    percentage_of_actors: 50') }, new Date(T0.getTime() + DAY));
    clock = new Date(T0.getTime() + 2 * DAY);
    expect((await cli(['apply'], { cwd: dir, env: { ...env, CI_COMMIT_SHA: second }, now: clock })).code).toBe(0);
    commit({ 'flags/zentao_issues_integration.yml': flag('true') }, new Date(T0.getTime() + 3 * DAY)); // merged, not applied
    sim.setFeature('zentao_issues_integration', { percentageOfActors: 30 }); // an emergency by hand

    clock = new Date(T0.getTime() + 4 * DAY);
    const run = await cli(['report', '--format', 'json', '--live', '--days', '30'], { cwd: dir, env, now: clock });
    expect(run.code, run.stderr).toBe(0);
    const m = JSON.parse(run.stdout) as DashboardModel;
    expect(m.environments).toEqual([{ name: 'staging', backend: 'gitlab-features', records: 'deployments', live: { source: 'backend', readAt: clock.toISOString() } }]);
    const cell = m.flags[0]!.cells.staging!;
    expect(cell).toMatchObject({
      desired: { label: 'on' },
      applied: { label: '50%', sha: second },
      live: [{ label: '30%', source: 'backend', instance: 'staging' }],
      current: 'mid',
      pending: true,
      drift: true,
      licensed: { forced: true },
    });
    expect(m.flags[0]!.timeline.staging!.applied.map((p) => [p.label, p.sha === second])).toEqual([
      ['25%', false],
      ['50%', true],
    ]);
    expect(m.flags[0]!.timeline.staging!.file.map((p) => p.label)).toEqual(['25%', '50%', 'on']);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });
});
