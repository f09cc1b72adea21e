/**
 * GitLab's Unleash client API, what applications read project feature flags through:
 * - lib/api/unleash.rb: `GET /feature_flags/unleash/:project_id/client/features`, no user token;
 *   `authorize_by_unleash_instance_id!` finds the project's Operations::FeatureFlagsClient by the
 *   `UNLEASH-INSTANCEID` header (or `instance_id`), else 401; the app name (`UNLEASH-APPNAME` header or
 *   `app_name`) is the environment, and without one no flag is served. Answer: `{version: 1, features}`.
 * - app/models/operations/feature_flag.rb `for_unleash_client`: the project's flags that have a strategy with a
 *   scope on that environment, ordered by id, each with only its matching strategies (the eager load is
 *   filtered by the scope condition).
 * - app/models/concerns/has_environment_scope.rb `on_environment`: a scope matches when it is `*`, the
 *   environment's name, or a glob over it (`Gitlab::SQL::Glob.to_like`: `*` is any run of characters,
 *   everything else literal, case-sensitive).
 * - lib/api/entities/unleash/client_feature.rb / lib/api/entities/unleash/client_strategy.rb (was
 *   `UnleashFeature`/`UnleashStrategy`): `{name, description (omitted when nil), enabled: active,
 *   strategies: [{name, parameters}]}`; a `gitlabUserList` strategy is served as `userWithId` with the list's
 *   `user_xids` as `userIds`.
 */
import { apiError } from '../http.js';
import type { Route } from '../router.js';
import type { SimFeatureFlag, SimFlagStrategy, SimProject } from '../types.js';
import { projectOf } from './common.js';

/** The project's feature flags client token (GitLab makes a random `glffct-…` one; the simulator's is fixed). */
export function unleashInstanceId(project: Pick<SimProject, 'id'>): string {
  return `glffct-sim-client-${String(project.id).padStart(6, '0')}`;
}

/** `Gitlab::SQL::Glob.to_like` used as `:environment LIKE scope`. */
export function scopeMatches(scope: string, environment: string): boolean {
  if (scope === '*' || scope === environment) return true;
  const pattern = scope
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(environment);
}

function clientStrategy(project: SimProject, s: SimFlagStrategy): Record<string, unknown> {
  const list = s.userListId === null ? undefined : project.userLists.find((l) => l.id === s.userListId);
  if (list) return { name: 'userWithId', parameters: { userIds: list.userXids } };
  return { name: s.name, parameters: s.parameters };
}

export function clientFeatures(project: SimProject, environment: string): Record<string, unknown>[] {
  if (environment === '') return [];
  return [...project.featureFlags]
    .sort((a, b) => a.id - b.id)
    .flatMap((flag: SimFeatureFlag) => {
      const served = flag.strategies.filter((s) => s.scopes.some((sc) => scopeMatches(sc.environmentScope, environment)));
      if (served.length === 0) return [];
      return [
        {
          name: flag.name,
          ...(flag.description === null ? {} : { description: flag.description }),
          enabled: flag.active,
          strategies: served.map((s) => clientStrategy(project, s)),
        },
      ];
    });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export const unleashRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/feature_flags/unleash/:id/client/features',
    anonymous: true,
    handler: (ctx) => {
      const project = projectOf(ctx);
      const instanceId = header(ctx.headers['unleash-instanceid']) ?? (ctx.input.instance_id as string | undefined);
      if (instanceId !== unleashInstanceId(project)) throw apiError(401, '401 Unauthorized');
      const app = header(ctx.headers['unleash-appname']) ?? (ctx.input.app_name as string | undefined) ?? '';
      return { status: 200, body: { version: 1, features: clientFeatures(project, app) } };
    },
  },
];
