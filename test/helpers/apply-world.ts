/**
 * A flag repository with three environments — `dev` (file), `staging` (gitlab-features) and `production`
 * (gitlab-feature-flags, scope `production`) — against one GitLab simulator, for the apply tests: seed live state,
 * write flag files, read every environment back through the real backends.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createBackend } from '../../src/backends/create-backend.js';
import { soleTarget } from '../../src/config/instances.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { FlagopsConfig } from '../../src/config/types.js';
import { normalizeState, type FlagState, type MaybeState } from '../../src/model/state.js';
import { startGitlabSim, type FeatureFlagInput, type FeatureInput, type GitlabSim } from '../gitlab-sim/index.js';

export const ENVS = ['dev', 'staging', 'production'] as const;
export type EnvName = (typeof ENVS)[number];
export const PROJECT = 'group/app';
export const SCOPE = 'production';
export const USERS = ['alice', 'bob', 'carol'];
export const GROUPS = ['rebels', 'empire'];
export const PROJECTS = ['rebels/x-wing', 'empire/tie'];
export const FEATURE_GROUPS = ['gitlab_team_members', 'beta_testers'];
const TOKEN = 'glpat-apply-world-admin-0001';
/** Someone else's strategy (scope `review/*`): apply must never touch it. */
const REVIEW_ONLY = { name: 'userWithId', parameters: { userIds: 'reviewer' }, scopes: ['review/*'] };

/** What a flag file says: no file, a definition only (no `environments`), or managed with per-env states. */
export type FlagFile = { kind: 'none' } | { kind: 'definition' } | { kind: 'managed'; envs: Partial<Record<EnvName, FlagState>> };

export interface ApplyWorld {
  sim: GitlabSim;
  dir: string;
  /** Environment variables for the CLI (tokens). */
  vars: Record<string, string>;
  config: FlagopsConfig;
  writeFlags(files: Record<string, FlagFile>): void;
  /**
   * Live state written straight into the file / the simulator (no API calls). `variant` 1 writes it the untidy
   * way a person might: a fully-on feature keeps old gates; production strategies are shared with `review/*`.
   * `state` undefined with variant 1 in production: the flag exists for `review/*` only.
   */
  seedLive(env: EnvName, flag: string, state: FlagState | undefined, variant?: number): void;
  /** Every environment read through its real backend. */
  readAll(): Promise<Record<EnvName, Map<string, MaybeState>>>;
  /** Requests that are not GETs, from index `from` of the log. */
  writesSince(from: number): number;
  close(): Promise<void>;
}

export function configText(url: string): string {
  return `flags: flags
environments:
  - name: dev
    backend: { type: file, path: state/dev.json }
  - name: staging
    after: null
    backend: { type: gitlab-features, url: ${url}, token_env: FLAGOPS_STAGING_TOKEN }
  - name: production
    after: null
    backend: { type: gitlab-feature-flags, url: ${url}, token_env: FLAGOPS_PRODUCTION_TOKEN, project: ${PROJECT}, environment_scope: ${SCOPE} }
`;
}

export function flagFileText(name: string, file: FlagFile): string | undefined {
  if (file.kind === 'none') return undefined;
  const head = `name: ${name}\ntype: beta\ndescription: apply test flag\n`;
  return file.kind === 'definition' ? head : `${head}environments: ${JSON.stringify(file.envs)}\n`;
}

export async function startApplyWorld(): Promise<ApplyWorld> {
  const sim = await startGitlabSim({
    seed: {
      users: [{ username: 'root', admin: true }, ...USERS.map((username) => ({ username }))],
      tokens: [{ token: TOKEN, user: 'root', scopes: ['api'] }],
      groups: GROUPS.map((path) => ({ path })),
      projects: [...PROJECTS, PROJECT].map((path) => ({ path })),
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'flagops-apply-'));
  writeFileSync(join(dir, 'flagops.yml'), configText(sim.url));
  mkdirSync(join(dir, 'flags'), { recursive: true });
  const vars = { FLAGOPS_STAGING_TOKEN: TOKEN, FLAGOPS_PRODUCTION_TOKEN: TOKEN };
  const loaded = loadConfig({ file: join(dir, 'flagops.yml'), env: vars });
  if (!loaded.ok) throw new Error(`bad test config: ${JSON.stringify(loaded.findings)}`);
  const { config } = loaded;
  const fileState: Record<string, FlagState> = {};

  return {
    sim,
    dir,
    vars,
    config,
    writeFlags(files) {
      rmSync(join(dir, 'flags'), { recursive: true, force: true });
      mkdirSync(join(dir, 'flags'), { recursive: true });
      for (const [name, file] of Object.entries(files)) {
        const text = flagFileText(name, file);
        if (text !== undefined) writeFileSync(join(dir, 'flags', `${name}.yml`), text);
      }
    },
    seedLive(env, flag, state, variant = 0) {
      if (state === undefined) {
        if (env === 'production' && variant > 0) sim.addFeatureFlag(PROJECT, { name: flag, strategies: [REVIEW_ONLY] });
        return;
      }
      if (env === 'dev') {
        fileState[flag] = state;
        const path = join(dir, 'state', 'dev.json');
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `${JSON.stringify({ version: 1, flags: fileState }, null, 2)}\n`);
      } else if (env === 'staging') sim.setFeature(flag, featureInput(state, variant > 0));
      else sim.addFeatureFlag(PROJECT, { name: flag, ...featureFlagInput(state, flag, variant > 0) });
    },
    async readAll() {
      const out = {} as Record<EnvName, Map<string, MaybeState>>;
      for (const env of config.environments) {
        const { backend } = createBackend({ env: soleTarget(env), vars });
        const live = await backend.read();
        out[env.name as EnvName] = new Map([...live].map(([name, f]) => [name, normalizeState(f.state)]));
      }
      return out;
    },
    writesSince(from) {
      return sim.requests.slice(from).filter((r) => r.method !== 'GET').length;
    },
    async close() {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A state as Flipper gates (instance features); `leftovers`: a fully-on flag that still holds old gates. */
export function featureInput(state: FlagState, leftovers = false): FeatureInput {
  if (state === true) return leftovers ? { boolean: true, users: [USERS[0]!], percentageOfActors: 30, featureGroups: [FEATURE_GROUPS[0]!] } : { boolean: true };
  if (state === false) return {};
  return {
    ...(state.actors?.users ? { users: state.actors.users } : {}),
    ...(state.actors?.groups ? { groups: state.actors.groups } : {}),
    ...(state.actors?.projects ? { projects: state.actors.projects } : {}),
    ...(state.feature_groups ? { featureGroups: state.feature_groups } : {}),
    ...(state.percentage_of_actors !== undefined ? { percentageOfActors: state.percentage_of_actors } : {}),
    ...(state.percentage_of_time !== undefined ? { percentageOfTime: state.percentage_of_time } : {}),
  };
}

/**
 * A state as project feature-flag strategies in scope `production`, written the way a person might in the UI
 * (`gradualRolloutUserId` for a percentage of users, an inactive flag for off), plus a `review/*` strategy that
 * is someone else's and must survive every apply.
 */
export function featureFlagInput(state: FlagState, flag: string, shared = false): Omit<FeatureFlagInput, 'name'> {
  const scopes = shared ? [SCOPE, 'review/*'] : [SCOPE];
  const other = REVIEW_ONLY;
  if (state === true) return { strategies: [{ name: 'default', scopes }, other] };
  if (state === false) return { active: false, strategies: [{ name: 'default', scopes }, other] };
  const groupId = flag.replace(/[^a-z]/g, '') || 'default';
  const strategies: NonNullable<FeatureFlagInput['strategies']> = [other];
  if (state.percentage_of_actors !== undefined) {
    strategies.push({ name: 'gradualRolloutUserId', parameters: { groupId, percentage: String(state.percentage_of_actors) }, scopes });
  }
  if (state.percentage_of_time !== undefined) {
    strategies.push({ name: 'flexibleRollout', parameters: { groupId, rollout: String(state.percentage_of_time), stickiness: 'random' }, scopes });
  }
  if (state.actors?.users) strategies.push({ name: 'userWithId', parameters: { userIds: state.actors.users.join(',') }, scopes });
  return { strategies };
}

/** Strategies of other scopes than `production`, ids aside (what apply must never touch). */
export function otherScopes(sim: GitlabSim): string[] {
  return sim
    .project(PROJECT)
    .featureFlags.flatMap((f) =>
      f.strategies.flatMap((s) =>
        s.scopes.filter((sc) => sc.environmentScope !== SCOPE).map((sc) => `${f.name} ${sc.environmentScope} ${s.name} ${JSON.stringify(s.parameters)}`),
      ),
    )
    .sort();
}
