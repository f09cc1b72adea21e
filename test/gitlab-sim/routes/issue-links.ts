/**
 * The issue links API (lib/api/issue_links.rb, doc/api/issue_links.md, IssueLinks::CreateService):
 * - `GET /projects/:id/issues/:issue_iid/links`: the issue's related issues in either direction (a link is two-way),
 *   in the order the links were made, each the issue entity plus `issue_link_id`, `link_type`, `link_created_at`,
 *   `link_updated_at`; not paginated (the endpoint presents the whole relation).
 * - `POST /projects/:id/issues/:issue_iid/links`: `target_project_id` (id or path) and `target_issue_iid` required,
 *   `link_type` relates_to (default) | blocks | is_blocked_by; 201 with the IssueLink entity (`source_issue`,
 *   `target_issue`, `link_type`); a pair already linked, either way, is 409 "Issue(s) already assigned"; an unknown
 *   target project or issue is 404.
 */
import { apiError, notFound, optEnum, optString, requireKeys } from '../http.js';
import { allocId, findProject } from '../model.js';
import { issueEntity, type EntityContext } from '../entities.js';
import type { Route } from '../router.js';
import type { SimIssue, SimIssueLink, SimProject, SimState } from '../types.js';
import { created, entityContext, issueOf, ok, projectOf } from './common.js';

function issueById(state: SimState, id: number): { project: SimProject; issue: SimIssue } | undefined {
  for (const project of state.projects) {
    const issue = project.issues.find((i) => i.id === id);
    if (issue) return { project, issue };
  }
  return undefined;
}

function linkEntity(e: EntityContext, link: SimIssueLink): Record<string, unknown> {
  const source = issueById(e.state, link.sourceId)!;
  const target = issueById(e.state, link.targetId)!;
  return {
    id: link.id,
    source_issue: issueEntity(e, source.project, source.issue),
    target_issue: issueEntity(e, target.project, target.issue),
    link_type: link.linkType,
    link_created_at: link.createdAt,
    link_updated_at: link.createdAt,
  };
}

export const issueLinkRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/issues/:iid/links',
    handler: (ctx) => {
      const issue = issueOf(ctx, projectOf(ctx));
      const e = entityContext(ctx);
      const related = ctx.state.issueLinks
        .filter((l) => l.sourceId === issue.id || l.targetId === issue.id)
        .sort((a, b) => a.id - b.id)
        .map((l) => {
          const other = issueById(ctx.state, l.sourceId === issue.id ? l.targetId : l.sourceId)!;
          return {
            ...issueEntity(e, other.project, other.issue),
            issue_link_id: l.id,
            link_type: l.linkType,
            link_created_at: l.createdAt,
            link_updated_at: l.createdAt,
          };
        });
      return ok(related);
    },
  },
  {
    method: 'POST',
    pattern: '/projects/:id/issues/:iid/links',
    handler: (ctx) => {
      const source = issueOf(ctx, projectOf(ctx));
      requireKeys(ctx.input, ['target_project_id', 'target_issue_iid']);
      const targetProject = findProject(ctx.state, optString(ctx.input, 'target_project_id') ?? '');
      if (!targetProject) throw notFound('Project');
      const iid = Number(optString(ctx.input, 'target_issue_iid'));
      const target = targetProject.issues.find((i) => i.iid === iid);
      if (!target) throw notFound();
      const linkType = optEnum(ctx.input, 'link_type', ['relates_to', 'blocks', 'is_blocked_by'] as const) ?? 'relates_to';
      const exists = ctx.state.issueLinks.some(
        (l) => (l.sourceId === source.id && l.targetId === target.id) || (l.sourceId === target.id && l.targetId === source.id),
      );
      if (exists) throw apiError(409, 'Issue(s) already assigned');
      const link: SimIssueLink = { id: allocId(ctx.state, 'issueLink'), sourceId: source.id, targetId: target.id, linkType, createdAt: ctx.now().toISOString() };
      ctx.state.issueLinks.push(link);
      return created(linkEntity(entityContext(ctx), link));
    },
  },
];
