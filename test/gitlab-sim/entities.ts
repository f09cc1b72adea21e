/**
 * API entities: the JSON GitLab answers, built from the simulator's records (lib/api/entities/*).
 */
import { commitMessage, namespacePathOf } from './model.js';
import type {
  SimDeployment,
  SimEnvironment,
  SimFreezePeriod,
  SimGroup,
  SimIssue,
  SimMergeRequest,
  SimNote,
  SimProject,
  SimState,
  SimUser,
} from './types.js';

export interface EntityContext {
  state: SimState;
  baseUrl: string;
}

export function userBasic(
  e: EntityContext,
  user: SimUser | undefined | null,
): Record<string, unknown> | null {
  if (!user) return null;
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: 'active',
    locked: false,
    avatar_url: null,
    web_url: `${e.baseUrl}/${user.username}`,
  };
}

export function userById(e: EntityContext, id: number | null): Record<string, unknown> | null {
  return id === null
    ? null
    : userBasic(
        e,
        e.state.users.find((u) => u.id === id),
      );
}

export function currentUser(e: EntityContext, user: SimUser): Record<string, unknown> {
  return { ...userBasic(e, user), is_admin: user.admin, bot: false, created_at: '2020-01-01T00:00:00.000Z' };
}

export function groupEntity(e: EntityContext, group: SimGroup): Record<string, unknown> {
  const fullName = group.path.split('/').join(' / ');
  return {
    id: group.id,
    name: group.name,
    path: group.path.split('/').pop(),
    full_path: group.path,
    full_name: fullName,
    parent_id: group.parentId,
    visibility: 'private',
    web_url: `${e.baseUrl}/groups/${group.path}`,
  };
}

export function namespaceEntity(
  e: EntityContext,
  ns: { id: number; kind: 'group' | 'user'; path: string; name: string; parentId: number | null },
): Record<string, unknown> {
  return {
    id: ns.id,
    name: ns.name,
    path: ns.path.split('/').pop(),
    kind: ns.kind,
    full_path: ns.path,
    parent_id: ns.parentId,
    web_url: ns.kind === 'group' ? `${e.baseUrl}/groups/${ns.path}` : `${e.baseUrl}/${ns.path}`,
  };
}

export function projectEntity(e: EntityContext, project: SimProject): Record<string, unknown> {
  const ns = namespacePathOf(e.state, project);
  return {
    id: project.id,
    name: project.name,
    path: project.name,
    path_with_namespace: project.path,
    name_with_namespace: project.path.split('/').join(' / '),
    description: null,
    default_branch: project.defaultBranch,
    visibility: 'private',
    web_url: `${e.baseUrl}/${project.path}`,
    namespace: namespaceEntity(e, ns),
    created_at: '2020-01-01T00:00:00.000Z',
  };
}

const reference = (project: SimProject, sigil: '#' | '!', iid: number) => ({
  short: `${sigil}${iid}`,
  relative: `${sigil}${iid}`,
  full: `${project.path}${sigil}${iid}`,
});

export function mergeRequestEntity(
  e: EntityContext,
  project: SimProject,
  mr: SimMergeRequest,
): Record<string, unknown> {
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: project.id,
    title: mr.title,
    description: mr.description,
    state: mr.state,
    created_at: mr.createdAt,
    updated_at: mr.updatedAt,
    merged_at: mr.mergedAt,
    closed_at: mr.closedAt,
    // lib/api/entities/merge_request_basic.rb: merged_by is the user who merged (merge_user), not the author
    merged_by: mr.state === 'merged' ? userById(e, mr.mergedById ?? mr.authorId) : null,
    target_branch: mr.targetBranch,
    source_branch: mr.sourceBranch,
    author: userById(e, mr.authorId),
    source_project_id: project.id,
    target_project_id: project.id,
    labels: [...mr.labels],
    draft: false,
    work_in_progress: false,
    merge_status: 'can_be_merged',
    detailed_merge_status: mr.state === 'opened' ? 'mergeable' : 'not_open',
    sha: mr.sha,
    merge_commit_sha: mr.mergeCommitSha,
    squash_commit_sha: mr.squashCommitSha,
    squash: mr.squash,
    squash_on_merge: mr.squash,
    reference: `!${mr.iid}`,
    references: reference(project, '!', mr.iid),
    web_url: `${e.baseUrl}/${project.path}/-/merge_requests/${mr.iid}`,
    user_notes_count: mr.notes.filter((n) => !n.system).length,
  };
}

export function issueEntity(e: EntityContext, project: SimProject, issue: SimIssue): Record<string, unknown> {
  return {
    id: issue.id,
    iid: issue.iid,
    project_id: project.id,
    title: issue.title,
    description: issue.description,
    state: issue.state,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    labels: [...issue.labels],
    author: userById(e, issue.authorId),
    assignees: [],
    type: 'ISSUE',
    issue_type: 'issue',
    confidential: false,
    user_notes_count: issue.notes.filter((n) => !n.system).length,
    web_url: `${e.baseUrl}/${project.path}/-/issues/${issue.iid}`,
    references: reference(project, '#', issue.iid),
  };
}

export function noteEntity(
  e: EntityContext,
  note: SimNote,
  noteable: { type: 'MergeRequest' | 'Issue'; id: number; iid: number; projectId: number },
): Record<string, unknown> {
  return {
    id: note.id,
    type: null,
    body: note.body,
    attachment: null,
    author: userById(e, note.authorId),
    created_at: note.createdAt,
    updated_at: note.updatedAt,
    system: note.system,
    noteable_id: noteable.id,
    noteable_type: noteable.type,
    project_id: noteable.projectId,
    noteable_iid: noteable.iid,
    resolvable: false,
    confidential: false,
    internal: false,
  };
}

export function environmentBasic(env: SimEnvironment): Record<string, unknown> {
  return {
    id: env.id,
    name: env.name,
    slug: env.slug,
    external_url: env.externalUrl,
    created_at: env.createdAt,
    updated_at: env.updatedAt,
  };
}

export function deploymentEntity(
  e: EntityContext,
  project: SimProject,
  d: SimDeployment,
  options: { withEnvironment?: boolean } = {},
): Record<string, unknown> {
  const env = project.environments.find((x) => x.id === d.environmentId);
  const out: Record<string, unknown> = {
    id: d.id,
    iid: d.iid,
    ref: d.ref,
    sha: d.sha,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    user: userById(e, d.userId),
  };
  if (options.withEnvironment !== false) out.environment = env ? environmentBasic(env) : null;
  out.deployable = null;
  out.status = d.status;
  return out;
}

export function commitEntity(e: EntityContext, project: SimProject, sha: string): Record<string, unknown> {
  const parents = project.commits[sha] ?? [];
  const message = commitMessage(project, sha);
  return {
    id: sha,
    short_id: sha.slice(0, 8),
    title: message.split('\n')[0] ?? '',
    message,
    parent_ids: [...parents],
    author_name: 'Simulated Author',
    author_email: 'author@example.com',
    authored_date: '2020-01-01T00:00:00.000Z',
    committer_name: 'Simulated Author',
    committer_email: 'author@example.com',
    committed_date: '2020-01-01T00:00:00.000Z',
    created_at: '2020-01-01T00:00:00.000Z',
    trailers: {},
    extended_trailers: {},
    web_url: `${e.baseUrl}/${project.path}/-/commit/${sha}`,
  };
}

export function freezePeriodEntity(f: SimFreezePeriod): Record<string, unknown> {
  return {
    id: f.id,
    freeze_start: f.freezeStart,
    freeze_end: f.freezeEnd,
    cron_timezone: f.cronTimezone,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
  };
}
