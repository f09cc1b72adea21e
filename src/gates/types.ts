/** Shared types of the rollout gates (DESIGN §4). */
import type { EnvironmentConfig } from '../config/types.js';
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import type { ChangeKind, MaybeState } from '../model/state.js';

export type GateName = 'promotion' | 'soak' | 'step' | 'deployed' | 'change-request' | 'freeze' | 'production-check';

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

/**
 * What one recorded apply left a flag at in an environment (soak): the state the flag file gave it at the applied
 * commit (deployment records) or the state written (the file backend's own record).
 */
export type RecordedState =
  | { kind: 'state'; state: MaybeState; defaultEnabled: boolean }
  /** The flag file did not exist or had no `environments` there: flagops did not manage the flag. */
  | { kind: 'unmanaged' }
  /** The applied commit is not in this clone (shallow), so its flag file cannot be read. */
  | { kind: 'unreadable'; sha: string };

/** One apply recorded for an environment, as it concerns one flag. */
export interface AppliedVersion {
  /** When the environment converged (finished); for an apply that did not finish, when it was last updated. */
  at: Date;
  /** The apply finished with the environment converged (a `success` deployment; every file-backend write). */
  converged: boolean;
  state: RecordedState;
  /** The applied commit, when the record names one. */
  sha?: string;
}

/** The recorded applies of one instance of an environment (a plain environment is its own one instance). */
export interface InstanceHistory {
  /** The instance's name (the environment's own for a plain environment). */
  instance: string;
  /** Where its applies are recorded: the environment's name, or `<ring>/<instance>` (config/instances.ts). */
  record: string;
  /** Newest first. */
  versions: readonly AppliedVersion[];
}

/**
 * The recorded applies of `env` (an `after` environment) as they concern one flag: one history per instance, in the
 * order flagops.yml lists them. Only records that flagops writes when it applies: deployment records of the flag
 * repository, or the file backend's apply times.
 */
export type AppliedHistoryProvider = (args: { env: string; flag: string; file: string; defaultEnabled: boolean }) => Promise<InstanceHistory[]>;

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
  /** The recorded applies of the `after` environments, for soak (see soak-source.ts). */
  applied?: AppliedHistoryProvider;
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
