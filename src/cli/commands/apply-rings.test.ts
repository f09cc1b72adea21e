import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../../../test/helpers/git-repo.js';
import { cli } from '../../../test/helpers/run-cli.js';
import { useTmpTree } from '../../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const CONFIG = `flags: flags
environments:
  - name: canary
    backend: { type: file, path: state/canary.json }
  - name: ring1
    instances:
      - { name: cell-1, backend: { type: file, path: state/cell-1.json } }
      - { name: cell-2, backend: { type: file, path: state/cell-2.json } }
      - { name: cell-3, backend: { type: file, path: state/cell-3.json } }
`;
const flag = (name: string, envs: string): string => `name: ${name}\ntype: wip\nenvironments:\n${envs}`;
const state = (dir: string, file: string): Record<string, unknown> | undefined => {
  const path = join(dir, 'state', `${file}.json`);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).flags : undefined;
};
const cells = (dir: string) => ['cell-1', 'cell-2', 'cell-3'].map((c) => state(dir, c));

function repo(files: Record<string, string>) {
  const dir = tree({});
  gitRepo(dir).commit({ 'flagops.yml': CONFIG, ...files });
  return dir;
}

describe('apply on a ring', () => {
  it('converges every instance of the ring, each in its own backend; a second run changes nothing', async () => {
    const dir = repo({ 'flags/a.yml': flag('a', '  canary: true\n  ring1: true\n') });
    const first = await cli(['apply'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(state(dir, 'canary')).toEqual({ a: true });
    expect(cells(dir)).toEqual([{ a: true }, { a: true }, { a: true }]);
    for (const c of ['cell-1', 'cell-2', 'cell-3']) expect(first.stdout).toContain(`== ring1/${c} (file)`);
    expect(first.stdout).toContain('ring ring1: converged, 3 of 3 instances converged');
    const second = JSON.parse((await cli(['apply', '--format', 'json'], { cwd: dir })).stdout);
    expect(second.environments.map((e: { env: string; instance?: string }) => [e.env, e.instance ?? null])).toEqual([
      ['canary', null],
      ['ring1', 'cell-1'],
      ['ring1', 'cell-2'],
      ['ring1', 'cell-3'],
    ]);
    expect(second.environments.flatMap((e: { flags: { status: string }[] }) => e.flags.map((f) => f.status))).toEqual(['in-sync', 'in-sync', 'in-sync', 'in-sync']);
    expect(second.rings).toEqual([{ env: 'ring1', size: 3, converged: true, instances: ['cell-1', 'cell-2', 'cell-3'].map((instance) => ({ instance, converged: true })) }]);
  });

  it('--instance applies that one instance only (--environment is --env); status names the instances not converged', async () => {
    const dir = repo({ 'flags/a.yml': flag('a', '  canary: true\n  ring1:\n    percentage_of_actors: 25\n') });
    const one = await cli(['apply', '--environment', 'ring1', '--instance', 'cell-2'], { cwd: dir });
    expect(one.code).toBe(0);
    expect(cells(dir)).toEqual([undefined, { a: { percentage_of_actors: 25 } }, undefined]);
    expect(state(dir, 'canary')).toBeUndefined();
    expect(one.stdout).not.toContain('ring1/cell-1');
    // one instance converged says nothing of the ring
    expect(one.stdout).toContain('ring ring1: 1 of the 1 instance of this run converged (--instance; the ring has 3: flagops status --env ring1)');
    const status = await cli(['status', '--env', 'ring1'], { cwd: dir });
    expect(status.stdout).toContain('ring ring1: NOT converged, 1 of 3 instances converged; not converged: cell-1 (1 out of sync), cell-3 (1 out of sync)');
    expect(status.stdout).toMatch(/== ring1\/cell-1 \(file\)\n {2}a\s+out of sync/);
    // a plain environment's one instance is named after it, so one job per instance works for every environment
    expect((await cli(['apply', '--env', 'canary', '--instance', 'canary'], { cwd: dir })).code).toBe(0);
  });

  it.each([
    [['--env', 'ring1', '--instance', 'cell-9'], '--instance cell-9: no such instance of ring1', 'instances of ring1: cell-1, cell-2, cell-3'],
    [['--instance', 'cell-1'], '--instance cell-1: name one environment with --env (2 selected)', 'flagops apply --env ring1 --instance cell-3'],
    [['--env', 'canary', '--instance', 'cell-1'], '--instance cell-1: no such instance of canary', 'instances of canary: canary'],
  ])('refuses %j with exit 2 before anything is read or written', async (args, message, hint) => {
    const dir = repo({ 'flags/a.yml': flag('a', '  canary: true\n  ring1: true\n') });
    for (const command of ['apply', 'plan', 'status']) {
      const run = await cli([command, ...args], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain(hint);
    }
    expect([state(dir, 'canary'), ...cells(dir)]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('a missing token variable of one instance stops the ring before any instance is written', async () => {
    const dir = tree({});
    gitRepo(dir).commit({
      'flagops.yml': `flags: flags
environments:
  - name: ring1
    instances:
      - { name: cell-1, backend: { type: file, path: state/cell-1.json } }
      - { name: cell-2, backend: { type: gitlab-features, url: http://127.0.0.1:9, token_env: CELL_2_TOKEN } }
`,
      'flags/a.yml': flag('a', '  ring1: true\n'),
    });
    const run = await cli(['apply'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('environment ring1 instance cell-2: $CELL_2_TOKEN is not set');
    expect(state(dir, 'cell-1')).toBeUndefined();
  });
});

describe('check and validate with a ring', () => {
  it("check's soak of the environment after a ring names the instance that has not held the exposure", async () => {
    const dir = tree({});
    const r = gitRepo(dir);
    const base = r.commit({
      'flagops.yml': `${CONFIG}  - name: production\n    backend: { type: file, path: state/production.json }\n    soak: 1d\n`,
      'flags/a.yml': flag('a', '  canary: true\n  ring1: true\n'),
    });
    expect((await cli(['apply', '--env', 'ring1', '--instance', 'cell-1', '--instance', 'cell-3'], { cwd: dir })).code).toBe(0);
    r.commit({ 'flags/a.yml': flag('a', '  canary: true\n  ring1: true\n  production: true\n') });
    const check = await cli(['check', '--base', base, '--format', 'json'], { cwd: dir });
    expect(check.code).toBe(1);
    const soak = JSON.parse(check.stdout).findings.filter((f: { code: string }) => f.code.startsWith('soak'));
    expect(soak.map((f: { code: string; message: string }) => [f.code, f.message.split(' (flagops')[0]])).toEqual([
      ['soak/not-held', 'production: ring1 (instance cell-2 of 3) has not been applied with at least on yet'],
    ]);
  });

  it('validate checks a state against every backend of a ring', async () => {
    const dir = tree({
      'flagops.yml': `flags: flags
environments:
  - name: ring1
    instances:
      - { name: cell-1, backend: { type: file, path: state/cell-1.json } }
      - { name: cell-2, backend: { type: gitlab-feature-flags, url: https://cell-2.example.com, token_env: T, project: 1, environment_scope: production } }
`,
      'flags/my_flag.yml': flag('my_flag', '  ring1:\n    actors:\n      groups: [g]\n'),
    });
    const run = await cli(['validate', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const fit = JSON.parse(run.stdout).findings.filter((f: { code: string }) => f.code === 'backend-fit');
    expect(fit).toHaveLength(1);
    expect(fit[0].message).toBe('ring1: the gitlab-feature-flags backend cannot express this: project feature flags have no groups actors, only user ids');
  });
});

describe('a saved plan of a ring', () => {
  it('is compared instance by instance: one instance changed since is named, and nothing is written anywhere', async () => {
    const dir = repo({ 'flags/a.yml': flag('a', '  canary: true\n  ring1: true\n') });
    expect((await cli(['plan', '--format', 'json', '--output', 'plan.json'], { cwd: dir })).code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(saved.environments.map((e: { env: string; instance?: string }) => e.instance ?? e.env)).toEqual(['canary', 'cell-1', 'cell-2', 'cell-3']);
    // someone applies cell-2 meanwhile
    expect((await cli(['apply', '--env', 'ring1', '--instance', 'cell-2'], { cwd: dir })).code).toBe(0);
    const stale = await cli(['apply', '--plan', 'plan.json'], { cwd: dir });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('error plan/stale: ring1/cell-2: the saved plan');
    expect(stale.stdout).toContain('a: live state changed');
    expect([state(dir, 'canary'), ...cells(dir)]).toEqual([undefined, undefined, { a: true }, undefined]);
    expect((await cli(['plan', '--format', 'json', '--output', 'plan.json'], { cwd: dir })).code).toBe(0);
    expect((await cli(['apply', '--plan', 'plan.json'], { cwd: dir })).code).toBe(0);
    expect([state(dir, 'canary'), ...cells(dir)]).toEqual([{ a: true }, { a: true }, { a: true }, { a: true }]);
  });
});

describe('progress on a ring', () => {
  it('counts each instance on its own while they are applied at once', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`flags/f${i}.yml`] = flag(`f${i}`, '  canary: true\n  ring1: true\n');
    const dir = repo(files);
    const run = await cli(['apply', '--env', 'ring1'], { cwd: dir });
    expect(run.code).toBe(0);
    for (const c of ['cell-1', 'cell-2', 'cell-3']) {
      expect(run.stdout).toContain(`  ring1/${c}: 30/60 flags\n`);
      expect(run.stdout).toContain(`  ring1/${c}: 60/60 flags\n`);
    }
  });
});

describe('markdown of a ring', () => {
  it('has a section per instance and a line per ring', async () => {
    const dir = repo({ 'flags/a.yml': flag('a', '  canary: true\n  ring1: true\n') });
    await cli(['apply', '--env', 'ring1', '--instance', 'cell-3'], { cwd: dir });
    const md = (await cli(['plan', '--env', 'ring1', '--format', 'markdown'], { cwd: dir })).stdout;
    expect(md).toContain('#### ring1/cell-1\n');
    expect(md).toContain('#### ring1/cell-3\n\nIn sync: nothing to change.');
    expect(md).toContain('- ring ring1: NOT converged, 1 of 3 instances converged; not converged: cell-1 (1 out of sync), cell-2 (1 out of sync)\n');
  });
});

describe('gates per instance', () => {
  it("max_step is measured from each instance's live state: the instance a step ahead moves, the one behind is held and named", async () => {
    const dir = tree({});
    const r = gitRepo(dir);
    r.commit({
      'flagops.yml': CONFIG.replace('  - name: ring1\n', '  - name: ring1\n    max_step: 25\n'),
      'flags/a.yml': flag('a', '  canary: true\n  ring1:\n    percentage_of_actors: 25\n'),
      'state/cell-1.json': JSON.stringify({ version: 1, flags: { a: { percentage_of_actors: 25 } } }),
    });
    r.commit({ 'flags/a.yml': flag('a', '  canary: true\n  ring1:\n    percentage_of_actors: 50\n') });
    const run = await cli(['apply', '--env', 'ring1', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.environments.map((e: { instance: string; flags: { status: string }[] }) => [e.instance, e.flags[0]?.status])).toEqual([
      ['cell-1', 'applied'],
      ['cell-2', 'pending'],
      ['cell-3', 'pending'],
    ]);
    const step = report.findings.filter((f: { code: string }) => f.code.startsWith('step'));
    expect(step.map((f: { instance: string; message: string }) => [f.instance, f.message.split(':')[0]])).toEqual([
      ['cell-2', 'ring1/cell-2'],
      ['cell-3', 'ring1/cell-3'],
    ]);
    expect(cells(dir)).toEqual([{ a: { percentage_of_actors: 50 } }, undefined, undefined]);
  });
});
