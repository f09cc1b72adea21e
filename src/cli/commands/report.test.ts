import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DashboardModel } from '../../dashboard/model.js';
import { gitRepo } from '../../../test/helpers/git-repo.js';
import { cli } from '../../../test/helpers/run-cli.js';
import { THREE_FILE_ENVS, useTmpTree } from '../../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const T0 = new Date('2026-01-10T12:00:00Z');
const days = (n: number): Date => new Date(T0.getTime() + n * 86_400_000);
const ISSUE = 'rollout_issue_url: https://gitlab.example.com/group/app/-/issues/1\n';
const file = (production: string): string => `name: a\ntype: wip\ngroup: group::x\n${ISSUE}environments:\n  dev: true\n  staging: true\n  production: ${production}\n`;

async function world() {
  const dir = tree({});
  const r = gitRepo(dir);
  r.commit({ 'flagops.yml': `flags: flags\n${THREE_FILE_ENVS}`, '.gitignore': 'state/\n.flagops/\n', 'flags/a.yml': file('false') }, 'add', days(-1).toISOString());
  expect((await cli(['apply'], { cwd: dir, now: T0 })).code).toBe(0);
  r.commit({ 'flags/a.yml': file('true') }, 'on in production', days(2).toISOString());
  return { dir, r };
}

describe('flagops report', () => {
  it('--format json: the file, the last apply, live state, pending and drift per cell, timelines from records and git', async () => {
    const { dir } = await world();
    // someone turned staging off by hand
    const staging = join(dir, 'state/staging.json');
    const doc = JSON.parse(readFileSync(staging, 'utf8')) as { flags: Record<string, unknown> };
    doc.flags.a = false;
    writeFileSync(staging, JSON.stringify(doc));
    const run = await cli(['report', '--format', 'json', '--days', '7'], { cwd: dir, now: days(3) });
    expect(run.code, run.stderr).toBe(0);
    const m = JSON.parse(run.stdout) as DashboardModel;
    expect(m).toMatchObject({ dashboardVersion: 1, generatedAt: days(3).toISOString(), since: days(-4).toISOString() });
    expect(m.environments.map((e) => [e.name, e.backend, e.records, e.live?.source])).toEqual([
      ['dev', 'file', 'file', 'backend'],
      ['staging', 'file', 'file', 'backend'],
      ['production', 'file', 'file', 'backend'],
    ]);
    const a = m.flags[0]!;
    expect(a).toMatchObject({ name: 'a', file: 'flags/a.yml', group: 'group::x', type: 'wip', managed: true });
    expect(a.cells.production).toMatchObject({ pending: true, drift: false, current: 'off', desired: { label: 'on' }, applied: { label: 'off', at: T0.toISOString() } });
    expect(a.cells.staging).toMatchObject({ pending: false, drift: true, current: 'off', applied: { label: 'on' } });
    expect(a.cells.dev).toMatchObject({ pending: false, drift: false, current: 'on' });
    expect(a.timeline.production!.applied).toEqual([{ at: T0.toISOString(), band: 'off', label: 'off' }]);
    expect(a.timeline.production!.file.map((p) => [p.at, p.label])).toEqual([
      [days(-1).toISOString(), 'off'],
      [days(2).toISOString(), 'on'],
    ]);
    expect(a.timeline.dev!.file.map((p) => p.label)).toEqual(['on']);
    expect(a.timeline.production!.file[1]!.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('--html DIR writes one self-contained page and says its size; text summarises', async () => {
    const { dir } = await world();
    const run = await cli(['report', '--html', 'site'], { cwd: dir, now: days(3) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^1 flag × 3 environments: 1 pending, 0 drift, 0 with hygiene findings\nwrote site\/index\.html \(\d+\.\d KiB\)\n$/);
    const html = readFileSync(join(dir, 'site/index.html'), 'utf8');
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\';');
    expect(html).toContain('"a"');
  });

  it('reads the published snapshot of a GitLab environment; an invalid one is a note and is not used', async () => {
    const dir = tree({});
    const r = gitRepo(dir);
    const config = `flags: flags\nenvironments:\n  - name: gprd\n    backend: { type: gitlab-features, url: https://gitlab.example.com, token_env: GPRD_TOKEN }\n`;
    r.commit({ 'flagops.yml': config, 'flags/a.yml': `name: a\ntype: wip\n${ISSUE}environments:\n  gprd: true\n` }, 'add', days(-1).toISOString());
    mkdirSync(join(dir, '.flagops/live'), { recursive: true });
    writeFileSync(join(dir, '.flagops/live/gprd.json'), JSON.stringify({ snapshotVersion: 1, environment: 'gprd', readAt: days(1).toISOString(), flags: { a: { percentage_of_actors: 25 } } }));
    const m = JSON.parse((await cli(['report', '--format', 'json'], { cwd: dir, now: days(2) })).stdout) as DashboardModel;
    expect(m.environments[0]).toEqual({ name: 'gprd', backend: 'gitlab-features', records: 'none', live: { source: 'snapshot', readAt: days(1).toISOString() } });
    expect(m.flags[0]!.cells.gprd).toMatchObject({ current: 'mid', pending: true, drift: false, live: [{ label: '25%', source: 'snapshot' }] });

    writeFileSync(join(dir, '.flagops/live/gprd.json'), JSON.stringify({ snapshotVersion: 1, environment: 'gstg', readAt: days(1).toISOString(), flags: {} }));
    const bad = JSON.parse((await cli(['report', '--format', 'json'], { cwd: dir, now: days(2) })).stdout) as DashboardModel;
    expect(bad.environments[0]!.live).toBeUndefined();
    expect(bad.flags[0]!.cells.gprd).toMatchObject({ current: 'on', pending: false });
    expect(bad.findings.find((f) => f.code === 'report/snapshot-invalid')!.message).toBe('gprd: the live snapshot is not used: it is the snapshot of "gstg"');

    // --live reads the backend itself, which needs its token: a configuration error naming the variable, nothing written
    const live = await cli(['report', '--live', '--html', 'out'], { cwd: dir, now: days(2) });
    expect(live.code).toBe(2);
    expect(live.stderr).toContain('$GPRD_TOKEN is not set');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('refuses a bad --days, and an --html folder it cannot write (exit 2)', async () => {
    const { dir } = await world();
    writeFileSync(join(dir, 'taken'), 'a file, not a folder');
    const taken = await cli(['report', '--html', 'taken'], { cwd: dir, now: days(3) });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('--html taken: cannot write taken/index.html (EEXIST)');
    for (const bad of ['0', '1.5', 'week']) {
      const run = await cli(['report', '--days', bad], { cwd: dir, now: days(3) });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--days ${bad}: a whole number of days from 1 to 3650`);
    }
  });
});
