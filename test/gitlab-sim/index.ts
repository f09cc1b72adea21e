/**
 * GitLab simulator: a real HTTP server on 127.0.0.1 speaking the part of REST v4 flagops uses, with GitLab's
 * semantics. `startGitlabSim()` for tests; `cli.ts` for a standalone process.
 */
import type { AddressInfo } from 'node:net';
import * as b from './builders.js';
import { FaultRegistry } from './faults.js';
import { withFeatureCache, type FeatureCache } from './feature-cache.js';
import { featureEntity, type FeatureEntity } from './flipper.js';
import { createState } from './model.js';
import type { Route } from './router.js';
import { deploymentRoutes } from './routes/deployments.js';
import { featureFlagRoutes } from './routes/feature-flags.js';
import { jobArtifactRoutes } from './routes/job-artifacts.js';
import { featureRoutes } from './routes/features.js';
import { instanceRoutes } from './routes/instance.js';
import { mrIssueRoutes } from './routes/mr-issues.js';
import { issueWriteRoutes } from './routes/issues-write.js';
import { issueLinkRoutes } from './routes/issue-links.js';
import { noteRoutes } from './routes/notes.js';
import { repositoryRoutes } from './routes/repository.js';
import { repositoryWriteRoutes } from './routes/repository-write.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { mergeRequestRoutes } from './routes/merge-requests.js';
import { unleashRoutes, unleashInstanceId } from './routes/unleash.js';
import { userListRoutes } from './routes/user-lists.js';
import * as seeds from './seed.js';
import { createSimServer } from './server.js';
import type { RequestLogEntry, SimFeature, SimFeatureFlag, SimProject, SimState, SimUser } from './types.js';

export type * from './types.js';
export type { FaultSpec, RandomFaultOptions, RandomFaultKind, FaultHandle } from './faults.js';
export type { FeatureEntity } from './flipper.js';
export type {
  CommitInput,
  DeploymentInput,
  FreezePeriodInput,
  GroupInput,
  IssueInput,
  MergeRequestInput,
  ProjectInput,
  TokenInput,
  UserInput,
} from './builders.js';
export type { FeatureFlagInput, FeatureInput, ProjectSeed, SimSeed, UserListInput } from './seed.js';
export { FaultRegistry } from './faults.js';

export interface GitlabSimOptions {
  seed?: seeds.SimSeed;
  /** Default true: unrouted requests are recorded in `unexpected` (they always answer 404). */
  strict?: boolean;
  /** Clock for timestamps (notes, deployments, token expiry). Default: the system clock. */
  now?: () => Date;
  /** Fixed port (default: a random free one). */
  port?: number;
  /** Called with every snapshot `GET /-/sim/state` serves (the CLI writes it to its dump file). */
  onSnapshot?: (snapshot: SimSnapshot) => void;
}

type ProjectRef = string | number;

export interface GitlabSim {
  readonly url: string;
  readonly state: SimState;
  readonly requests: RequestLogEntry[];
  readonly unexpected: RequestLogEntry[];
  readonly faults: FaultRegistry;
  /** The raw Flipper records of instance features (live). */
  readonly features: SimFeature[];
  feature(name: string): FeatureEntity | undefined;
  addUser(input: b.UserInput): SimUser;
  addToken(token: string, input: b.TokenInput): void;
  addGroup(input: b.GroupInput): void;
  addProject(input: b.ProjectInput): SimProject;
  project(ref: ProjectRef): SimProject;
  addCommit(project: ProjectRef, input: b.CommitInput): void;
  setBranch(project: ProjectRef, name: string, sha: string): void;
  setTag(project: ProjectRef, name: string, sha: string): void;
  addMergeRequest(project: ProjectRef, input: b.MergeRequestInput): void;
  addIssue(project: ProjectRef, input: b.IssueInput): void;
  /** Links an issue (of any project) to an MR: `related` (default) or `closes`. */
  linkIssueToMr(
    project: ProjectRef,
    mrIid: number,
    issue: { project?: ProjectRef; iid: number; kind?: 'related' | 'closes' },
  ): void;
  addDeployment(project: ProjectRef, input: b.DeploymentInput): void;
  /**
   * What every pipeline created through the API in `project` becomes: one status per read (`GET
   * /projects/:id/pipelines/:id`), the last one staying; e.g. ['running', 'failed'] for an end-to-end run that fails.
   */
  answerPipelines(project: ProjectRef, statuses: readonly import('./types.js').SimPipelineStatus[]): void;
  /** A CI pipeline with jobs and their artifact files (jobs artifacts API). */
  addPipeline(project: ProjectRef, input: b.PipelineInput): void;
  addFreezePeriod(project: ProjectRef, input: b.FreezePeriodInput): void;
  setFeature(name: string, input: seeds.FeatureInput): void;
  /** Makes `POST /features/:name` refuse `name` without `force=true`, as GitLab EE does for licensed features. */
  addLicensedFeature(name: string): void;
  addUserList(project: ProjectRef, input: seeds.UserListInput): void;
  addFeatureFlag(project: ProjectRef, input: seeds.FeatureFlagInput): SimFeatureFlag;
  applySeed(seed: seeds.SimSeed): void;
  /** Response time of every API request (benchmarks): the server's own work is part of it, the rest is waited out. */
  latency(ms: number): void;
  /** The client token (`UNLEASH-INSTANCEID`) of a project's Unleash client API. */
  unleashInstanceId(project: ProjectRef): string;
  /** `GET /features` answers the list from before a write for `ms` after it (another web process's cache). */
  staleFeatureReads(ms: number): void;
  /** The state as JSON data (tokens redacted) with the request log; what `GET /-/sim/state` answers. */
  snapshot(): SimSnapshot;
  close(): Promise<void>;
}

export interface SimSnapshot {
  state: Omit<SimState, 'tokens'> & { tokens: { user: string; scopes: string[]; token: 'redacted' }[] };
  requests: RequestLogEntry[];
  unexpected: RequestLogEntry[];
}

export const SIM_ROUTES: Route[] = [
  ...unleashRoutes,
  ...instanceRoutes,
  ...featureRoutes,
  ...mergeRequestRoutes,
  ...mrIssueRoutes,
  ...issueWriteRoutes,
  ...issueLinkRoutes,
  ...noteRoutes,
  ...deploymentRoutes,
  ...repositoryRoutes,
  ...repositoryWriteRoutes,
  ...pipelineRoutes,
  ...featureFlagRoutes,
  ...userListRoutes,
  ...jobArtifactRoutes,
];

export async function startGitlabSim(options: GitlabSimOptions = {}): Promise<GitlabSim> {
  const state = createState();
  const now = options.now ?? (() => new Date());
  const requests: RequestLogEntry[] = [];
  const unexpected: RequestLogEntry[] = [];
  const faults = new FaultRegistry();
  let latencyMs = 0;
  const featureCache: FeatureCache = { staleMs: 0 };
  let url = '';
  const project = (ref: ProjectRef) => b.requireProject(state, ref);

  const snapshot = (): SimSnapshot => {
    const copy = JSON.parse(JSON.stringify(state)) as SimState;
    const tokens = state.tokens.map((t) => ({
      user: state.users.find((u) => u.id === t.userId)?.username ?? '',
      scopes: [...t.scopes],
      token: 'redacted' as const,
    }));
    return { state: { ...copy, tokens }, requests: [...requests], unexpected: [...unexpected] };
  };

  if (options.seed) seeds.applySeed(state, options.seed, now);
  const server = createSimServer({
    state,
    routes: withFeatureCache(SIM_ROUTES, featureCache, now),
    strict: options.strict ?? true,
    now,
    faults,
    requests,
    unexpected,
    latencyMs: () => latencyMs,
    snapshot: () => {
      const snap = snapshot();
      options.onSnapshot?.(snap);
      return snap;
    },
    seed: (seed) => seeds.applySeed(state, seed as seeds.SimSeed, now),
    baseUrl: () => url,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    state,
    requests,
    unexpected,
    faults,
    get features() {
      return state.features;
    },
    feature: (name) => {
      const f = state.features.find((x) => x.name === name);
      return f ? featureEntity(f) : undefined;
    },
    addUser: (input) => b.addUser(state, input),
    addToken: (token, input) => b.addToken(state, token, input),
    addGroup: (input) => void b.addGroup(state, input),
    addProject: (input) => b.addProject(state, input),
    project,
    addCommit: (ref, input) => b.addCommit(project(ref), input),
    setBranch: (ref, name, sha) => b.setBranch(project(ref), name, sha),
    setTag: (ref, name, sha) => b.setTag(project(ref), name, sha),
    addMergeRequest: (ref, input) => void b.addMergeRequest(state, project(ref), input, now),
    addIssue: (ref, input) => void b.addIssue(state, project(ref), input, now),
    linkIssueToMr: (ref, mrIid, issue) =>
      b.linkIssueToMr(project(ref), mrIid, {
        ...(issue.project === undefined ? {} : { project: issue.project }),
        iid: issue.iid,
        kind: issue.kind ?? 'related',
      }),
    addDeployment: (ref, input) => void b.addDeployment(state, project(ref), input, now),
    addPipeline: (ref, input) => void b.addPipeline(state, project(ref), input),
    answerPipelines: (ref, statuses) => {
      project(ref).pipelineAnswers = [...statuses];
    },
    addFreezePeriod: (ref, input) => b.addFreezePeriod(state, project(ref), input, now),
    setFeature: (name, input) => void seeds.setFeature(state, name, input),
    addLicensedFeature: (name) => seeds.applySeed(state, { licensedFeatures: [name] }, now),
    addUserList: (ref, input) => void seeds.addUserList(state, project(ref), input, now),
    addFeatureFlag: (ref, input) => seeds.addFeatureFlag(state, project(ref), input, now),
    applySeed: (seed) => seeds.applySeed(state, seed, now),
    latency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    unleashInstanceId: (ref) => unleashInstanceId(project(ref)),
    staleFeatureReads: (ms) => {
      featureCache.staleMs = Math.max(0, ms);
      if (ms <= 0) delete featureCache.window;
    },
    snapshot,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
