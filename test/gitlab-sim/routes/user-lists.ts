/**
 * Feature flag user lists (lib/api/feature_flags_user_lists.rb).
 */
import { userListEntity, validateUserList } from '../feature-flag-model.js';
import { apiError, notFound, optString, present, requireKeys, type RequestContext } from '../http.js';
import { allocId } from '../model.js';
import { paginate } from '../pagination.js';
import type { Route } from '../router.js';
import type { SimProject, SimUserList } from '../types.js';
import { created, ok, projectOf } from './common.js';

function listOf(ctx: RequestContext, project: SimProject): SimUserList {
  const list = project.userLists.find((l) => String(l.iid) === ctx.params.iid);
  if (!list) throw notFound();
  return list;
}

export const userListRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/feature_flags_user_lists',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const search = optString(ctx.input, 'search')?.toLowerCase();
      const lists = project.userLists.filter((l) => !search || l.name.toLowerCase().includes(search));
      return paginate(ctx, lists, (l) => userListEntity(ctx.baseUrl, project, l));
    },
  },
  {
    method: 'POST',
    pattern: '/projects/:id/feature_flags_user_lists',
    handler: (ctx) => {
      const project = projectOf(ctx);
      requireKeys(ctx.input, ['name', 'user_xids']);
      const at = ctx.now().toISOString();
      const list: SimUserList = {
        id: 0,
        iid: project.userLists.reduce((max, l) => Math.max(max, l.iid), 0) + 1,
        name: optString(ctx.input, 'name') ?? '',
        userXids: optString(ctx.input, 'user_xids') ?? '',
        createdAt: at,
        updatedAt: at,
      };
      const errors = validateUserList(project, list);
      if (errors.length > 0) throw apiError(400, errors);
      list.id = allocId(ctx.state, 'userList');
      project.userLists.push(list);
      return created(userListEntity(ctx.baseUrl, project, list));
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/feature_flags_user_lists/:iid',
    handler: (ctx) => {
      const project = projectOf(ctx);
      return ok(userListEntity(ctx.baseUrl, project, listOf(ctx, project)));
    },
  },
  {
    method: 'PUT',
    pattern: '/projects/:id/feature_flags_user_lists/:iid',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const list = listOf(ctx, project);
      const next = { ...list };
      if (present(ctx.input, 'name')) next.name = optString(ctx.input, 'name') ?? '';
      if (present(ctx.input, 'user_xids')) next.userXids = optString(ctx.input, 'user_xids') ?? '';
      const errors = validateUserList(project, next);
      if (errors.length > 0) throw apiError(400, errors);
      if (next.name !== list.name || next.userXids !== list.userXids)
        next.updatedAt = ctx.now().toISOString();
      Object.assign(list, next);
      return ok(userListEntity(ctx.baseUrl, project, list));
    },
  },
  {
    method: 'DELETE',
    pattern: '/projects/:id/feature_flags_user_lists/:iid',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const list = listOf(ctx, project);
      if (project.featureFlags.some((f) => f.strategies.some((s) => s.userListId === list.id))) {
        throw apiError(409, ['User list is associated with a strategy']);
      }
      project.userLists = project.userLists.filter((l) => l !== list);
      return { status: 204 };
    },
  },
];
