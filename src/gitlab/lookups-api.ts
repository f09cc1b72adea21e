/**
 * Lookups used to translate names <-> ids (users, projects, groups, namespaces), through gitbeaker,
 * cached per client; a 404 is null.
 */
import { PAGE, orNull, type ApiContext } from './api-context.js';
import { toGroup, toNamespace, toProject, toUser } from './mappers.js';
import { gitbeakerPage } from './pagination.js';
import type { GitlabPort } from './port.js';
import { checkQueryText, checkRef, idSegment } from './url-safety.js';

type LookupsPort = Pick<
  GitlabPort,
  'currentUser' | 'getUserByUsername' | 'getUserById' | 'getProject' | 'getGroup' | 'getNamespace'
>;

export function createLookupsApi({ op, cache, gb }: ApiContext): LookupsPort {
  return {
    currentUser: () =>
      op('GET', 'user', () =>
        cache.get('current-user', async () => toUser(await (await gb()).Users.showCurrentUser())),
      ),

    getUserByUsername: (username) =>
      op('GET', 'users', async () => {
        checkQueryText(username, 'username');
        return cache.get(`user-name:${username}`, async () => {
          const { items } = gitbeakerPage(await (await gb()).Users.all({ ...PAGE, username, page: 1 }));
          const user = items.length === 0 ? null : toUser(items[0], '[0]');
          if (user !== null) cache.prime(`user-id:${user.id}`, user);
          return user;
        });
      }),

    getUserById: (id) =>
      op('GET', 'users/:id', async () => {
        idSegment(id, 'user id');
        return cache.get(`user-id:${id}`, () =>
          orNull(async () => toUser(await (await gb()).Users.show(id))),
        );
      }),

    getProject: (project) =>
      op('GET', 'projects/:id', async () => {
        const p = checkRef(project);
        return cache.get(`project:${p}`, async () => {
          const info = await orNull(async () => toProject(await (await gb()).Projects.show(p)));
          if (info !== null)
            for (const key of [info.id, info.pathWithNamespace]) cache.prime(`project:${key}`, info);
          return info;
        });
      }),

    getGroup: (group) =>
      op('GET', 'groups/:id', async () => {
        const g = checkRef(group, 'group');
        return cache.get(`group:${g}`, () =>
          orNull(async () => toGroup(await (await gb()).Groups.show(g, { withProjects: false }))),
        );
      }),

    getNamespace: (ns) =>
      op('GET', 'namespaces/:id', async () => {
        const n = checkRef(ns, 'namespace');
        return cache.get(`namespace:${n}`, () =>
          orNull(async () => toNamespace(await (await gb()).Namespaces.show(n))),
        );
      }),
  };
}
