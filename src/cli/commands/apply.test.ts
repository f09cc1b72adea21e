import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../../../test/helpers/git-repo.js';
import { cli } from '../../../test/helpers/run-cli.js';
import { THREE_FILE_ENVS, useTmpTree } from '../../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const CONFIG = `flags: flags\n${THREE_FILE_ENVS}`;
const flag = (name: string, envs: string): string => `name: ${name}\ntype: wip\nenvironments:\n${envs}`;
const state = (dir: string, env: string) => {
  const path = join(dir, 'state', `${env}.json`);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).flags : {};
};

function repo(files: Record<string, string>) {
  const dir = tree({});
  const r = gitRepo(dir);
  const sha = r.commit({ 'flagops.yml': CONFIG, ...files });
  return { dir, r, sha };
}

describe('flagops apply on the file backend', () => {
  it('converges every environment, then a second run changes nothing', async () => {
    const { dir } = repo({ 'flags/a.yml': flag('a', '  dev: true\n  staging:\n    percentage_of_actors: 10\n  production: false\n') });
    const first = await cli(['apply'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('validate: 0 errors, 1 warning in 1 file');
    expect(first.stdout).toContain('✓ a: unset → 10% of actors [applied]');
    expect([state(dir, 'dev'), state(dir, 'staging'), state(dir, 'production')]).toEqual([{ a: true }, { a: { percentage_of_actors: 10 } }, { a: false }]);
    const second = await cli(['apply', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(second.stdout);
    expect(report.ok).toBe(true);
    expect(report.environments.flatMap((e: { flags: { status: string }[] }) => e.flags.map((f) => f.status))).toEqual(['in-sync', 'in-sync', 'in-sync']);
  });

  it('--dry-run and plan change nothing; status reports every flag', async () => {
    const { dir } = repo({ 'flags/a.yml': flag('a', '  dev: true\n') });
    expect((await cli(['apply', '--dry-run'], { cwd: dir })).code).toBe(0);
    expect((await cli(['plan'], { cwd: dir })).stdout).toContain('~ a: unset → on');
    expect(state(dir, 'dev')).toEqual({});
    await cli(['apply', '--env', 'dev'], { cwd: dir });
    const status = await cli(['status', '--env', 'dev'], { cwd: dir });
    expect(status.stdout).toMatch(/a\s+in-sync\s+on/);
  });

  it('deleting a managed file deletes the flag everywhere; live flags without a file stay', async () => {
    const { dir, r } = repo({ 'flags/a.yml': flag('a', '  dev: true\n  staging: true\n'), 'flags/b.yml': flag('b', '  dev: true\n') });
    await cli(['apply'], { cwd: dir });
    const before = r.git('rev-parse', 'HEAD');
    writeFileSync(join(dir, 'state', 'production.json'), JSON.stringify({ version: 1, flags: { manual_flag: true } }));
    r.commit({ 'flags/a.yml': null });
    const run = await cli(['apply'], { cwd: dir, env: { CI_COMMIT_BEFORE_SHA: before } });
    expect(run.code).toBe(0);
    expect([state(dir, 'dev'), state(dir, 'staging'), state(dir, 'production')]).toEqual([{ b: true }, {}, { manual_flag: true }]);
  });

  it('holds a change the promotion gate refuses: exit 1, or 0 with --allow-pending', async () => {
    const { dir } = repo({ 'flags/a.yml': flag('a', '  dev: false\n  staging: true\n') });
    const run = await cli(['apply'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('⏸ a: unset → on [pending]');
    expect(state(dir, 'staging')).toEqual({});
    expect(state(dir, 'dev')).toEqual({ a: false });
    expect((await cli(['apply', '--allow-pending'], { cwd: dir })).code).toBe(0);
  });

  it('drift: an outside change to a flag whose file did not change is held and reported', async () => {
    const { dir, r } = repo({ 'flags/a.yml': flag('a', '  dev: true\n'), 'flags/b.yml': flag('b', '  dev: true\n') });
    await cli(['apply'], { cwd: dir });
    const before = r.git('rev-parse', 'HEAD');
    writeFileSync(join(dir, 'state', 'dev.json'), JSON.stringify({ version: 1, flags: { a: false, b: true } }));
    r.commit({ 'flags/c.yml': flag('c', '  dev: true\n') });
    const run = await cli(['apply', '--format', 'json'], { cwd: dir, env: { CI_COMMIT_BEFORE_SHA: before } });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.filter((f: { severity: string }) => f.severity === 'error')).toMatchObject([{ code: 'drift', severity: 'error', flag: 'a', env: 'dev' }]);
    expect(state(dir, 'dev')).toEqual({ a: false, b: true, c: true });
  });

  it('refuses to apply anything while a flag file is invalid', async () => {
    const { dir } = repo({ 'flags/a.yml': flag('a', '  dev: true\n'), 'flags/b.yml': 'name: b\nname: b\n' });
    const run = await cli(['apply'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('flags/b.yml:2:1: error yaml/syntax');
    expect(state(dir, 'dev')).toEqual({});
  });

  it('apply --plan applies a reviewed plan, and refuses it once live state moved', async () => {
    const { dir } = repo({ 'flags/a.yml': flag('a', '  dev: true\n') });
    await cli(['plan', '--env', 'dev', '--format', 'json', '--output', 'plan.json'], { cwd: dir });
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8'))).toMatchObject({ planVersion: 1, environments: [{ env: 'dev' }] });
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(join(dir, 'state', 'dev.json'), JSON.stringify({ version: 1, flags: { a: false } }));
    const stale = await cli(['apply', '--env', 'dev', '--plan', 'plan.json'], { cwd: dir });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/error plan\/stale: dev: the saved plan \(digest [0-9a-f]{12}\) is not what apply would do now .*a: live state changed/);
    expect(state(dir, 'dev')).toEqual({ a: false });
    writeFileSync(join(dir, 'state', 'dev.json'), JSON.stringify({ version: 1, flags: {} }));
    expect((await cli(['apply', '--env', 'dev', '--plan', 'plan.json'], { cwd: dir })).code).toBe(0);
    expect(state(dir, 'dev')).toEqual({ a: true });
  });
});
