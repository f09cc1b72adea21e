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
    expect(second.rings).toEqual([{ env: 'ring1', converged: true, instances: ['cell-1', 'cell-2', 'cell-3'].map((instance) => ({ instance, converged: true })) }]);
  });

  it('--instance applies that one instance only (--environment is --env); status names the instances not converged', async () => {
    const dir = repo({ 'flags/a.yml': flag('a', '  canary: true\n  ring1:\n    percentage_of_actors: 25\n') });
    const one = await cli(['apply', '--environment', 'ring1', '--instance', 'cell-2'], { cwd: dir });
    expect(one.code).toBe(0);
    expect(cells(dir)).toEqual([undefined, { a: { percentage_of_actors: 25 } }, undefined]);
    expect(state(dir, 'canary')).toBeUndefined();
    expect(one.stdout).not.toContain('ring1/cell-1');
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
