/**
 * `flagops report` (I/O): gathers what the dashboard shows and hands it to the pure build-model.ts.
 * - the flag files, and their git history (one first-parent `git log` of HEAD, one `git cat-file --batch` for the texts);
 * - flagops' own apply records, as the soak gate reads them (soak-source.ts: the flag repository's deployments, or
 *   the file backend's `applied` times), back to the window's start;
 * - live state: every backend read now with `live: true` (environment tokens needed); otherwise file backends are
 *   read (they are local) and other environments from the snapshots the apply and status jobs publish
 *   (`.flagops/live/<env>.json`, validated; an invalid one is an info finding and is not used);
 * - the hygiene findings (run-hygiene.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { instanceTargets } from '../config/instances.js';
import { ringVersions } from './ring-versions.js';
import { createBackend } from '../backends/create-backend.js';
import { isReservedLicensedFeatureName } from '../backends/gitlab-features/licensed-names.js';
import type { EnvironmentConfig, FlagopsConfig } from '../config/types.js';
import { loadFlagDocuments, type FlagDocument } from '../flags/load-flags.js';
import { readRevision } from '../gates/recorded-state.js';
import type { AppliedVersion } from '../gates/types.js';
import { GitError, type Git } from '../git/git.js';
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';
import { runHygiene } from '../hygiene/run-hygiene.js';
import type { Finding } from '../model/finding.js';
import { parseSnapshot, snapshotPath } from '../model/live-snapshot.js';
import type { FlagState } from '../model/state.js';
import { buildModel, type EnvInput, type FileRevision, type FlagInput, type LiveInput } from './build-model.js';
import type { DashboardModel } from './model.js';

const DAY = 86_400_000;
const MAX_REVISION_BYTES = 256 * 1024;

export interface CollectOptions {
  config: FlagopsConfig;
  git: Git;
  now: Date;
  /** The timelines' window, in days back from now. */
  days: number;
  /** Read every backend now (needs the environments' tokens). */
  live: boolean;
  vars: Record<string, string | undefined>;
  /** Where the published live snapshots are (`.flagops/live/<env>.json` below it). */
  snapshotDir: string;
  /** The flag repository on GitLab (its deployment records), when known. */
  records?: { port: GitlabPort; project: ProjectRef };
  client?: { maxTotalMs?: number };
}

export async function collectDashboard(options: CollectOptions): Promise<DashboardModel> {
  const { config, now } = options;
  const since = new Date(now.getTime() - options.days * DAY);
  // hygiene reads the records back at least over the window, and its reader (each record read once) serves the timelines
  const hygiene = await runHygiene({ config, git: options.git, now, minLookbackMs: options.days * DAY, ...(options.records ? { records: options.records } : {}) });
  const notes: Finding[] = [];
  const docs = loadFlagDocuments({ dir: config.dir, flagDirs: config.flagDirs }).filter((d) => d.data && typeof d.data.name === 'string');
  const recordKind = (e: EnvironmentConfig): EnvInput['records'] =>
    options.records ? 'deployments' : !config.gitlab && e.instances.every((i) => i.backend.type === 'file') ? 'file' : 'none';
  const recorded = config.environments.filter((e) => recordKind(e) !== 'none');
  const source = hygiene.source;
  const histories = await fileHistories(options.git, docs, since, notes);
  const flags: FlagInput[] = [];
  for (const doc of docs) {
    const data = doc.data!;
    const name = data.name as string;
    const current = readRevision(data);
    const records: Record<string, readonly AppliedVersion[] | undefined> = Object.create(null);
    for (const e of recorded) {
      const versions = source ? ringVersions(await source({ env: e.name, flag: name, file: doc.file, defaultEnabled: current.defaultEnabled })) : [];
      // deployment records list every apply of the environment: none means it was never applied
      records[e.name] = versions.length === 0 && options.records ? undefined : versions;
    }
    flags.push({
      name,
      file: doc.file,
      ...(typeof data.group === 'string' && data.group ? { group: data.group } : {}),
      ...(typeof data.type === 'string' && data.type ? { type: data.type } : {}),
      defaultEnabled: current.defaultEnabled,
      ...(current.environments ? { environments: current.environments } : {}),
      records,
      history: histories.get(doc.abs) ?? [],
    });
  }
  const envs: EnvInput[] = [];
  for (const e of config.environments) {
    const live = await readLive(e, options, notes);
    envs.push({ config: e, records: recordKind(e), ...(live ? { live } : {}) });
  }
  let commit: string | undefined;
  try {
    commit = await options.git.revParse('HEAD');
  } catch {
    commit = undefined;
  }
  return buildModel({ now, since, ...(commit ? { commit } : {}), envs, flags, findings: [...hygiene.findings, ...notes], isLicensed: isReservedLicensedFeatureName });
}

async function readLive(env: EnvironmentConfig, options: CollectOptions, notes: Finding[]): Promise<LiveInput | undefined> {
  const allFiles = env.instances.every((i) => i.backend.type === 'file');
  if (options.live || allFiles) {
    const instances: LiveInput['instances'] = [];
    for (const target of instanceTargets(env)) {
      const instance = { name: target.instance };
      const { backend } = createBackend({ env: target, vars: options.vars, ...(options.client ? { client: options.client } : {}) });
      const state = await backend.read();
      instances.push({ instance: instance.name, flags: new Map([...state].map(([name, f]) => [name, f.state])) });
    }
    return { source: 'backend', readAt: options.now, instances };
  }
  const file = path.join(options.snapshotDir, snapshotPath(env.name));
  if (!existsSync(file)) return undefined;
  const parsed = parseSnapshot(readFileSync(file, 'utf8'), env.name);
  if (!parsed.ok) {
    notes.push({ code: 'report/snapshot-invalid', severity: 'info', env: env.name, file: snapshotPath(env.name), message: `${env.name}: the live snapshot is not used: ${parsed.problem}` });
    return undefined;
  }
  const flags = new Map<string, FlagState>(Object.entries(parsed.snapshot.flags));
  return { source: 'snapshot', readAt: new Date(parsed.snapshot.readAt), instances: [{ instance: env.name, flags }] };
}

/** abs path → the file's revisions (newest first): those in the window and the one before it. */
async function fileHistories(git: Git, docs: readonly FlagDocument[], since: Date, notes: Finding[]): Promise<Map<string, FileRevision[]>> {
  const out = new Map<string, FileRevision[]>();
  try {
    const root = await git.repoRoot();
    // one first-parent log of HEAD: per path, the commits that changed it, newest first (a merge counts once landed)
    const log = new Map<string, { sha: string; committedAt: Date }[]>();
    for (const c of await git.firstParentLog('HEAD')) {
      for (const f of c.files) {
        const list = log.get(f) ?? [];
        list.push({ sha: c.sha, committedAt: new Date(c.committedAt) });
        log.set(f, list);
      }
    }
    const wanted: { abs: string; sha: string; at: Date }[] = [];
    for (const doc of docs) {
      const commits = log.get(path.relative(root, doc.abs).split(path.sep).join('/')) ?? [];
      const inside = commits.filter((c) => c.committedAt >= since);
      const before = commits.find((c) => c.committedAt < since);
      for (const c of before ? [...inside, before] : inside) wanted.push({ abs: doc.abs, sha: c.sha, at: c.committedAt });
    }
    const texts = await git.showFiles(wanted.map((w) => ({ rev: w.sha, path: w.abs })));
    wanted.forEach((w, i) => {
      const rev = readRevision(parseText(texts[i]));
      const list = out.get(w.abs) ?? [];
      list.push({ sha: w.sha, at: w.at, defaultEnabled: rev.defaultEnabled, ...(rev.environments ? { environments: rev.environments } : {}) });
      out.set(w.abs, list);
    });
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    notes.push({ code: 'report/no-git', severity: 'info', message: `git: ${error.message}; the timelines show no file history` });
  }
  return out;
}

function parseText(text: string | undefined): unknown {
  if (text === undefined || text.length > MAX_REVISION_BYTES) return undefined;
  try {
    return yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch {
    return undefined;
  }
}
