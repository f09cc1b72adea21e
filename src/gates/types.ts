/** Shared types of the rollout gates (DESIGN §4). */
import type { EnvironmentConfig } from '../config/types.js';
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import type { ChangeKind, MaybeState } from '../model/state.js';

export type GateName = 'promotion' | 'soak' | 'step' | 'deployed' | 'change-request' | 'freeze';

/** One flag's change in one environment, from the files (base revision → working tree). */
export interface FlagChange {
  flag: string;
  /** The flag file, relative to the config file's folder (as reported in findings). */
  file: string;
  env: string;
  before: MaybeState;
  after: MaybeState;
  defaultEnabled: boolean;
  kind: ChangeKind;
  /** Position of `environments.<env>` in the file (1-based); of the file's top when the entry is absent. */
  line?: number;
  column?: number;
  introducedByUrl?: string;
  /** The whole file's desired state per environment (working tree), for promotion and soak. */
  desiredByEnv: Record<string, MaybeState>;
  /**
   * Outside a merge request (default-branch apply): the flag repository's commit that last changed this
   * flag's file, to find the merge request that brought the change (change-request gate).
   * The caller takes it from `git.fileHistory({ path, ref: 'HEAD' })[0].sha`.
   */
  commitSha?: string;
}

export interface MrRef {
  project: ProjectRef;
  iid: number;
}

/** One version of a flag file on the target branch. */
export interface FlagRevision {
  sha: string;
  committedAt: Date;
  /** The file's `environments` then; undefined when the file did not exist, had none, or could not be read. */
  environments: Record<string, MaybeState> | undefined;
  defaultEnabled: boolean;
}

export interface FlagHistory {
  /** Newest first. */
  revisions: FlagRevision[];
  /** The clone is shallow: revisions older than the oldest one listed may be missing. */
  shallow: boolean;
}

/** Reads a flag file's history on the target branch (see soak-history.ts for the git implementation). */
export type FlagHistoryProvider = (args: { flag: string; file: string }) => Promise<FlagHistory>;

/** Per-run cache of promises by key: several flags and environments share one GitLab lookup. */
export type Memo = <T>(key: string, compute: () => Promise<T>) => Promise<T>;

export interface GateContext {
  now: Date;
  /** The environment being checked. */
  env: EnvironmentConfig;
  /** Every configured environment, in promotion order. */
  environments: EnvironmentConfig[];
  /** The GitLab holding merge requests, deployments and issues (the `gitlab` section). */
  port?: GitlabPort;
  /** The flag repository (CI_PROJECT_ID / --project). */
  flagProject?: ProjectRef;
  /** The flag repository's merge request under check (CI_MERGE_REQUEST_IID / --mr). */
  mr?: MrRef;
  /** History of flag files on the target branch, for soak. */
  history?: FlagHistoryProvider;
  memo?: Memo;
}

export type Gate = (change: FlagChange, ctx: GateContext) => Finding[] | Promise<Finding[]>;

export interface GateStatus {
  gate: GateName;
  status: 'pass' | 'fail' | 'skip';
  message?: string;
}

/** The gates of one (flag, environment), for the MR note table. */
export interface GateSummary {
  flag: string;
  env: string;
  file: string;
  kind: ChangeKind;
  before: MaybeState;
  after: MaybeState;
  defaultEnabled: boolean;
  gates: GateStatus[];
}
