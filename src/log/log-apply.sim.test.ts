/**
 * `flagops apply` on production with `production_check:` and `log:` against the simulator: blocked by an open
 * severity 1 incident (pending, nothing written, nothing logged), then the override label on the merged MR lets it
 * through with a warning that the log issue records; a re-run logs nothing twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitlabSim } from '../../test/gitlab-sim/index.js';
import { closeCheckedSim, mirroredFlagRepo, startFlagRepoSim } from '../../test/helpers/flag-repo-sim.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const TOKEN = 'glpat-chatops-parity-0001';
let sim: GitlabSim;

beforeEach(async () => {
  sim = await startFlagRepoSim({ user: { username: 'bot' }, token: TOKEN, now: () => new Date('2026-11-21T12:00:00Z') });
  sim.addProject({ path: 'gl-infra/production', id: 30 });
  sim.addIssue(30, { iid: 1, title: 'Outage', labels: ['incident', 'severity::1'] });
  sim.addProject({ path: 'gl-infra/feature-flag-log', id: 31 });
});
afterEach(() => closeCheckedSim(sim));

describe('apply with the production check and the feature-flag log', () => {
  it('holds during an incident, goes ahead with the override label, and logs the change once', async () => {
    const dir = tree({});
    const config = `flags: flags\ngitlab: { url: ${sim.url} }\nenvironments:\n  - name: production\n    after: null\n    backend: { type: file, path: state/production.json }\n    production_check: { project: gl-infra/production }\n    log: { project: gl-infra/feature-flag-log }\n`;
    const flag = 'name: my_flag\ntype: beta\ngroup: group::compliance\nenvironments:\n  production: true\n';
    const sha = mirroredFlagRepo(sim, dir).commit({ 'flagops.yml': config, 'flags/my_flag.yml': flag });
    sim.addMergeRequest(20, { iid: 3, state: 'merged', mergeCommitSha: sha, commits: [sha], description: 'Enable my_flag' });
    const env = { FLAGOPS_GITLAB_TOKEN: TOKEN, CI_PROJECT_ID: '20', CI_COMMIT_SHA: sha, CI_PIPELINE_URL: 'https://ci.example/p/1' };

    const held = await cli(['apply'], { cwd: dir, env });
    expect(held.code).toBe(1);
    expect(held.stdout).toContain('production-check/blocked');
    expect(held.stdout).toContain(`${sim.url}/gl-infra/production/-/issues/1`);
    expect(sim.project(31).issues).toEqual([]);

    sim.project(20).mergeRequests[0]!.labels.push('flagops::ignore-production-check');
    const through = await cli(['apply'], { cwd: dir, env });
    expect([through.code, through.stderr]).toEqual([0, '']);
    expect(through.stdout).toContain('production-check/overridden');
    const logged = sim.project(31).issues;
    expect(logged.map((i) => [i.title, i.state, i.labels])).toEqual([
      ['Feature flag my_flag in production: unset → on', 'closed', ['env::production', 'flag-type::beta', 'group::compliance']],
    ]);
    expect(logged[0]!.description).toContain('!3');
    expect(logged[0]!.description).toContain('https://ci.example/p/1');
    expect(logged[0]!.description).toContain('flagops::ignore-production-check');

    expect((await cli(['apply'], { cwd: dir, env })).code).toBe(0);
    expect(sim.project(31).issues.length).toBe(1);
  });
});
