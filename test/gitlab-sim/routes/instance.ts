/**
 * Users, version, projects, groups and namespaces lookups.
 */
import { currentUser, groupEntity, namespaceEntity, projectEntity, userBasic } from '../entities.js';
import { notFound, optString } from '../http.js';
import { findGroup, findNamespace, findUserById, findUserByUsername } from '../model.js';
import { paginate } from '../pagination.js';
import type { Route } from '../router.js';
import { entityContext, ok, projectOf } from './common.js';

export const instanceRoutes: Route[] = [
  { method: 'GET', pattern: '/user', handler: (ctx) => ok(currentUser(entityContext(ctx), ctx.user)) },
  {
    method: 'GET',
    pattern: '/version',
    handler: (ctx) =>
      ok({
        version: ctx.state.version,
        revision: 'simulat',
        kas: { enabled: false, externalUrl: null, version: null },
        enterprise: true,
      }),
  },
  {
    method: 'GET',
    pattern: '/users',
    handler: (ctx) => {
      const username = optString(ctx.input, 'username');
      const users =
        username === undefined
          ? ctx.state.users
          : [findUserByUsername(ctx.state, username)].filter((u) => u !== undefined);
      return paginate(ctx, users, (u) => userBasic(entityContext(ctx), u));
    },
  },
  {
    method: 'GET',
    pattern: '/users/:uid',
    handler: (ctx) => {
      const raw = ctx.params.uid ?? '';
      const user = /^\d+$/.test(raw) ? findUserById(ctx.state, raw) : undefined;
      if (!user) throw notFound('User');
      return ok(userBasic(entityContext(ctx), user));
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id',
    handler: (ctx) => ok(projectEntity(entityContext(ctx), projectOf(ctx))),
  },
  {
    method: 'GET',
    pattern: '/groups/:id',
    handler: (ctx) => {
      const group = findGroup(ctx.state, ctx.params.id ?? '');
      if (!group) throw notFound('Group');
      return ok(groupEntity(entityContext(ctx), group));
    },
  },
  {
    method: 'GET',
    pattern: '/namespaces/:id',
    handler: (ctx) => {
      const hit = findNamespace(ctx.state, ctx.params.id ?? '');
      if (!hit) throw notFound('Namespace');
      const ns =
        hit.kind === 'group'
          ? {
              id: hit.group.id,
              kind: 'group' as const,
              path: hit.group.path,
              name: hit.group.name,
              parentId: hit.group.parentId,
            }
          : {
              id: hit.user.namespaceId,
              kind: 'user' as const,
              path: hit.user.username,
              name: hit.user.name,
              parentId: null,
            };
      return ok(namespaceEntity(entityContext(ctx), ns));
    },
  },
];
