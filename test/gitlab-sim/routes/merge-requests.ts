/**
 * Listing and opening merge requests (lib/api/merge_requests.rb, doc/api/merge_requests.md):
 * - `GET /projects/:id/merge_requests` through MergeRequestsFinder: `state` opened|closed|locked|merged|all (default
 *   all), `author_id`, `source_branch`, `target_branch`; newest first (created_at desc); offset-paginated.
 * - `POST /projects/:id/merge_requests`: `title`, `source_branch`, `target_branch` required; `description`, `labels`
 *   (comma-separated), `remove_source_branch`. The author is the token's user. MergeRequest#validate_branches refuses
 *   the same branch as source and target, a branch the repository lacks, and a second open merge request from the
 *   same source branch into the same target; the API answers those 409 Conflict with the messages as an array.
 */
import { mergeRequestEntity } from '../entities.js';
import { ApiError, optEnum, optInt, optString, requireKeys } from '../http.js';
import { allocId, isKnownCommit, nextIid } from '../model.js';
import { paginate } from '../pagination.js';
import type { Route } from '../router.js';
import type { SimMergeRequest } from '../types.js';
import { created, entityContext, projectOf } from './common.js';

const conflict = (message: string): ApiError => new ApiError(409, { message: [message] });

export const mergeRequestRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/merge_requests',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const state = optEnum(ctx.input, 'state', ['opened', 'closed', 'locked', 'merged', 'all'] as const) ?? 'all';
      const authorId = optInt(ctx.input, 'author_id');
      const source = optString(ctx.input, 'source_branch');
      const target = optString(ctx.input, 'target_branch');
      const mrs = project.mergeRequests
        .filter((m) => state === 'all' || m.state === state)
        .filter((m) => authorId === undefined || m.authorId === authorId)
        .filter((m) => source === undefined || m.sourceBranch === source)
        .filter((m) => target === undefined || m.targetBranch === target)
        .sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1));
      const e = entityContext(ctx);
      return paginate(ctx, mrs, (mr) => mergeRequestEntity(e, project, mr));
    },
  },
  {
    method: 'POST',
    pattern: '/projects/:id/merge_requests',
    handler: (ctx) => {
      const project = projectOf(ctx);
      requireKeys(ctx.input, ['source_branch', 'target_branch', 'title']);
      const source = optString(ctx.input, 'source_branch') ?? '';
      const target = optString(ctx.input, 'target_branch') ?? '';
      const title = optString(ctx.input, 'title') ?? '';
      if (source === target) throw conflict("You can't use same project/branch for source and target");
      const sourceSha = project.branches[source];
      if (sourceSha === undefined) throw conflict(`Source branch "${source}" does not exist`);
      if (project.branches[target] === undefined) throw conflict(`Target branch "${target}" does not exist`);
      const open = project.mergeRequests.find((m) => m.state === 'opened' && m.sourceBranch === source && m.targetBranch === target);
      if (open) throw conflict(`Another open merge request already exists for this source branch: !${open.iid}`);
      const labelsRaw = optString(ctx.input, 'labels');
      const at = ctx.now().toISOString();
      // the commits of the source branch that the target lacks, walking first parents back to a commit the target has
      const targetSha = project.branches[target]!;
      const commits: string[] = [];
      for (let sha: string | undefined = sourceSha; sha && sha !== targetSha && isKnownCommit(project, sha) && commits.length < 100; sha = project.commits[sha]?.[0]) commits.unshift(sha);
      const mr: SimMergeRequest = {
        id: allocId(ctx.state, 'mergeRequest'),
        iid: nextIid(project.mergeRequests),
        title,
        description: optString(ctx.input, 'description') ?? '',
        state: 'opened',
        sourceBranch: source,
        targetBranch: target,
        authorId: ctx.user.id,
        sha: sourceSha,
        mergeCommitSha: null,
        squashCommitSha: null,
        squash: false,
        commits,
        labels: labelsRaw ? [...new Set(labelsRaw.split(',').map((l) => l.trim()).filter(Boolean))] : [],
        mergedAt: null,
        closedAt: null,
        createdAt: at,
        updatedAt: at,
        links: [],
        notes: [],
      };
      project.mergeRequests.push(mr);
      return created(mergeRequestEntity(entityContext(ctx), project, mr));
    },
  },
];
