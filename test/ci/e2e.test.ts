/**
 * The CI templates end to end: ci/example.gitlab-ci.yml (flagops components, three environments) run by
 * gitlab-ci-local in a temp flag repository against GitLab simulators — the flag repository's GitLab (MRs, notes,
 * deployments, production's project feature flags) and one instance each for dev and staging (Features API).
 * Tokens are CI/CD variables: the GitLab token for every job, each environment's token scoped to its environment.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statesEqual, type MaybeState } from '../../src/model/state.js';
import { useTmpTree } from '../helpers/tmp-tree.js';
import { FLAG_PROJECT_ID, startWorld, TOKENS, type World } from './e2e-world.js';
import {
  artifact,
  examplePipeline,
  flagRepo,
  jobLog,
  runPipeline,
  withIncludeStyle,
  repoFolders,
  type PipelineKind,
} from './pipeline.js';
import { TEMPLATES_DIR } from './templates.js';
import { BIN } from '../helpers/run-cli.js';

const tree = useTmpTree();
let w: World;

beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  expect(w.unexpected()).toEqual([]);
  await w.close();
});

/** A flag repository whose main holds `main`; `pipeline` adds or overrides inputs of ci/example.gitlab-ci.yml. */
function repository(options: {
  main: string;
  changeManagement?: boolean;
  pipeline?: Record<string, Record<string, unknown>>;
}) {
  const { repoDir, home } = repoFolders(tree({}));
  const repo = flagRepo({
    dir: repoDir,
    home,
    files: {
      'flagops.yml': w.config(options.changeManagement ?? false),
      'flags/my_flag.yml': options.main,
      '.gitlab-ci.yml': examplePipeline(options.pipeline),
    },
    variables: w.variables,
  });
  const run = (kind: PipelineKind, extra: { variables?: Record<string, string>; manual?: string[] } = {}) =>
    runPipeline({ dir: repoDir, home, kind, ...extra });
  /** Opens MR !7 with `change` on a branch and runs its merge-request pipeline. */
  const mergeRequest = async (change: string, description: string) => {
    w.sim.addMergeRequest(FLAG_PROJECT_ID, { iid: 7, state: 'opened', description });
    repo.git('checkout', '-q', '-b', 'change-my-flag');
    repo.commit({ 'flags/my_flag.yml': change }, 'change my_flag');
    return run('merge_request', {
      variables: { CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_DIFF_BASE_SHA: repo.base },
    });
  };
  return { dir: repoDir, repo, run, mergeRequest };
}

const mrNotes = (iid = 7) => w.sim.project(FLAG_PROJECT_ID).mergeRequests.find((m) => m.iid === iid)!.notes;

function expectNoToken(log: string): void {
  for (const token of Object.values(TOKENS)) expect(log).not.toContain(token);
}

/** The simulators' live state of my_flag equals the flag file's, environment by environment. */
async function expectLiveEqualsFiles(dir: string, desired: Record<string, MaybeState>): Promise<void> {
  const live = await w.liveStates(dir);
  for (const [env, state] of Object.entries(live)) {
    expect(state, `${env}: live ${JSON.stringify(state)}`).toSatisfy((s: MaybeState) =>
      statesEqual(s, desired[env]),
    );
  }
}

describe(
  'merge-request pipelines: validate and check --note, no environment token',
  { timeout: 60_000 },
  () => {
    it('(a) a good change passes, with the Code Quality report and the note on the merge request', async () => {
      const r = repository({ main: w.flag(' {}'), changeManagement: true });
      const run = await r.mergeRequest(
        w.flag('\n  dev: true\n  staging: true'),
        'Enable my_flag on dev and staging',
      );
      expect(run.code, run.log).toBe(0);
      expect(run.log).toMatch(/PASS\s+flagops-validate/);
      expect(run.log).toMatch(/PASS\s+flagops-check/);
      expect(run.log).not.toMatch(/^flagops-apply/m); // no apply job ran (check's live lines may name the jobs)
      expect(jobLog(run, 'flagops-check')).toMatch(/staging: my_flag \(rollout\): .*deployed pass/);
      expect(JSON.parse(artifact(r.dir, 'flagops-validate', 'gl-code-quality-report.json'))).toEqual([]);
      expect(artifact(r.dir, 'flagops-validate', 'flagops-junit.xml')).toContain('<testsuite');
      expect(mrNotes()).toHaveLength(1);
      expect(mrNotes()[0]!.body).toContain('`my_flag`');
      expect(w.environmentRequests()).toBe(0);
      expectNoToken(run.log);
    });

    it('(b) enabling a flag in production before its code is deployed there fails check with the gate message', async () => {
      const r = repository({ main: w.flag('\n  dev: true\n  staging: true'), changeManagement: true });
      const run = await r.mergeRequest(
        w.flag('\n  dev: true\n  staging: true\n  production: true'),
        'Enable my_flag on production. Change: ops/changes#12',
      );
      expect(run.code).toBe(1);
      expect(run.log).toMatch(/PASS\s+flagops-validate/);
      expect(run.log).toMatch(/FAIL\s+flagops-check/);
      const log = jobLog(run, 'flagops-check');
      expect(log).toContain('production: my_flag (rollout)');
      expect(log).toMatch(/MR !5 \(merge commit c222222\) is not yet deployed to gprd/);
      expect(mrNotes()[0]!.body).toContain('`my_flag`');
      expect(w.environmentRequests()).toBe(0);
      expectNoToken(run.log);
    });

    it('(d) a rollback passes with no change issue, while every rollout gate would fail', async () => {
      const all = w.flag('\n  dev: true\n  staging: true\n  production: true');
      const r = repository({ main: all, changeManagement: true });
      const run = await r.mergeRequest(
        w.flag('\n  dev: true\n  staging: true\n  production: false'),
        'Turn my_flag off in production',
      );
      expect(run.code, run.log).toBe(0);
      expect(jobLog(run, 'flagops-check')).toContain(
        'production: my_flag (rollback): promotion skip, deployed skip, change-request skip',
      );
      expect(mrNotes()[0]!.body).toMatch(/rollback/);
      expectNoToken(run.log);
    });
  },
);

describe('default-branch and scheduled pipelines: apply per environment', { timeout: 90_000 }, () => {
  it('(c) applies dev → staging → production (manual), records each environment, live equals the files', async () => {
    w.deployProduction();
    const desired = {
      dev: true,
      staging: { percentage_of_actors: 50 },
      production: { percentage_of_actors: 25 },
    };
    const r = repository({
      main: w.flag(
        '\n  dev: true\n  staging:\n    percentage_of_actors: 50\n  production:\n    percentage_of_actors: 25',
      ),
    });
    const head = r.repo.git('rev-parse', 'HEAD');
    // the flag repository on GitLab: main is the merge commit of MR !8, where apply announces what it did
    w.sim.addCommit(FLAG_PROJECT_ID, { sha: head, parents: [] });
    w.sim.setBranch(FLAG_PROJECT_ID, 'main', head);
    w.sim.addMergeRequest(FLAG_PROJECT_ID, {
      iid: 8,
      state: 'merged',
      mergeCommitSha: head,
      description: 'Roll out my_flag',
    });
    const run = await r.run('push', { manual: ['flagops-apply-production'] });
    expect(run.code, run.log).toBe(0);
    expect(run.log).not.toMatch(/flagops-(validate|check)/);
    const at = (job: string, what: string): number => run.log.search(new RegExp(`${job}\\s+${what}`));
    const started = ['dev', 'staging', 'production'].map((env) => at(`flagops-apply-${env}`, 'starting'));
    const finished = ['dev', 'staging'].map((env) => at(`flagops-apply-${env}`, 'finished'));
    expect(started.every((i) => i >= 0)).toBe(true);
    expect(finished[0]).toBeLessThan(started[1]!);
    expect(finished[1]).toBeLessThan(started[2]!);
    await expectLiveEqualsFiles(r.dir, desired);
    const report = artifact(r.dir, 'flagops-apply-production', 'flagops-apply-production.json');
    expect(JSON.parse(report)).toBeTypeOf('object');
    expect(report).toContain('my_flag');
    const flagRepoDeployments = w.sim
      .project(FLAG_PROJECT_ID)
      .deployments.filter((d) => d.status === 'success');
    expect(flagRepoDeployments.map((d) => d.sha)).toEqual([head, head, head]);
    const announced = mrNotes(8);
    expect(announced).toHaveLength(1); // one note, edited in place by each environment's job
    expect(announced[0]!.body).toMatch(/my_flag[\s\S]*production/);
    expect(run.log).not.toMatch(/warning [a-z-]+\//);
    expectNoToken(run.log);
  });

  it('(e) a scheduled pipeline applies a pending production change once its deployment lands', async () => {
    const r = repository({
      main: w.flag('\n  dev: true\n  staging: true\n  production: true'),
      pipeline: { production: { when: 'on_success' } },
    });
    const push = await r.run('push');
    expect(push.code).toBe(1); // production is left pending: the default-branch pipeline says so
    expect(push.log).toMatch(/FAIL\s+flagops-apply-production/);
    expect(jobLog(push, 'flagops-apply-production')).toMatch(/not yet deployed to gprd/);
    await expectLiveEqualsFiles(r.dir, { dev: true, staging: true, production: undefined });

    const waiting = await r.run('schedule');
    expect(waiting.code, waiting.log).toBe(0); // still pending: listed, not a failure
    expect(waiting.log).toMatch(/PASS\s+flagops-apply-production/);
    expect(jobLog(waiting, 'flagops-apply-production')).toMatch(
      /my_flag: unset → on \[pending\][\s\S]*not yet deployed to gprd/,
    );
    expect(w.sim.project(10).featureFlags).toEqual([]);

    w.deployProduction();
    const landed = await r.run('schedule');
    expect(landed.code, landed.log).toBe(0);
    await expectLiveEqualsFiles(r.dir, { dev: true, staging: true, production: true });
    expectNoToken(push.log + waiting.log + landed.log);
  });
});

describe('the live plan on the merge request, from the snapshot an earlier default-branch pipeline published', { timeout: 120_000 }, () => {
  it('(f) shows the deletion apply would make now, while the MR pipeline holds no environment token', async () => {
    w.deployProduction();
    const r = repository({
      main: w.flag('\n  dev: true\n  staging: true\n  production: true'),
      // the check job lists the names (never the values) of the token variables it can see
      pipeline: { flagops: { command: `sh -c 'env | sed -n "s/^\\([A-Z_]*_TOKEN\\)=.*/token variable: \\1/p" | sort; exec node ${BIN} "$@"' flagops` } },
    });
    const old = w.flag('\n  dev: true\n  staging: true\n  production: true').replace('name: my_flag', 'name: old_flag');
    const head = r.repo.commit({ 'flags/old_flag.yml': old }, 'old_flag');
    r.repo.git('update-ref', 'refs/remotes/origin/main', head);
    w.sim.addCommit(FLAG_PROJECT_ID, { sha: head, parents: [] });
    w.sim.setBranch(FLAG_PROJECT_ID, 'main', head);
    const push = await r.run('push', { manual: ['flagops-apply-production'] });
    expect(push.code, push.log).toBe(0);
    // GitLab keeps the apply jobs' artifacts; the simulated flag repository serves them to check
    const jobs = ['dev', 'staging', 'production'].map((env) => ({
      name: `flagops-apply-${env}`,
      artifacts: { [`.flagops/live/${env}.json`]: artifact(r.dir, `flagops-apply-${env}`, `.flagops/live/${env}.json`) },
    }));
    expect(JSON.parse(jobs[2]!.artifacts['.flagops/live/production.json']!).flags).toMatchObject({ old_flag: true, my_flag: true });
    w.sim.addPipeline(FLAG_PROJECT_ID, { ref: 'main', sha: head, jobs });
    const before = w.environmentRequests();

    w.sim.addMergeRequest(FLAG_PROJECT_ID, { iid: 7, state: 'opened', description: 'Remove old_flag' });
    r.repo.git('checkout', '-q', '-b', 'remove-old-flag');
    r.repo.commit({ 'flags/old_flag.yml': null }, 'remove old_flag');
    const mr = await r.run('merge_request', { variables: { CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_DIFF_BASE_SHA: head } });
    expect(mr.log).toMatch(/flagops-check/);
    const check = jobLog(mr, 'flagops-check');
    expect(check.match(/token variable: \w+/g)).toEqual(['token variable: FLAGOPS_GITLAB_TOKEN']);
    const note = mrNotes()[0]!.body;
    for (const env of ['dev', 'staging', 'production']) {
      const section = note.slice(note.indexOf(`#### ${env}`));
      expect(section).toMatch(/snapshot read \d+ min ago/);
      expect(section).toContain('**delete** `old_flag` (live on; removed file)');
    }
    expect(w.environmentRequests()).toBe(before);
    expectNoToken(push.log + mr.log);
  });
});

describe(
  'the same pipeline through include:component, include:project and include:local',
  { timeout: 60_000 },
  () => {
    it('resolves to the same jobs; each kind of pipeline runs only its jobs', async () => {
      const example = examplePipeline();
      const noSchedule = examplePipeline({ production: { schedule: false } });
      const r = repository({ main: w.flag(' {}') });
      r.repo.commit({
        'templates/flagops.yml': readFileSync(join(TEMPLATES_DIR, 'flagops.yml'), 'utf8'),
        'templates/apply.yml': readFileSync(join(TEMPLATES_DIR, 'apply.yml'), 'utf8'),
        'project.gitlab-ci.yml': withIncludeStyle(example, 'project'),
        'local.gitlab-ci.yml': withIncludeStyle(example, 'local'),
        'no-schedule.gitlab-ci.yml': noSchedule,
      });
      r.repo.git('update-ref', 'refs/remotes/origin/main', 'HEAD');
      type Listed = { name: string; stage: string; when: string; needs: { job: string }[] | null };
      const list = async (file: string, kind: PipelineKind, schemaValidation = false): Promise<string[]> => {
        const run = await runPipeline({
          dir: r.dir,
          home: join(r.dir, '..', '.home'),
          kind,
          extraArgs: ['--list-json', '--file', file],
          schemaValidation,
        });
        expect(run.code, run.log).toBe(0);
        return (JSON.parse(run.stdout) as Listed[]).map(
          (j) => `${j.name} ${j.stage} ${j.when} [${(j.needs ?? []).map((n) => n.job).join(',')}]`,
        );
      };
      const push = await list('.gitlab-ci.yml', 'push', true);
      expect(push).toEqual([
        'flagops-validate test never []',
        'flagops-check test never []',
        'flagops-apply-dev deploy on_success []',
        'flagops-verify-dev deploy never [flagops-apply-dev]',
        'flagops-status-dev deploy never []',
        'flagops-apply-staging deploy on_success [flagops-apply-dev]',
        'flagops-verify-staging deploy never [flagops-apply-staging]',
        'flagops-status-staging deploy never []',
        'flagops-apply-production deploy manual [flagops-apply-staging]',
        'flagops-verify-production deploy never [flagops-apply-production]',
        'flagops-status-production deploy never []',
      ]);
      expect(await list('project.gitlab-ci.yml', 'push')).toEqual(push);
      expect(await list('local.gitlab-ci.yml', 'push')).toEqual(push);
      const mr = await list('.gitlab-ci.yml', 'merge_request');
      expect(mr.filter((j) => !j.includes(' never '))).toEqual([
        'flagops-validate test on_success []',
        'flagops-check test on_success []',
      ]);
      expect(await list('project.gitlab-ci.yml', 'merge_request')).toEqual(mr);
      // scheduled pipelines also publish each environment's live state read-only
      expect(await list('.gitlab-ci.yml', 'schedule')).toEqual(push.map((j) => (j.startsWith('flagops-status-') ? j.replace(' never ', ' on_success ') : j)));
      expect((await list('no-schedule.gitlab-ci.yml', 'schedule')).slice(-3)).toEqual([
        'flagops-apply-production deploy never [flagops-apply-staging]',
        'flagops-verify-production deploy never [flagops-apply-production]',
        'flagops-status-production deploy on_success []',
      ]);
    });
  },
);
