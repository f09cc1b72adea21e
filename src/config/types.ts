import type { FlagopsConfig as ConfigFile } from '../generated/config-file.js';
/** The resolved repository config (flagops.yml after validation and defaults). */
export type DriftPolicy = 'fail' | 'warn' | 'overwrite';
export type Layout = 'flat' | 'gitlab';

export interface FileBackendConfig {
  type: 'file';
  /** Absolute path of the JSON state file. */
  path: string;
  /** The config's folder: the state file must really be inside it (no symbolic link out). */
  root?: string;
}
export interface GitlabFeaturesBackendConfig {
  type: 'gitlab-features';
  url: string;
  token_env: string;
  /** Flags sent with `force=true` (names GitLab EE reserves for licensed features); the one reviewed way to force. */
  force?: string[];
}
export interface GitlabFeatureFlagsBackendConfig {
  type: 'gitlab-feature-flags';
  url: string;
  token_env: string;
  project: string | number;
  environment_scope: string;
}
export type BackendConfig = FileBackendConfig | GitlabFeaturesBackendConfig | GitlabFeatureFlagsBackendConfig;
export type BackendType = BackendConfig['type'];

export interface ChangeManagementConfig {
  project: string;
  required: 'rollout' | 'always' | 'never';
  labels: string[];
}

/** `verify:` of an environment (DESIGN §6, verification after a toggle). */
export interface VerifyConfig {
  /** The downstream project whose pipeline verifies the environment (on the gitlab section's GitLab). */
  project: string | number;
  /** Its branch or tag (default main). */
  ref: string;
  /** The variable holding the token that creates and reads its pipelines (default: gitlab.token_env). */
  tokenEnv?: string;
  /** How long to wait for it, as written and in milliseconds (default 30m). */
  timeout: string;
  timeoutMs: number;
}

/** One instance of an environment: its own backend (URL and token variable) holding the environment's desired state. */
export interface InstanceConfig {
  /** Unique in its environment; the environment's own name for a single-instance environment. */
  name: string;
  backend: BackendConfig;
}

export interface EnvironmentConfig {
  name: string;
  /** Position in promotion order, 0-based. */
  index: number;
  /**
   * The backend of a single-instance environment; absent on a ring, whose instances each have their own: go through
   * `instances` (or `instanceTargets` in ./instances.ts), so no code can converge one instance of a ring by mistake.
   */
  backend?: BackendConfig;
  /**
   * Every instance that holds this environment's desired state: one (named after the environment) unless
   * flagops.yml gives `instances:` (a ring), in which case `ring` is true.
   */
  instances: InstanceConfig[];
  ring: boolean;
  /** The environment this one is promoted from; null for none. */
  after: string | null;
  /** Soak duration as written, and in milliseconds. */
  soak?: string;
  soakMs?: number;
  maxStep?: number;
  deployment?: { environment: string; project?: string };
  changeManagement?: ChangeManagementConfig;
  freeze?: { project: string };
  /** ChatOps' production check (open incidents, changes in progress) of this project. */
  productionCheck?: { project: string };
  /** The feature-flag log project: one closed issue per applied change. */
  log?: { project: string };
  /** Verification after a toggle: the downstream pipeline started after an apply that changed flags here. */
  verify?: VerifyConfig;
  drift: DriftPolicy;
  /**
   * Where a key of this environment's entry is in flagops.yml (`['backend', 'force']`), for hints that say what to
   * edit; computed on first use. Falls back to the nearest enclosing key that exists.
   */
  locate?: (path: readonly (string | number)[]) => { line?: number; column?: number };
}

export interface GitlabConfig {
  /** Undefined when neither `gitlab.url` nor $CI_SERVER_URL is set. */
  url?: string;
  tokenEnv: string;
  /** The flag repository; `gitlab.project` or $CI_PROJECT_ID. */
  project?: string | number;
}

export interface FlagopsConfig {
  /** Absolute path of flagops.yml. */
  file: string;
  /** Its folder: every reported path is relative to it. */
  dir: string;
  /** Absolute flag folders. */
  flagDirs: string[];
  layout: Layout;
  prune: boolean;
  /** With prune: live flags without a file deleted per environment per run at most (default 10). */
  maxDeletes: number;
  gitlab?: GitlabConfig;
  environments: EnvironmentConfig[];
  /** The `hygiene` section as written (defaults are applied by src/hygiene/settings.ts). */
  hygiene?: NonNullable<ConfigFile['hygiene']>;
}
