/**
 * Instance features (`/features`), administrator only: lib/api/features.rb + Admin::SetFeatureFlagService.
 */
import { requireAdmin } from '../auth.js';
import {
  ACTOR_PARAMS,
  type ActorParam,
  clearGates,
  disableTarget,
  emptyFeature,
  enableTarget,
  featureEntity,
  featureState,
  optOutId,
  persisted,
  resolveTargets,
  rubyFloat,
  UnknownTargetError,
} from '../flipper.js';
import {
  badRequest,
  optBool,
  optString,
  paramError,
  present,
  requireKeys,
  type RequestContext,
} from '../http.js';
import { refuseLicensedName } from '../licensed-features.js';
import type { Route } from '../router.js';
import type { SimFeature, SimState } from '../types.js';

/** Simulator rule (GitLab itself accepts any string): names like GitLab's definitions, at most 255 characters. */
export const FEATURE_NAME = /^[a-z0-9_]{1,255}$/;

/** Grape's `mutually_exclusive :key, :<actor>` declarations, in GitLab's order. */
const EXCLUSIVE_WITH_KEY = ['feature_group', 'user', 'group', 'namespace', 'project', 'repository'] as const;

const inspect = (value: string): string => JSON.stringify(value);

function isNumeric(value: string): boolean {
  return /^\d+(\.\d+)?$/.test(value);
}

function percentage(value: string): number {
  if (!isNumeric(value)) throw badRequest('Not a percentage');
  const p = Number(value);
  if (p > 100)
    throw badRequest(`value must be a positive number less than or equal to 100, but was ${rubyFloat(p)}`);
  return p;
}

interface SetParams {
  name: string;
  value: string;
  key: string | undefined;
  actors: Partial<Record<ActorParam, string>>;
}

/**
 * Admin::SetFeatureFlagService#update_targets: every target is resolved first (an unknown one fails before any
 * change), then each is applied in turn with no transaction around them, so a target refused half-way leaves the
 * ones before it applied (Flipper writes each gate at once). What persists the flag (a `features` row) is Flipper's
 * `Feature#enable`/`#disable`, which call `adapter.add` first (flipper lib/flipper/feature.rb); the GitLab calls
 * that return before reaching them store nothing:
 * - `Feature.opt_out` ignores a feature group (lib/feature.rb: `return unless thing.respond_to?(:flipper_id)`),
 *   so `opt_out` with `feature_group` answers 201 with the flag as it is, not persisted if it was not;
 * - `remove_opt_out` checks `Feature.opted_out?` first, which is false for a feature group and for a flag not
 *   persisted (lib/feature.rb), so it is 400 "No opt-out exists for <target>" and nothing is written.
 */
function updateTargets(state: SimState, p: SetParams): void {
  const targets = resolveTargets(state, p.actors);
  for (const target of targets) {
    const existing = state.features.find((f) => f.name === p.name);
    const optOut = optOutId(target);
    const optedOut = optOut !== undefined && existing !== undefined && existing.actors.includes(optOut);
    if (['100', '100.0', 'true'].includes(p.value)) {
      if (optedOut) throw badRequest(`Opt-out exists for ${target.label} - remove opt-out before enabling`);
      enableTarget(persisted(state, p.name), target);
    } else if (['0', '0.0', 'false'].includes(p.value)) {
      disableTarget(persisted(state, p.name), target);
    } else if (p.value === 'opt_out') {
      if (optOut === undefined) continue;
      const feature = persisted(state, p.name);
      if (!feature.actors.includes(optOut)) feature.actors.push(optOut);
    } else if (p.value === 'remove_opt_out') {
      if (!optedOut) throw badRequest(`No opt-out exists for ${target.label}`);
      existing!.actors = existing!.actors.filter((a) => a !== optOut);
    } else {
      throw badRequest(`Cannot set '${p.name}' to ${inspect(p.value)} for ${target.label}`);
    }
  }
}

function updateGlobal(state: SimState, p: SetParams): void {
  const current = state.features.find((f) => f.name === p.name) ?? emptyFeature(p.name);
  if (['100', '100.0', 'true'].includes(p.value)) {
    const feature = persisted(state, p.name);
    clearGates(feature);
    feature.boolean = true;
  } else if (['0', '0.0', 'false'].includes(p.value)) {
    clearGates(persisted(state, p.name));
  } else if (p.key === 'percentage_of_actors') {
    const pct = percentage(p.value);
    if (featureState(current) === 'on')
      throw badRequest('Cannot enable percentage of actors for a fully-enabled flag');
    persisted(state, p.name).percentageOfActors = pct;
  } else if (p.key === 'percentage_of_time' || (p.key === undefined && isNumeric(p.value))) {
    const pct = percentage(p.value);
    if (featureState(current) === 'on')
      throw badRequest('Cannot enable percentage of time for a fully-enabled flag');
    persisted(state, p.name).percentageOfTime = pct;
  } else {
    throw badRequest(
      p.key !== undefined && p.key !== ''
        ? `Cannot set '${p.name}' (${inspect(p.key)}) to ${inspect(p.value)}`
        : `Cannot set '${p.name}' to ${inspect(p.value)}`,
    );
  }
}

function setFeature(ctx: RequestContext) {
  requireAdmin(ctx.user);
  const { input } = ctx;
  requireKeys(input, ['value']);
  const clashes = present(input, 'key') ? EXCLUSIVE_WITH_KEY.filter((k) => present(input, k)) : [];
  if (clashes.length > 0) throw paramError(clashes.map((k) => `key, ${k} are mutually exclusive`).join(', '));
  const force = optBool(input, 'force');
  const name = ctx.params.name ?? '';
  if (!FEATURE_NAME.test(name)) throw badRequest(`Invalid feature flag name: ${inspect(name)}`);
  if (force !== true) refuseLicensedName(ctx.state, name);
  const actors: Partial<Record<ActorParam, string>> = {};
  for (const param of ACTOR_PARAMS) {
    const value = optString(input, param);
    if (value !== undefined) actors[param] = value;
  }
  const p: SetParams = { name, value: optString(input, 'value') ?? '', key: optString(input, 'key'), actors };
  try {
    if (Object.keys(actors).length > 0) updateTargets(ctx.state, p);
    else updateGlobal(ctx.state, p);
  } catch (error) {
    if (error instanceof UnknownTargetError) throw badRequest(error.message);
    throw error;
  }
  const feature: SimFeature = ctx.state.features.find((f) => f.name === name) ?? emptyFeature(name);
  return { status: 201, body: featureEntity(feature) };
}

export const featureRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/features',
    handler: (ctx) => {
      requireAdmin(ctx.user);
      return { status: 200, body: ctx.state.features.map(featureEntity) };
    },
  },
  { method: 'POST', pattern: '/features/:name', handler: setFeature },
  {
    method: 'DELETE',
    pattern: '/features/:name',
    handler: (ctx) => {
      requireAdmin(ctx.user);
      const index = ctx.state.features.findIndex((f) => f.name === ctx.params.name);
      if (index >= 0) ctx.state.features.splice(index, 1);
      return { status: 204 };
    },
  },
];
