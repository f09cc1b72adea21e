/**
 * Drift and flagops' own steps, without a `gitlab` section (the base is CI_COMMIT_BEFORE_SHA, no deployment record):
 * an apply cut off between "set false" and "set 75 %" is completed by the next run, a hand-lowered flag is rolled
 * back further by the merge request that says so, and a rollout over someone's emergency change is still held.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApplyWorld, type ApplyWorld } from '../../test/helpers/apply-world.js';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli } from '../../test/helpers/run-cli.js';

let world: ApplyWorld;
beforeAll(async () => {
  world = await startApplyWorld();
});
afterAll(async () => {
  await world.close();
});

interface Report {
  environments: { env: string; flags: { flag: string; status: string }[] }[];
  findings: { code: string; severity: string; message: string; hint?: string }[];
}

/** `base`: the commit applied before (CI_COMMIT_BEFORE_SHA); none for a first apply. */
async function applyStaging(base?: string) {
  const run = await cli(['apply', '--format', 'json', '--env', 'staging'], { cwd: world.dir, env: { ...world.vars, ...(base ? { CI_COMMIT_BEFORE_SHA: base } : {}) } });
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

async function liveStaging(flag: string) {
  return (await world.readAll()).staging.get(flag);
}

describe('drift without a deployment record', () => {
  it('an apply cut off half-way (fully on → 75 %: "set false" done, "set 75" failed) is completed by the next run', async () => {
    const repo = gitRepo(world.dir);
    world.writeFlags({ cut: { kind: 'managed', envs: { staging: true } } });
    const base = repo.commit({}, 'cut: on');
    expect((await applyStaging()).code).toBe(0);
    expect(await liveStaging('cut')).toBe(true);

    world.writeFlags({ cut: { kind: 'managed', envs: { staging: { percentage_of_actors: 75 } } } });
    repo.commit({}, 'cut: 75 %');
    // the second write of the flag fails for good (400: no retry)
    const fault = world.sim.faults.add({ method: 'POST', path: /\/features\/cut$/, kind: 'status', status: 400, skip: 1, times: 1 });
    const cutOff = await applyStaging(base);
    fault.remove();
    expect(cutOff.code).not.toBe(0);
    expect(await liveStaging('cut')).toBe(false); // flagops' own step: disabled before the percentage is set

    const again = await applyStaging(base);
    expect(again.report.findings.filter((f) => f.code === 'drift')).toEqual([]);
    expect(again.code).toBe(0);
    expect(await liveStaging('cut')).toEqual({ percentage_of_actors: 75 });
  });

  it('a flag hand-lowered to 30 % in an emergency, then set to false in the file: the rollback lands, with a drift warning', async () => {
    const repo = gitRepo(world.dir);
    world.writeFlags({ low: { kind: 'managed', envs: { staging: { percentage_of_actors: 50 } } } });
    const base = repo.commit({}, 'low: 50 %');
    expect((await applyStaging()).code).toBe(0);
    world.sim.setFeature('low', { percentageOfActors: 30 }); // someone's `feature set low 30 --actors`

    world.writeFlags({ low: { kind: 'managed', envs: { staging: false } } });
    repo.commit({}, 'low: off');
    const run = await applyStaging(base);
    expect(run.code).toBe(0);
    expect(await liveStaging('low')).toBe(false);
    const drift = run.report.findings.filter((f) => f.code === 'drift');
    expect(drift).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('was changed outside flagops') })]);
    expect(drift[0]?.hint).toMatch(/rollback is never held/);
  });

  it('a rollout over the same emergency change is still held as drift (exit 1, the live 30 % stays)', async () => {
    const repo = gitRepo(world.dir);
    world.writeFlags({ held: { kind: 'managed', envs: { staging: { percentage_of_actors: 50 } } } });
    const base = repo.commit({}, 'held: 50 %');
    expect((await applyStaging()).code).toBe(0);
    world.sim.setFeature('held', { percentageOfActors: 30 });

    world.writeFlags({ held: { kind: 'managed', envs: { staging: { percentage_of_actors: 60 } } } });
    repo.commit({}, 'held: 60 %');
    const mark = world.sim.requests.length;
    const run = await applyStaging(base);
    expect(run.code).toBe(1);
    expect(run.report.environments[0]?.flags.find((f) => f.flag === 'held')?.status).toBe('drift-held');
    expect(world.writesSince(mark)).toBe(0);
    expect(await liveStaging('held')).toEqual({ percentage_of_actors: 30 });
  });
});
