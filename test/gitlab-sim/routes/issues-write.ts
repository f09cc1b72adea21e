/**
 * Creating and editing issues (lib/api/issues.rb, doc/api/issues.md, Issues::UpdateService):
 * - `POST /projects/:id/issues`: title required (≤ 255); description; labels comma-separated, created on the project
 *   when missing; the author is the token's user.
 * - `PUT /projects/:id/issues/:iid`: `at_least_one_of` title, description, labels, add_labels, remove_labels,
 *   state_event (… else 400 "… are missing, at least one parameter must be provided"); `labels` replaces every
 *   label, `add_labels`/`remove_labels` add and remove some (both comma-separated); `state_event` close|reopen sets
 *   closed_at. `updated_at` moves only when something changed (an update that changes nothing saves nothing).
 */
import { apiError, optEnum, optString, paramError, present, requireKeys, type Params } from '../http.js';
import { allocId, nextIid } from '../model.js';
import { issueEntity } from '../entities.js';
import type { Route } from '../router.js';
import type { SimIssue } from '../types.js';
import { created, entityContext, issueOf, ok, projectOf } from './common.js';

function labelsOf(input: Params, key = 'labels'): string[] | undefined {
  const raw = input[key];
  if (raw === undefined || raw === null) return undefined;
  const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  return [...new Set(list.map((l) => l.trim()).filter((l) => l.length > 0))];
}

function checkTitle(title: string): void {
  if (title.trim() === '') throw apiError(400, { title: ["can't be blank"] });
  if (title.length > 255) throw apiError(400, { title: ['is too long (maximum is 255 characters)'] });
}

const UPDATE_KEYS = ['title', 'description', 'labels', 'add_labels', 'remove_labels', 'state_event'];

/** The issue after the update's changes; pure. */
function updated(issue: SimIssue, input: Params, at: string): SimIssue {
  const next: SimIssue = { ...issue, labels: [...issue.labels] };
  const title = optString(input, 'title');
  if (title !== undefined) {
    checkTitle(title);
    next.title = title;
  }
  const description = optString(input, 'description');
  if (description !== undefined) next.description = description;
  const labels = labelsOf(input);
  if (labels) next.labels = labels;
  for (const l of labelsOf(input, 'add_labels') ?? []) if (!next.labels.includes(l)) next.labels.push(l);
  const removed = labelsOf(input, 'remove_labels') ?? [];
  next.labels = next.labels.filter((l) => !removed.includes(l));
  const event = optEnum(input, 'state_event', ['close', 'reopen'] as const);
  if (event === 'close' && issue.state === 'opened') Object.assign(next, { state: 'closed', closedAt: at });
  if (event === 'reopen' && issue.state === 'closed') Object.assign(next, { state: 'opened', closedAt: null });
  return next;
}

export const issueWriteRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/projects/:id/issues',
    handler: (ctx) => {
      const project = projectOf(ctx);
      requireKeys(ctx.input, ['title']);
      const title = optString(ctx.input, 'title') ?? '';
      checkTitle(title);
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
      if (!UPDATE_KEYS.some((k) => present(ctx.input, k))) {
        throw paramError(`${UPDATE_KEYS.join(', ')} are missing, at least one parameter must be provided`);
      }
      const at = ctx.now().toISOString();
      const next = updated(issue, ctx.input, at);
      const changed = JSON.stringify({ ...next, updatedAt: '' }) !== JSON.stringify({ ...issue, updatedAt: '' });
      if (changed) Object.assign(issue, next, { updatedAt: at });
      return ok(issueEntity(entityContext(ctx), project, issue));
    },
  },
];
