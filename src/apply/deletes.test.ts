/**
 * Destructive changes are loud (issue "merge-request integrity", Build 4): deletes have their own `-` marker, count
 * and section in the plan, and `prune` deletes at most `max_deletes` live flags without a file per environment per
 * run; the rest wait as pending with a finding that says how to raise the bound.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const config = (extra: string): string => `flags: flags\nprune: true\n${extra}environments:\n  - name: dev\n    backend: { type: file, path: state/dev.json }\n`;
const live = (dir: string): Record<string, unknown> => {
  const path = join(dir, 'state', 'dev.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { flags: Record<string, unknown> }).flags : {};
};

function setup(extra: string): string {
  const dir = tree({});
  gitRepo(dir).commit({
    'flagops.yml': config(extra),
    'flags/kept.yml': 'name: kept\ntype: wip\nenvironments:\n  dev: false\n',
    'state/dev.json': JSON.stringify({ version: 1, flags: { kept: true, old_a: true, old_b: false, old_c: { percentage_of_time: 5 }, old_d: true } }),
  });
  return dir;
}

describe('deletes', () => {
  it('the text plan marks deletes with -, counts them and lists them in their own section', async () => {
    const dir = setup('max_deletes: 10\n');
    const plan = await cli(['plan'], { cwd: dir });
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toContain('  ~ kept: on → off\n');
    expect(plan.stdout).toMatch(/ {2}deletes \(4\):\n {2}- old_a: on → unset\n/);
    expect(plan.stdout).toMatch(/1 to change, 4 to delete; plan digest [0-9a-f]{12}/);
    expect(plan.stdout).not.toMatch(/~ old_/);
  });

  it('prune deletes at most max_deletes per run; the rest are pending with how to raise it, and go on the next run', async () => {
    const dir = setup('max_deletes: 2\n');
    const first = await cli(['apply', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(first.stdout) as { findings: { code: string; severity: string; message: string; hint: string }[] };
    expect(first.code).toBe(1);
    expect(report.findings.filter((f) => f.code === 'prune/max-deletes')).toMatchObject([
      { severity: 'error', message: expect.stringContaining('2 held (old_c, old_d)'), hint: expect.stringContaining('max_deletes: 4') },
    ]);
    expect(live(dir)).toEqual({ kept: false, old_c: { percentage_of_time: 5 }, old_d: true });
    const second = await cli(['apply', '--allow-pending'], { cwd: dir });
    expect(second.code, second.stdout).toBe(0);
    expect(live(dir)).toEqual({ kept: false });
  });

  it('max_deletes defaults to 10', async () => {
    const dir = tree({});
    const flags = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`stray_${String(i).padStart(2, '0')}`, true]));
    gitRepo(dir).commit({ 'flagops.yml': config(''), 'flags/.keep': '', 'state/dev.json': JSON.stringify({ version: 1, flags }) });
    const run = await cli(['apply', '--allow-pending'], { cwd: dir });
    expect(run.code, run.stdout).toBe(0);
    expect(Object.keys(live(dir))).toEqual(['stray_10', 'stray_11']);
  });
});
