/**
 * Helpers shared by the route modules.
 */
import type { EntityContext } from '../entities.js';
import { notFound, type RequestContext } from '../http.js';
import { findProject } from '../model.js';
import type { SimIssue, SimMergeRequest, SimProject } from '../types.js';

export function entityContext(ctx: RequestContext): EntityContext {
  return { state: ctx.state, baseUrl: ctx.baseUrl };
}

/** `find_project!`: numeric id or full path; `404 Project Not Found`. */
export function projectOf(ctx: RequestContext): SimProject {
  const project = findProject(ctx.state, ctx.params.id ?? '');
  if (!project) throw notFound('Project');
  return project;
}

function iidOf(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** `find_by!(iid:)`: `404 Not found`. */
export function mergeRequestOf(ctx: RequestContext, project: SimProject): SimMergeRequest {
  const iid = iidOf(ctx.params.iid);
  const mr = project.mergeRequests.find((m) => m.iid === iid);
  if (!mr) throw notFound();
  return mr;
}

export function issueOf(ctx: RequestContext, project: SimProject): SimIssue {
  const iid = iidOf(ctx.params.iid);
  const issue = project.issues.find((i) => i.iid === iid);
  if (!issue) throw notFound();
  return issue;
}

export const ok = (body: unknown) => ({ status: 200, body });
export const created = (body: unknown) => ({ status: 201, body });
