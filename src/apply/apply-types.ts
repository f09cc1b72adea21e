/** The options and results of `runApply` (run-apply.ts), and the context one instance's run is given. */
import type { LiveState } from '../backends/types.js';
import type { InstanceTarget } from '../config/instances.js';
import type { FlagopsConfig } from '../config/types.js';
import type { createMemo } from '../gates/common.js';
import type { Git } from '../git/git.js';
import type { Finding } from '../model/finding.js';
import type { EnvPlan, Plan } from '../plan/build-plan.js';
import type { DesiredSet } from '../plan/desired.js';
import type { FlagResult } from './execute.js';
import type { GitlabTarget } from './gitlab-target.js';
import type { HeadCommit } from './head-commit.js';
import type { SoakSourceOf } from './instance-gates.js';
import type { OpenedInstance } from './open-instance.js';
import type { RingStatus, Serially } from './ring-status.js';

export type RunMode = 'plan' | 'apply' | 'status';

export interface RunApplyOptions {
  mode: RunMode;
  config: FlagopsConfig;
  envs?: string[];
  /** `--instance`: only these instances of the one environment `envs` names (checked before any request). */
  instances?: string[];
  /** Instances of a ring run at once (default 4); each also runs `concurrency` flags at once. */
  instanceConcurrency?: number;
  base?: string;
  vars: Record<string, string | undefined>;
  now: Date;
  dryRun?: boolean;
  /** A saved plan (`apply --plan FILE`): applied only if live state still matches it. */
  savedPlan?: Plan;
  gitlab: GitlabTarget;
  concurrency?: number;
  client?: { maxTotalMs?: number };
  /** Post or update the notes on the MR, the rollout issue and the change issue (default true with a gitlab section). */
  announce?: boolean;
  /** Record the applied commit as a deployment of the environment in the flag repository. */
  record?: boolean;
  /** Per instance (`env` is its label: the environment's name, or `<ring>/<instance>`). */
  onEnvironment?: (event: { env: string; phase: 'start' | 'end'; result?: EnvResult }) => void;
  /** Called once the flag files are validated. */
  onValidated?: (summary: { files: number; findings: Finding[] }) => void;
  /** Called after each flag is applied (progress on long runs). */
  onFlag?: (env: string, result: FlagResult, total: number) => void;
  /** The environment's live state, as read once before planning, in the files' terms (Backend.align); published as the live snapshot. */
  onLive?: (env: string, live: LiveState) => void;
}

/** One instance's run: a plain environment's, or one instance of a ring. */
export interface EnvResult {
  plan: EnvPlan;
  results: FlagResult[];
  recorded?: string;
  /** `<ring>/<instance>`, or the environment's name. */
  label: string;
  /** The instance could not be read or written (a remote failure after retries): why. Its flags are not planned. */
  failed?: string;
}

export interface RunApplyResult {
  plan: Plan;
  environments: EnvResult[];
  findings: Finding[];
  /** An environment's backend or GitLab failed after retries. */
  remoteFailure: boolean;
  /** Per ring, each instance converged or not (ring-status.ts); plain environments are not listed. */
  rings: RingStatus[];
}

/** What every instance of one run shares: the options, the files as validated, git, and the run-wide memos. */
export interface SharedRun extends RunApplyOptions {
  current: DesiredSet;
  git: Git;
  head: HeadCommit;
  /** Uncommitted edits to flag files or flagops.yml, looked up once on first use. */
  dirty: () => Promise<string[] | undefined>;
  memo: ReturnType<typeof createMemo>;
  /** The instances of a ring run at once; their announcements (read, merge, write one note) one after the other. */
  announcing: Serially;
}

/** One instance's run. */
export interface InstanceRun extends SharedRun {
  env: InstanceTarget;
  opened: OpenedInstance;
  /** This instance's findings (tagged with the instance afterwards, for a ring). */
  findings: Finding[];
  soakSource: SoakSourceOf;
}
