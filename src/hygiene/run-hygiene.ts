/**
 * `flagops hygiene` (I/O): every flag file, the day git first added it, and flagops' own records of applying each
 * environment (the soak gate's source: deployment records of the flag repository, or the file backend's apply
 * times) → the pure judgement of judge.ts. Commit dates only ever date a flag's birth, never its exposure.
 */
import type { FlagopsConfig } from '../config/types.js';
import { recordEnvironment } from '../config/instances.js';
import { createSoakSource } from '../gates/soak-source.js';
import type { AppliedHistoryProvider, AppliedVersion } from '../gates/types.js';
import { GitError, type Git } from '../git/git.js';
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';
import { loadFlagDocuments } from '../flags/load-flags.js';
import type { Finding } from '../model/finding.js';
import type { MaybeState } from '../model/state.js';
import { judgeFlag, type FlagFacts } from './judge.js';
import { hygieneSettings, type HygieneSettings } from './settings.js';
import path from 'node:path';

const DAY = 86_400_000;

export interface HygieneOptions {
  config: FlagopsConfig;
  git: Git;
  now: Date;
  /** The flag repository on GitLab (its deployment records), when known. */
  records?: { port: GitlabPort; project: ProjectRef };
  /** Read the records at least this far back (the dashboard's window), so a caller can reuse `source`. */
  minLookbackMs?: number;
}

export interface HygieneResult {
  settings: HygieneSettings;
  flags: FlagFacts[];
  /** Hygiene findings (warnings) and notes on what could not be judged (info). */
  findings: Finding[];
  /** The records reader it used (per record, read once), back to the longest threshold or `minLookbackMs`. */
  source: AppliedHistoryProvider | undefined;
}

export async function runHygiene(options: HygieneOptions): Promise<HygieneResult> {
  const { config, now } = options;
  const settings = hygieneSettings(config);
  const notes: Finding[] = [];
  const docs = loadFlagDocuments({ dir: config.dir, flagDirs: config.flagDirs }).filter((d) => d.data && typeof d.data.name === 'string');
  const added = await addedDates(options.git, config, docs.map((d) => d.abs), notes);
  // the environments whose applies something records; the others can never prove "on/off for N days"
  const recorded = config.environments.filter((e) => options.records || (!config.gitlab && e.instances.every((i) => i.backend.type === 'file')));
  for (const e of config.environments.filter((x) => !recorded.includes(x))) {
    const unrecorded = e.instances.find((i) => i.backend.type !== 'file')!;
    notes.push({
      code: 'hygiene/no-records',
      severity: 'info',
      env: e.name,
      message: `${e.name}: nothing records when flagops applied it (${config.gitlab ? 'the flag repository is not known' : `no gitlab section, ${e.ring ? `instance ${unrecorded.name}: ` : ''}${unrecorded.backend.type} backend`}), so no flag is reported fully on or off everywhere`,
      hint: config.gitlab ? 'run in CI (CI_PROJECT_ID), pass --project, or set gitlab.project' : 'add a gitlab section: apply then records each applied commit as a deployment',
    });
  }
  const longest = Math.max(settings.fullyOnDays * DAY, settings.offDays * DAY, options.minLookbackMs ?? 0);
  const source = createSoakSource({
    config,
    // the soak gate's reader, asked for every recorded environment's own records back to the longest threshold
    envs: recorded.map((e) => ({ ...e, after: e.name, soakMs: longest })),
    git: options.git,
    now,
    ...(options.records ? { records: options.records } : {}),
    files: docs.map((d) => d.file),
  });
  const flags: FlagFacts[] = [];
  const findings: Finding[] = [];
  const targets = config.environments.flatMap((e) => e.instances.map((i) => ({ env: e.name, record: recordEnvironment(e, i.name) })));
  for (const doc of docs) {
    const data = doc.data!;
    const defaultEnabled = data.default_enabled === true;
    const managed = typeof data.environments === 'object' && data.environments !== null && !Array.isArray(data.environments);
    const records: Record<string, readonly AppliedVersion[] | undefined> = Object.create(null);
    if (managed && source) {
      for (const e of recorded) {
        // per instance of a ring: each has its own records, and "everywhere" means every instance
        for (const { record, versions } of await source({ env: e.name, flag: data.name as string, file: doc.file, defaultEnabled })) {
          // deployment records list every apply of the environment: none means it was never applied (live unknown);
          // the file backend is the live state itself, so no entry for the flag there means it never had one
          records[record] = versions.length === 0 && options.records ? undefined : versions;
        }
      }
    }
    const facts: FlagFacts = {
      flag: data.name as string,
      file: doc.file,
      defaultEnabled,
      records,
      ...str('type', data.type),
      ...str('milestone', data.milestone),
      ...str('intendedToRolloutBy', data.intended_to_rollout_by),
      ...str('rolloutIssueUrl', data.rollout_issue_url),
      ...str('introducedByUrl', data.introduced_by_url),
      ...(added.has(doc.abs) ? { addedAt: added.get(doc.abs)! } : {}),
      ...(managed ? { environments: data.environments as Record<string, MaybeState> } : {}),
    };
    flags.push(facts);
    findings.push(...judgeFlag(facts, settings, targets, now));
  }
  return { settings, flags, findings: [...findings, ...notes], source };
}

function str<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as Record<K, string>) : {};
}

/** abs path → when a commit first added it; outside a git repository, none (with a note). */
async function addedDates(git: Git, config: FlagopsConfig, files: string[], notes: Finding[]): Promise<Map<string, Date>> {
  try {
    const root = await git.repoRoot();
    const byRel = await git.addedDates(files);
    const out = new Map<string, Date>();
    for (const abs of files) {
      const at = byRel.get(path.relative(root, abs).split(path.sep).join('/'));
      if (at) out.set(abs, at);
    }
    return out;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    notes.push({ code: 'hygiene/no-git', severity: 'info', file: path.relative(config.dir, config.file), message: `git: ${error.message}; lifespans count from milestones only` });
    return new Map();
  }
}
