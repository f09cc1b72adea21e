/**
 * The generated pipeline end to end under gitlab-ci-local: one include of the `pipeline` component; its
 * flagops-pipeline job runs `flagops pipeline`, flagops-apply triggers the child pipeline from that artifact
 * (`trigger: include: artifact:`, which gitlab-ci-local runs as an experimental downstream pipeline), and the child's
 * apply jobs converge the simulated instances. A rollout goes dev → staging → production; a rollback that follows it
 * applies every environment at once. With `verify:` on staging, the child verifies staging after its apply; a failing
 * end-to-end run rolls staging back and opens the revert merge request, and production (which needs it) does not run.
 * gitlab-ci-local checks parent and child against its GitLab CI schema
 * (--json-schema-validation). Annotates the jobs on the critical path and the wall time of each.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statesEqual, type MaybeState } from '../../src/model/state.js';
import { longestChain } from '../../src/pipeline/generate-pipeline.js';
import { BIN } from '../helpers/run-cli.js';
import { useTmpTree } from '../helpers/tmp-tree.js';
import { FLAG_PROJECT_ID, startWorld, TOKENS, type World } from './e2e-world.js';
import { artifact, FLAGOPS_PROJECT, flagRepo, jobLog, REMOTE_HOST, runPipeline, repoFolders } from './pipeline.js';

const tree = useTmpTree();
let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  expect(w.unexpected()).toEqual([]);
  await w.close();
});

const VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
const gitlabCi = (inputs: Record<string, unknown> = {}) =>
  stringify({
    include: [{ component: `$CI_SERVER_FQDN/${FLAGOPS_PROJECT}/pipeline@${VERSION}`, inputs: { command: `node ${BIN}`, manual_tiers: 'production', ...inputs } }],
    stages: ['deploy'],
  });
const GITLAB_CI = gitlabCi();

type ChildJob = { needs: string[]; when?: string };

/** A job's duration as gitlab-ci-local reports it (`<job> finished in 760 ms`); child jobs by their own name. */
function jobSeconds(log: string, job: string): number {
  const m = new RegExp(`(?:^|\\s|> )${job.replace(/[[\]]/g, '\\$&')}\\s+finished in ([\\d.]+) (ms|s|min)`, 'm').exec(log);
  if (!m) throw new Error(`no duration of ${job} in the log`);
  return Number(m[1]) / ({ ms: 1000, s: 1, min: 1 / 60 } as Record<string, number>)[m[2]!]!;
}
/** Seconds on the critical path: the generator's and those of the child's chain of jobs up to `last`. */
function pathSeconds(log: string, child: Record<string, ChildJob>, last: string): number {
  const chain = longestChain(new Map(Object.entries(child).map(([k, v]) => [k, v.needs])));
  const upTo = chain.includes(last) ? chain.slice(0, chain.indexOf(last) + 1) : [last];
  return jobSeconds(log, 'flagops-pipeline') + upTo.reduce((sum, job) => sum + jobSeconds(log, job), 0);
}

/** `npm run bench` reads the measured figures from here (bench/lanes.mjs); a test run without it writes nothing. */
function report(figure: { lane: string; pipeline: string; jobs: number; seconds: number; pathSeconds: number }): void {
  const out = process.env.FLAGOPS_LANES_OUT;
  if (out) appendFileSync(out, `${JSON.stringify(figure)}\n`);
}

function childOf(dir: string): Record<string, ChildJob> {
  const doc = parse(artifact(dir, 'flagops-pipeline', 'flagops-pipeline.yml')) as Record<string, ChildJob>;
  delete doc.stages;
  return doc;
}

describe('the generated child pipeline under gitlab-ci-local', { timeout: 180_000 }, () => {
  it('rolls out in promotion order, then rolls back every environment at once', async ({ annotate }) => {
    w.deployProduction();
    const { repoDir, home } = repoFolders(tree({}));
    const repo = flagRepo({
      dir: repoDir,
      home,
      files: { 'flagops.yml': w.config(false), 'flags/my_flag.yml': w.flag(' {}'), '.gitlab-ci.yml': GITLAB_CI },
      // gitlab-ci-local starts a child pipeline without the parent's --variable values (GitLab gives a child the
      // parent's project): the flag repository's id comes from the CI/CD variables instead
      variables: { ...w.variables, CI_PROJECT_ID: String(FLAG_PROJECT_ID) },
    });
    /** Commits `environments` of my_flag as the merge commit of MR !iid on main and runs main's pipeline. */
    const push = async (iid: number, environments: string, manual: string[] = []) => {
      const before = repo.git('rev-parse', 'HEAD');
      const head = repo.commit({ 'flags/my_flag.yml': w.flag(environments) }, `MR !${iid}`);
      repo.git('update-ref', 'refs/remotes/origin/main', head);
      w.sim.addCommit(FLAG_PROJECT_ID, { sha: head, parents: [before] });
      w.sim.setBranch(FLAG_PROJECT_ID, 'main', head);
      w.sim.addMergeRequest(FLAG_PROJECT_ID, { iid, state: 'merged', mergeCommitSha: head, description: `change my_flag (!${iid})` });
      const started = performance.now();
      const run = await runPipeline({ dir: repoDir, home, kind: 'push', variables: { CI_COMMIT_BEFORE_SHA: before }, manual, timeoutMs: 150_000, schemaValidation: true });
      // gitlab-ci-local passes the trigger job and exits 0 whatever the child pipeline did (no strategy: depend):
      // every child job must say PASS itself
      for (const env of ['dev', 'staging', 'production']) expect(run.log, run.log).toMatch(new RegExp(`PASS\\s+\\[flagops-apply\\] -> flagops-apply-${env}\\b`));
      expect(run.log).not.toMatch(/FAIL\s/);
      return { run, seconds: (performance.now() - started) / 1000 };
    };
    const live = async (desired: Record<string, MaybeState>) => {
      const states = await w.liveStates(repoDir);
      for (const [env, state] of Object.entries(states)) expect(statesEqual(state, desired[env]), `${env}: ${JSON.stringify(state)}`).toBe(true);
    };

    const rollout = await push(8, '\n  dev: true\n  staging: true\n  production:\n    percentage_of_actors: 50', ['flagops-apply-production']);
    expect(rollout.run.code, rollout.run.log).toBe(0);
    const out = childOf(repoDir);
    expect(Object.keys(out)).toEqual(['flagops-apply-dev', 'flagops-apply-staging', 'flagops-apply-production']);
    expect(out['flagops-apply-production']).toMatchObject({ needs: ['flagops-apply-staging'], when: 'manual' });
    const log = rollout.run.log;
    const at = (job: string, what: string): number => log.search(new RegExp(`${job}\\s+${what}`));
    expect(at('flagops-apply-dev', 'finished')).toBeGreaterThan(0);
    expect(at('flagops-apply-dev', 'finished')).toBeLessThan(at('flagops-apply-staging', 'starting'));
    expect(at('flagops-apply-staging', 'finished')).toBeLessThan(at('flagops-apply-production', 'starting'));
    await live({ dev: true, staging: true, production: { percentage_of_actors: 50 } });

    const rollback = await push(9, '\n  dev: true\n  staging: false\n  production: false');
    expect(rollback.run.code, rollback.run.log).toBe(0);
    const back = childOf(repoDir);
    for (const [name, job] of Object.entries(back)) {
      expect(job.needs, name).toEqual([]);
      expect(job.when, name).toBeUndefined();
    }
    await live({ dev: true, staging: false, production: false });
    for (const token of Object.values(TOKENS)) expect(rollout.run.log + rollback.run.log).not.toContain(token);

    // jobs from merge to production: the generator, then the chain of child jobs up to production (the trigger
    // job is a bridge: it runs no script on a runner)
    const toProduction = (child: Record<string, ChildJob>) =>
      1 + longestChain(new Map(Object.entries(child).map(([k, v]) => [k, v.needs]))).length;
    const figures = {
      rollout: { jobs: toProduction(out), seconds: rollout.seconds, pathSeconds: pathSeconds(rollout.run.log, out, 'flagops-apply-production') },
      rollback: { jobs: toProduction(back), seconds: rollback.seconds, pathSeconds: pathSeconds(rollback.run.log, back, 'flagops-apply-production') },
    };
    expect([figures.rollout.jobs, figures.rollback.jobs]).toEqual([4, 2]);
    report({ lane: 'rollout', pipeline: 'generated', ...figures.rollout });
    report({ lane: 'rollback', pipeline: 'generated', ...figures.rollback });
    await annotate(`critical path merge → production under gitlab-ci-local (${REMOTE_HOST}): rollout ${figures.rollout.jobs} jobs, ${figures.rollout.seconds.toFixed(1)} s; rollback ${figures.rollback.jobs} jobs, ${figures.rollback.seconds.toFixed(1)} s`);
  });
  it('verifies staging after its apply: a failing end-to-end run rolls staging back and opens the revert MR; production waits', async () => {
    w.deployProduction();
    w.sim.addProject({ path: 'group/e2e-tests' });
    w.sim.addCommit('group/e2e-tests', { sha: 'e'.repeat(40), parents: [] });
    w.sim.setBranch('group/e2e-tests', 'main', 'e'.repeat(40));
    w.sim.answerPipelines('group/e2e-tests', ['failed']);
    const { repoDir, home } = repoFolders(tree({}));
    const config = w.config(false).replace('    deployment: { environment: gstg }\n', '    deployment: { environment: gstg }\n    verify: { project: group/e2e-tests, timeout: 5m }\n');
    const repo = flagRepo({
      dir: repoDir,
      home,
      files: { 'flagops.yml': config, 'flags/my_flag.yml': w.flag(' {}'), '.gitlab-ci.yml': GITLAB_CI },
      variables: { ...w.variables, CI_PROJECT_ID: String(FLAG_PROJECT_ID) },
    });
    const before = repo.git('rev-parse', 'HEAD');
    const flag = w.flag('\n  dev: true\n  staging: true\n  production: true');
    const head = repo.commit({ 'flags/my_flag.yml': flag }, 'MR !8');
    repo.git('update-ref', 'refs/remotes/origin/main', head);
    w.sim.addCommit(FLAG_PROJECT_ID, { sha: head, parents: [before], files: { 'flags/my_flag.yml': flag } });
    w.sim.setBranch(FLAG_PROJECT_ID, 'main', head);
    w.sim.addMergeRequest(FLAG_PROJECT_ID, { iid: 8, state: 'merged', mergeCommitSha: head, description: 'change my_flag (!8)' });
    const run = await runPipeline({ dir: repoDir, home, kind: 'push', variables: { CI_COMMIT_BEFORE_SHA: before }, manual: ['flagops-apply-production'], timeoutMs: 150_000, schemaValidation: true });
    expect(Object.keys(childOf(repoDir))).toEqual(['flagops-apply-dev', 'flagops-apply-staging', 'flagops-verify-staging', 'flagops-apply-production']);
    expect(childOf(repoDir)['flagops-apply-production']).toMatchObject({ needs: ['flagops-verify-staging'], when: 'manual' });
    expect(run.log).toMatch(/PASS\s+\[flagops-apply\] -> flagops-apply-staging\b/);
    expect(run.log).toMatch(/flagops-verify-staging\s+finished in [\d.]+ s\s+FAIL/);
    expect(run.log).not.toMatch(/PASS\s+\[flagops-apply\] -> flagops-apply-production\b/);
    const states = await w.liveStates(repoDir);
    expect([states.dev, states.staging, states.production]).toEqual([true, undefined, undefined]);
    const reverts = w.sim.project(FLAG_PROJECT_ID).mergeRequests.filter((m) => m.labels.includes('flagops::revert'));
    expect(reverts.map((m) => [m.state, m.sourceBranch])).toEqual([['opened', `flagops/revert-staging-${head.slice(0, 12)}`]]);
    expect(w.sim.project(FLAG_PROJECT_ID).trees![reverts[0]!.sha!]!['flags/my_flag.yml']).toBe(w.flag('\n  dev: true\n  production: true'));
    for (const token of Object.values(TOKENS)) expect(run.log).not.toContain(token);
  });
});

describe('the rollback fast lane under gitlab-ci-local', { timeout: 180_000 }, () => {
  it('a rollback reaches production in one job: the generator applies every environment, the child confirms', async ({ annotate }) => {
    w.deployProduction();
    const { repoDir, home } = repoFolders(tree({}));
    // the fast lane's price: the environment tokens are not scoped to the environments, so the generator job sees them
    const variables = { ...w.variables, FLAGOPS_DEV_TOKEN: TOKENS.dev, FLAGOPS_STAGING_TOKEN: TOKENS.staging, FLAGOPS_PRODUCTION_TOKEN: TOKENS.production, CI_PROJECT_ID: String(FLAG_PROJECT_ID) };
    const repo = flagRepo({ dir: repoDir, home, files: { 'flagops.yml': w.config(false), 'flags/my_flag.yml': w.flag(' {}'), '.gitlab-ci.yml': gitlabCi({ fast_lane: true }) }, variables });
    const merge = (iid: number, environments: string) => {
      const before = repo.git('rev-parse', 'HEAD');
      const head = repo.commit({ 'flags/my_flag.yml': w.flag(environments) }, `MR !${iid}`);
      repo.git('update-ref', 'refs/remotes/origin/main', head);
      w.sim.addCommit(FLAG_PROJECT_ID, { sha: head, parents: [before] });
      w.sim.setBranch(FLAG_PROJECT_ID, 'main', head);
      w.sim.addMergeRequest(FLAG_PROJECT_ID, { iid, state: 'merged', mergeCommitSha: head, description: `change my_flag (!${iid})` });
      return before;
    };
    const run = (before: string, extra: { manual?: string[]; jobs?: string[] } = {}) =>
      runPipeline({ dir: repoDir, home, kind: 'push', variables: { CI_COMMIT_BEFORE_SHA: before }, manual: extra.manual ?? [], extraArgs: extra.jobs ?? [], timeoutMs: 150_000 });

    // a rollout is never fast-laned: the generator applies nothing, the child promotes
    const rolloutBase = merge(8, '\n  dev: true\n  staging: true\n  production:\n    percentage_of_actors: 50');
    const generatorOnly = await run(rolloutBase, { jobs: ['flagops-pipeline'] });
    expect(generatorOnly.code, generatorOnly.log).toBe(0);
    expect(jobLog(generatorOnly, 'flagops-pipeline')).not.toContain('fast lane:');
    expect(Object.values(await w.liveStates(repoDir)).every((s) => s === undefined)).toBe(true);
    const rolloutStarted = performance.now();
    const rollout = await run(rolloutBase, { manual: ['flagops-apply-production'] });
    const rolloutSeconds = (performance.now() - rolloutStarted) / 1000;
    expect(rollout.code, rollout.log).toBe(0);
    const rolloutChild = childOf(repoDir);
    expect(rollout.log).not.toMatch(/FAIL\s/);

    // the rollback, one pipeline: the generator job converges every environment before any child job starts —
    // merge to production is one job — and the child's jobs (no needs, nothing manual) confirm: nothing left to change
    const rollbackBase = merge(9, '\n  dev: true\n  staging: false\n  production: false');
    const started = performance.now();
    const fast = await run(rollbackBase);
    const seconds = (performance.now() - started) / 1000;
    expect(fast.code, fast.log).toBe(0);
    const log = jobLog(fast, 'flagops-pipeline');
    for (const env of ['dev', 'staging', 'production']) expect(log).toMatch(new RegExp(`fast lane: ${env} applied in `));
    const generatorDone = fast.log.search(/flagops-pipeline\s+finished in/);
    expect(generatorDone).toBeGreaterThan(0);
    const child = childOf(repoDir);
    expect(Object.values(child).every((job) => job.needs.length === 0 && job.when === undefined)).toBe(true);
    for (const env of ['dev', 'staging', 'production']) {
      const job = `[flagops-apply] -> flagops-apply-${env}`;
      expect(fast.log).toMatch(new RegExp(`PASS\\s+\\[flagops-apply\\] -> flagops-apply-${env}\\b`));
      expect(fast.log.indexOf(`${job}`)).toBeGreaterThan(generatorDone);
      expect(fast.log).toMatch(new RegExp(`flagops-apply-${env}\\s+>\\s+nothing to change`));
    }
    const live = await w.liveStates(repoDir);
    expect([live.dev, live.staging, live.production]).toEqual([true, false, false]);
    const generatorSeconds = jobSeconds(fast.log, 'flagops-pipeline');
    for (const token of Object.values(TOKENS)) expect(rollout.log + fast.log).not.toContain(token);
    // merge → production: the rollout's generator and its chain of child jobs; the rollback's generator alone
    const rolloutJobs = 1 + longestChain(new Map(Object.entries(rolloutChild).map(([k, v]) => [k, v.needs]))).length;
    expect([rolloutJobs, 1]).toEqual([4, 1]);
    report({ lane: 'rollout', pipeline: 'fast lane', jobs: rolloutJobs, seconds: rolloutSeconds, pathSeconds: pathSeconds(rollout.log, rolloutChild, 'flagops-apply-production') });
    report({ lane: 'rollback', pipeline: 'fast lane', jobs: 1, seconds, pathSeconds: generatorSeconds });
    await annotate(`fast lane under gitlab-ci-local (${REMOTE_HOST}): rollback merge → production 1 job (the generator, ${generatorSeconds.toFixed(1)} s); whole pipeline ${seconds.toFixed(1)} s`);
  });
});
