/**
 * Deployments (lib/api/deployments.rb + DeploymentsFinder), environments and freeze periods.
 */
import { addDeployment } from '../builders.js';
import { deploymentEntity, environmentBasic, freezePeriodEntity, projectEntity } from '../entities.js';
import {
  apiError,
  badRequest,
  notFound,
  optBool,
  optDate,
  optEnum,
  optString,
  paramError,
  present,
  requireKeys,
  type RequestContext,
} from '../http.js';
import { hasRepository, resolveRef } from '../model.js';
import { paginate } from '../pagination.js';
import type { Route } from '../router.js';
import type { DeploymentStatus, SimDeployment, SimEnvironment, SimProject } from '../types.js';
import { created, entityContext, ok, projectOf } from './common.js';

const ORDER_BY = ['id', 'iid', 'created_at', 'updated_at', 'ref', 'finished_at'] as const;
const STATUSES = ['created', 'running', 'success', 'failed', 'canceled', 'skipped', 'blocked'] as const;
const WRITABLE_STATUSES = ['running', 'success', 'failed', 'canceled'] as const;
const FINISHED = new Set<DeploymentStatus>(['success', 'failed', 'canceled', 'skipped']);
const ENV_NAME = /^[a-zA-Z0-9 _/${}.-]+$/;

type Sortable = (d: SimDeployment) => string | number | null;

const SORT_KEYS: Record<string, Sortable> = {
  id: (d) => d.id,
  ref: (d) => d.ref,
  updated_at: (d) => d.updatedAt,
  finished_at: (d) => d.finishedAt,
};

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1; // PostgreSQL: NULLS LAST ascending
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * How rows with the same sort value come back. app/finders/deployments_finder.rb `optimize_sort_params!`:
 * - an `updated_at` filter forces `updated_at` ordering; `created_at` and `iid` sort as `id` (unique: no ties);
 * - `updated_at` gets `id` as tie-breaker in the same direction (`sort_params.merge!(id: sort_direction)`; GitLab
 *   versions before it merged `id: :desc` whatever the direction, the simulator follows the current source);
 * - `finished_at` (and `ref`, which older versions allowed) get no tie-breaker: PostgreSQL returns equal rows in no
 *   promised order, so the simulator returns them against the sort direction, the order least kind to a client that
 *   assumes the newest id comes first.
 */
function tieSign(effective: string, sign: 1 | -1): 1 | -1 {
  return effective === 'updated_at' || effective === 'id' ? sign : sign === 1 ? -1 : 1;
}

function listDeployments(ctx: RequestContext) {
  const project = projectOf(ctx);
  const { input } = ctx;
  const orderBy = optEnum(input, 'order_by', ORDER_BY) ?? 'id';
  const sort = optEnum(input, 'sort', ['asc', 'desc'] as const) ?? 'asc';
  const updatedAfter = optDate(input, 'updated_after');
  const updatedBefore = optDate(input, 'updated_before');
  const finishedAfter = optDate(input, 'finished_after');
  const finishedBefore = optDate(input, 'finished_before');
  const environment = optString(input, 'environment');
  const status = optEnum(input, 'status', STATUSES);

  const byUpdated = updatedAfter !== undefined || updatedBefore !== undefined;
  const byFinished = finishedAfter !== undefined || finishedBefore !== undefined;
  if (byUpdated && byFinished)
    throw badRequest('Both `updated_at` filter and `finished_at` filter can not be specified');
  if (byFinished !== (orderBy === 'finished_at'))
    throw badRequest('`finished_at` filter and `finished_at` sorting must be paired');
  if (byFinished && status !== 'success')
    throw badRequest('`finished_at` filter must be combined with `success` status filter.');

  const env = environment ? project.environments.find((e) => e.name === environment) : undefined;
  const time = (iso: string | null) => (iso === null ? null : new Date(iso).getTime());
  const items = project.deployments.filter((d) => {
    if (environment && d.environmentId !== env?.id) return false;
    if (status && d.status !== status) return false;
    const updated = time(d.updatedAt) ?? 0;
    if (updatedAfter && updated < updatedAfter.getTime()) return false;
    if (updatedBefore && updated >= updatedBefore.getTime()) return false;
    const finished = time(d.finishedAt);
    if (finishedAfter && (finished === null || finished < finishedAfter.getTime())) return false;
    if (finishedBefore && (finished === null || finished >= finishedBefore.getTime())) return false;
    return true;
  });
  const effective = byUpdated ? 'updated_at' : orderBy === 'created_at' || orderBy === 'iid' ? 'id' : orderBy;
  const key = SORT_KEYS[effective] ?? SORT_KEYS.id!;
  const sign = sort === 'desc' ? -1 : 1;
  items.sort((a, b) => sign * compare(key(a), key(b)) || tieSign(effective, sign) * (a.id - b.id));
  const e = entityContext(ctx);
  return paginate(ctx, items, (d) => deploymentEntity(e, project, d));
}

function createDeployment(ctx: RequestContext) {
  const project = projectOf(ctx);
  const { input } = ctx;
  requireKeys(input, ['environment', 'sha', 'ref', 'tag', 'status']);
  const tag = optBool(input, 'tag') ?? false;
  const status = optEnum(input, 'status', WRITABLE_STATUSES) ?? 'running';
  const name = optString(input, 'environment') ?? '';
  const sha = optString(input, 'sha') ?? '';
  const ref = optString(input, 'ref') ?? '';
  if (hasRepository(project) && !resolveRef(project, ref))
    throw apiError(400, { ref: ['The branch or tag does not exist'] });
  if (!ENV_NAME.test(name) || name.startsWith('/') || name.endsWith('/')) {
    throw apiError(400, {
      name: [
        "can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/'",
      ],
    });
  }
  if (hasRepository(project) && !resolveRef(project, sha))
    throw apiError(400, { sha: ['The commit does not exist'] });
  const deployment = addDeployment(
    ctx.state,
    project,
    { environment: name, sha: resolveRef(project, sha) ?? sha, ref, tag, status, user: ctx.user.username },
    ctx.now,
  );
  return created(deploymentEntity(entityContext(ctx), project, deployment));
}

function deploymentOf(ctx: RequestContext, project: SimProject): SimDeployment {
  const deployment = project.deployments.find((d) => String(d.id) === ctx.params.deployment_id);
  if (!deployment) throw notFound();
  return deployment;
}

function lastDeployment(project: SimProject, env: SimEnvironment): SimDeployment | undefined {
  return project.deployments
    .filter((d) => d.environmentId === env.id && d.status === 'success')
    .sort((a, b) => compare(b.finishedAt, a.finishedAt) || b.id - a.id)[0];
}

function environmentEntity(ctx: RequestContext, project: SimProject, env: SimEnvironment, single: boolean) {
  const out: Record<string, unknown> = { ...environmentBasic(env), tier: env.tier };
  if (single) {
    const last = lastDeployment(project, env);
    out.last_deployment = last
      ? deploymentEntity(entityContext(ctx), project, last, { withEnvironment: false })
      : null;
  } else {
    out.project = projectEntity(entityContext(ctx), project);
  }
  out.state = env.state;
  out.auto_stop_at = null;
  return out;
}

export const deploymentRoutes: Route[] = [
  { method: 'GET', pattern: '/projects/:id/deployments', handler: listDeployments },
  { method: 'POST', pattern: '/projects/:id/deployments', handler: createDeployment },
  {
    method: 'GET',
    pattern: '/projects/:id/deployments/:deployment_id',
    handler: (ctx) => {
      const project = projectOf(ctx);
      return ok(deploymentEntity(entityContext(ctx), project, deploymentOf(ctx, project)));
    },
  },
  {
    method: 'PUT',
    pattern: '/projects/:id/deployments/:deployment_id',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const deployment = deploymentOf(ctx, project);
      requireKeys(ctx.input, ['status']);
      const status = optEnum(ctx.input, 'status', WRITABLE_STATUSES) ?? deployment.status;
      const at = ctx.now().toISOString();
      deployment.status = status;
      deployment.updatedAt = at;
      deployment.finishedAt = FINISHED.has(status) ? at : null;
      return ok(deploymentEntity(entityContext(ctx), project, deployment));
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/environments',
    handler: (ctx) => {
      const project = projectOf(ctx);
      if (present(ctx.input, 'name') && present(ctx.input, 'search'))
        throw paramError('name, search cannot be used together');
      const name = optString(ctx.input, 'name');
      const search = optString(ctx.input, 'search');
      const states = optEnum(ctx.input, 'states', ['available', 'stopping', 'stopped'] as const);
      if (search !== undefined && search !== '' && search.length < 3)
        throw badRequest('Search query is less than 3 characters');
      const envs = project.environments.filter(
        (env) =>
          (name === undefined || env.name === name) &&
          (!search || env.name.toLowerCase().includes(search.toLowerCase())) &&
          (states === undefined || env.state === states),
      );
      return paginate(ctx, envs, (env) => environmentEntity(ctx, project, env, false));
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/environments/:environment_id',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const env = project.environments.find((x) => String(x.id) === ctx.params.environment_id);
      if (!env) throw notFound();
      return ok(environmentEntity(ctx, project, env, true));
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/freeze_periods',
    handler: (ctx) => {
      const project = projectOf(ctx);
      return paginate(ctx, project.freezePeriods, freezePeriodEntity);
    },
  },
];
