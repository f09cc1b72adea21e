/**
 * Running the CI templates end to end under gitlab-ci-local (pinned 4.73.0: later versions need Node 22) in a temp
 * flag repository: the components of templates/ are served from gitlab-ci-local's include cache, so
 * `include: component` / `include: project` resolve offline, exactly as a consumer writes them.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { gitRepo } from '../helpers/git-repo.js';
import { BIN } from '../helpers/run-cli.js';
import { EXAMPLE_PIPELINE, ROOT, TEMPLATES_DIR } from './templates.js';

export const GITLAB_CI_LOCAL = join(ROOT, 'node_modules', 'gitlab-ci-local', 'dist', 'index.js');
/** The flag repository's remote: gitlab-ci-local derives CI_SERVER_FQDN and its include cache path from it. */
export const REMOTE_HOST = 'gitlab.example.com';
/** Where ci/example.gitlab-ci.yml says the flagops project lives. */
export const FLAGOPS_PROJECT = 'tools/flagops';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const STATE_DIR = '.gitlab-ci-local';

export type PipelineKind = 'merge_request' | 'push' | 'schedule';

export interface PipelineRun {
  code: number;
  stdout: string;
  /** gitlab-ci-local's output: every job's log lines, prefixed with the job name, then PASS/FAIL per job. */
  log: string;
}

/** The two folders a pipeline test needs below `root`: the flag repository's checkout and gitlab-ci-local's home. */
export function repoFolders(root: string): { repoDir: string; home: string } {
  const repoDir = join(root, 'flags-repo');
  mkdirSync(repoDir);
  return { repoDir, home: join(root, '.home') };
}

/**
 * A flag repository on `main` with its .gitlab-ci.yml, the flagops components in gitlab-ci-local's include cache, and
 * CI/CD variables in `home` (`{ NAME: value }` for every job, `{ NAME: { env: value } }` scoped to an environment).
 */
export function flagRepo(options: {
  dir: string;
  home: string;
  files: Record<string, string>;
  variables: Record<string, string | Record<string, string>>;
}) {
  const repo = gitRepo(options.dir);
  repo.git('config', 'user.name', 'flagops test');
  repo.git('config', 'user.email', 'test@flagops.invalid');
  repo.git('remote', 'add', 'origin', `https://${REMOTE_HOST}/group/flags.git`);
  const cache = join(options.dir, STATE_DIR, 'includes', REMOTE_HOST, FLAGOPS_PROJECT, VERSION, 'templates');
  mkdirSync(cache, { recursive: true });
  for (const name of readdirSync(TEMPLATES_DIR).filter((n) => n.endsWith('.yml'))) copyFileSync(join(TEMPLATES_DIR, name), join(cache, name));
  const global: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.variables))
    global[key] = typeof value === 'string' ? value : { type: 'variable', values: value };
  mkdirSync(join(options.home, STATE_DIR), { recursive: true });
  writeFileSync(join(options.home, STATE_DIR, 'variables.yml'), stringify({ global }));
  const base = repo.commit({ '.gitignore': `${STATE_DIR}/\n`, ...options.files }, 'flag repository');
  repo.git('update-ref', 'refs/remotes/origin/main', base);
  repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  return { ...repo, base };
}

/**
 * ci/example.gitlab-ci.yml as the consumer writes it, each include told to run this checkout's flagops; `inputs`
 * adds or overrides inputs of the include whose environment (or component name) is the key.
 */
export function examplePipeline(inputs: Record<string, Record<string, unknown>> = {}): string {
  const example = parse(readFileSync(EXAMPLE_PIPELINE, 'utf8')) as {
    include: { component: string; inputs?: Record<string, unknown> }[];
  };
  for (const include of example.include) {
    const key =
      (include.inputs?.environment as string | undefined) ??
      include.component.replace(/^.*\/([^/@]+)@.*$/, '$1');
    include.inputs = { ...include.inputs, command: `node ${BIN}`, ...inputs[key] };
  }
  return stringify(example);
}

export type IncludeStyle = 'component' | 'project' | 'local';

/** The same pipeline with its component includes written as include:project or include:local (same inputs). */
export function withIncludeStyle(pipeline: string, style: IncludeStyle): string {
  const config = parse(pipeline) as { include: Record<string, unknown>[] };
  config.include = config.include.map((include) => {
    const m = /^\$CI_SERVER_FQDN\/(.+)\/([^/@]+)@(.+)$/.exec(include.component as string);
    if (!m || style === 'component') return include;
    const file = `templates/${m[2]}.yml`;
    return style === 'project'
      ? { project: m[1], ref: m[3], file, inputs: include.inputs }
      : { local: file, inputs: include.inputs };
  });
  return stringify(config);
}

const PIPELINE_VARIABLES: Record<PipelineKind, string[]> = {
  merge_request: [
    '--variable',
    'CI_PIPELINE_SOURCE=merge_request_event',
    '--unset-variable',
    'CI_COMMIT_BRANCH',
  ],
  push: ['--variable', 'CI_PIPELINE_SOURCE=push'],
  schedule: ['--variable', 'CI_PIPELINE_SOURCE=schedule'],
};

/** Runs the pipeline of the checked-out commit, as GitLab would for `kind`; jobs run in the shell, isolated. */
export function runPipeline(options: {
  dir: string;
  home: string;
  kind: PipelineKind;
  variables?: Record<string, string>;
  manual?: string[];
  extraArgs?: string[];
  /** gitlab-ci-local's own check of the expanded configuration against GitLab's schema (~0.8 s). */
  schemaValidation?: boolean;
  timeoutMs?: number;
}): Promise<PipelineRun> {
  const variables = { CI_PROJECT_ID: '20', ...options.variables };
  const args = [
    GITLAB_CI_LOCAL,
    '--home',
    options.home,
    '--shell-isolation',
    '--force-shell-executor',
    '--no-artifacts-to-source',
    options.schemaValidation ? '--json-schema-validation' : '--no-json-schema-validation',
    '--no-color',
    '--ignore-predefined-vars',
    'CI_PIPELINE_SOURCE,CI_PROJECT_ID,CI_COMMIT_BRANCH',
    ...PIPELINE_VARIABLES[options.kind],
    ...Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`]),
    ...(options.manual ?? []).flatMap((job) => ['--manual', job]),
    ...(options.extraArgs ?? []),
  ];
  // jobs inherit this environment (shell executor): keep it to what a runner has
  const env = {
    PATH: process.env.PATH,
    HOME: options.home,
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
  } as NodeJS.ProcessEnv;
  // GitLab gives every job a fresh checkout. gitlab-ci-local rsyncs the repository into the job folder it kept from
  // the last run, and rsync skips a file whose size and modification second are unchanged: an edit of the same
  // length within the same second (`set … 50` then `set … 25`) would not reach the job. Start from no folder.
  rmSync(join(options.dir, STATE_DIR, 'builds'), { recursive: true, force: true });
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.dir, env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, log: `${stdout}${stderr}` });
      },
    );
  });
}

/** The log lines of one job, without gitlab-ci-local's job-name prefix. */
export function jobLog(run: PipelineRun, job: string): string {
  const prefix = new RegExp(`^${job}\\s+`);
  return run.log
    .split('\n')
    .filter((line) => prefix.test(line))
    .map((line) => line.replace(prefix, ''))
    .join('\n');
}

/** The artifacts a job exported (gitlab-ci-local keeps them in its state folder). */
export function artifact(dir: string, job: string, file: string): string {
  return readFileSync(join(dir, STATE_DIR, 'artifacts', job, file), 'utf8');
}
