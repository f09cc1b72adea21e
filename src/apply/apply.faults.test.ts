/**
 * apply under failure (issue "plan/apply", Done when): 20% of simulator requests failing (5xx, 429, resets) —
 * repeated applies converge and no run exits 0 while live differs from the files; a run killed with SIGKILL
 * mid-apply is followed by one that converges; two applies at once on the file backend leave valid state.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeState, type FlagState, type MaybeState } from '../model/state.js';
import { ENVS, startApplyWorld, type ApplyWorld, type EnvName, type FlagFile } from '../../test/helpers/apply-world.js';
import { BIN, cli, spawnCli } from '../../test/helpers/run-cli.js';

/** States each backend can hold (backend-fit), cycled through by index. */
const POOL: Record<EnvName, (FlagState | undefined)[]> = {
  dev: [true, false, { percentage_of_actors: 12.5 }, { actors: { users: ['alice'], groups: ['rebels'] } }, { percentage_of_time: 3, feature_groups: ['beta_testers'] }, undefined],
  staging: [
    true,
    false,
    { percentage_of_actors: 25 },
    { actors: { users: ['alice', 'bob'], projects: ['rebels/x-wing'] } },
    { percentage_of_time: 33.25, actors: { groups: ['empire'] } },
    { feature_groups: ['gitlab_team_members'], percentage_of_actors: 5 },
    undefined,
  ],
  production: [true, false, { percentage_of_actors: 40 }, { actors: { users: ['u1', 'u2'] } }, { percentage_of_time: 10, actors: { users: ['qa'] } }, undefined],
};
const pick = (env: EnvName, n: number): FlagState | undefined => POOL[env][n % POOL[env].length];
const names = (count: number): string[] => Array.from({ length: count }, (_, i) => `flag_${String(i).padStart(3, '0')}`);

/** Managed files whose per-environment state is `pick(env, f(i))`. */
function files(count: number, f: (i: number) => number): Record<string, FlagFile> {
  return Object.fromEntries(
    names(count).map((name, i) => {
      const envs: Partial<Record<EnvName, FlagState>> = {};
      for (const [k, env] of ENVS.entries()) {
        const state = pick(env, f(i) + k);
        if (state !== undefined) envs[env] = state;
      }
      return [name, { kind: 'managed', envs } satisfies FlagFile];
    }),
  );
}

function seed(world: ApplyWorld, count: number, f: (i: number) => number): void {
  for (const [i, name] of names(count).entries()) for (const env of ENVS) world.seedLive(env, name, pick(env, f(i)));
}

/** Every managed flag of `desired` whose live state differs, as `env name live → desired`. */
async function differences(world: ApplyWorld, desired: Record<string, FlagFile>): Promise<string[]> {
  const live = await world.readAll();
  const out: string[] = [];
  for (const env of ENVS) {
    for (const [name, file] of Object.entries(desired)) {
      const want: MaybeState = file.kind === 'managed' ? normalizeState(file.envs[env]) : undefined;
      const got = live[env].get(name);
      if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${env} ${name} ${JSON.stringify(got)} → ${JSON.stringify(want)}`);
    }
  }
  return out;
}

let world: ApplyWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('flagops apply under failure', () => {
  it('with 20% of requests failing, repeated applies converge and only a converged run exits 0', { timeout: 60_000 }, async () => {
    const w = (world = await startApplyWorld());
    const vars = { ...w.vars, FLAGOPS_GITLAB_RETRY_BUDGET: '2' };
    seed(w, 12, (i) => 2 * i + 1);
    let faultSeed = 7;
    const faultsOn = () => w.sim.faults.random({ rate: 0.2, kinds: [500, 502, 503, 429, 'reset'], seed: faultSeed++, retryAfter: 0.05 });
    const codes: number[] = [];

    for (const desired of [files(12, (i) => i), files(12, (i) => 3 * i + 2)]) {
      w.writeFlags(desired);
      faultsOn();
      let converged = false;
      for (let run = 0; run < 12 && !converged; run++) {
        const result = await cli(['apply', '--format', 'json'], { cwd: w.dir, env: vars });
        codes.push(result.code);
        expect([0, 3], result.stderr).toContain(result.code);
        if (result.code !== 0) continue;
        expect(JSON.parse(result.stdout).ok).toBe(true);
        // the run said "done": look without faults, then carry on with a fresh fault sequence
        w.sim.faults.clear();
        expect(await differences(w, desired)).toEqual([]);
        converged = true;
      }
      expect(converged, `exit codes ${codes.join(',')}`).toBe(true);
    }
    expect(codes.some((c) => c !== 0), `exit codes ${codes.join(',')}: no run failed, the faults did not bite`).toBe(true);
    // and once converged, with no faults, nothing is left to write
    const mark = w.sim.requests.length;
    expect((await cli(['apply'], { cwd: w.dir, env: vars })).code).toBe(0);
    expect(w.writesSince(mark)).toBe(0);
    expect(w.sim.unexpected).toEqual([]);
  });

  it('a run killed with SIGKILL mid-apply is followed by one that converges', { timeout: 60_000 }, async () => {
    const w = (world = await startApplyWorld());
    const desired = files(40, (i) => i);
    w.writeFlags(desired);
    seed(w, 40, (i) => i + 1);
    w.sim.latency(25);
    const mark = w.sim.requests.length;
    const child = spawn(process.execPath, [BIN, 'apply', '--quiet'], { cwd: w.dir, env: { PATH: process.env.PATH, ...w.vars }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 20_000;
    while (w.writesSince(mark) < 10 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    w.sim.latency(0);
    expect((await differences(w, desired)).length, 'the killed run had already converged: nothing was cut off').toBeGreaterThan(0);

    const next = await cli(['apply', '--format', 'json'], { cwd: w.dir, env: w.vars });
    expect(next.code, next.stdout).toBe(0);
    expect(await differences(w, desired)).toEqual([]);
    const again = w.sim.requests.length;
    expect((await cli(['apply'], { cwd: w.dir, env: w.vars })).code).toBe(0);
    expect(w.writesSince(again)).toBe(0);
  });

  it('two applies at once on the file backend leave valid state equal to desired', { timeout: 60_000 }, async () => {
    const w = (world = await startApplyWorld());
    const desired = files(150, (i) => i);
    w.writeFlags(desired);
    seed(w, 150, (i) => i + 2);
    w.seedLive('dev', 'hand_made', { actors: { users: ['zed'] } }); // no file: left alone
    const [a, b] = await Promise.all([0, 1].map(() => spawnCli(['apply', '--env', 'dev', '--quiet'], { cwd: w.dir, env: w.vars, timeoutMs: 50_000 })));
    expect([a!.code, b!.code], `${a!.stderr}\n${b!.stderr}`).toEqual([0, 0]);
    const doc = JSON.parse(readFileSync(join(w.dir, 'state', 'dev.json'), 'utf8')) as { version: number; flags: Record<string, FlagState> };
    const want = Object.fromEntries(
      Object.entries(desired).flatMap(([name, f]) => (f.kind === 'managed' && f.envs.dev !== undefined ? [[name, normalizeState(f.envs.dev)]] : [])),
    );
    want.hand_made = { actors: { users: ['zed'] } };
    expect(doc.version).toBe(1);
    expect(Object.fromEntries(Object.entries(doc.flags).map(([n, s]) => [n, normalizeState(s)]))).toEqual(want);
  });
});
