/**
 * The rollback fast lane: with `--fast-lane true`, a push that only rolls back is applied to every environment by the
 * generator itself (the child then confirms); a rollout is not touched; a target whose token this job lacks is left
 * to its child job.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../../../test/helpers/git-repo.js';
import { cli } from '../../../test/helpers/run-cli.js';
import { THREE_FILE_ENVS, useTmpTree } from '../../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const flag = (envs: string) => `name: a_flag\ntype: beta\nmilestone: '17.1'\nenvironments:\n${envs}`;
const ON = flag('  dev: true\n  staging: true\n  production: true\n');
const OFF = flag('  dev: false\n  staging: false\n  production: false\n');
const CELL = `  - name: cell\n    backend: { type: gitlab-features, url: https://cell.example.com, token_env: FLAGOPS_CELL_TOKEN }\n`;

/** A repository whose environments were applied at `before`, and whose HEAD commit moves the flag to `after`. */
async function applied(before: string, after: string, extra = '') {
  const dir = tree({});
  const repo = gitRepo(dir);
  const config = `flags: flags\n${THREE_FILE_ENVS}${extra}`;
  const base = repo.commit({ 'flagops.yml': config, 'flags/a_flag.yml': before }, 'before');
  const first = await cli(['apply', '--env', 'dev', '--env', 'staging', '--env', 'production', '--quiet'], { cwd: dir, env: {} });
  expect(first.code, first.stdout + first.stderr).toBe(0);
  repo.commit({ 'flags/a_flag.yml': after }, 'after');
  return { dir, base };
}
const state = (dir: string, env: string) => JSON.parse(readFileSync(join(dir, 'state', `${env}.json`), 'utf8')) as unknown;

describe('flagops pipeline --fast-lane', () => {
  it('a rollback: the generator applies every environment itself, each with its report; the child still lists them all', async () => {
    const { dir, base } = await applied(ON, OFF);
    const before = state(dir, 'production');
    const run = await cli(['pipeline', '--format', 'json', '--output', 'child.yml', '--fast-lane', 'true'], { cwd: dir, env: { CI_COMMIT_BEFORE_SHA: base } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { lane: string; jobs: string[]; fastLane: { target: string; outcome: string; report: string }[] };
    expect(out.lane).toBe('rollback');
    expect(out.fastLane.map((r) => [r.target, r.outcome])).toEqual([['dev', 'applied'], ['staging', 'applied'], ['production', 'applied']]);
    expect(state(dir, 'production')).not.toEqual(before);
    for (const env of ['dev', 'staging', 'production']) expect(JSON.stringify(state(dir, env))).toMatch(/"a_flag":\{[^}]*false|"a_flag":false/);
    const report = JSON.parse(readFileSync(join(dir, 'flagops-fast-lane-production.json'), 'utf8')) as { command: string; ok: boolean };
    expect(report).toMatchObject({ command: 'apply', ok: true });
    expect(out.jobs).toEqual(['flagops-apply-dev', 'flagops-apply-staging', 'flagops-apply-production']);
    // the child confirms: applying again finds nothing to change
    const again = await cli(['apply', '--env', 'production', '--format', 'json'], { cwd: dir, env: {} });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/"done": true/);
  });

  it('a rollout is never fast-laned: nothing is applied by the generator', async () => {
    const { dir, base } = await applied(OFF, ON);
    const before = state(dir, 'dev');
    const run = await cli(['pipeline', '--format', 'json', '--output', 'child.yml', '--fast-lane', 'true'], { cwd: dir, env: { CI_COMMIT_BEFORE_SHA: base } });
    expect(JSON.parse(run.stdout)).toMatchObject({ lane: 'rollout', fastLane: null });
    expect(state(dir, 'dev')).toEqual(before);
  });

  it('a target whose token this job does not see is left to its child job, named, and nothing fails', async () => {
    const { dir, base } = await applied(ON, flag('  dev: false\n  staging: false\n  production: false\n  cell: false\n'), CELL);
    const run = await cli(['pipeline', '--output', 'child.yml', '--fast-lane', 'true'], { cwd: dir, env: { CI_COMMIT_BEFORE_SHA: base } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('fast lane: production applied in ');
    expect(run.stdout).toContain('fast lane: cell skipped: $FLAGOPS_CELL_TOKEN is not set in this job; its child job applies it\n');
  });

  it('a ring: every instance applied by the generator, each on its own (apply --instance), with its own report', async () => {
    const ring = `  - name: ring1\n    after: dev\n    instances:\n${[1, 2, 3].map((i) => `      - { name: cell-${i}, backend: { type: file, path: state/ring1-${i}.json } }\n`).join('')}`;
    const dir = tree({});
    const repo = gitRepo(dir);
    const base = repo.commit({ 'flagops.yml': `flags: flags\n${THREE_FILE_ENVS}${ring}`, 'flags/a_flag.yml': flag('  dev: true\n  ring1: true\n') }, 'before');
    const first = await cli(['apply', '--env', 'dev', '--env', 'ring1', '--quiet'], { cwd: dir, env: {} });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    repo.commit({ 'flags/a_flag.yml': flag('  dev: false\n  ring1: false\n') }, 'after');
    const run = await cli(['pipeline', '--format', 'json', '--output', 'child.yml', '--fast-lane', 'true'], { cwd: dir, env: { CI_COMMIT_BEFORE_SHA: base } });
    const out = JSON.parse(run.stdout) as { lane: string; fastLane: { target: string; outcome: string; report?: string }[] };
    expect(out.lane).toBe('rollback');
    expect(out.fastLane.filter((r) => r.target.startsWith('ring1/')).map((r) => [r.target, r.outcome, r.report])).toEqual([1, 2, 3].map((i) => [`ring1/cell-${i}`, 'applied', `flagops-fast-lane-ring1.cell-${i}.json`]));
    for (const i of [1, 2, 3]) expect(JSON.stringify(JSON.parse(readFileSync(join(dir, 'state', `ring1-${i}.json`), 'utf8')))).toMatch(/"a_flag":\{[^}]*false|"a_flag":false/);
  });

  it('a target that fails in the fast lane is named and left to its child job; the others are applied, the job passes', async () => {
    const { dir, base } = await applied(ON, OFF);
    writeFileSync(join(dir, 'state', 'staging.json'), 'not json');
    const run = await cli(['pipeline', '--format', 'json', '--output', 'child.yml', '--fast-lane', 'true'], { cwd: dir, env: { CI_COMMIT_BEFORE_SHA: base } });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { fastLane: { target: string; outcome: string; exit?: number; reason?: string }[] };
    expect(out.fastLane.map((r) => [r.target, r.outcome])).toEqual([['dev', 'applied'], ['staging', 'failed'], ['production', 'applied']]);
    expect(out.fastLane[1]!.exit).toBeGreaterThan(0);
    expect(out.fastLane[1]!.reason).toMatch(/staging/);
  });

  it('--fast-lane takes true or false', async () => {
    const { dir } = await applied(ON, OFF);
    const run = await cli(['pipeline', '--fast-lane', 'yes'], { cwd: dir, env: {} });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--fast-lane is true or false, not 'yes'");
  });
});
