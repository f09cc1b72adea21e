/**
 * The soak gate's input (I/O): the recorded applies of each `after` environment, as they concern one flag.
 * - With the flag repository on GitLab: its deployments of that environment (DESIGN §5), every status, newest first,
 *   read once per environment per run; each record's flag file is read with git at the recorded sha.
 * - Without a `gitlab` section: the file backend's own apply times (file-backend.ts, `applied`).
 * Where neither can exist, a configured soak is a configuration error. Commit dates are never used.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readStateFile } from '../backends/file/file-backend.js';
import { instanceTargets, type InstanceTarget } from '../config/instances.js';
import type { EnvironmentConfig, FlagopsConfig } from '../config/types.js';
import { ConfigError, FlagopsError } from '../errors/errors.js';
import type { Git } from '../git/git.js';
import type { Deployment, GitlabPort, ProjectRef } from '../gitlab/port.js';
import { GATE_CONFIGURED } from './configured.js';
import { positionOfPath, type Position } from '../yaml/bounded-parse.js';
import { recordedState } from './recorded-state.js';
import type { AppliedHistoryProvider, AppliedVersion } from './types.js';
import { own } from '../util/own.js';

const PER_PAGE = 100;
/** At most this many pages per environment (a record older than that only makes soak count later). */
const MAX_PAGES = 10;
/** Statuses of a deployment that may have written: `created`, `blocked` and `skipped` never ran. */
const WROTE = new Set(['success', 'running', 'failed', 'canceled']);
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export interface SoakSourceOptions {
  config: FlagopsConfig;
  /** The environments whose gates run now: only their `after` environments are read. */
  envs: readonly EnvironmentConfig[];
  git: Git;
  now: Date;
  /** The flag repository on GitLab, when known (port and project). */
  records?: { port: GitlabPort; project: ProjectRef };
  /** The flag files the gates will ask about (relative to the config's folder): read at every record in one git run. */
  files?: readonly string[];
}

/** Undefined when no environment checked now configures soak. Throws ConfigError where no record can exist. */
export function createSoakSource(options: SoakSourceOptions): AppliedHistoryProvider | undefined {
  const { config, records } = options;
  const soaking = options.envs.filter((e) => GATE_CONFIGURED.soak(e));
  if (soaking.length === 0) return undefined;
  for (const env of soaking) {
    const after = config.environments.find((e) => e.name === env.after);
    if (records || (!config.gitlab && after?.instances.every((i) => i.backend.type === 'file'))) continue;
    const file = path.relative(config.dir, config.file);
    const pos = soakKeyPosition(config, env);
    const where = pos.line !== undefined ? `${file}:${pos.line}:${pos.column ?? 1}: ` : `${file}: `;
    throw new ConfigError(
      `${where}soak of ${env.name} counts from the deployment records of ${env.after} in the flag repository, and flagops does not know the flag repository`,
      { hint: 'run in CI (CI_PROJECT_ID), pass --project, or set gitlab.project in flagops.yml', file, ...pos },
    );
  }
  // the oldest time any soak of these environments looks back to, per after environment
  const cutoffs = new Map<string, number>();
  for (const env of soaking) {
    const cutoff = options.now.getTime() - (env.soakMs ?? 0);
    cutoffs.set(env.after!, Math.min(cutoff, cutoffs.get(env.after!) ?? cutoff));
  }
  type Source = (flag: { file: string; defaultEnabled: boolean; flag: string }) => Promise<AppliedVersion[]>;
  // per record (an environment, or one instance of a ring): read once per run
  const perRecord = new Map<string, Promise<Source>>();
  return async ({ env, flag, file, defaultEnabled }) => {
    const environment = config.environments.find((e) => e.name === env);
    if (!environment) return [];
    return Promise.all(
      instanceTargets(environment).map(async (target) => {
        let source = perRecord.get(target.record);
        if (!source) {
          source = records
            ? deploymentSource({ ...records, env, record: target.record, cutoff: cutoffs.get(env) ?? options.now.getTime(), git: options.git, dir: config.dir, files: options.files ?? [] })
            : fileSource(target);
          perRecord.set(target.record, source);
        }
        return { instance: target.instance, record: target.record, versions: await (await source)({ flag, file, defaultEnabled }) };
      }),
    );
  };
}

/** Where `soak:` of `env` is written (read only to report this error). */
function soakKeyPosition(config: FlagopsConfig, env: EnvironmentConfig): Position {
  try {
    return positionOfPath(readFileSync(config.file, 'utf8'), ['environments', env.index, 'soak']);
  } catch {
    return {};
  }
}

async function fileSource(env: InstanceTarget): Promise<(flag: { flag: string; defaultEnabled: boolean }) => Promise<AppliedVersion[]>> {
  if (env.backend.type !== 'file') throw new ConfigError(`soak: ${env.label} has no file backend to read apply times from`);
  const doc = readStateFile(env.backend.path);
  return async ({ flag, defaultEnabled }) =>
    (own(doc.applied, flag) ?? []).map((e) => ({
      at: new Date(e.at),
      converged: true,
      state: { kind: 'state', state: e.state ?? undefined, defaultEnabled },
    }));
}

async function deploymentSource(args: {
  port: GitlabPort;
  project: ProjectRef;
  /** The environment whose desired state the flag files hold. */
  env: string;
  /** The GitLab environment its applies are recorded under (the environment, or `<ring>/<instance>`). */
  record: string;
  cutoff: number;
  git: Git;
  dir: string;
  files: readonly string[];
}): Promise<(flag: { file: string }) => Promise<AppliedVersion[]>> {
  const { git, env } = args;
  const deployments = (await listUntil({ ...args, env: args.record })).filter((d) => WROTE.has(d.status));
  const shas = [...new Set(deployments.map((d) => d.sha))];
  const known = await Promise.all(shas.map((sha) => inClone(git, sha)));
  const readable = shas.filter((_, i) => known[i]);
  // file → sha → text; the files named up front are read at every readable sha in one git run
  const texts = new Map<string, Promise<Map<string, string | undefined>>>();
  const readAll = (files: readonly string[]): void => {
    const requests = files.flatMap((file) => readable.map((sha) => ({ rev: sha, path: path.resolve(args.dir, file) })));
    const batch = git.showFiles(requests);
    // requests are grouped by file, in `readable` order
    files.forEach((file, k) => {
      texts.set(file, batch.then((contents) => new Map(readable.map((sha, i) => [sha, contents[k * readable.length + i]]))));
    });
  };
  if (args.files.length > 0) readAll([...new Set(args.files)]);
  return async ({ file }) => {
    if (!texts.has(file)) readAll([file]);
    const byShaText = await texts.get(file)!;
    return deployments.map((d): AppliedVersion => ({
      at: new Date(recordTime(d)),
      converged: d.status === 'success',
      sha: d.sha,
      state: readable.includes(d.sha) ? recordedState(byShaText.get(d.sha), env) : { kind: 'unreadable', sha: d.sha },
    }));
  };
}

/** The recorded sha is a commit of this clone (a shallow clone, or a record of a foreign sha, lacks it). */
async function inClone(git: Git, sha: string): Promise<boolean> {
  if (!SHA.test(sha)) return false;
  try {
    await git.revParse(sha);
    return true;
  } catch (error) {
    if (error instanceof FlagopsError) return false;
    throw error;
  }
}

/**
 * When a record finished, as GitLab reports it. The API's Deployment entity has no `finished_at`
 * (lib/api/entities/deployment.rb exposes created_at and updated_at); the model sets finished_at when the status
 * becomes a finished one (app/models/deployment.rb), which for a deployment created through the API is also its
 * last update. So: the job's `finished_at` where there is a job (mappers.ts), else `updated_at`, else `created_at`.
 */
function recordTime(d: Deployment): string {
  return d.finishedAt ?? d.updatedAt ?? d.createdAt;
}

/** Pages newest first until a converged record at or before the cutoff (nothing older can change the answer). */
async function listUntil(args: { port: GitlabPort; project: ProjectRef; env: string; cutoff: number }): Promise<Deployment[]> {
  const out: Deployment[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const items = await args.port.listDeployments(args.project, args.env, { page, perPage: PER_PAGE });
    out.push(...items);
    const reached = items.some((d) => d.status === 'success' && Date.parse(recordTime(d)) <= args.cutoff);
    if (reached || items.length < PER_PAGE) break;
  }
  return out;
}
