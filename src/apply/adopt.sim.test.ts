/**
 * Adoption (issue: gates judge operations, not file diffs): live flags are imported into files, and the first
 * apply — with rollout gates configured that the imported states would fail as file diffs from nothing — is green,
 * sends no write and asks GitLab nothing on the gates' behalf.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configText, startApplyWorld, type ApplyWorld } from '../../test/helpers/apply-world.js';
import { cli } from '../../test/helpers/run-cli.js';

let world: ApplyWorld;
beforeAll(async () => {
  world = await startApplyWorld();
  // production after staging, at most 25 points per change: the imported 50 % is "0 → 50, ahead of staging" as a diff
  const text = configText(world.sim.url).replace(/(  - name: production\n)    after: null\n/, '$1    after: staging\n    max_step: 25\n');
  writeFileSync(join(world.dir, 'flagops.yml'), text);
});
afterAll(async () => {
  await world.close();
});

describe('import, then the first apply', () => {
  it('plans nothing and applies green: a flag already live as desired runs no gate', async () => {
    world.writeFlags({});
    world.seedLive('staging', 'adopted', { percentage_of_actors: 30 });
    world.seedLive('production', 'adopted', { percentage_of_actors: 50 });
    for (const env of ['staging', 'production']) {
      const imported = await cli(['import', '--env', env], { cwd: world.dir, env: world.vars });
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    }
    expect(readFileSync(join(world.dir, 'flags', 'adopted.yml'), 'utf8')).toMatch(/production:\n\s+percentage_of_actors: 50/);

    const plan = await cli(['plan', '--env', 'staging', '--env', 'production', '--format', 'json'], { cwd: world.dir, env: world.vars });
    expect(plan.code, plan.stdout).toBe(0);
    const mark = world.sim.requests.length;
    const apply = await cli(['apply', '--env', 'staging', '--env', 'production', '--format', 'json'], { cwd: world.dir, env: world.vars });
    const report = JSON.parse(apply.stdout) as { findings: { code: string; severity: string }[] };
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(apply.code).toBe(0);
    expect(world.writesSince(mark)).toBe(0);
  });

  it('a real rollout past the gates is still held: 50 → 80 in production is a step of 30 and ahead of staging', async () => {
    const file = join(world.dir, 'flags', 'adopted.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/percentage_of_actors: 50/, 'percentage_of_actors: 80'));
    const apply = await cli(['apply', '--env', 'production', '--format', 'json'], { cwd: world.dir, env: world.vars });
    const report = JSON.parse(apply.stdout) as { findings: { code: string; message: string }[] };
    expect(apply.code).toBe(1);
    expect(report.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['step/too-large', 'promotion/ahead-of-after']));
    expect(report.findings.find((f) => f.code === 'step/too-large')?.message).toMatch(/from 50% to 80% \(30 points\)/);
  });
});
