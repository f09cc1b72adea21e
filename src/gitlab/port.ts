/**
 * The GitLab port: everything flagops asks of a GitLab instance. The rest of the code depends on this
 * interface only; `createGitlabClient` (client.ts) is the real implementation, talking REST v4.
 * Every method either returns checked data or throws a `GitlabError` (src/errors/errors.ts).
 * Project and group references are numeric ids or full paths (`group/sub/project`).
 */
export type ProjectRef = string | number;

export interface MergeRequest {
  iid: number;
  projectId: number;
  title: string;
  description: string;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  webUrl: string;
  mergeCommitSha: string | null;
  squashCommitSha: string | null;
  /** The commit that landed: squash commit when squashed, else merge commit, else null (not merged). */
  landedSha: string | null;
  mergedAt: string | null;
  /** Label names (the override `flagops::ignore-production-check`). */
  labels: string[];
  /** Who merged it (`merged_by.username`), when known. */
  mergedBy?: string;
  /** Who opened it (`author.username`), when known. */
  author?: string;
  /** The author's user id, when GitLab names one (to trust only flagops' own merge requests). */
  authorId?: number;
  sourceBranch?: string;
}

/** A CI pipeline (`Entities::Ci::Pipeline`): what verification needs of the downstream pipeline. */
export interface Pipeline {
  id: number;
  projectId: number;
  status: string;
  ref: string;
  sha: string;
  webUrl: string;
}

/** One action of `POST /projects/:id/repository/commits` (lib/api/commits.rb). */
export interface CommitAction {
  action: 'create' | 'update' | 'delete';
  filePath: string;
  /** Required for create and update. */
  content?: string;
}

export interface Issue {
  iid: number;
  projectId: number;
  /** Full path of the project holding it, when known. */
  projectPath?: string;
  title: string;
  description: string;
  state: 'opened' | 'closed';
  labels: string[];
  webUrl: string;
  /** The author's user id, when GitLab names one. */
  authorId?: number;
}

/** What `updateIssue` may change; at least one key. */
export interface IssueChange {
  description?: string;
  addLabels?: readonly string[];
}

export interface Note {
  id: number;
  body: string;
  /** GitLab's own notes ("changed the description", ...); absent when unknown. */
  system?: boolean;
  /** Who wrote it, to edit only flagops' own notes; absent when unknown. */
  authorUsername?: string;
  authorId?: number;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  status: string;
  environment: string;
  finishedAt: string | null;
  createdAt: string;
  /** When GitLab last changed the record (for a deployment created through the API: when its status was set). */
  updatedAt?: string | null;
  /** Who created it (`user.username`: the token user of the apply job), when known. */
  user?: string;
}

export interface FreezePeriod {
  id: number;
  freezeStart: string;
  freezeEnd: string;
  cronTimezone: string;
}

/** An instance feature as `GET /features` returns it. */
export interface Feature {
  name: string;
  state: 'on' | 'off' | 'conditional';
  gates: { key: string; value: unknown }[];
}

/** Parameters of `POST /features/:name` (sent as a form; actor values are comma-separated names). */
export interface SetFeatureParams {
  value: boolean | number | string;
  key?: 'percentage_of_actors' | 'percentage_of_time';
  user?: string;
  group?: string;
  project?: string;
  namespace?: string;
  repository?: string;
  feature_group?: string;
  force?: boolean;
}

export interface UserRef {
  id: number;
  username: string;
}
export interface ProjectInfo {
  id: number;
  pathWithNamespace: string;
}
export interface GroupInfo {
  id: number;
  fullPath: string;
}
export interface NamespaceInfo {
  id: number;
  fullPath: string;
  kind: 'user' | 'group';
}

/** Project feature flag strategies, with GitLab's exact camelCase parameter keys. */
export interface FeatureFlagStrategy {
  id?: number;
  name: 'default' | 'gradualRolloutUserId' | 'flexibleRollout' | 'userWithId' | 'gitlabUserList';
  parameters: Record<string, string>;
  scopes: { id?: number; environment_scope: string; _destroy?: boolean }[];
  user_list?: { id: number; name?: string } | null;
  user_list_id?: number;
  _destroy?: boolean;
}
export interface ProjectFeatureFlag {
  name: string;
  description: string | null;
  active: boolean;
  version: string;
  strategies: FeatureFlagStrategy[];
}
export interface UserList {
  id: number;
  iid: number;
  name: string;
  userXids: string;
}

export interface GitlabPort {
  /** The instance's base URL, e.g. `https://gitlab.example.com`. */
  readonly baseUrl: string;

  // Merge requests and issues (the flag repository and the code projects)
  getMergeRequest(project: ProjectRef, iid: number): Promise<MergeRequest>;
  /** Issues linked to the MR as related (`/merge_requests/:iid/related_issues`) or closed by it. */
  listMergeRequestIssues(project: ProjectRef, iid: number): Promise<Issue[]>;
  /** Merge requests that contain a commit (`/repository/commits/:sha/merge_requests`). */
  listCommitMergeRequests(project: ProjectRef, sha: string): Promise<MergeRequest[]>;
  getIssue(project: ProjectRef, iid: number): Promise<Issue>;
  /** Every open issue of the project carrying all of `labels` (`GET /projects/:id/issues?state=opened&labels=`; AND). */
  listOpenIssues(project: ProjectRef, labels: readonly string[]): Promise<Issue[]>;
  /**
   * Every issue (open or closed) of `authorId` with all of `labels` whose title (with `inDescription`, or description)
   * contains `search` (GitLab's `in=title` / `in=title,description`).
   */
  listAuthoredIssues(project: ProjectRef, query: { authorId: number; labels: readonly string[]; search: string; inDescription?: boolean }): Promise<Issue[]>;
  createIssue(project: ProjectRef, input: { title: string; description: string; labels: readonly string[] }): Promise<Issue>;
  /** `PUT /projects/:id/issues/:iid` with `state_event=close`. */
  closeIssue(project: ProjectRef, iid: number): Promise<Issue>;
  /** `PUT /projects/:id/issues/:iid`: a new description, and labels added (never removed: people add their own). */
  updateIssue(project: ProjectRef, iid: number, change: IssueChange): Promise<Issue>;
  /** The issues linked to this one, either way (`GET /projects/:id/issues/:iid/links`). */
  listIssueLinks(project: ProjectRef, iid: number): Promise<Issue[]>;
  /** `POST /projects/:id/issues/:iid/links`: a two-way `relates_to` link to the target issue. */
  linkIssue(project: ProjectRef, iid: number, target: { project: ProjectRef; iid: number }): Promise<void>;

  listNotes(target: NoteTarget): Promise<Note[]>;
  createNote(target: NoteTarget, body: string): Promise<Note>;
  editNote(target: NoteTarget, noteId: number, body: string): Promise<Note>;

  // Deployments and the repository graph
  lastSuccessfulDeployment(project: ProjectRef, environment: string): Promise<Deployment | null>;
  createDeployment(
    project: ProjectRef,
    input: { environment: string; sha: string; ref: string; status: 'success' | 'running' | 'failed' },
  ): Promise<Deployment>;
  /** The newest deployment of the environment whatever its status (an interrupted apply leaves `running`). */
  latestDeployment(project: ProjectRef, environment: string): Promise<Deployment | null>;
  updateDeployment(project: ProjectRef, id: number, status: 'success' | 'failed' | 'canceled'): Promise<Deployment>;
  /** One page of the environment's deployments, every status, newest (highest id) first. */
  listDeployments(project: ProjectRef, environment: string, page: { page: number; perPage: number }): Promise<Deployment[]>;
  /** The merge base of the refs, or null when they share no history. */
  mergeBase(project: ProjectRef, refs: [string, string, ...string[]]): Promise<string | null>;
  listFreezePeriods(project: ProjectRef): Promise<FreezePeriod[]>;
  /**
   * A JSON file of the artifacts of job `job` in the latest successful pipeline of branch `ref`
   * (`/jobs/artifacts/:ref/raw/*path?job=`), parsed; null when GitLab has none (404).
   */
  jobArtifactJson(project: ProjectRef, input: { ref: string; path: string; job: string }): Promise<unknown>;

  // Pipelines, branches, commits and merge requests (verification after a toggle, src/verify)
  /** `POST /projects/:id/pipeline` with `ref` and `variables` (lib/api/ci/pipelines.rb, "Create a new pipeline"). */
  createPipeline(project: ProjectRef, input: { ref: string; variables: readonly { key: string; value: string }[] }): Promise<Pipeline>;
  getPipeline(project: ProjectRef, id: number): Promise<Pipeline>;
  /** `GET /projects/:id/repository/branches/:branch`: its head commit, or null when there is no such branch. */
  getBranch(project: ProjectRef, branch: string): Promise<{ name: string; commitSha: string } | null>;
  /** One commit of `actions` on `branch`, creating it from `startSha` (`POST /projects/:id/repository/commits`). */
  createCommit(project: ProjectRef, input: { branch: string; startSha?: string; message: string; actions: readonly CommitAction[] }): Promise<{ sha: string }>;
  /** Every merge request of the project with these filters (`GET /projects/:id/merge_requests`), never cached. */
  listMergeRequests(project: ProjectRef, query: { state?: 'opened' | 'merged' | 'closed' | 'all'; authorId?: number; sourceBranch?: string; targetBranch?: string }): Promise<MergeRequest[]>;
  createMergeRequest(project: ProjectRef, input: { sourceBranch: string; targetBranch: string; title: string; description: string; labels?: readonly string[] }): Promise<MergeRequest>;

  // Instance features (administrator token)
  listFeatures(): Promise<Feature[]>;
  setFeature(name: string, params: SetFeatureParams): Promise<Feature>;
  deleteFeature(name: string): Promise<void>;

  // Lookups used to translate names ↔ Flipper ids (cached per client)
  /** The user of this client's token (`GET /user`), resolved once per client. */
  currentUser(): Promise<UserRef>;
  getUserByUsername(username: string): Promise<UserRef | null>;
  getUserById(id: number): Promise<UserRef | null>;
  getProject(project: ProjectRef): Promise<ProjectInfo | null>;
  getGroup(group: string | number): Promise<GroupInfo | null>;
  getNamespace(ns: string | number): Promise<NamespaceInfo | null>;

  // Project feature flags (Unleash-compatible)
  listFeatureFlags(project: ProjectRef): Promise<ProjectFeatureFlag[]>;
  createFeatureFlag(project: ProjectRef, flag: Omit<ProjectFeatureFlag, 'version'> & { version?: string }): Promise<ProjectFeatureFlag>;
  updateFeatureFlag(
    project: ProjectRef,
    name: string,
    change: { description?: string; active?: boolean; strategies?: FeatureFlagStrategy[] },
  ): Promise<ProjectFeatureFlag>;
  deleteFeatureFlag(project: ProjectRef, name: string): Promise<void>;
  listUserLists(project: ProjectRef): Promise<UserList[]>;
  createUserList(project: ProjectRef, input: { name: string; userXids: string }): Promise<UserList>;
  updateUserList(project: ProjectRef, iid: number, input: { userXids: string }): Promise<UserList>;

  /** How many HTTP requests this client has sent (for benchmarks and request budgets). */
  requestCount(): number;
}

export type NoteTarget =
  | { kind: 'merge_request'; project: ProjectRef; iid: number }
  | { kind: 'issue'; project: ProjectRef; iid: number };
