/**
 * A saved plan is a claim, never a script (issue "merge-request integrity", Build 0): `apply --plan` plans again
 * from the files, the live state and the gates, for every environment, before any write, and applies only a plan
 * whose digest is the saved one. A tampered or outdated plan writes nothing and exits 1, naming what differs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const CONFIG = `flags: flags
environments:
  - name: dev
    backend: { type: file, path: state/dev.json }
  - name: production
    after: null
    max_step: 10
    backend: { type: file, path: state/production.json }
`;
const flag = (name: string, envs: string): string => `name: ${name}\ntype: wip\nenvironments:\n${envs}`;
const stateOf = (dir: string, env: string): Record<string, unknown> => {
  const path = join(dir, 'state', `${env}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { flags: Record<string, unknown> }).flags : {};
};
interface SavedPlan {
  environments: { env: string; digest?: string; flags: { flag: string; status: string; live?: unknown; reasons: string[]; operations: unknown[] }[] }[];
}

function setup(): string {
  const dir = tree({});
  gitRepo(dir).commit({
    'flagops.yml': CONFIG,
    // production: 0 → 50 % is a step of 50 points: held by max_step
    'flags/a.yml': flag('a', '  dev: true\n  production:\n    percentage_of_actors: 50\n'),
    'state/production.json': JSON.stringify({ version: 1, flags: { stray: true } }),
  });
  return dir;
}

async function savePlan(dir: string): Promise<SavedPlan> {
  const made = await cli(['plan', '--format', 'json', '--output', 'plan.json'], { cwd: dir });
  expect(made.code, made.stdout).toBe(1); // a is pending in production
  return JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as SavedPlan;
}

const apply = (dir: string) => cli(['apply', '--plan', 'plan.json', '--allow-pending', '--format', 'json'], { cwd: dir });
type Report = { ok: boolean; findings: { code: string; env?: string; message: string }[] };

describe('apply --plan', () => {
  it('the untouched plan applies, and the report carries the digest the plan showed', async () => {
    const dir = setup();
    const saved = await savePlan(dir);
    expect(saved.environments.map((e) => e.digest)).toEqual([expect.stringMatching(/^[0-9a-f]{12}$/), expect.stringMatching(/^[0-9a-f]{12}$/)]);
    const run = await apply(dir);
    expect(run.code, run.stdout).toBe(0);
    expect(stateOf(dir, 'dev')).toEqual({ a: true });
    const report = JSON.parse(run.stdout) as { environments: { env: string; digest: string }[] };
    expect(report.environments.map((e) => e.digest)).toEqual(saved.environments.map((e) => e.digest));
  });

  it('a plan edited to flip pending to change writes nothing, in any environment: the gates say pending now', async () => {
    const dir = setup();
    const saved = await savePlan(dir);
    const prod = saved.environments.find((e) => e.env === 'production')!;
    const a = prod.flags.find((f) => f.flag === 'a')!;
    expect(a.status).toBe('pending');
    Object.assign(a, { status: 'change', reasons: [], operations: [{ flag: 'a', action: 'set', describe: 'set a', payload: { state: { percentage_of_actors: 50 } } }] });
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(saved));
    const run = await apply(dir);
    const report = JSON.parse(run.stdout) as Report;
    expect(run.code).toBe(1);
    expect(report.findings.filter((f) => f.code === 'plan/stale')).toMatchObject([
      { env: 'production', message: expect.stringMatching(/nothing was written: a: gates: change in the saved plan, pending now/) },
    ]);
    // dev comes first and its part of the plan is intact: still nothing is written before every environment checks out
    expect(stateOf(dir, 'dev')).toEqual({});
    expect(stateOf(dir, 'production')).toEqual({ stray: true });
  });

  it('a plan edited to add an entry deleting an unmanaged flag writes nothing and exits 1', async () => {
    const dir = setup();
    const saved = await savePlan(dir);
    const prod = saved.environments.find((e) => e.env === 'production')!;
    prod.flags.push({ flag: 'stray', status: 'change', live: true, reasons: [], operations: [{ flag: 'stray', action: 'delete', describe: 'feature delete stray', payload: {} }] });
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(saved));
    const run = await apply(dir);
    const report = JSON.parse(run.stdout) as Report;
    expect(run.code).toBe(1);
    expect(report.findings.find((f) => f.code === 'plan/stale')?.message).toMatch(/stray: in the saved plan \(change, 1 operation\(s\)\) but not planned now/);
    expect(stateOf(dir, 'production')).toEqual({ stray: true });
    expect(stateOf(dir, 'dev')).toEqual({});
  });

  it('files changed since the plan: named as such, nothing written', async () => {
    const dir = setup();
    await savePlan(dir);
    writeFileSync(join(dir, 'flags', 'a.yml'), flag('a', '  dev: false\n  production:\n    percentage_of_actors: 50\n'));
    const run = await apply(dir);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as Report).findings.find((f) => f.code === 'plan/stale')?.message).toMatch(/dev: .*a: files changed \(desired state\)/);
    expect(stateOf(dir, 'dev')).toEqual({});
  });
});
