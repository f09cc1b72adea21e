/**
 * Declarative seeding (`SimSeed`, the JSON the standalone CLI reads) and the builders for instance features,
 * project feature flags and user lists.
 */
import {
  addCommit,
  addDeployment,
  addFreezePeriod,
  addGroup,
  addIssue,
  addMergeRequest,
  addProject,
  addToken,
  addUser,
  requireProject,
  setBranch,
  setTag,
  type Clock,
  type CommitInput,
  type DeploymentInput,
  type FreezePeriodInput,
  type GroupInput,
  type IssueInput,
  type MergeRequestInput,
  type ProjectInput,
  type TokenInput,
  type UserInput,
} from './builders.js';
import { validateFlag, validateUserList } from './feature-flag-model.js';
import { emptyFeature, resolveTargets } from './flipper.js';
import { allocId, findProject } from './model.js';
import type { SimFeature, SimFeatureFlag, SimProject, SimState, SimUserList } from './types.js';

/** Desired state of one instance feature; names are resolved like the API's actor parameters. */
export interface FeatureInput {
  boolean?: boolean;
  /** Raw Flipper ids, e.g. `User:12`. */
  actors?: string[];
  users?: string[];
  projects?: string[];
  groups?: string[];
  namespaces?: string[];
  repositories?: string[];
  featureGroups?: string[];
  percentageOfActors?: number;
  percentageOfTime?: number;
}

export interface UserListInput {
  name: string;
  userXids: string | string[];
  iid?: number;
}

export interface FeatureFlagInput {
  name: string;
  description?: string | null;
  active?: boolean;
  strategies?: {
    name: string;
    parameters?: Record<string, string>;
    /** Environment scopes, e.g. `['production']`. */
    scopes?: string[];
    /** Name of a user list of the same project (for `gitlabUserList`). */
    userList?: string;
  }[];
}

export interface ProjectSeed extends ProjectInput {
  commits?: CommitInput[];
  branches?: Record<string, string>;
  tags?: Record<string, string>;
  mergeRequests?: MergeRequestInput[];
  issues?: IssueInput[];
  deployments?: DeploymentInput[];
  freezePeriods?: FreezePeriodInput[];
  userLists?: UserListInput[];
  featureFlags?: FeatureFlagInput[];
}

export interface SimSeed {
  users?: UserInput[];
  tokens?: (TokenInput & { token: string })[];
  groups?: GroupInput[];
  projects?: ProjectSeed[];
  /** Extra MR ↔ issue links, after every project exists. */
  links?: {
    project: string | number;
    mr: number;
    issueProject?: string | number;
    issue: number;
    kind?: 'related' | 'closes';
  }[];
  features?: Record<string, FeatureInput>;
  /** More names the instance refuses without `force=true`, beyond GitLab's own list (licensed-features.ts). */
  licensedFeatures?: string[];
}

export function setFeature(state: SimState, name: string, input: FeatureInput): SimFeature {
  const feature = emptyFeature(name);
  feature.boolean = input.boolean ?? false;
  const targets = resolveTargets(state, {
    ...(input.users ? { user: input.users.join(',') } : {}),
    ...(input.projects ? { project: input.projects.join(',') } : {}),
    ...(input.groups ? { group: input.groups.join(',') } : {}),
    ...(input.namespaces ? { namespace: input.namespaces.join(',') } : {}),
    ...(input.repositories ? { repository: input.repositories.join(',') } : {}),
  });
  feature.actors = [
    ...new Set([
      ...(input.actors ?? []),
      ...targets.flatMap((t) => (t.kind === 'actor' ? [t.flipperId] : [])),
    ]),
  ];
  feature.groups = [...new Set(input.featureGroups ?? [])];
  feature.percentageOfActors = input.percentageOfActors ?? 0;
  feature.percentageOfTime = input.percentageOfTime ?? 0;
  const index = state.features.findIndex((f) => f.name === name);
  if (index >= 0) state.features[index] = feature;
  else state.features.push(feature);
  return feature;
}

export function addUserList(
  state: SimState,
  project: SimProject,
  input: UserListInput,
  now: Clock,
): SimUserList {
  const at = now().toISOString();
  const list: SimUserList = {
    id: 0,
    iid: input.iid ?? project.userLists.reduce((max, l) => Math.max(max, l.iid), 0) + 1,
    name: input.name,
    userXids: Array.isArray(input.userXids) ? input.userXids.join(',') : input.userXids,
    createdAt: at,
    updatedAt: at,
  };
  const errors = validateUserList(project, list);
  if (errors.length > 0) throw new Error(`invalid user list ${input.name}: ${errors.join('; ')}`);
  list.id = allocId(state, 'userList');
  project.userLists.push(list);
  return list;
}

export function addFeatureFlag(
  state: SimState,
  project: SimProject,
  input: FeatureFlagInput,
  now: Clock,
): SimFeatureFlag {
  const at = now().toISOString();
  const flag: SimFeatureFlag = {
    id: 0,
    iid: project.featureFlags.reduce((max, f) => Math.max(max, f.iid), 0) + 1,
    name: input.name,
    description: input.description ?? null,
    active: input.active ?? true,
    version: 'new_version_flag',
    strategies: (input.strategies ?? []).map((s) => {
      const list =
        s.userList === undefined ? undefined : project.userLists.find((l) => l.name === s.userList);
      if (s.userList !== undefined && !list)
        throw new Error(`unknown user list ${s.userList} in ${project.path}`);
      return {
        id: 0,
        name: s.name,
        parameters: s.parameters ?? {},
        userListId: list ? list.id : null,
        scopes: (s.scopes ?? []).map((environmentScope) => ({ id: 0, environmentScope })),
      };
    }),
    createdAt: at,
    updatedAt: at,
  };
  const errors = validateFlag(project, flag);
  if (errors.length > 0) throw new Error(`invalid feature flag ${input.name}: ${errors.join('; ')}`);
  flag.id = allocId(state, 'featureFlag');
  for (const strategy of flag.strategies) {
    strategy.id = allocId(state, 'strategy');
    for (const scope of strategy.scopes) scope.id = allocId(state, 'scope');
  }
  project.featureFlags.push(flag);
  return flag;
}

/** A project seed for an existing path extends that project (what `POST /-/sim/seed` needs at run time). */
function seedProject(state: SimState, seed: ProjectSeed, now: Clock): void {
  const project = findProject(state, seed.path) ?? addProject(state, seed);
  for (const commit of seed.commits ?? []) addCommit(project, commit);
  for (const [name, sha] of Object.entries(seed.branches ?? {})) setBranch(project, name, sha);
  for (const [name, sha] of Object.entries(seed.tags ?? {})) setTag(project, name, sha);
  for (const mr of seed.mergeRequests ?? []) addMergeRequest(state, project, mr, now);
  for (const issue of seed.issues ?? []) addIssue(state, project, issue, now);
  for (const d of seed.deployments ?? []) addDeployment(state, project, d, now);
  for (const f of seed.freezePeriods ?? []) addFreezePeriod(state, project, f, now);
  for (const l of seed.userLists ?? []) addUserList(state, project, l, now);
  for (const f of seed.featureFlags ?? []) addFeatureFlag(state, project, f, now);
}

/** Applies a seed in dependency order: users, tokens, groups, projects (and their records), links, features. */
export function applySeed(state: SimState, seed: SimSeed, now: Clock): void {
  for (const user of seed.users ?? []) addUser(state, user);
  for (const { token, ...input } of seed.tokens ?? []) addToken(state, token, input);
  for (const group of seed.groups ?? []) addGroup(state, group);
  for (const project of seed.projects ?? []) seedProject(state, project, now);
  for (const link of seed.links ?? []) {
    const project = requireProject(state, link.project);
    const mr = project.mergeRequests.find((m) => m.iid === link.mr);
    if (!mr) throw new Error(`unknown MR !${link.mr} in ${project.path}`);
    mr.links.push({
      ...(link.issueProject === undefined ? {} : { project: link.issueProject }),
      iid: link.issue,
      kind: link.kind ?? 'related',
    });
  }
  for (const [name, feature] of Object.entries(seed.features ?? {})) setFeature(state, name, feature);
  for (const name of seed.licensedFeatures ?? []) if (!state.licensedFeatures.includes(name)) state.licensedFeatures.push(name);
}
