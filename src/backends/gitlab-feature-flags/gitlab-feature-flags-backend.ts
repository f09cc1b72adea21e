/**
 * `gitlab-feature-flags`: a project's feature flags (`/projects/:id/feature_flags`, Unleash), one
 * `environment_scope` per flagops environment. See strategies.ts for the mapping and
 * plan-feature-flags.ts for how edits address strategies by id.
 */
import { FlagopsError, GitlabError } from '../../errors/errors.js';
import type { GitlabPort, ProjectFeatureFlag, ProjectRef } from '../../gitlab/port.js';
import type { MaybeState } from '../../model/state.js';
import type { Backend, LiveFlag, LiveState, Operation } from '../types.js';
import { planFeatureFlag, type StrategyEdit } from './plan-feature-flags.js';
import {
  flagStateIn,
  servedStateIn,
  splitUserIds,
  strategiesOf,
  wildcardStrategiesOf,
  type FeatureFlagsMeta,
} from './strategies.js';
import { wildcardNote } from './wildcard-scopes.js';

export interface GitlabFeatureFlagsBackendOptions {
  port: GitlabPort;
  project: ProjectRef;
  environmentScope: string;
  /** flagops environment name (for messages). */
  env: string;
}

type CreateBody = Omit<ProjectFeatureFlag, 'version' | 'description' | 'strategies'> & {
  version: string;
  strategies: StrategyEdit[];
};

export function createGitlabFeatureFlagsBackend(options: GitlabFeatureFlagsBackendOptions): Backend {
  const { port, project, environmentScope: scope } = options;
  /** Flags seen by the last read: `create` appends to a flag that exists for other scopes. */
  const known = new Map<string, ProjectFeatureFlag>();

  async function userListsFor(flags: readonly ProjectFeatureFlag[]): Promise<Record<string, string[]>> {
    const needed = flags.some((f) =>
      [...strategiesOf(f.strategies, scope), ...wildcardStrategiesOf(f.strategies, scope)].some(
        (s) => s.name === 'gitlabUserList',
      ),
    );
    if (!needed) return {};
    const lists: Record<string, string[]> = {};
    for (const list of await port.listUserLists(project))
      lists[String(list.id)] = splitUserIds(list.userXids);
    return lists;
  }

  function liveOf(
    flag: ProjectFeatureFlag,
    userLists: Record<string, string[]>,
  ): { state: MaybeState; meta: FeatureFlagsMeta } {
    const own = flagStateIn(flag, scope, userLists);
    return {
      state: own,
      meta: { active: flag.active, strategies: flag.strategies, userLists, own: own ?? null },
    };
  }

  /** What the environment's users see (wildcard scopes included), with this scope's own state in `meta.own`. */
  function toLive(flag: ProjectFeatureFlag, userLists: Record<string, string[]>): LiveFlag | undefined {
    const { meta } = liveOf(flag, userLists);
    const served = servedStateIn(flag, scope, userLists);
    return served === undefined ? undefined : { state: served, meta };
  }

  async function fetchAll(): Promise<ProjectFeatureFlag[]> {
    const flags = await port.listFeatureFlags(project);
    known.clear();
    for (const f of flags) known.set(f.name, f);
    return flags;
  }

  function plan(flag: string, live: LiveFlag | undefined, desired: MaybeState): Operation[] {
    const meta = live ? metaOf(live.meta, live.state) : undefined;
    // flagops writes this scope only: plan from its own strategies (a flag served by wildcards alone is created)
    const own = meta && meta.own !== undefined && meta.own !== null ? { state: meta.own, meta } : undefined;
    return planFeatureFlag({ flag, project, scope, live: own, desired });
  }

  /** The flag exists (for other scopes, or since the plan was made): converge it with edits by id. */
  async function convergeExisting(existing: ProjectFeatureFlag, desired: MaybeState): Promise<void> {
    const live = liveOf(existing, await userListsFor([existing]));
    for (const op of planFeatureFlag({ flag: existing.name, project, scope, live, desired }))
      await runEdit(op);
  }

  async function runEdit(op: Operation): Promise<void> {
    if (op.payload.delete === true) {
      try {
        await port.deleteFeatureFlag(project, op.flag);
      } catch (err) {
        if (!(err instanceof GitlabError && err.status === 404)) throw err;
      }
      return;
    }
    const update = op.payload.update as { active?: boolean; strategies?: StrategyEdit[] } | undefined;
    if (!update || typeof update !== 'object')
      throw new FlagopsError('invalid-request', `operation for ${op.flag} has no body: ${op.describe}`);
    await port.updateFeatureFlag(project, op.flag, update as Parameters<GitlabPort['updateFeatureFlag']>[2]);
  }

  return {
    type: 'gitlab-feature-flags',

    async read(): Promise<LiveState> {
      const flags = await fetchAll();
      const userLists = await userListsFor(flags);
      const out: LiveState = new Map();
      for (const flag of flags) {
        const live = toLive(flag, userLists);
        if (live) out.set(flag.name, live);
      }
      return out;
    },

    plan,

    liveNote(flag: string, live: LiveFlag | undefined, desired: MaybeState): string | undefined {
      const meta = live ? metaOf(live.meta, live.state) : undefined;
      if (!meta) return undefined;
      return wildcardNote({
        flag: { name: flag, active: meta.active, strategies: meta.strategies },
        scope,
        desired,
        userLists: meta.userLists,
      });
    },

    async execute(op: Operation): Promise<void> {
      const create = op.payload.create as CreateBody | undefined;
      if (create === undefined) return runEdit(op);
      const desired = op.payload.desired as MaybeState;
      const existing = known.get(op.flag);
      if (existing) return convergeExisting(existing, desired);
      try {
        await port.createFeatureFlag(project, { ...create, description: null } as Parameters<
          GitlabPort['createFeatureFlag']
        >[1]);
      } catch (err) {
        if (!isNameTaken(err)) throw err;
        const now = (await fetchAll()).find((f) => f.name === op.flag);
        if (!now) throw err;
        await convergeExisting(now, desired);
      }
    },

    async readFlag(flag: string): Promise<LiveFlag | undefined> {
      const found = (await fetchAll()).find((f) => f.name === flag);
      return found ? toLive(found, await userListsFor([found])) : undefined;
    },
  };
}

/** `own` absent: a plan saved before wildcard scopes were read, whose state was the own scope's. */
function metaOf(meta: unknown, state: MaybeState): FeatureFlagsMeta | undefined {
  if (typeof meta !== 'object' || meta === null) return undefined;
  const m = meta as Partial<FeatureFlagsMeta>;
  if (!Array.isArray(m.strategies) || typeof m.active !== 'boolean') return undefined;
  const own = 'own' in m ? (m.own ?? null) : (state ?? null);
  return { active: m.active, strategies: m.strategies, userLists: m.userLists ?? {}, own };
}

function isNameTaken(err: unknown): boolean {
  if (!(err instanceof GitlabError) || (err.status !== 400 && err.status !== 409 && err.status !== 422))
    return false;
  const remote = (err as { remoteMessage?: unknown }).remoteMessage;
  return /already been taken|already exists/i.test(
    `${err.message} ${typeof remote === 'string' ? remote : ''}`,
  );
}
