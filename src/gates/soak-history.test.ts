import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGit } from '../git/git.js';
import { createGitFlagHistory, readRevision } from './soak-history.js';
import { soakGate } from './soak.js';
import { envConfig, flagChange, gateContext } from './test-fixtures.js';

let dir = '';
let shallowDir = '';

async function commit(file: string, content: string, date: string, cwd = dir): Promise<void> {
  await mkdir(path.dirname(path.join(cwd, file)), { recursive: true });
  await writeFile(path.join(cwd, file), content);
  const env = { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date };
  await execa('git', ['add', '-A'], { cwd, env });
  await execa('git', ['commit', '-q', '-m', `change ${date}`], { cwd, env });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flagops-soak-'));
  await execa('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  await execa('git', ['config', 'user.email', 't@example.com'], { cwd: dir });
  await execa('git', ['config', 'user.name', 'T'], { cwd: dir });
  await commit('repo/flags/my_flag.yml', 'name: my_flag\ntype: beta\n', '2026-11-01T00:00:00Z');
  await commit(
    'repo/flags/my_flag.yml',
    'name: my_flag\nenvironments:\n  staging:\n    percentage_of_actors: 10\n',
    '2026-11-10T00:00:00Z',
  );
  await commit(
    'repo/flags/my_flag.yml',
    'name: my_flag\nenvironments:\n  staging:\n    percentage_of_actors: 50\n',
    '2026-11-20T07:00:00Z',
  );
  await commit('repo/flags/other.yml', 'name: other\n', '2026-11-20T08:00:00Z');
  await commit(
    'repo/flags/my_flag.yml',
    'name: my_flag\nenvironments:\n  staging: true\n  dev: true\n',
    '2026-11-21T07:00:00Z',
  );
  shallowDir = await mkdtemp(path.join(tmpdir(), 'flagops-soak-shallow-'));
  await execa('git', ['clone', '-q', '--depth', '2', `file://${dir}`, shallowDir]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(shallowDir, { recursive: true, force: true });
});

const production = envConfig({ soak: '1d', soakMs: 86_400_000 });
const change = flagChange({
  before: undefined,
  after: { percentage_of_actors: 25 },
  desiredByEnv: { staging: true },
});
/** The flag files of the clone in `cwd` (under repo/), as of HEAD. */
const historyOf = (cwd: string) =>
  createGitFlagHistory({ git: createGit({ cwd }), ref: 'HEAD', dir: path.join(cwd, 'repo') });

describe('git flag history for soak', () => {
  it('reads each committed version of the flag file, newest first', async () => {
    const history = historyOf(dir);
    const h = await history({ flag: 'my_flag', file: 'flags/my_flag.yml' });
    expect(h.shallow).toBe(false);
    expect(h.revisions.map((r) => [r.committedAt.toISOString(), r.environments?.staging])).toEqual([
      ['2026-11-21T07:00:00.000Z', true],
      ['2026-11-20T07:00:00.000Z', { percentage_of_actors: 50 }],
      ['2026-11-10T00:00:00.000Z', { percentage_of_actors: 10 }],
      ['2026-11-01T00:00:00.000Z', undefined],
    ]);
    expect(h.revisions[3]?.environments).toBeUndefined();
  });

  it('feeds the soak gate: held since the 50% commit', async () => {
    const history = historyOf(dir);
    const ctx = gateContext({ env: production, history });
    const early = await soakGate(change, { ...ctx, now: new Date('2026-11-21T01:00:00Z') });
    expect(early[0]?.message).toMatch(
      /for 18h of the required 1d \(since 2026-11-20 07:00 UTC\)\. Wait until 2026-11-21 07:00 UTC\.$/,
    );
    expect(await soakGate(change, { ...ctx, now: new Date('2026-11-21T07:00:00Z') })).toEqual([]);
    // 60% needs staging at more than 50%: only since the `true` commit
    const higher = await soakGate(
      { ...change, after: { percentage_of_actors: 60 } },
      { ...ctx, now: new Date('2026-11-21T10:00:00Z') },
    );
    expect(higher[0]?.message).toMatch(/for 3h of the required 1d \(since 2026-11-21 07:00 UTC\)/);
  });

  it('reports a shallow clone that hides the history soak needs', async () => {
    const history = historyOf(shallowDir);
    const h = await history({ flag: 'my_flag', file: 'flags/my_flag.yml' });
    expect(h.shallow).toBe(true);
    const f = await soakGate(
      { ...change, after: { percentage_of_actors: 40 } },
      gateContext({ now: new Date('2026-11-21T01:00:00Z'), env: production, history }),
    );
    expect(f[0]?.code).toBe('soak/shallow-history');
    expect(f[0]?.hint).toMatch(/GIT_DEPTH: 0/);
  });

  it('reads a revision defensively', () => {
    expect(
      readRevision({
        default_enabled: true,
        environments: { a: { percentage_of_actors: '5', actors: { users: ['x', 3] } }, b: null },
      }),
    ).toEqual({
      defaultEnabled: true,
      environments: { a: { actors: { users: ['x'] } }, b: false },
    });
    expect(readRevision('text')).toEqual({ environments: undefined, defaultEnabled: false });
  });
});
