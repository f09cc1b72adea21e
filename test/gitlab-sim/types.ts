/**
 * The GitLab simulator's data model. Everything is plain JSON data (arrays, objects, strings, numbers) so the
 * whole state can be dumped, diffed and asserted on. Ids follow GitLab: users, namespaces (groups and user
 * namespaces share one id space) and projects each have their own sequence.
 */

export type TokenScope = 'api' | 'read_api' | (string & {});

export interface SimUser {
  id: number;
  username: string;
  name: string;
  admin: boolean;
  /** Id of the user's personal namespace (`Namespaces::UserNamespace:<id>` in Flipper). */
  namespaceId: number;
}

export interface SimToken {
  token: string;
  userId: number;
  scopes: TokenScope[];
  revoked?: boolean;
  /** ISO date; the token is refused from that day on. */
  expiresAt?: string;
}

export interface SimGroup {
  id: number;
  /** Full path, e.g. `group/sub`. */
  path: string;
  name: string;
  parentId: number | null;
}

export interface SimNote {
  id: number;
  body: string;
  authorId: number;
  system: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A reference to an issue of any project, resolved when read (projects may be added later). */
export interface IssueLink {
  project?: string | number;
  iid: number;
  kind: 'related' | 'closes';
}

export type MrState = 'opened' | 'closed' | 'merged' | 'locked';

export interface SimMergeRequest {
  id: number;
  iid: number;
  title: string;
  description: string;
  state: MrState;
  sourceBranch: string;
  targetBranch: string;
  authorId: number | null;
  /** Who merged it, when that is not the author. */
  mergedById?: number | null;
  sha: string | null;
  mergeCommitSha: string | null;
  squashCommitSha: string | null;
  squash: boolean;
  commits: string[];
  labels: string[];
  mergedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  links: IssueLink[];
  notes: SimNote[];
}

export interface SimIssue {
  id: number;
  iid: number;
  title: string;
  description: string;
  state: 'opened' | 'closed';
  labels: string[];
  authorId: number | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  notes: SimNote[];
}

/** A two-way relation between two issues (IssueLink: source and target are issue ids, of any projects). */
export interface SimIssueLink {
  id: number;
  sourceId: number;
  targetId: number;
  linkType: 'relates_to' | 'blocks' | 'is_blocked_by';
  createdAt: string;
}

export type DeploymentStatus =
  'created' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'blocked';

export interface SimDeployment {
  id: number;
  iid: number;
  environmentId: number;
  sha: string;
  ref: string;
  tag: boolean;
  status: DeploymentStatus;
  userId: number | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface SimEnvironment {
  id: number;
  name: string;
  slug: string;
  tier: 'production' | 'staging' | 'testing' | 'development' | 'other';
  externalUrl: string | null;
  state: 'available' | 'stopping' | 'stopped';
  createdAt: string;
  updatedAt: string;
}

export interface SimFreezePeriod {
  id: number;
  freezeStart: string;
  freezeEnd: string;
  cronTimezone: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimFlagScope {
  id: number;
  environmentScope: string;
}

export interface SimFlagStrategy {
  id: number;
  name: string;
  parameters: unknown;
  scopes: SimFlagScope[];
  userListId: number | null;
}

export interface SimFeatureFlag {
  id: number;
  iid: number;
  name: string;
  description: string | null;
  active: boolean;
  version: 'new_version_flag';
  strategies: SimFlagStrategy[];
  createdAt: string;
  updatedAt: string;
}

export interface SimUserList {
  id: number;
  iid: number;
  name: string;
  userXids: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimProject {
  id: number;
  /** Full path, e.g. `group/sub/app`. */
  path: string;
  name: string;
  namespaceId: number;
  defaultBranch: string;
  /** Commit graph: sha → parent shas. */
  commits: Record<string, string[]>;
  /** Commit messages by sha (a commit without one reads as `Commit <short sha>`). */
  commitMessages?: Record<string, string>;
  branches: Record<string, string>;
  tags: Record<string, string>;
  mergeRequests: SimMergeRequest[];
  issues: SimIssue[];
  environments: SimEnvironment[];
  deployments: SimDeployment[];
  freezePeriods: SimFreezePeriod[];
  featureFlags: SimFeatureFlag[];
  userLists: SimUserList[];
  /** CI pipelines with their jobs and artifact files (for the jobs artifacts API). */
  pipelines: SimPipeline[];
  /**
   * What each pipeline created through the API goes through, one status per read of it (`sim.answerPipelines`); the
   * last one stays. Default: it stays `created`.
   */
  pipelineAnswers?: SimPipelineStatus[];
  /** Files of commits whose tree the simulator knows (sha → path → content): seeded, or made by the commits API. */
  trees?: Record<string, Record<string, string>>;
  /** The plan limit `project_feature_flags` (default 200; 0: unlimited). */
  featureFlagsLimit?: number;
}

/** `Ci::HasStatus::AVAILABLE_STATUSES` (app/models/concerns/ci/has_status.rb), the ones the simulator plays. */
export type SimPipelineStatus = 'created' | 'pending' | 'running' | 'manual' | 'success' | 'failed' | 'canceled' | 'skipped';

export interface SimPipeline {
  id: number;
  ref: string;
  sha: string;
  status: SimPipelineStatus;
  /** `api` for a pipeline created by `POST /projects/:id/pipeline`; seeded ones have none. */
  source?: string;
  userId?: number | null;
  variables?: { key: string; value: string; variable_type: 'env_var' | 'file' }[];
  /** The statuses still to come, one per read of the pipeline (the test's script: the downstream pipeline's result). */
  script?: SimPipelineStatus[];
  createdAt?: string;
  updatedAt?: string;
  jobs: { id: number; name: string; status: 'success' | 'failed' | 'running' | 'canceled' | 'manual'; artifacts: Record<string, string> }[];
}

/** One instance feature as Flipper stores it (`features` + `feature_gates`). */
export interface SimFeature {
  name: string;
  boolean: boolean;
  /** Flipper ids: `User:12`, `Project:3`, `Group:9`, `Namespaces::UserNamespace:5`, `Repository:@hashed/….git`. */
  actors: string[];
  /** Feature group names. */
  groups: string[];
  percentageOfActors: number;
  percentageOfTime: number;
}

export interface SimCounters {
  user: number;
  namespace: number;
  project: number;
  mergeRequest: number;
  issue: number;
  note: number;
  environment: number;
  deployment: number;
  freezePeriod: number;
  featureFlag: number;
  strategy: number;
  scope: number;
  userList: number;
  pipeline: number;
  job: number;
  issueLink: number;
}

export interface SimState {
  version: string;
  users: SimUser[];
  tokens: SimToken[];
  groups: SimGroup[];
  projects: SimProject[];
  features: SimFeature[];
  /** Links between issues (the issue links API). */
  issueLinks: SimIssueLink[];
  /** Names `POST /features/:name` refuses without `force=true` (GitLab EE's licensed features; licensed-features.ts). */
  licensedFeatures: string[];
  counters: SimCounters;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  status: number;
  token: 'redacted' | 'none';
  /** Parsed request body (JSON or form), when there was one. */
  body?: unknown;
  /** The fault injected instead of an answer, if any. */
  fault?: 'status' | 'reset' | 'latency';
}
