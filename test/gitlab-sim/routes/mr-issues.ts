/**
 * Merge requests, issues, and the links between them: related_issues, closes_issues, commit → MRs.
 */
import { issueEntity, mergeRequestEntity } from '../entities.js';
import { notFound, optEnum, optInt, optString, type RequestContext } from '../http.js';
import { commitMessage, findProject, resolveRef } from '../model.js';
import { paginate } from '../pagination.js';
import { closingReferences, issueReferences, type IssueRef } from '../references.js';
import type { Route } from '../router.js';
import type { SimIssue, SimMergeRequest, SimProject, SimState } from '../types.js';
import { entityContext, issueOf, mergeRequestOf, ok, projectOf } from './common.js';

interface LinkedIssue {
  project: SimProject;
  issue: SimIssue;
}

function resolve(
  state: SimState,
  own: SimProject,
  ref: { project?: string | number | undefined; iid: number },
): LinkedIssue | undefined {
  const project = ref.project === undefined ? own : findProject(state, ref.project);
  const issue = project?.issues.find((i) => i.iid === ref.iid);
  return project && issue ? { project, issue } : undefined;
}

function collect(
  state: SimState,
  own: SimProject,
  refs: { project?: string | number | undefined; iid: number }[],
): LinkedIssue[] {
  const out: LinkedIssue[] = [];
  for (const ref of refs) {
    const hit = resolve(state, own, ref);
    if (hit && !out.some((o) => o.issue.id === hit.issue.id)) out.push(hit);
  }
  return out;
}

/**
 * Issues the MR closes. app/models/merge_request.rb: `closes_issues` extracts them only when the MR targets the
 * project's default branch, from its title, description and every commit message joined by newlines
 * (`messages = [title, description]; messages.concat(commits.map(&:safe_message))`), through
 * lib/gitlab/closing_issue_extractor.rb (the instance's `issue_closing_pattern`, see references.ts);
 * `cache_merge_request_closes_issues!` stores them while the MR is open, and `visible_closing_issues_for` (what
 * `GET closes_issues` lists, lib/api/merge_requests.rb) also returns links made by hand in the work item
 * interface (`from_mr_description: false`), whatever the branch: here the explicit `closes` links.
 */
export function closesIssues(state: SimState, project: SimProject, mr: SimMergeRequest): LinkedIssue[] {
  const explicit = mr.links.filter((l) => l.kind === 'closes');
  const extracted =
    mr.targetBranch === project.defaultBranch ? closingReferences(mrMessages(project, mr, [mr.title, mr.description])) : [];
  return collect(state, project, [...explicit, ...extracted]);
}

/**
 * Issues related to the MR: every link, and every reference in its title, description, notes and commit messages
 * (app/models/merge_request.rb `related_issues`: `messages += commits.map(&:safe_message)`), whatever the branch.
 */
export function relatedIssues(state: SimState, project: SimProject, mr: SimMergeRequest): LinkedIssue[] {
  const texts = [mr.title, mr.description, ...mr.notes.filter((n) => !n.system).map((n) => n.body)];
  const mentioned: IssueRef[] = issueReferences(mrMessages(project, mr, texts));
  return collect(state, project, [...mr.links, ...mentioned]);
}

/** `texts` and the MR's commit messages, joined as GitLab joins them before extracting references. */
function mrMessages(project: SimProject, mr: SimMergeRequest, texts: string[]): string {
  return [...texts, ...mr.commits.map((sha) => commitMessage(project, sha))].join('\n');
}

function issueList(
  ctx: RequestContext,
  list: (s: SimState, p: SimProject, m: SimMergeRequest) => LinkedIssue[],
) {
  const project = projectOf(ctx);
  const mr = mergeRequestOf(ctx, project);
  const e = entityContext(ctx);
  return paginate(ctx, list(ctx.state, project, mr), (hit) => issueEntity(e, hit.project, hit.issue));
}

export const mrIssueRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/merge_requests/:iid',
    handler: (ctx) => {
      const project = projectOf(ctx);
      return ok(mergeRequestEntity(entityContext(ctx), project, mergeRequestOf(ctx, project)));
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/merge_requests/:iid/related_issues',
    handler: (ctx) => issueList(ctx, relatedIssues),
  },
  {
    method: 'GET',
    pattern: '/projects/:id/merge_requests/:iid/closes_issues',
    handler: (ctx) => issueList(ctx, closesIssues),
  },
  {
    // lib/api/commits.rb `GET :id/repository/commits/:sha/merge_requests` (doc/api/commits.md "List merge requests
    // associated with a commit"): the MRs that contain the commit or landed it (merge or squash commit); a sha the
    // repository lacks is 404 Commit Not Found; paginated.
    method: 'GET',
    pattern: '/projects/:id/repository/commits/:sha/merge_requests',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const sha = resolveRef(project, ctx.params.sha ?? '');
      if (!sha) throw notFound('Commit');
      const mrs = project.mergeRequests.filter(
        (mr) => mr.commits.includes(sha) || mr.mergeCommitSha === sha || mr.squashCommitSha === sha,
      );
      const e = entityContext(ctx);
      return paginate(ctx, mrs, (mr) => mergeRequestEntity(e, project, mr));
    },
  },
  {
    // lib/api/issues.rb `GET /projects/:id/issues` through IssuesFinder (doc/api/issues.md): `state`
    // (opened|closed|all, default all), `labels` comma-separated and ANDed ("issues must have all labels"),
    // `None`/`Any` for no/any label; `author_id`; `search` (case-insensitive substring) `in` title,description
    // (default both); ordered by created_at desc (default order_by/sort); offset-paginated.
    method: 'GET',
    pattern: '/projects/:id/issues',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const state = optEnum(ctx.input, 'state', ['opened', 'closed', 'all'] as const) ?? 'all';
      const raw = optString(ctx.input, 'labels');
      const labels = raw === undefined ? [] : raw.split(',').map((l) => l.trim()).filter((l) => l.length > 0);
      const authorId = optInt(ctx.input, 'author_id');
      const search = optString(ctx.input, 'search')?.toLowerCase();
      const fields = (optString(ctx.input, 'in') ?? 'title,description').split(',');
      const issues = project.issues
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => authorId === undefined || i.authorId === authorId)
        .filter(
          (i) =>
            search === undefined ||
            (fields.includes('title') && i.title.toLowerCase().includes(search)) ||
            (fields.includes('description') && i.description.toLowerCase().includes(search)),
        )
        .filter((i) => {
          if (labels.length === 1 && labels[0] === 'None') return i.labels.length === 0;
          if (labels.length === 1 && labels[0] === 'Any') return i.labels.length > 0;
          return labels.every((l) => i.labels.includes(l));
        })
        .sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1));
      const e = entityContext(ctx);
      return paginate(ctx, issues, (issue) => issueEntity(e, project, issue));
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/issues/:iid',
    handler: (ctx) => {
      const project = projectOf(ctx);
      return ok(issueEntity(entityContext(ctx), project, issueOf(ctx, project)));
    },
  },
];
