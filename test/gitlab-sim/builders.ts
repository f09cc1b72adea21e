/**
 * Programmatic builders behind `sim.addUser`, `sim.addProject`, … and the seed file. Each takes the state and a
 * clock; they validate their input and throw plain `Error`s for test-setup mistakes.
 */
import {
  allocId,
  environmentSlug,
  findGroup,
  findProject,
  findUserByUsername,
  guessTier,
  nextIid,
} from './model.js';
import type {
  Clock,
  CommitInput,
  DeploymentInput,
  FreezePeriodInput,
  GroupInput,
  IssueInput,
  MergeRequestInput,
  ProjectInput,
  TokenInput,
  UserInput,
} from './inputs.js';
import type {
  DeploymentStatus,
  IssueLink,
  SimDeployment,
  SimEnvironment,
  SimGroup,
  SimIssue,
  SimMergeRequest,
  SimPipeline,
  SimProject,
  SimState,
  SimToken,
  SimUser,
} from './types.js';

export type * from './inputs.js';

const FINISHED: DeploymentStatus[] = ['success', 'failed', 'canceled', 'skipped'];

export function addUser(state: SimState, input: UserInput): SimUser {
  if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(input.username))
    throw new Error(`invalid username: ${input.username}`);
  if (findUserByUsername(state, input.username)) throw new Error(`user exists: ${input.username}`);
  const user: SimUser = {
    id: allocId(state, 'user', input.id),
    username: input.username,
    name: input.name ?? input.username,
    admin: input.admin ?? false,
    namespaceId: allocId(state, 'namespace', input.namespaceId),
  };
  state.users.push(user);
  return user;
}

export function addToken(state: SimState, token: string, input: TokenInput): void {
  const user = findUserByUsername(state, input.user);
  if (!user) throw new Error(`addToken: unknown user ${input.user}`);
  if (state.tokens.some((t) => t.token === token)) throw new Error('addToken: token already registered');
  const record: SimToken = { token, userId: user.id, scopes: [...input.scopes] };
  if (input.revoked) record.revoked = true;
  if (input.expiresAt) record.expiresAt = input.expiresAt;
  state.tokens.push(record);
}

export function addGroup(state: SimState, input: GroupInput): SimGroup {
  const segments = input.path.split('/');
  if (segments.some((s) => !/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(s)))
    throw new Error(`invalid group path: ${input.path}`);
  const existing = findGroup(state, input.path);
  if (existing) {
    if (input.id !== undefined && input.id !== existing.id)
      throw new Error(`group exists with another id: ${input.path}`);
    return existing;
  }
  const parentPath = segments.slice(0, -1).join('/');
  const parent = parentPath ? addGroup(state, { path: parentPath }) : undefined;
  const name = segments[segments.length - 1] ?? input.path;
  const group: SimGroup = {
    id: allocId(state, 'namespace', input.id),
    path: input.path,
    name: input.name ?? name,
    parentId: parent ? parent.id : null,
  };
  state.groups.push(group);
  return group;
}

export function addProject(state: SimState, input: ProjectInput): SimProject {
  const segments = input.path.split('/');
  if (segments.length < 2) throw new Error(`project path needs a namespace: ${input.path}`);
  if (findProject(state, input.path)) throw new Error(`project exists: ${input.path}`);
  const nsPath = segments.slice(0, -1).join('/');
  const owner = segments.length === 2 ? findUserByUsername(state, nsPath) : undefined;
  const namespaceId = owner ? owner.namespaceId : addGroup(state, { path: nsPath }).id;
  const project: SimProject = {
    id: allocId(state, 'project', input.id),
    path: input.path,
    name: segments[segments.length - 1] ?? input.path,
    namespaceId,
    defaultBranch: input.defaultBranch ?? 'main',
    commits: {},
    branches: {},
    tags: {},
    mergeRequests: [],
    issues: [],
    environments: [],
    deployments: [],
    freezePeriods: [],
    featureFlags: [],
    userLists: [],
    pipelines: [],
  };
  state.projects.push(project);
  return project;
}

export function requireProject(state: SimState, ref: string | number): SimProject {
  const project = findProject(state, ref);
  if (!project) throw new Error(`unknown project: ${ref}`);
  return project;
}

export function addCommit(project: SimProject, input: CommitInput): void {
  if (!/^[0-9a-f]{4,64}$/i.test(input.sha)) throw new Error(`invalid sha: ${input.sha}`);
  project.commits[input.sha] = [...input.parents];
  if (input.files) (project.trees ??= {})[input.sha] = { ...input.files };
  if (input.message !== undefined) (project.commitMessages ??= {})[input.sha] = input.message;
}

export function setBranch(project: SimProject, name: string, sha: string): void {
  project.branches[name] = sha;
}

export function setTag(project: SimProject, name: string, sha: string): void {
  project.tags[name] = sha;
}

function userIdOf(state: SimState, username: string | undefined): number | null {
  if (!username) return null;
  const user = findUserByUsername(state, username);
  if (!user) throw new Error(`unknown user: ${username}`);
  return user.id;
}

export function addMergeRequest(
  state: SimState,
  project: SimProject,
  input: MergeRequestInput,
  now: Clock,
): SimMergeRequest {
  if (project.mergeRequests.some((mr) => mr.iid === input.iid))
    throw new Error(`MR !${input.iid} exists in ${project.path}`);
  const created = input.createdAt ?? now().toISOString();
  const merged = input.state === 'merged';
  const squash = input.squash ?? Boolean(input.squashCommitSha);
  const links: IssueLink[] = [
    ...(input.relatedIssues ?? []).map((r) => ({ ...r, kind: 'related' as const })),
    ...(input.closesIssues ?? []).map((r) => ({ ...r, kind: 'closes' as const })),
  ];
  const commits = input.commits ?? [];
  const mr: SimMergeRequest = {
    id: allocId(state, 'mergeRequest'),
    iid: nextIid(project.mergeRequests, input.iid),
    title: input.title ?? `Merge request ${input.iid}`,
    description: input.description ?? '',
    state: input.state,
    sourceBranch: input.sourceBranch ?? `feature-${input.iid}`,
    targetBranch: input.targetBranch ?? project.defaultBranch,
    authorId: userIdOf(state, input.author),
    ...(merged && input.mergedBy !== undefined ? { mergedById: userIdOf(state, input.mergedBy) } : {}),
    sha: commits[commits.length - 1] ?? null,
    mergeCommitSha: merged ? (input.mergeCommitSha ?? null) : null,
    squashCommitSha: merged ? (input.squashCommitSha ?? null) : null,
    squash,
    commits,
    labels: input.labels ?? [],
    mergedAt: merged ? (input.mergedAt ?? created) : null,
    closedAt: input.state === 'closed' ? created : null,
    createdAt: created,
    updatedAt: input.mergedAt ?? created,
    links,
    notes: [],
  };
  project.mergeRequests.push(mr);
  return mr;
}

export function addIssue(state: SimState, project: SimProject, input: IssueInput, now: Clock): SimIssue {
  if (project.issues.some((i) => i.iid === input.iid))
    throw new Error(`issue #${input.iid} exists in ${project.path}`);
  const created = input.createdAt ?? now().toISOString();
  const state_ = input.state ?? 'opened';
  const issue: SimIssue = {
    id: allocId(state, 'issue'),
    iid: input.iid,
    title: input.title ?? `Issue ${input.iid}`,
    description: input.description ?? '',
    state: state_,
    labels: input.labels ?? [],
    authorId: userIdOf(state, input.author),
    closedAt: state_ === 'closed' ? created : null,
    createdAt: created,
    updatedAt: created,
    notes: [],
  };
  project.issues.push(issue);
  return issue;
}

export function linkIssueToMr(project: SimProject, mrIid: number, link: IssueLink): void {
  const mr = project.mergeRequests.find((m) => m.iid === mrIid);
  if (!mr) throw new Error(`unknown MR !${mrIid} in ${project.path}`);
  mr.links.push({ ...link });
}

export function findOrCreateEnvironment(
  state: SimState,
  project: SimProject,
  name: string,
  now: Clock,
): SimEnvironment {
  const existing = project.environments.find((e) => e.name === name);
  if (existing) return existing;
  const id = allocId(state, 'environment');
  const at = now().toISOString();
  const env: SimEnvironment = {
    id,
    name,
    slug: environmentSlug(name, id),
    tier: guessTier(name),
    externalUrl: null,
    state: 'available',
    createdAt: at,
    updatedAt: at,
  };
  project.environments.push(env);
  return env;
}

export function addDeployment(
  state: SimState,
  project: SimProject,
  input: DeploymentInput,
  now: Clock,
): SimDeployment {
  const env = findOrCreateEnvironment(state, project, input.environment, now);
  const created = input.createdAt ?? now().toISOString();
  const finished =
    input.finishedAt !== undefined ? input.finishedAt : FINISHED.includes(input.status) ? created : null;
  const deployment: SimDeployment = {
    id: allocId(state, 'deployment'),
    iid: nextIid(project.deployments),
    environmentId: env.id,
    sha: input.sha,
    ref: input.ref ?? project.defaultBranch,
    tag: input.tag ?? false,
    status: input.status,
    userId: userIdOf(state, input.user),
    createdAt: created,
    updatedAt: finished ?? created,
    finishedAt: finished,
  };
  project.deployments.push(deployment);
  return deployment;
}

export function addFreezePeriod(
  state: SimState,
  project: SimProject,
  input: FreezePeriodInput,
  now: Clock,
): void {
  const at = now().toISOString();
  project.freezePeriods.push({
    id: allocId(state, 'freezePeriod'),
    freezeStart: input.freezeStart,
    freezeEnd: input.freezeEnd,
    cronTimezone: input.cronTimezone ?? 'UTC',
    createdAt: at,
    updatedAt: at,
  });
}

export interface PipelineInput {
  ref: string;
  sha?: string;
  status?: SimPipeline['status'];
  jobs: { name: string; status?: SimPipeline['jobs'][number]['status']; artifacts?: Record<string, string> }[];
}

/** A finished pipeline of the project, newest last (ids grow as GitLab's do). */
export function addPipeline(state: SimState, project: SimProject, input: PipelineInput): SimPipeline {
  const pipeline: SimPipeline = {
    id: allocId(state, 'pipeline'),
    ref: input.ref,
    sha: input.sha ?? project.branches[input.ref] ?? '0'.repeat(40),
    status: input.status ?? 'success',
    jobs: input.jobs.map((j) => ({ id: allocId(state, 'job'), name: j.name, status: j.status ?? 'success', artifacts: { ...(j.artifacts ?? {}) } })),
  };
  project.pipelines.push(pipeline);
  return pipeline;
}
