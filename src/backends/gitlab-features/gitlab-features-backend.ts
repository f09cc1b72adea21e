/**
 * `gitlab-features`: a GitLab instance's Features API (`/api/v4/features`, administrator token),
 * what ChatOps `feature set` drives. One `listFeatures()` per read; actor ids are resolved with the
 * port's lookups, each id once.
 */
import { FlagopsError, GitlabError, LicensedNameError } from '../../errors/errors.js';
import type { Feature, GitlabPort, SetFeatureParams } from '../../gitlab/port.js';
import { normalizeState, type FlagState, type MaybeState } from '../../model/state.js';
import type { Backend, LiveFlag, LiveState, Operation, WriteEcho } from '../types.js';
import { featureToLive, featuresMetaOf, flipperIdsOf } from './features-to-state.js';
import { alignActors, planFeatures } from './plan-features.js';
import { featureSteps } from './feature-steps.js';
import { resolveFlipperIds } from './resolve-ids.js';

export interface GitlabFeaturesBackendOptions {
  port: GitlabPort;
  /** flagops environment name (describes operations the ChatOps way, e.g. `--staging`). */
  env: string;
  /**
   * The flags sent with `force=true` (the environment's `force:` list in flagops.yml): GitLab then skips its flag
   * name checks (licensed feature names). No other flag is ever sent with force, whatever a saved plan says.
   */
  force?: readonly string[];
  /** Repository paths hashed-storage ids may stand for (see resolve-ids.ts). */
  repositoryNames?: readonly string[];
}

const ACTOR_PARAMS = ['user', 'group', 'project', 'namespace', 'repository', 'feature_group'] as const;

export function createGitlabFeaturesBackend(options: GitlabFeaturesBackendOptions): Backend {
  const { port, env } = options;
  const forced = new Set(options.force ?? []);

  async function toLive(features: readonly Feature[]): Promise<Map<string, LiveFlag>> {
    const names = await resolveFlipperIds(port, flipperIdsOf(features), {
      repositoryNames: options.repositoryNames ?? [],
    });
    const out = new Map<string, LiveFlag>();
    for (const feature of features) out.set(feature.name, featureToLive(feature, names));
    return out;
  }

  return {
    type: 'gitlab-features',

    async read(): Promise<LiveState> {
      return toLive(await port.listFeatures());
    },

    plan(flag: string, live: LiveFlag | undefined, desired: MaybeState): Operation[] {
      const meta = live ? featuresMetaOf(live.meta, live.state) : undefined;
      return planFeatures(flag, live?.state, desired, { ...(meta ? { meta } : {}), force: forced.has(flag), env });
    },

    steps(flag: string, from: MaybeState, to: MaybeState): MaybeState[] {
      return featureSteps(flag, from, to);
    },

    // lib/feature.rb: each web process caches flags for up to a minute in front of Redis
    readCacheMs: 60_000,

    align(_flag: string, live: LiveFlag, desired: MaybeState): LiveFlag {
      const d = normalizeState(desired);
      if (typeof live.state !== 'object' || typeof d !== 'object') return live;
      const aligned = alignActors(live.state, d);
      return aligned === live.state ? live : { ...live, state: normalizeState(aligned) as FlagState };
    },

    async execute(op: Operation): Promise<WriteEcho> {
      if (op.payload.delete === true) {
        await port.deleteFeature(op.flag);
        return { live: () => Promise.resolve(undefined) };
      }
      const params = toSetParams(op, forced.has(op.flag));
      let feature: Feature;
      try {
        feature = await port.setFeature(op.flag, params);
      } catch (err) {
        throw explainRefusal(err, op.flag);
      }
      // POST /features/:name answers the feature after the change, from the database, not from a cache
      return { live: async () => (await toLive([feature])).get(op.flag) };
    },

    async readFlag(flag: string): Promise<LiveFlag | undefined> {
      const feature = (await port.listFeatures()).find((f) => f.name === flag);
      return feature ? (await toLive([feature])).get(flag) : undefined;
    },
  };
}

/** Checks a (possibly saved and reloaded) payload before it reaches the API; `force` comes from the config only. */
function toSetParams(op: Operation, force: boolean): SetFeatureParams {
  const p = op.payload;
  const value = p.value;
  if (typeof value !== 'boolean' && typeof value !== 'string' && typeof value !== 'number') {
    throw new FlagopsError('invalid-request', `operation for ${op.flag} has no value: ${op.describe}`);
  }
  const params: SetFeatureParams = { value };
  if (p.key === 'percentage_of_actors' || p.key === 'percentage_of_time') params.key = p.key;
  for (const k of ACTOR_PARAMS) {
    if (typeof p[k] === 'string') params[k] = p[k];
  }
  if (force) params.force = true;
  return params;
}

/**
 * GitLab's refusal of a licensed feature name (ee/app/services/ee/admin/set_feature_flag_service.rb: 400 "The '<name>'
 * is a licensed feature name, and thus it cannot be used as a feature flag name. ..."), as a typed error: apply
 * reports it as the same `backend-fit` finding validate gives for a name flagops' snapshot knows.
 */
function explainRefusal(err: unknown, flag: string): unknown {
  if (!(err instanceof GitlabError) || err.status !== 400) return err;
  const remote = (err as { remoteMessage?: unknown }).remoteMessage;
  const text = `${err.message} ${typeof remote === 'string' ? remote : ''}`;
  if (!/is a licensed feature name/i.test(text)) return err;
  return new LicensedNameError(flag, { cause: err });
}
