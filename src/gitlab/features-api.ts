/**
 * The parts of the port gitbeaker gets wrong, over our transport directly: instance features
 * (`/features`: no gitbeaker resource, admin token) and project feature flags + user lists (gitbeaker
 * snake_cases strategy parameters such as `groupId`/`userIds`, which GitLab needs in camelCase).
 */
import type { Op } from './api-context.js';
import type { FeatureFlagStrategy, GitlabPort, SetFeatureParams } from './port.js';
import { toFeature, toFeatureFlag, toList, toUserList } from './mappers.js';
import { arr } from './guards.js';
import { PER_PAGE, collectPages, parseNextPage } from './pagination.js';
import type { TokenScope } from './http-errors.js';
import type { QueryValue, Transport } from './transport.js';
import {
  RefusedInput,
  checkQueryText,
  encodeRef,
  featureNameSegment,
  idSegment,
  projectFlagNameSegment,
} from './url-safety.js';

type FeaturesPort = Pick<
  GitlabPort,
  | 'listFeatures'
  | 'setFeature'
  | 'deleteFeature'
  | 'listFeatureFlags'
  | 'createFeatureFlag'
  | 'updateFeatureFlag'
  | 'deleteFeatureFlag'
  | 'listUserLists'
  | 'createUserList'
  | 'updateUserList'
>;

const ACTOR_PARAMS = ['user', 'group', 'project', 'namespace', 'repository', 'feature_group'] as const;

export function featureForm(params: SetFeatureParams): Record<string, string> {
  const form: Record<string, string> = {};
  if (typeof params.value === 'number' && !Number.isFinite(params.value))
    throw new RefusedInput('value is not a finite number');
  form['value'] = String(params.value);
  if (params.key !== undefined) {
    if (params.key !== 'percentage_of_actors' && params.key !== 'percentage_of_time')
      throw new RefusedInput(`key ${JSON.stringify(params.key)} is not a percentage key`);
    form['key'] = params.key;
  }
  for (const name of ACTOR_PARAMS) {
    const v = params[name];
    if (v !== undefined) form[name] = checkQueryText(v, name);
  }
  if (params.force === true) form['force'] = 'true';
  return form;
}

/** Write shape of a strategy: the read-only `user_list` object becomes `user_list_id`. */
export function strategyBody(s: FeatureFlagStrategy): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: s.name,
    parameters: { ...s.parameters },
    scopes: s.scopes.map((sc) => ({ ...sc })),
  };
  if (s.id !== undefined) out['id'] = s.id;
  const listId = s.user_list_id ?? s.user_list?.id;
  if (listId !== undefined) out['user_list_id'] = listId;
  if (s._destroy === true) out['_destroy'] = true;
  return out;
}

/** A PUT with a strategy or scope lacking `id` appends it: repeating such a request is not harmless. */
export function strategiesIdempotent(strategies: FeatureFlagStrategy[] | undefined): boolean {
  return (strategies ?? []).every((s) => s.id !== undefined && s.scopes.every((sc) => sc.id !== undefined));
}

export function createFeaturesApi(transport: Transport, op: Op): FeaturesPort {
  async function getAll(
    path: string,
    template: string,
    scope: TokenScope,
    query: Record<string, QueryValue> = {},
  ): Promise<unknown[]> {
    return collectPages(
      async (page) => {
        const res = await transport.request({
          method: 'GET',
          path,
          query: { ...query, per_page: PER_PAGE, page },
          scope,
        });
        return { items: arr(res.body, ''), next: parseNextPage(res.headers.get('x-next-page')) };
      },
      { method: 'GET', path: `/api/v4/${template}` },
    );
  }

  return {
    listFeatures: () =>
      op('GET', 'features', async () =>
        toList(
          (await transport.request({ method: 'GET', path: 'features', scope: 'admin' })).body,
          toFeature,
        ),
      ),

    setFeature: (name, params) =>
      op('POST', 'features/:name', async () => {
        const path = `features/${featureNameSegment(name)}`;
        const res = await transport.request({
          method: 'POST',
          path,
          form: featureForm(params),
          scope: 'admin',
          idempotent: true,
        });
        return toFeature(res.body);
      }),

    deleteFeature: (name) =>
      op('DELETE', 'features/:name', async () => {
        await transport.request({
          method: 'DELETE',
          path: `features/${featureNameSegment(name)}`,
          scope: 'admin',
        });
      }),

    listFeatureFlags: (project) =>
      op('GET', 'projects/:id/feature_flags', async () => {
        const items = await getAll(
          `projects/${encodeRef(project)}/feature_flags`,
          'projects/:id/feature_flags',
          'read_api',
        );
        return toList(items, toFeatureFlag);
      }),

    createFeatureFlag: (project, flag) =>
      op('POST', 'projects/:id/feature_flags', async () => {
        const path = `projects/${encodeRef(project)}/feature_flags`;
        const json = {
          name: projectFlagNameSegment(flag.name),
          description: flag.description,
          active: flag.active,
          version: flag.version ?? 'new_version_flag',
          strategies: flag.strategies.map(strategyBody),
        };
        return toFeatureFlag((await transport.request({ method: 'POST', path, json, scope: 'api' })).body);
      }),

    updateFeatureFlag: (project, name, change) =>
      op('PUT', 'projects/:id/feature_flags/:name', async () => {
        const path = `projects/${encodeRef(project)}/feature_flags/${projectFlagNameSegment(name)}`;
        const json: Record<string, unknown> = {};
        if (change.description !== undefined) json['description'] = change.description;
        if (change.active !== undefined) json['active'] = change.active;
        if (change.strategies !== undefined) json['strategies'] = change.strategies.map(strategyBody);
        const idempotent = strategiesIdempotent(change.strategies);
        return toFeatureFlag(
          (await transport.request({ method: 'PUT', path, json, scope: 'api', idempotent })).body,
        );
      }),

    deleteFeatureFlag: (project, name) =>
      op('DELETE', 'projects/:id/feature_flags/:name', async () => {
        const path = `projects/${encodeRef(project)}/feature_flags/${projectFlagNameSegment(name)}`;
        await transport.request({ method: 'DELETE', path, scope: 'api' });
      }),

    listUserLists: (project) =>
      op('GET', 'projects/:id/feature_flags_user_lists', async () => {
        const path = `projects/${encodeRef(project)}/feature_flags_user_lists`;
        return toList(await getAll(path, 'projects/:id/feature_flags_user_lists', 'read_api'), toUserList);
      }),

    createUserList: (project, input) =>
      op('POST', 'projects/:id/feature_flags_user_lists', async () => {
        const path = `projects/${encodeRef(project)}/feature_flags_user_lists`;
        const json = { name: checkQueryText(input.name, 'user list name'), user_xids: input.userXids };
        return toUserList((await transport.request({ method: 'POST', path, json, scope: 'api' })).body);
      }),

    updateUserList: (project, iid, input) =>
      op('PUT', 'projects/:id/feature_flags_user_lists/:iid', async () => {
        const path = `projects/${encodeRef(project)}/feature_flags_user_lists/${idSegment(iid, 'user list iid')}`;
        return toUserList(
          (
            await transport.request({
              method: 'PUT',
              path,
              json: { user_xids: input.userXids },
              scope: 'api',
            })
          ).body,
        );
      }),
  };
}
