/**
 * Project feature flags: lib/api/feature_flags.rb with FeatureFlags::CreateService / UpdateService semantics.
 */
import { cloneFlag, featureFlagEntity, findUserListById, validateFlag } from '../feature-flag-model.js';
import {
  apiError,
  notFound,
  optBool,
  optEnum,
  optInt,
  optString,
  paramError,
  present,
  requireKeys,
  type Params,
  type RequestContext,
} from '../http.js';
import { allocId } from '../model.js';
import { paginate } from '../pagination.js';
import type { Route } from '../router.js';
import type { SimFeatureFlag, SimFlagScope, SimFlagStrategy, SimProject, SimState } from '../types.js';
import { created, ok, projectOf } from './common.js';

interface ScopeInput {
  id?: number;
  environmentScope?: string;
  destroy: boolean;
}
interface StrategyInput {
  id?: number;
  name?: string;
  parameters?: unknown;
  userListId?: number;
  destroy: boolean;
  scopes?: ScopeInput[];
}

function objects(raw: unknown, name: string): Params[] {
  if (!Array.isArray(raw)) throw paramError(`${name} is invalid`);
  return raw.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw paramError(`${name} is invalid`);
    return item as Params;
  });
}

function jsonParam(item: Params, name: string): unknown {
  if (!present(item, 'parameters')) return undefined;
  const raw = item.parameters;
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw paramError(`${name}[parameters] is invalid`);
    }
  }
  if (typeof raw === 'object' && raw !== null) return raw;
  throw paramError(`${name}[parameters] is invalid`);
}

function parseStrategies(input: Params, mode: 'create' | 'update'): StrategyInput[] | undefined {
  if (!present(input, 'strategies')) return undefined;
  return objects(input.strategies, 'strategies').map((item, i) => {
    const name = `strategies[${i}]`;
    const prefix = (k: string) => `${name}[${k}]`;
    if (mode === 'create' && (!present(item, 'name') || item.name === null))
      throw paramError(`${prefix('name')} is missing`);
    const scopes = present(item, 'scopes')
      ? objects(item.scopes, prefix('scopes')).map((scope, j) => {
          if (mode === 'create' && !present(scope, 'environment_scope')) {
            throw paramError(`${prefix('scopes')}[${j}][environment_scope] is missing`);
          }
          return {
            id: mode === 'update' ? optInt(scope, 'id') : undefined,
            environmentScope: optString(scope, 'environment_scope'),
            destroy: mode === 'update' ? (optBool(scope, '_destroy') ?? false) : false,
          };
        })
      : undefined;
    return {
      id: mode === 'update' ? optInt(item, 'id') : undefined,
      name: optString(item, 'name'),
      parameters: jsonParam(item, name),
      userListId: optInt(item, 'user_list_id'),
      destroy: mode === 'update' ? (optBool(item, '_destroy') ?? false) : false,
      scopes,
    };
  });
}

function newScopes(inputs: ScopeInput[] | undefined): SimFlagScope[] {
  return (inputs ?? [])
    .filter((s) => !s.destroy)
    .map((s) => ({ id: 0, environmentScope: s.environmentScope ?? '' }));
}

function newStrategy(s: StrategyInput): SimFlagStrategy {
  return {
    id: 0,
    name: s.name ?? '',
    parameters: s.parameters ?? {},
    userListId: s.userListId ?? null,
    scopes: newScopes(s.scopes),
  };
}

/** accepts_nested_attributes_for: rows with an id are updated or destroyed, rows without one are appended. */
function applyScopes(existing: SimFlagScope[], inputs: ScopeInput[]): SimFlagScope[] {
  let out = [...existing];
  for (const s of inputs) {
    if (s.id === undefined) {
      if (!s.destroy) out.push({ id: 0, environmentScope: s.environmentScope ?? '' });
      continue;
    }
    const scope = out.find((x) => x.id === s.id);
    if (!scope) throw notFound();
    if (s.destroy) out = out.filter((x) => x !== scope);
    else if (s.environmentScope !== undefined) scope.environmentScope = s.environmentScope;
  }
  return out;
}

function applyStrategies(flag: SimFeatureFlag, inputs: StrategyInput[]): void {
  for (const s of inputs) {
    if (s.id === undefined) {
      if (!s.destroy) flag.strategies.push(newStrategy(s));
      continue;
    }
    const strategy = flag.strategies.find((x) => x.id === s.id);
    if (!strategy) throw notFound();
    if (s.destroy) {
      flag.strategies = flag.strategies.filter((x) => x !== strategy);
      continue;
    }
    const before = strategy.name;
    if (s.name !== undefined) strategy.name = s.name;
    if (s.parameters !== undefined) strategy.parameters = s.parameters;
    if (s.userListId !== undefined) strategy.userListId = s.userListId;
    if (s.scopes) strategy.scopes = applyScopes(strategy.scopes, s.scopes);
    if (before === 'gitlabUserList' && strategy.name !== before) strategy.userListId = null;
  }
}

/**
 * db/structure.sql: unique index `index_scopes_on_strategy_id_and_environment_scope` on operations_scopes. A strategy
 * with the same scope twice passes the model's validations and fails on the index: ActiveRecord::RecordNotUnique,
 * which the API answers as 500.
 */
function checkUniqueScopes(flag: SimFeatureFlag): void {
  for (const strategy of flag.strategies) {
    const scopes = strategy.scopes.map((s) => s.environmentScope);
    if (new Set(scopes).size !== scopes.length) throw apiError(500, '500 Internal Server Error');
  }
}

/**
 * app/models/operations/feature_flag.rb `include Limitable` with `limit_name = 'project_feature_flags'`
 * (app/models/concerns/limitable.rb, the plan limit; 200 by default): creating one more is a validation error.
 */
export const DEFAULT_FEATURE_FLAGS_LIMIT = 200;

function checkLimit(project: SimProject): void {
  const limit = project.featureFlagsLimit ?? DEFAULT_FEATURE_FLAGS_LIMIT;
  if (limit > 0 && project.featureFlags.length >= limit)
    throw apiError(400, [`Maximum number of project feature flags (${limit}) exceeded`]);
}

function assignIds(state: SimState, flag: SimFeatureFlag): void {
  for (const strategy of flag.strategies) {
    if (strategy.id === 0) strategy.id = allocId(state, 'strategy');
    for (const scope of strategy.scopes) if (scope.id === 0) scope.id = allocId(state, 'scope');
  }
}

function flagOf(ctx: RequestContext, project: SimProject): SimFeatureFlag {
  const flag = project.featureFlags.find((f) => f.name === ctx.params.name);
  if (!flag) throw notFound();
  return flag;
}

function createFlag(ctx: RequestContext) {
  const project = projectOf(ctx);
  const { input } = ctx;
  requireKeys(input, ['name']);
  const strategies = parseStrategies(input, 'create') ?? [];
  const active = optBool(input, 'active');
  const version = optString(input, 'version');
  if (version !== undefined && version !== 'new_version_flag') throw apiError(400, 'Version is invalid');
  for (const s of strategies) {
    if (s.userListId !== undefined && !findUserListById(ctx.state, s.userListId)) throw notFound();
  }
  const at = ctx.now().toISOString();
  const flag: SimFeatureFlag = {
    id: 0,
    iid: 0,
    name: optString(input, 'name') ?? '',
    description: optString(input, 'description') ?? null,
    active: active ?? true,
    version: 'new_version_flag',
    strategies: strategies.map(newStrategy),
    createdAt: at,
    updatedAt: at,
  };
  const errors = validateFlag(project, flag);
  if (errors.length > 0) throw apiError(400, errors);
  checkLimit(project);
  checkUniqueScopes(flag);
  flag.id = allocId(ctx.state, 'featureFlag');
  flag.iid = project.featureFlags.reduce((max, f) => Math.max(max, f.iid), 0) + 1;
  assignIds(ctx.state, flag);
  project.featureFlags.push(flag);
  return created(featureFlagEntity(project, flag));
}

function updateFlag(ctx: RequestContext) {
  const project = projectOf(ctx);
  const flag = flagOf(ctx, project);
  const { input } = ctx;
  const strategies = parseStrategies(input, 'update');
  const active = optBool(input, 'active');
  const ids = (strategies ?? []).flatMap((s) => (s.userListId === undefined ? [] : [s.userListId]));
  if (ids.some((id) => !project.userLists.some((l) => l.id === id))) throw apiError(404, 'Not Found');
  const next = cloneFlag(flag);
  const name = optString(input, 'name');
  if (name !== undefined) next.name = name;
  if (present(input, 'description')) next.description = optString(input, 'description') ?? null;
  if (active !== undefined) next.active = active;
  if (strategies) applyStrategies(next, strategies);
  const errors = validateFlag(project, next);
  if (errors.length > 0) throw apiError(400, errors);
  checkUniqueScopes(next);
  assignIds(ctx.state, next);
  if (JSON.stringify(next) !== JSON.stringify(flag)) next.updatedAt = ctx.now().toISOString();
  Object.assign(flag, next);
  return ok(featureFlagEntity(project, flag));
}

export const featureFlagRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/feature_flags',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const scope = optEnum(ctx.input, 'scope', ['enabled', 'disabled'] as const);
      const flags = project.featureFlags
        .filter((f) => scope === undefined || f.active === (scope === 'enabled'))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return paginate(ctx, flags, (f) => featureFlagEntity(project, f));
    },
  },
  { method: 'POST', pattern: '/projects/:id/feature_flags', handler: createFlag },
  {
    method: 'GET',
    pattern: '/projects/:id/feature_flags/:name',
    handler: (ctx) => {
      const project = projectOf(ctx);
      return ok(featureFlagEntity(project, flagOf(ctx, project)));
    },
  },
  { method: 'PUT', pattern: '/projects/:id/feature_flags/:name', handler: updateFlag },
  {
    method: 'DELETE',
    pattern: '/projects/:id/feature_flags/:name',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const flag = flagOf(ctx, project);
      project.featureFlags = project.featureFlags.filter((f) => f !== flag);
      return ok(featureFlagEntity(project, flag));
    },
  },
];
