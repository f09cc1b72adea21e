/**
 * Notes on merge requests and issues: list (paginated, `order_by`/`sort`), get, create, edit in place.
 */
import { noteEntity } from '../entities.js';
import {
  badRequest,
  forbidden,
  notFound,
  optEnum,
  optString,
  requireKeys,
  type RequestContext,
} from '../http.js';
import { allocId } from '../model.js';
import { paginate } from '../pagination.js';
import type { Route } from '../router.js';
import type { SimNote } from '../types.js';
import { created, entityContext, issueOf, mergeRequestOf, ok, projectOf } from './common.js';

type Kind = 'merge_requests' | 'issues';

function noteable(ctx: RequestContext, kind: Kind) {
  const project = projectOf(ctx);
  const record = kind === 'merge_requests' ? mergeRequestOf(ctx, project) : issueOf(ctx, project);
  const meta = {
    type: kind === 'merge_requests' ? ('MergeRequest' as const) : ('Issue' as const),
    id: record.id,
    iid: record.iid,
    projectId: project.id,
  };
  return { project, record, meta };
}

function noteOf(ctx: RequestContext, notes: SimNote[]): SimNote {
  const note = notes.find((n) => String(n.id) === ctx.params.note_id);
  if (!note) throw notFound();
  return note;
}

function body(ctx: RequestContext): string {
  requireKeys(ctx.input, ['body']);
  const text = optString(ctx.input, 'body') ?? '';
  if (text.trim() === '') throw badRequest("Note can't be blank");
  if (text.length > 1_000_000) throw badRequest('Note is too long (maximum is 1000000 characters)');
  return text;
}

function routesFor(kind: Kind): Route[] {
  const base = `/projects/:id/${kind}/:iid/notes`;
  return [
    {
      method: 'GET',
      pattern: base,
      handler: (ctx) => {
        const { record, meta } = noteable(ctx, kind);
        const orderBy = optEnum(ctx.input, 'order_by', ['created_at', 'updated_at'] as const) ?? 'created_at';
        const sort = optEnum(ctx.input, 'sort', ['asc', 'desc'] as const) ?? 'desc';
        const key = orderBy === 'created_at' ? 'createdAt' : 'updatedAt';
        const sign = sort === 'asc' ? 1 : -1;
        const notes = [...record.notes].sort((a, b) => sign * (a[key].localeCompare(b[key]) || a.id - b.id));
        const e = entityContext(ctx);
        return paginate(ctx, notes, (n) => noteEntity(e, n, meta));
      },
    },
    {
      method: 'GET',
      pattern: `${base}/:note_id`,
      handler: (ctx) => {
        const { record, meta } = noteable(ctx, kind);
        return ok(noteEntity(entityContext(ctx), noteOf(ctx, record.notes), meta));
      },
    },
    {
      method: 'POST',
      pattern: base,
      handler: (ctx) => {
        const { record, meta } = noteable(ctx, kind);
        const text = body(ctx);
        const at = ctx.now().toISOString();
        const note: SimNote = {
          id: allocId(ctx.state, 'note'),
          body: text,
          authorId: ctx.user.id,
          system: false,
          createdAt: at,
          updatedAt: at,
        };
        record.notes.push(note);
        return created(noteEntity(entityContext(ctx), note, meta));
      },
    },
    {
      method: 'PUT',
      pattern: `${base}/:note_id`,
      handler: (ctx) => {
        const { record, meta } = noteable(ctx, kind);
        const note = noteOf(ctx, record.notes);
        const text = body(ctx);
        if (note.authorId !== ctx.user.id && !ctx.user.admin) throw forbidden();
        if (note.system) throw forbidden();
        if (note.body !== text) {
          note.body = text;
          note.updatedAt = ctx.now().toISOString();
        }
        return ok(noteEntity(entityContext(ctx), note, meta));
      },
    },
  ];
}

export const noteRoutes: Route[] = [...routesFor('merge_requests'), ...routesFor('issues')];
