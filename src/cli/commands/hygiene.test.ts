import { describe, expect, it } from 'vitest';
import { gitRepo } from '../../../test/helpers/git-repo.js';
import { cli } from '../../../test/helpers/run-cli.js';
import { THREE_FILE_ENVS, useTmpTree } from '../../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const ISSUE = 'rollout_issue_url: https://gitlab.example.com/group/app/-/issues/1\n';
const T0 = new Date('2026-01-10T12:00:00Z');
const days = (n: number): Date => new Date(T0.getTime() + n * 86_400_000);

function repo(files: Record<string, string>, config = `flags: flags\n${THREE_FILE_ENVS}`) {
  const dir = tree({});
  const r = gitRepo(dir);
  r.commit({ 'flagops.yml': config, ...files }, 'add flags', '2026-01-01T00:00:00Z');
  return { dir, r };
}

type Report = { ok: boolean; findings: { code: string; flag?: string; severity: string; message: string; hint?: string }[]; settings: { lifespans: Record<string, number | null> } };
const codes = (report: Report, flag: string): string[] => report.findings.filter((f) => f.flag === flag).map((f) => f.code).sort();

describe('flagops hygiene', () => {
  it('reports each reason with its next step, from the records of apply, git and the file', async () => {
    const { dir } = repo({
      // fully on everywhere since the apply at T0
      'flags/on_flag.yml': `name: on_flag\ntype: wip\nmilestone: '18.7'\n${ISSUE}environments:\n  dev: true\n  staging: true\n  production: true\n`,
      // off in every environment (absent in production)
      'flags/off_flag.yml': `name: off_flag\ntype: wip\nmilestone: '18.7'\n${ISSUE}environments:\n  dev: false\n  staging: false\n`,
      // a derisk flag from milestone 17.0 (May 2024): 2 months long over; partly on, so neither on nor off
      'flags/old_flag.yml': `name: old_flag\ntype: gitlab_com_derisk\nmilestone: '17.0'\n${ISSUE}environments:\n  dev: true\n  staging:\n    percentage_of_actors: 10\n`,
      // managed, no rollout issue; ops: no lifespan
      'flags/orphan.yml': `name: orphan\ntype: ops\nmilestone: '10.1'\nenvironments:\n  dev:\n    actors:\n      users: [luke]\n`,
      // intended_to_rollout_by in the past
      'flags/late.yml': `name: late\ntype: beta\nmilestone: '18.7'\n${ISSUE}intended_to_rollout_by: '2026-02-01'\n`,
      // definition only, recent: nothing to report
      'flags/fresh.yml': `name: fresh\ntype: beta\nmilestone: '18.7'\n`,
    });
    expect((await cli(['apply'], { cwd: dir, now: T0 })).code).toBe(0);

    const early = await cli(['hygiene', '--format', 'json'], { cwd: dir, now: days(20) });
    expect(early.code).toBe(0);
    const e = JSON.parse(early.stdout) as Report;
    expect(codes(e, 'on_flag')).toEqual([]); // 20 days < 30
    expect(codes(e, 'off_flag')).toEqual([]);
    expect(codes(e, 'old_flag')).toEqual(['hygiene/lifespan']);
    expect(codes(e, 'orphan')).toEqual(['hygiene/no-rollout-issue']);
    expect(codes(e, 'late')).toEqual([]); // 2026-01-30: not past yet

    const late = await cli(['hygiene', '--format', 'json'], { cwd: dir, now: days(31) });
    const r = JSON.parse(late.stdout) as Report;
    expect(codes(r, 'on_flag')).toEqual(['hygiene/fully-on']);
    expect(codes(r, 'off_flag')).toEqual(['hygiene/off']);
    expect(codes(r, 'old_flag')).toEqual(['hygiene/lifespan']);
    expect(codes(r, 'late')).toEqual(['hygiene/lifespan']);
    expect(codes(r, 'fresh')).toEqual([]);
    const on = r.findings.find((f) => f.flag === 'on_flag')!;
    expect(on.message).toContain('since 2026-01-10 12:00 UTC');
    expect(on.hint).toContain('Remove the flag from the code');
    expect(r.findings.find((f) => f.flag === 'old_flag')!.message).toContain('counted from milestone 17.0 (2024-05-16');
    expect(r.settings.lifespans).toMatchObject({ gitlab_com_derisk: 2, wip: 4, beta: 6, experiment: 6, ops: null });

    const text = await cli(['hygiene'], { cwd: dir, now: days(31) });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('flags/off_flag.yml: warning hygiene/off: off_flag has been off or absent in every environment');
    expect(text.stdout).toContain('5 hygiene findings in 6 flags');
    const md = await cli(['hygiene', '--format', 'markdown'], { cwd: dir, now: days(31) });
    expect(md.stdout).toContain('| fully-on | `on_flag` |');

    expect((await cli(['hygiene', '--fail-on', 'off'], { cwd: dir, now: days(31) })).code).toBe(1);
    expect((await cli(['hygiene', '--fail-on', 'fully-on'], { cwd: dir, now: days(20) })).code).toBe(0);
    const bad = await cli(['hygiene', '--fail-on', 'stale'], { cwd: dir, now: days(20) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on stale: one of lifespan, fully-on, off, no-rollout-issue, any');
  });

  it('a change applied later restarts the clock; lifespans and thresholds come from flagops.yml', async () => {
    const config = `flags: flags\nhygiene:\n  lifespans: { wip: 1 }\n  fully_on_days: 5\n${THREE_FILE_ENVS}`;
    const { dir, r } = repo({ 'flags/a.yml': `name: a\ntype: wip\n${ISSUE}environments:\n  dev: true\n  staging: true\n  production: false\n` }, config);
    await cli(['apply'], { cwd: dir, now: T0 });
    r.commit({ 'flags/a.yml': `name: a\ntype: wip\n${ISSUE}environments:\n  dev: true\n  staging: true\n  production: true\n` });
    await cli(['apply'], { cwd: dir, now: days(10) });
    const at13 = JSON.parse((await cli(['hygiene', '--format', 'json'], { cwd: dir, now: days(13) })).stdout) as Report;
    // on in production only since day 10: 3 days < 5; the wip lifespan (1 month from the file's commit, 2026-01-01) is not over
    expect(codes(at13, 'a')).toEqual([]);
    const at16 = JSON.parse((await cli(['hygiene', '--format', 'json'], { cwd: dir, now: days(16) })).stdout) as Report;
    expect(codes(at16, 'a')).toEqual(['hygiene/fully-on']);
    const at30 = JSON.parse((await cli(['hygiene', '--format', 'json'], { cwd: dir, now: days(30) })).stdout) as Report;
    expect(at30.findings.find((f) => f.code === 'hygiene/lifespan')!.message).toContain('counted from the commit that added its file (2026-01-01 00:00 UTC)');
  });

  it('refuses a bad hygiene section with its position (exit 2)', async () => {
    const { dir } = repo({}, `flags: flags\nhygiene:\n  off_days: 0\n${THREE_FILE_ENVS}`);
    const run = await cli(['hygiene'], { cwd: dir, now: T0 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/flagops\.yml:3:\d+/);
  });
});
