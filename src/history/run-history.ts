/**
 * `flagops history [FLAG]` (I/O): for each environment (each instance of a ring), when flagops applied each state of
 * a flag, from which commit and merge request, and by whom. The records are flagops' own — the flag repository's
 * deployments of the environment (the soak gate's source), or without a `gitlab` section the file backend's
 * `applied` list — and git says what each recorded commit gave the flag and which commit changed it.
 */
import path from 'node:path';
import type { AppliedEntry } from '../backends/file/file-backend.js';
import type { EnvironmentConfig, FlagopsConfig } from '../config/types.js';
import { UsageError } from '../errors/errors.js';
import { loadFlagDocuments } from '../flags/load-flags.js';
import type { Git } from '../git/git.js';
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import { own } from '../util/own.js';
import { buildFlagHistory, type Observation } from './build-history.js';
import { attachMergeRequests } from './merge-requests.js';
import { readGitFacts, type GitFacts } from './read-git.js';
import { readLiveStates, type LiveReader } from './read-live.js';
import { readDeployments, readStateFileRecords, recordedInstances, type DeploymentRecord } from './read-records.js';
import { recordEnvironment } from '../config/instances.js';
import type { EnvironmentHistory, FlagHistory, HistoryResult } from './types.js';

export interface HistoryOptions {
  config: FlagopsConfig;
  git: Git;
  /** The environments to list, in promotion order. */
  environments: readonly EnvironmentConfig[];
  /** Only this flag (its name already checked). */
  flag?: string;
  /** The flag repository on GitLab (its deployment records and merge requests), when known. */
  records?: { port: GitlabPort; project: ProjectRef };
  /** With --live: reads each instance's backend once. */
  live?: LiveReader;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

interface Source {
  env: EnvironmentConfig;
  instance?: string;
  deployments?: DeploymentRecord[];
  stateFile?: Record<string, AppliedEntry[]>;
}

export async function runHistory(options: HistoryOptions): Promise<HistoryResult> {
  const { config } = options;
  const findings: Finding[] = [];
  const docs = loadFlagDocuments({ dir: config.dir, flagDirs: config.flagDirs }).filter(
    (d) => d.data && typeof d.data.name === 'string' && (options.flag === undefined || d.data.name === options.flag),
  );
  if (options.flag !== undefined && docs.length === 0) {
    throw new UsageError(`${options.flag}: no flag file defines it`, 'history lists flags that have a file; check the name (`flagops validate` lists them)');
  }
  const sources = await readSources(options, findings);
  // only full commit ids reach git: a record naming `main` or `HEAD~1` is not a record of a commit, so unverified
  const shas = [...new Set(sources.flatMap((s) => s.deployments?.map((d) => d.sha) ?? []))].filter((sha) => SHA.test(sha));
  let facts: GitFacts | undefined;
  let rel: (abs: string) => string = (abs) => abs;
  if (shas.length > 0) {
    const root = await options.git.repoRoot();
    rel = (abs) => path.relative(root, abs).split(path.sep).join('/');
    facts = await readGitFacts(options.git, shas, docs.map((d) => rel(d.abs)));
    if (facts.logFailed) findings.push({ code: 'history/no-log', severity: 'warning', message: `git log: ${facts.logFailed}; the commits that changed each flag are not shown` });
  }
  const flags: FlagHistory[] = docs
    .map((doc) => {
      const name = doc.data!.name as string;
      const defaultEnabled = doc.data!.default_enabled === true;
      const file = rel(doc.abs);
      const environments = sources.map((s): EnvironmentHistory => {
        const observations = s.deployments
          ? s.deployments.map((d) => fromDeployment(d, facts!, file, s.env.name))
          : (own(s.stateFile, name) ?? []).map(fromStateFile);
        return {
          environment: s.env.name,
          ...(s.instance !== undefined ? { instance: s.instance } : {}),
          recorded: Boolean(s.deployments ?? s.stateFile),
          entries: buildFlagHistory(observations),
        };
      });
      return { flag: name, file: doc.file, defaultEnabled, environments };
    })
    .sort((a, b) => (a.flag < b.flag ? -1 : a.flag > b.flag ? 1 : 0));
  for (const s of sources) {
    const unverified = (s.deployments ?? []).filter((d) => !facts!.has(d.sha));
    if (unverified.length === 0) continue;
    findings.push({
      code: 'history/unverified',
      severity: 'warning',
      env: s.env.name,
      message: `${s.env.name}: ${unverified.length} deployment record${unverified.length === 1 ? ' names a commit' : 's name commits'} not in this clone (${[...new Set(unverified.map((d) => d.sha.slice(0, 8)))].slice(0, 5).join(', ')}): what ${unverified.length === 1 ? 'it' : 'they'} applied is not shown`,
      hint: 'fetch full history (variables: { GIT_DEPTH: 0 } in the job, or git fetch --unshallow); a commit no branch holds any more cannot be verified',
    });
  }
  if (options.records) await attachMergeRequests({ ...options.records, flags });
  if (options.live) await readLiveStates({ reader: options.live, environments: options.environments, flags });
  return { flags, findings };
}

async function readSources(options: HistoryOptions, findings: Finding[]): Promise<Source[]> {
  const { config, records } = options;
  const out: Source[] = [];
  for (const env of options.environments) {
    if (records) {
      // each instance of a ring is recorded as its own GitLab environment, `<ring>/<instance>` (apply/applied-record.ts)
      for (const { instance } of recordedInstances(env)) {
        const deployments = await readDeployments({ ...records, env: instance === undefined ? env.name : recordEnvironment(env, instance), findings });
        out.push({ env, ...(instance !== undefined ? { instance } : {}), deployments });
      }
      continue;
    }
    for (const { instance, config: inst } of recordedInstances(env)) {
      const stateFile = config.gitlab ? undefined : readStateFileRecords(inst);
      if (!stateFile) {
        findings.push({
          code: 'history/no-records',
          severity: 'info',
          env: env.name,
          message: `${env.name}${instance !== undefined ? ` (${instance})` : ''}: nothing records when flagops applied it (${config.gitlab ? 'the flag repository is not known' : `no gitlab section, ${inst.backend.type} backend`})`,
          hint: config.gitlab ? 'run in CI (CI_PROJECT_ID), pass --project, or set gitlab.project' : 'add a gitlab section: apply then records each applied commit as a deployment',
        });
      }
      out.push({ env, ...(instance !== undefined ? { instance } : {}), ...(stateFile ? { stateFile } : {}) });
    }
  }
  return out;
}

function fromDeployment(d: DeploymentRecord, facts: GitFacts, file: string, env: string): Observation {
  const record = { source: 'deployment' as const, id: d.id, sha: d.sha, status: d.status, ...(d.user ? { deployer: d.user } : {}) };
  if (!facts.has(d.sha)) return { at: d.at, record, converged: d.status === 'success', state: { kind: 'unverified' } };
  const change = facts.changeAt(d.sha, file, env);
  return { at: d.at, record, converged: d.status === 'success', state: { kind: 'state', state: facts.stateAt(d.sha, file, env) }, ...(change ? { change } : {}) };
}

function fromStateFile(e: AppliedEntry): Observation {
  return { at: e.at, record: { source: 'state-file', status: 'applied' }, converged: true, state: { kind: 'state', state: e.state ?? undefined } };
}
