/**
 * The hygiene component end to end: a flag repository whose .gitlab-ci.yml includes templates/hygiene.yml as a
 * component, run by gitlab-ci-local as scheduled pipelines against the GitLab simulator. The first schedule opens the
 * cleanup issue of a flag past its lifespan next to its rollout issue; the second one changes nothing; push
 * pipelines do not run the job. The token is a CI/CD variable and never shows in the log.
 */
import { stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitlabSim, type GitlabSim } from '../gitlab-sim/index.js';
import { BIN } from '../helpers/run-cli.js';
import { useTmpTree } from '../helpers/tmp-tree.js';
import { artifact, flagRepo, FLAGOPS_PROJECT, jobLog, runPipeline, repoFolders } from './pipeline.js';

const tree = useTmpTree();
const TOKEN = 'glpat-e2e-HYGIENE-0001';
const VERSION = '0.1.0';
let sim: GitlabSim;

beforeEach(async () => {
  sim = await startGitlabSim();
  sim.addUser({ username: 'flagops-bot' });
  sim.addToken(TOKEN, { user: 'flagops-bot', scopes: ['api'] });
  sim.addGroup({ path: 'group' });
  sim.addProject({ path: 'group/app', id: 10 });
  sim.addProject({ path: 'group/flags', id: 20 });
  sim.addIssue('group/app', { iid: 3, title: '[Feature flag] Rollout of old_flag', labels: ['feature flag', 'group::plan'] });
});
afterEach(async () => {
  expect(sim.unexpected).toEqual([]);
  await sim.close();
});

function repository(inputs: Record<string, unknown>) {
  const { repoDir, home } = repoFolders(tree({}));
  const pipeline = stringify({
    include: [{ component: `$CI_SERVER_FQDN/${FLAGOPS_PROJECT}/hygiene@${VERSION}`, inputs: { command: `node ${BIN}`, ...inputs } }],
    stages: ['test'],
  });
  flagRepo({
    dir: repoDir,
    home,
    files: {
      'flagops.yml': `flags: flags\ngitlab: { url: ${sim.url}, token_env: FLAGOPS_GITLAB_TOKEN }\nenvironments:\n  - name: production\n    backend: { type: file, path: state/production.json }\n`,
      // a derisk flag of milestone 17.0 (May 2024): its 2-month lifespan is long over
      'flags/old_flag.yml': `name: old_flag\ntype: gitlab_com_derisk\nmilestone: '17.0'\nrollout_issue_url: ${sim.url}/group/app/-/issues/3\n`,
      '.gitlab-ci.yml': pipeline,
    },
    variables: { FLAGOPS_GITLAB_TOKEN: TOKEN },
  });
  return { dir: repoDir, home };
}

const cleanupIssues = () => sim.project('group/app').issues.filter((i) => i.title === '[Feature flag] Cleanup old_flag');

describe('the hygiene component under gitlab-ci-local', { timeout: 90_000 }, () => {
  it('a scheduled pipeline opens the cleanup issue once; the next one changes nothing; pushes do not run it', async () => {
    const r = repository({});
    const first = await runPipeline({ ...r, kind: 'schedule', schemaValidation: true });
    expect(first.code, first.log).toBe(0);
    expect(first.log).toMatch(/PASS\s+flagops-hygiene/);
    expect(jobLog(first, 'flagops-hygiene')).toMatch(/cleanup issue group\/app#4 created: \[Feature flag\] Cleanup old_flag \(labels \+feature flag, \+group::plan; linked to the rollout issue\)/);
    const [issue] = cleanupIssues();
    expect(issue).toMatchObject({ iid: 4, labels: ['feature flag', 'group::plan'], state: 'opened' });
    expect(issue!.description).toContain('**lifespan**: old_flag is a gitlab_com_derisk flag');
    // gitlab-ci-local's CI_PROJECT_URL: where `flagops delete` is to be run
    expect(issue!.description).toContain('in the flag repository (https://gitlab.example.com/group/flags), run `flagops delete old_flag`');
    expect(sim.state.issueLinks).toHaveLength(1);
    expect(JSON.parse(artifact(r.dir, 'flagops-hygiene', 'flagops-hygiene.json')).cleanup_issues.issues).toMatchObject([{ flag: 'old_flag', action: 'created', iid: 4 }]);
    expect(artifact(r.dir, 'flagops-hygiene', 'flagops-hygiene.md')).toContain('| lifespan | `old_flag` |');

    const writes = sim.requests.length;
    const second = await runPipeline({ ...r, kind: 'schedule' });
    expect(second.code, second.log).toBe(0);
    expect(jobLog(second, 'flagops-hygiene')).toContain('cleanup issue group/app#4 unchanged: [Feature flag] Cleanup old_flag');
    expect(sim.requests.slice(writes).filter((q) => q.method !== 'GET')).toEqual([]);
    expect(cleanupIssues()).toHaveLength(1);

    const push = await runPipeline({ ...r, kind: 'push', extraArgs: ['--list-json'] });
    expect(push.code, push.log).toBe(0);
    expect((JSON.parse(push.stdout) as { name: string; when: string }[]).map((j) => `${j.name} ${j.when}`)).toEqual(['flagops-hygiene never']);
    for (const run of [first, second, push]) expect(run.log).not.toContain(TOKEN);
  });

  it('issues: dry-run writes nothing and fail_on fails the job for a reason it found', async () => {
    const r = repository({ issues: 'dry-run', fail_on: 'lifespan' });
    const run = await runPipeline({ ...r, kind: 'schedule' });
    expect(run.code).not.toBe(0);
    expect(run.log).toMatch(/FAIL\s+flagops-hygiene/);
    expect(jobLog(run, 'flagops-hygiene')).toContain('cleanup issue in group/app would be created: [Feature flag] Cleanup old_flag');
    expect(sim.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    expect(cleanupIssues()).toEqual([]);
    expect(run.log).not.toContain(TOKEN);
  });
});
