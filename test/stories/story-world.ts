/**
 * The stage of the seed stories (test/stories/*.story.test.ts): the walk-throughs' flag repository
 * (examples/gitlab/flagops.yml) in a temp git repository, its .gitlab-ci.yml = ci/example.gitlab-ci.yml, and GitLab
 * simulators for every URL of that config — gitlab.example.com (flag repository, the flags' code project group/app,
 * ops/changes, and production's Features API) and one instance each for dev, pre, staging and staging-ref.
 * One clock drives the simulators (timestamps of deployments, notes) and flagops inside the CI jobs
 * (story-clock.mjs, preloaded with NODE_OPTIONS by the harness only).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { startGitlabSim, type GitlabSim } from '../gitlab-sim/index.js';
import {
  examplePipeline,
  flagRepo,
  runPipeline,
  artifact,
  type PipelineKind,
  type PipelineRun,
} from '../ci/pipeline.js';
import { ROOT } from '../ci/templates.js';
import { BIN, type CliRun } from '../helpers/run-cli.js';

export const EXAMPLE_CONFIG = join(ROOT, 'examples', 'gitlab', 'flagops.yml');
const CLOCK_MODULE = pathToFileURL(join(import.meta.dirname, 'story-clock.mjs')).href;
export const FLAG_PROJECT = 'group/flags';
/** The end-to-end tests staging's `verify:` starts (examples/gitlab/flagops.yml); they pass unless a story says otherwise. */
export const E2E_PROJECT = 'group/e2e-tests';
export const ENVIRONMENTS = ['dev', 'pre', 'staging', 'staging-ref', 'production'] as const;
export type EnvName = (typeof ENVIRONMENTS)[number];
export const DAY = 86_400_000;

const TOKENS = {
  gitlab: 'glpat-story-GITLAB-0001',
  dev: 'glpat-story-DEV-0002',
  pre: 'glpat-story-PRE-0003',
  staging: 'glpat-story-STAGING-0004',
  'staging-ref': 'glpat-story-STAGINGREF-0005',
  production: 'glpat-story-PRODUCTION-0006',
};
const TOKEN_ENV: Record<EnvName, string> = {
  dev: 'FLAGOPS_DEV_TOKEN',
  pre: 'FLAGOPS_PRE_TOKEN',
  staging: 'FLAGOPS_STAGING_TOKEN',
  'staging-ref': 'FLAGOPS_STAGING_REF_TOKEN',
  production: 'FLAGOPS_PRODUCTION_TOKEN',
};
const HOSTS: Record<Exclude<EnvName, 'production'>, string> = {
  dev: 'https://dev.gitlab.example.com',
  pre: 'https://pre.gitlab.example.com',
  staging: 'https://staging.gitlab.example.com',
  'staging-ref': 'https://staging-ref.gitlab.example.com',
};
export const GITLAB_HOST = 'https://gitlab.example.com';
const sha = (c: string): string => c.padEnd(40, c.slice(-1));

/** A flag's live state as an environment's Features API answers it, in flag-file terms (undefined: no record). */
export type Live =
  | undefined
  | boolean
  | { percentage_of_actors?: number; percentage_of_time?: number; actors?: Record<string, string[]> };

export interface Step {
  mr: number;
  /** The `flagops` command lines run on the merge request's branch, as the README writes them. */
  commands: CliRun[];
  pipeline: PipelineRun;
}

export type Story = Awaited<ReturnType<typeof startStory>>;

export async function startStory(options: { start: string; flags: Record<string, string> }) {
  const dir = mkdtempSync(join(tmpdir(), 'flagops-story-'));
  let now = Date.parse(options.start);
  const clock = (): Date => new Date(now);
  const sims = await Promise.all(Array.from({ length: 5 }, () => startGitlabSim({ now: clock })));
  const [gitlab, ...instances] = sims as [GitlabSim, ...GitlabSim[]];
  const instance: Record<EnvName, GitlabSim> = {
    dev: instances[0]!,
    pre: instances[1]!,
    staging: instances[2]!,
    'staging-ref': instances[3]!,
    production: gitlab,
  };
  // every instance: an administrator (Features API) and the testing projects; gitlab.example.com: the bot too
  gitlab.addUser({ username: 'flagops-bot' });
  gitlab.addToken(TOKENS.gitlab, { user: 'flagops-bot', scopes: ['api'] });
  for (const env of ENVIRONMENTS) {
    const s = instance[env];
    s.addUser({ username: 'admin', admin: true });
    s.addToken(TOKENS[env], { user: 'admin', scopes: ['api'] });
    s.addUser({ username: 'luke' });
    s.addProject({ path: 'icbd-trial/integration-trial' });
    s.addProject({ path: 'luke/public-tests' });
  }
  const flagProject = gitlab.addProject({ path: FLAG_PROJECT });
  gitlab.addProject({ path: 'group/app' });
  gitlab.addProject({ path: 'ops/changes' });
  gitlab.addProject({ path: E2E_PROJECT });
  gitlab.addCommit(E2E_PROJECT, { sha: sha('e1'), parents: [] });
  gitlab.setBranch(E2E_PROJECT, 'main', sha('e1'));
  gitlab.answerPipelines(E2E_PROJECT, ['success']);
  gitlab.addCommit('group/app', { sha: sha('c1'), parents: [] });
  gitlab.addCommit('group/app', { sha: sha('c2'), parents: [sha('c1')] });

  const urls: [string, string][] = [
    ...Object.entries(HOSTS).map(([env, host]) => [host, instance[env as EnvName].url] as [string, string]),
    [GITLAB_HOST, gitlab.url],
  ];
  /** The example's text with every URL pointed at its simulator. */
  const localize = (text: string): string => urls.reduce((t, [host, url]) => t.split(host).join(url), text);

  const home = join(dir, '.home');
  const repoDir = join(dir, 'flags');
  const variables: Record<string, string | Record<string, string>> = {
    FLAGOPS_GITLAB_TOKEN: TOKENS.gitlab,
    NODE_OPTIONS: `--import=${CLOCK_MODULE}`,
  };
  for (const env of ENVIRONMENTS) variables[TOKEN_ENV[env]] = { [env]: TOKENS[env] };
  const files: Record<string, string> = {
    'flagops.yml': localize(readFileSync(EXAMPLE_CONFIG, 'utf8')),
    '.gitlab-ci.yml': storyPipeline(),
  };
  for (const [name, text] of Object.entries(options.flags)) files[`flags/${name}.yml`] = localize(text);
  mkdirSync(repoDir);
  const repo = flagRepo({ dir: repoDir, home, files, variables });
  let main = repo.base;
  /** The flag files of a commit, as the simulator must know them for the commits API (the revert merge request). */
  const filesAt = (rev: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const path of repo.git('ls-tree', '-r', '--name-only', rev, 'flags').split('\n').filter(Boolean)) {
      out[path] = repo.git('show', `${rev}:${path}`) + '\n';
    }
    return out;
  };
  gitlab.addCommit(FLAG_PROJECT, { sha: main, parents: [], files: filesAt(main) });
  gitlab.setBranch(FLAG_PROJECT, 'main', main);

  const pipeline = (
    kind: PipelineKind,
    vars: Record<string, string>,
    manual?: string[],
  ): Promise<PipelineRun> =>
    runPipeline({
      dir: repoDir,
      home,
      kind,
      manual,
      variables: { CI_PROJECT_ID: String(flagProject.id), STORY_NOW: clock().toISOString(), ...vars },
      timeoutMs: 90_000,
    });
  /**
   * A pipeline of main as GitLab keeps it: its status, the jobs that ran and the live snapshots they exported, so
   * that `check` on the next merge request reads them (jobs artifacts API; a manual job not run is not in it).
   */
  const keep = (run: PipelineRun): PipelineRun => {
    const jobs = Object.entries(jobResults(run))
      .filter(([name]) => /^flagops-(apply|status)-/.test(name))
      .map(([name, result]) => {
        const file = `.flagops/live/${name.replace(/^flagops-(apply|status)-/, '')}.json`;
        let text: string | undefined;
        try {
          text = artifact(repoDir, name, file);
        } catch {
          text = undefined; // the job exported no snapshot (it stopped before reading live state)
        }
        const status = result === 'FAIL' ? ('failed' as const) : ('success' as const);
        return { name, status, artifacts: text === undefined ? {} : { [file]: text } };
      });
    gitlab.addPipeline(FLAG_PROJECT, {
      ref: 'main',
      sha: main,
      status: run.code === 0 ? 'success' : 'failed',
      jobs,
    });
    return run;
  };

  /** Runs one `flagops …` command line of the README in the checkout (the built bundle, as users run it). */
  const ran: string[] = [];
  const flagops = (line: string): Promise<CliRun> => {
    ran.push(line);
    const args = line.trim().split(/\s+/);
    if (args.shift() !== 'flagops') throw new Error(`not a flagops command: ${line}`);
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        { cwd: repoDir, env: { PATH: process.env.PATH } },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  };

  const mergeRequest = (iid: number) => flagProject.mergeRequests.find((m) => m.iid === iid)!;
  const branchOf = (iid: number): string => `mr-${iid}`;
  /** The last MR pipeline of each open merge request (re-run with `rerun`). */
  const runMr = (iid: number): Promise<PipelineRun> =>
    pipeline('merge_request', { CI_MERGE_REQUEST_IID: String(iid), CI_MERGE_REQUEST_DIFF_BASE_SHA: main });

  return {
    dir: repoDir,
    gitlab,
    instance,
    clock,
    advance: (ms: number): void => void (now += ms),
    /** The code of the flag (group/app MR `iid`, merged as c2) deployed to these GitLab environments. */
    deployCode(iid: number, environments: string[]): void {
      gitlab.addMergeRequest('group/app', {
        iid,
        state: 'merged',
        mergeCommitSha: sha('c2'),
        mergedAt: clock().toISOString(),
      });
      for (const environment of environments)
        gitlab.addDeployment('group/app', { environment, sha: sha('c2'), status: 'success' });
    },
    addChangeIssue(iid: number, title: string): void {
      gitlab.addIssue('ops/changes', { iid, title, state: 'opened', labels: ['change::approved'] });
    },
    addRolloutIssue(iid: number, title: string): void {
      gitlab.addIssue('group/app', { iid, title, state: 'opened' });
    },
    /**
     * Opens merge request `iid`: a branch off main where the README's `commands` edit the files (or `files` are
     * written: null deletes), one commit, then its merge-request pipeline (validate, check --note).
     */
    async open(
      iid: number,
      description: string,
      change: { commands?: string[]; files?: Record<string, string | null> },
    ): Promise<Step> {
      repo.git('checkout', '-q', '-B', branchOf(iid), main);
      const commands: CliRun[] = [];
      for (const line of change.commands ?? []) commands.push(await flagops(line));
      if (change.files) repo.write(change.files);
      repo.git('add', '-A');
      repo.git('commit', '-q', '--allow-empty', '-m', description.split('\n')[0]!);
      gitlab.addMergeRequest(FLAG_PROJECT, {
        iid,
        state: 'opened',
        description,
        sourceBranch: branchOf(iid),
      });
      return { mr: iid, commands, pipeline: await runMr(iid) };
    },
    /** One more commit on merge request `iid`'s branch (the README's `commands`), then its pipeline again. */
    async push(iid: number, message: string, change: { commands?: string[] }): Promise<Step> {
      repo.git('checkout', '-q', branchOf(iid));
      const commands: CliRun[] = [];
      for (const line of change.commands ?? []) commands.push(await flagops(line));
      repo.git('add', '-A');
      repo.git('commit', '-q', '--allow-empty', '-m', message);
      return { mr: iid, commands, pipeline: await runMr(iid) };
    },
    /** A change made by hand on an environment's Features API (an emergency `Feature.enable_percentage_of_actors`). */
    async byHand(env: EnvName, flag: string, form: Record<string, string>): Promise<number> {
      const res = await fetch(`${instance[env].url}/api/v4/features/${flag}`, {
        method: 'POST',
        headers: { 'PRIVATE-TOKEN': TOKENS[env], 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      await res.text();
      return res.status;
    },
    /** The merge request's pipeline again (after time passed, say). */
    rerun: runMr,
    /**
     * Merges `iid` into main (a merge commit, as GitLab does by default) and runs the default-branch pipeline;
     * `production` runs the manual production job (someone presses play).
     */
    async merge(iid: number, options: { production?: boolean } = {}): Promise<PipelineRun> {
      const before = main;
      repo.git('checkout', '-q', 'main');
      repo.git('merge', '-q', '--no-ff', '-m', `Merge branch '${branchOf(iid)}' into 'main'`, branchOf(iid));
      main = repo.git('rev-parse', 'HEAD');
      repo.git('update-ref', 'refs/remotes/origin/main', main);
      const head = repo.git('rev-parse', `${branchOf(iid)}`);
      gitlab.addCommit(FLAG_PROJECT, { sha: head, parents: [before] });
      gitlab.addCommit(FLAG_PROJECT, { sha: main, parents: [before, head], files: filesAt(main) });
      gitlab.setBranch(FLAG_PROJECT, 'main', main);
      const mr = mergeRequest(iid);
      mr.state = 'merged';
      mr.mergeCommitSha = main;
      return keep(
        await pipeline(
          'push',
          { CI_COMMIT_BEFORE_SHA: before },
          options.production ? ['flagops-apply-production'] : undefined,
        ),
      );
    },
    /**
     * The merge request flagops opened through the API (a revert): its branch's files, as the simulator holds them,
     * become branch `mr-<iid>` of the checkout — started from the same commit — so `merge(iid)` merges it.
     */
    takeApiMergeRequest(iid: number): void {
      const mr = mergeRequest(iid);
      const head = mr.sha!;
      const start = gitlab.project(FLAG_PROJECT).commits[head]![0]!;
      repo.git('checkout', '-q', '-B', branchOf(iid), start);
      repo.write(gitlab.project(FLAG_PROJECT).trees![head]!);
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', mr.title);
    },
    /** The merge requests flagops itself opened (reverts of failed verifications). */
    apiMergeRequests: () => gitlab.project(FLAG_PROJECT).mergeRequests.filter((m) => m.sourceBranch.startsWith('flagops/') || m.labels.includes('flagops::revert')),
    /** The pipelines verification started in the end-to-end project, with their variables. */
    e2ePipelines: () => gitlab.project(E2E_PROJECT).pipelines.map((p) => ({ status: p.status, variables: Object.fromEntries((p.variables ?? []).map((v) => [v.key, v.value])) })),
    /** What the next end-to-end pipelines become, one status per read (the last stays). */
    answerE2e: (statuses: Parameters<GitlabSim['answerPipelines']>[1]): void => gitlab.answerPipelines(E2E_PROJECT, statuses),
    /** A scheduled pipeline of main (applies what became ready; pending is listed, not red). */
    schedule: async (options: { production?: boolean } = {}): Promise<PipelineRun> =>
      keep(await pipeline('schedule', {}, options.production ? ['flagops-apply-production'] : undefined)),
    mainSha: (): string => main,
    /** Every `flagops` command line run on a merge request branch so far, in order. */
    ran: (): readonly string[] => ran,
    /** The notes on a merge request of the flag repository, or on an issue of a project of gitlab.example.com. */
    mrNotes: (iid: number): string[] => mergeRequest(iid).notes.map((n) => n.body),
    issueNotes: (project: string, iid: number): string[] =>
      gitlab
        .project(project)
        .issues.find((i) => i.iid === iid)!
        .notes.map((n) => n.body),
    /** The live state of `flag` in every environment, read from the simulators' Features API records. */
    live(flag: string): Record<EnvName, Live> {
      const out = {} as Record<EnvName, Live>;
      for (const env of ENVIRONMENTS) out[env] = liveOf(instance[env], flag);
      return out;
    },
    flagFile: (name: string): string => readFileSync(join(repoDir, 'flags', `${name}.yml`), 'utf8'),
    /** Requests the simulators could not route, and their internal errors. */
    unexpected: () => sims.flatMap((s) => s.unexpected),
    tokens: Object.values(TOKENS),
    async close(): Promise<void> {
      await Promise.all(sims.map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * ci/example.gitlab-ci.yml (dev → staging → production) plus the walk-throughs' two other environments, each one
 * more include of the same apply component: `pre` beside dev, `staging-ref` after staging (as flagops.yml's `after`).
 */
export function storyPipeline(): string {
  const pipeline = parse(examplePipeline()) as {
    include: { component: string; inputs?: Record<string, unknown> }[];
  };
  const dev = pipeline.include.find((i) => i.inputs?.environment === 'dev')!;
  const at = pipeline.include.indexOf(dev);
  const extra = (environment: string, inputs: Record<string, unknown>) => ({
    component: dev.component,
    inputs: { ...dev.inputs, environment, ...inputs },
  });
  pipeline.include.splice(at + 1, 0, extra('pre', { deployment_tier: 'development' }));
  const staging = pipeline.include.findIndex((i) => i.inputs?.environment === 'staging');
  // staging's end-to-end tests after a toggle (flagops.yml `verify:`); production waits for them, staging-ref does not
  pipeline.include[staging]!.inputs = { ...pipeline.include[staging]!.inputs, verify: true };
  const production = pipeline.include.find((i) => i.inputs?.environment === 'production')!;
  production.inputs = { ...production.inputs, needs: ['flagops-verify-staging'] };
  pipeline.include.splice(
    staging + 1,
    0,
    extra('staging-ref', { deployment_tier: 'staging', needs: ['flagops-apply-staging'] }),
  );
  return stringify(pipeline);
}

/** Flipper records → the flag-file state they mean (actor ids named by path, as the flag file names them). */
function liveOf(sim: GitlabSim, flag: string): Live {
  const f = sim.features.find((x) => x.name === flag);
  if (!f) return undefined;
  if (f.boolean || f.percentageOfTime === 100) return true;
  const actors: Record<string, string[]> = {};
  for (const id of f.actors) {
    const [kind, key] = id.split(':') as [string, string];
    const list = `${kind.toLowerCase()}s`;
    const name =
      kind === 'Project'
        ? sim.project(Number(key)).path
        : kind === 'Group'
          ? groupPath(sim, Number(key))
          : id;
    (actors[list] ??= []).push(name);
  }
  for (const list of Object.values(actors)) list.sort();
  const state: Exclude<Live, boolean | undefined> = {};
  if (f.percentageOfActors) state.percentage_of_actors = f.percentageOfActors;
  if (f.percentageOfTime) state.percentage_of_time = f.percentageOfTime;
  if (Object.keys(actors).length > 0) state.actors = actors;
  return Object.keys(state).length === 0 ? false : state;
}

function groupPath(sim: GitlabSim, id: number): string {
  const group = sim.state.groups.find((g) => g.id === id);
  return group ? group.path : `Group:${id}`;
}

/** The log lines of one job of a pipeline run (without gitlab-ci-local's prefix). */
export function job(run: PipelineRun, name: string): string {
  const prefix = new RegExp(`^${name}\\s+`);
  return run.log
    .split('\n')
    .filter((line) => prefix.test(line))
    .map((line) => line.replace(prefix, ''))
    .join('\n');
}

/** PASS/FAIL of each job gitlab-ci-local ran, e.g. { 'flagops-check': 'FAIL' }. */
export function jobResults(run: PipelineRun): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of run.log.matchAll(/^\s*(PASS|FAIL|WARN)\s+(\S+)/gm)) out[m[2]!] = m[1]!;
  return out;
}

/** What the apply jobs of a run left held, as `env: flag [pending|drift-held]` (the ⏸/✗ lines of their logs). */
export function held(run: PipelineRun): string[] {
  const out: string[] = [];
  for (const name of Object.keys(jobResults(run)).filter((n) => n.startsWith('flagops-apply-'))) {
    for (const m of job(run, name).matchAll(/^>\s+[⏸✗] (\S+): .*\[(pending|drift-held)\]$/gm))
      out.push(`${name.slice('flagops-apply-'.length)}: ${m[1]} [${m[2]}]`);
  }
  return out;
}
