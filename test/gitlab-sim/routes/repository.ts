/**
 * Repository endpoints: `merge_base` over the seeded commit graph (lib/api/repositories.rb).
 */
import { commitEntity } from '../entities.js';
import { apiError, notFound, paramError, present, type RequestContext } from '../http.js';
import { mergeBase } from '../graph.js';
import { resolveRef } from '../model.js';
import type { Route } from '../router.js';
import { entityContext, ok, projectOf } from './common.js';

/** `type: Array[String], coerce_with: CommaSeparatedToArray`: a plain `refs=` is one value split on commas. */
function refsParam(ctx: RequestContext): string[] {
  if (!present(ctx.input, 'refs')) throw paramError('refs is missing');
  const raw = ctx.input.refs;
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.some((v) => typeof v !== 'string' && typeof v !== 'number')) throw paramError('refs is invalid');
  return values.flatMap((v) => String(v).split(',')).filter((v) => v !== '');
}

function mergeBaseHandler(ctx: RequestContext) {
  const project = projectOf(ctx);
  const refs = refsParam(ctx);
  if (refs.length < 2) throw apiError(400, 'Provide at least 2 refs');
  const resolved = refs.map((ref) => ({ ref, sha: resolveRef(project, ref) }));
  const unknown = resolved.filter((r) => r.sha === null).map((r) => r.ref);
  if (unknown.length > 0) {
    throw apiError(400, `Could not find ${unknown.length === 1 ? 'ref' : 'refs'}: ${unknown.join(', ')}`);
  }
  const base = mergeBase(
    project.commits,
    resolved.map((r) => r.sha ?? ''),
  );
  if (!base) throw notFound('Merge Base');
  return ok(commitEntity(entityContext(ctx), project, base));
}

export const repositoryRoutes: Route[] = [
  { method: 'GET', pattern: '/projects/:id/repository/merge_base', handler: mergeBaseHandler },
];
