/**
 * apply, as a property (issue "plan/apply", Done when): for random live and desired states in all three backends
 * (file, gitlab-features, gitlab-feature-flags on the GitLab simulator), after `flagops apply` every environment
 * reads back as the files say, live flags without a managing file are untouched, other scopes of project
 * feature flags are untouched, and a second apply writes nothing.
 * 30 runs by default (~6 s); a deeper search: APPLY_RUNS=400 APPLY_TIMEOUT=900000 npx vitest run <this file>.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeState, type ConditionalState, type FlagState, type MaybeState } from '../model/state.js';
import {
  ENVS,
  FEATURE_GROUPS,
  GROUPS,
  PROJECTS,
  USERS,
  otherScopes,
  startApplyWorld,
  type EnvName,
  type FlagFile,
} from '../../test/helpers/apply-world.js';
import { cli } from '../../test/helpers/run-cli.js';

const NAMES = ['alpha', 'bravo_two', 'charlie', 'delta', 'echo_five'];
type Fit = 'file' | 'features' | 'flags';
const FIT: Record<EnvName, Fit> = { dev: 'file', staging: 'features', production: 'flags' };

const some = (pool: string[]) => fc.subarray(pool, { minLength: 1 });
// every two-decimal percentage, including those whose division by 0.01 is inexact in binary (15.79, 0.07)
const pct2 = fc.integer({ min: 1, max: 9999 }).map((n) => n / 100);
const pctWhole = fc.integer({ min: 1, max: 99 });

/** A state the backend can express (backend-fit): whole percentages and users only for project feature flags. */
function stateArb(fit: Fit): fc.Arbitrary<FlagState> {
  const pct = fit === 'flags' ? pctWhole : pct2;
  const users = fit === 'flags' ? some(['u1', 'u2', 'alice', 'qa-bot']) : some(USERS);
  const cond = fc
    .record(
      {
        percentage_of_actors: pct,
        percentage_of_time: pct,
        users,
        groups: some(GROUPS),
        projects: some(PROJECTS),
        feature_groups: some(FEATURE_GROUPS),
      },
      { requiredKeys: [] },
    )
    .map((r): ConditionalState => {
      const s: ConditionalState = {};
      if (r.percentage_of_actors !== undefined) s.percentage_of_actors = r.percentage_of_actors;
      if (r.percentage_of_time !== undefined) s.percentage_of_time = r.percentage_of_time;
      const actors: NonNullable<ConditionalState['actors']> = {};
      if (r.users) actors.users = r.users;
      if (fit !== 'flags' && r.groups) actors.groups = r.groups;
      if (fit !== 'flags' && r.projects) actors.projects = r.projects;
      if (Object.keys(actors).length > 0) s.actors = actors;
      if (fit !== 'flags' && r.feature_groups) s.feature_groups = r.feature_groups;
      return s;
    })
    .filter((s) => Object.keys(s).length > 0);
  return fc.oneof({ arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant(false), weight: 1 }, { arbitrary: cond, weight: 4 });
}

const perEnv = <T>(arb: (env: EnvName) => fc.Arbitrary<T>) =>
  fc.record({ dev: arb('dev'), staging: arb('staging'), production: arb('production') }, { requiredKeys: [] });

const flagArb = fc.record({
  file: fc.oneof(
    { arbitrary: fc.constant<FlagFile>({ kind: 'none' }), weight: 1 },
    { arbitrary: fc.constant<FlagFile>({ kind: 'definition' }), weight: 1 },
    { arbitrary: perEnv((e) => stateArb(FIT[e])).map((envs): FlagFile => ({ kind: 'managed', envs })), weight: 4 },
  ),
  live: perEnv((e) => stateArb(FIT[e])),
  /** 1: live written untidily (see ApplyWorld.seedLive). */
  variant: fc.integer({ min: 0, max: 1 }),
});
const worldArb = fc.record(Object.fromEntries(NAMES.map((n) => [n, flagArb])) as Record<string, typeof flagArb>);

function desiredOf(file: FlagFile, env: EnvName): MaybeState {
  return file.kind === 'managed' ? normalizeState(file.envs[env]) : undefined;
}

function fileStamp(path: string): string {
  try {
    return `${statSync(path).mtimeMs} ${readFileSync(path, 'utf8')}`;
  } catch {
    return 'absent';
  }
}

describe('flagops apply converges every backend (property)', () => {
  it('reads back as desired, leaves unmanaged flags alone, and a second apply writes nothing', { timeout: Number(process.env.APPLY_TIMEOUT ?? 60_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (flags) => {
        const world = await startApplyWorld();
        try {
          world.writeFlags(Object.fromEntries(Object.entries(flags).map(([n, f]) => [n, f.file])));
          for (const [name, f] of Object.entries(flags)) {
            for (const env of ENVS) world.seedLive(env, name, f.live[env], f.variant);
          }
          const before = await world.readAll();
          const others = otherScopes(world.sim);

          const first = await cli(['apply', '--format', 'json'], { cwd: world.dir, env: world.vars });
          expect(first.code, first.stdout + first.stderr).toBe(0);
          const after = await world.readAll();
          for (const env of ENVS) {
            for (const [name, f] of Object.entries(flags)) {
              const expected = f.file.kind === 'managed' ? desiredOf(f.file, env) : before[env].get(name);
              expect({ env, name, live: after[env].get(name) }).toEqual({ env, name, live: expected });
            }
          }
          expect(otherScopes(world.sim)).toEqual(others);

          const mark = world.sim.requests.length;
          const stamp = fileStamp(join(world.dir, 'state', 'dev.json'));
          const second = await cli(['apply', '--format', 'json'], { cwd: world.dir, env: world.vars });
          expect(second.code, second.stderr).toBe(0);
          expect(world.sim.requests.slice(mark).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([]);
          expect(fileStamp(join(world.dir, 'state', 'dev.json'))).toBe(stamp);
          expect(world.sim.unexpected).toEqual([]);
        } finally {
          await world.close();
        }
      }),
      { numRuns: Number(process.env.APPLY_RUNS ?? 30) },
    );
  });
});
