/**
 * Creating and closing issues (lib/api/issues.rb, doc/api/issues.md): `POST /projects/:id/issues` (title required;
 * description; labels comma-separated, created on the project when missing; the author is the token's user) and
 * `PUT /projects/:id/issues/:iid` with `state_event` close|reopen (Issues::UpdateService), which sets closed_at.
 */
import { apiError, optEnum, optString, requireKeys, type Params } from '../http.js';
import { allocId, nextIid } from '../model.js';
import { issueEntity } from '../entities.js';
import type { Route } from '../router.js';
import type { SimIssue } from '../types.js';
import { created, entityContext, issueOf, ok, projectOf } from './common.js';

function labelsOf(input: Params): string[] | undefined {
  const raw = input['labels'];
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  return [...new Set(list.map((l) => l.trim()).filter((l) => l.length > 0))];
}

export const issueWriteRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/projects/:id/issues',
    handler: (ctx) => {
      const project = projectOf(ctx);
      requireKeys(ctx.input, ['title']);
      const title = optString(ctx.input, 'title') ?? '';
      if (title.trim() === '') throw apiError(400, { title: ["can't be blank"] });
      if (title.length > 255) throw apiError(400, { title: ['is too long (maximum is 255 characters)'] });
      const at = ctx.now().toISOString();
      const issue: SimIssue = {
        id: allocId(ctx.state, 'issue'),
        iid: nextIid(project.issues),
        title,
        description: optString(ctx.input, 'description') ?? '',
        state: 'opened',
        labels: labelsOf(ctx.input) ?? [],
        authorId: ctx.user.id,
        closedAt: null,
        createdAt: at,
        updatedAt: at,
        notes: [],
      };
      project.issues.push(issue);
      return created(issueEntity(entityContext(ctx), project, issue));
    },
  },
  {
    method: 'PUT',
    pattern: '/projects/:id/issues/:iid',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const issue = issueOf(ctx, project);
      const event = optEnum(ctx.input, 'state_event', ['close', 'reopen'] as const);
      const at = ctx.now().toISOString();
      if (event === 'close' && issue.state === 'opened') Object.assign(issue, { state: 'closed', closedAt: at, updatedAt: at });
      if (event === 'reopen' && issue.state === 'closed') Object.assign(issue, { state: 'opened', closedAt: null, updatedAt: at });
      const labels = labelsOf(ctx.input);
      if (labels) Object.assign(issue, { labels, updatedAt: at });
      return ok(issueEntity(entityContext(ctx), project, issue));
    },
  },
];
