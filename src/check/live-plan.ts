/**
 * The live plan on the merge request (DESIGN §6): `check` holds no environment token, so it reads the live state
 * that the protected apply and scheduled status jobs published as job artifacts (the newest of the two job names
 * per environment, on the default branch), and plans against it what apply would do now — deletions from
 * managed-ness, removed files and prune included. Without a snapshot it says so; the note then shows the file diff.
 */
import { planFile } from '../backends/file/file-backend.js';
import type { EnvironmentConfig } from '../config/types.js';
import { GitlabError } from '../errors/errors.js';
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import { parseSnapshot, snapshotPath, type LiveSnapshot } from '../model/live-snapshot.js';
import type { MaybeState } from '../model/state.js';
import { planEnvironment } from '../plan/build-plan.js';
import type { BaseState } from '../plan/changes.js';
import type { DesiredSet } from '../plan/desired.js';

export interface LiveOperation {
  flag: string;
  action: 'set' | 'delete';
  live: MaybeState;
  desired: MaybeState;
  /** Why a deletion happens: the file was removed, the flag became managed without this environment, or prune. */
  why?: 'removed file' | 'managed, no state here' | 'prune';
}

export type LiveView =
  | {
      source: 'snapshot';
      readAt: string;
      ageMs: number;
      commit?: string;
      jobUrl?: string;
      operations: LiveOperation[];
      /** Flags this merge request changes whose live state already is the new one: no change live, no gate needed. */
      noChange: string[];
      pending: { flag: string; reasons: string[] }[];
      /** Short digest of the planned operations (plan-digest.ts): the apply report prints the one it applied. */
      digest?: string;
    }
  | { source: 'none'; reason: string };

/** The job names whose artifacts hold an environment's snapshot (the CI template's, `<prefix>-apply-<env>` and `<prefix>-status-<env>`). */
export function snapshotJobs(env: string, prefix: string): string[] {
  return [`${prefix}-apply-${env}`, `${prefix}-status-${env}`];
}

export async function fetchSnapshot(args: { port: GitlabPort; project: ProjectRef; ref: string; env: string; jobPrefix: string }): Promise<LiveSnapshot | { problem: string }> {
  let newest: LiveSnapshot | undefined;
  const problems: string[] = [];
  for (const job of snapshotJobs(args.env, args.jobPrefix)) {
    let body: unknown;
    try {
      body = await args.port.jobArtifactJson(args.project, { ref: args.ref, path: snapshotPath(args.env), job });
    } catch (error) {
      if (error instanceof GitlabError && error.kind === 'auth') throw error; // a rejected token is the user's to fix
      problems.push(`${job}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (body === null) continue;
    const parsed = parseSnapshot(JSON.stringify(body), args.env);
    if (!parsed.ok) {
      problems.push(`${job}: the snapshot is invalid (${parsed.problem})`);
      continue;
    }
    if (!newest || parsed.snapshot.readAt > newest.readAt) newest = parsed.snapshot;
  }
  if (newest) return newest;
  return { problem: problems.length > 0 ? problems.join('; ') : `no live snapshot on ${args.ref} yet (jobs ${snapshotJobs(args.env, args.jobPrefix).join(', ')})` };
}

export function liveView(args: {
  env: EnvironmentConfig;
  snapshot: LiveSnapshot;
  now: Date;
  current: DesiredSet;
  base: BaseState;
  /** Flags this merge request changes in this environment. */
  changed: readonly string[];
  gateFindings: readonly Finding[];
  prune: boolean;
  maxDeletes?: number;
}): LiveView {
  const live = new Map(Object.entries(args.snapshot.flags).map(([name, state]) => [name, { state }]));
  const plan = planEnvironment({
    env: args.env,
    planFlag: (flag, l, desired) => planFile(flag, l?.state, desired),
    current: args.current,
    base: args.base,
    live,
    gateFindings: args.gateFindings,
    prune: args.prune,
    ...(args.maxDeletes !== undefined ? { maxDeletes: args.maxDeletes } : {}),
    checkDrift: false,
  });
  const operations: LiveOperation[] = [];
  const pending: { flag: string; reasons: string[] }[] = [];
  for (const f of plan.flags) {
    if (f.status === 'pending' || f.status === 'drift-held') pending.push({ flag: f.flag, reasons: f.reasons });
    for (const op of f.operations) {
      const action = op.action === 'delete' ? 'delete' : 'set';
      const why =
        action !== 'delete'
          ? undefined
          : args.base.removed.some((r) => r.flag === f.flag) && !args.current.has(f.flag)
            ? 'removed file'
            : args.current.get(f.flag)?.managed
              ? 'managed, no state here'
              : 'prune';
      operations.push({ flag: f.flag, action, live: f.live, desired: f.desired, ...(why ? { why } : {}) });
    }
  }
  const planned = new Map(plan.flags.map((f) => [f.flag, f]));
  const noChange = args.changed.filter((name) => {
    const f = planned.get(name);
    return f !== undefined && f.status === 'in-sync' && f.operations.length === 0;
  });
  return {
    source: 'snapshot',
    readAt: args.snapshot.readAt,
    ageMs: Math.max(0, args.now.getTime() - Date.parse(args.snapshot.readAt)),
    ...(args.snapshot.commit ? { commit: args.snapshot.commit } : {}),
    ...(args.snapshot.jobUrl ? { jobUrl: args.snapshot.jobUrl } : {}),
    operations,
    noChange,
    pending,
    ...(plan.digest ? { digest: plan.digest } : {}),
  };
}
