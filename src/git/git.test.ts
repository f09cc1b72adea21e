import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGit, GitError } from './git.js';

const dirs: string[] = [];

async function tempRepo(): Promise<{ dir: string; git: (args: string[], date?: string) => Promise<string> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'flagops-git-'));
  dirs.push(dir);
  const git = async (args: string[], date = '2026-11-20T00:00:00Z'): Promise<string> => {
    const r = await execa('git', args, {
      cwd: dir,
      env: { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date },
    });
    return r.stdout;
  };
  await git(['init', '-q', '-b', 'main']);
  await git(['config', 'user.email', 'test@example.com']);
  await git(['config', 'user.name', 'Test']);
  await git(['config', 'commit.gpgsign', 'false']);
  return { dir, git };
}

async function put(dir: string, file: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), content);
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('createGit on a real repository', () => {
  let repo: Awaited<ReturnType<typeof tempRepo>>;
  let first = '';
  let merge = '';

  beforeAll(async () => {
    repo = await tempRepo();
    const { dir, git } = repo;
    await put(dir, 'flags/a.yml', 'name: a\nenvironments: {}\n');
    await put(dir, 'flags/b c.yml', 'name: b\n');
    await put(dir, 'flags/gone.yml', 'name: gone\n');
    await put(dir, 'flags/old.yml', 'name: renamed\ndescription: a long enough description to be detected\n');
    await put(dir, 'README.md', 'readme\n');
    await git(['add', '.']);
    await git(['commit', '-q', '-m', 'one'], '2026-11-20T00:00:00Z');
    first = (await git(['rev-parse', 'HEAD'])).trim();
    // a branch edits a.yml (committed on the 21st), merged with a merge commit on the 22nd
    await git(['checkout', '-q', '-b', 'feature']);
    await put(dir, 'flags/a.yml', 'name: a\nenvironments: { staging: true }\n');
    await git(['commit', '-q', '-am', 'on staging'], '2026-11-21T00:00:00Z');
    await git(['checkout', '-q', 'main']);
    await put(dir, 'README.md', 'readme 2\n');
    await git(['commit', '-q', '-am', 'readme'], '2026-11-21T12:00:00Z');
    await git(['merge', '-q', '--no-ff', 'feature', '-m', 'merge feature'], '2026-11-22T00:00:00Z');
    merge = (await git(['rev-parse', 'HEAD'])).trim();
    await mkdir(path.join(dir, 'flags/sub'));
    await git(['mv', 'flags/a.yml', 'flags/sub/a.yml']);
    await git(['commit', '-q', '-m', 'move'], '2026-11-23T00:00:00Z');
    // working tree changes, not committed
    await put(dir, 'flags/b c.yml', 'name: b\nenvironments: {}\n');
    await rm(path.join(dir, 'flags/gone.yml'));
    await git(['mv', 'flags/old.yml', 'flags/new.yml']);
    await put(dir, 'flags/untracked.yml', 'name: untracked\n');
    await put(dir, 'other/x.yml', 'x\n');
  });

  it('parses revisions and finds the root', async () => {
    const git = createGit({ cwd: path.join(repo.dir, 'flags') });
    expect(await git.revParse('HEAD~1')).toBe(merge);
    expect(await git.repoRoot()).toBe(await (await import('node:fs/promises')).realpath(repo.dir));
    expect(await git.isShallow()).toBe(false);
  });

  it('reports an unknown revision with git stderr and a hint, never a stack', async () => {
    const git = createGit({ cwd: repo.dir });
    const err = await git.revParse('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).message).toBe('git: revision "nope" does not exist in this clone');
    expect((err as GitError).hint).toMatch(/git fetch origin nope/);
    expect((err as GitError).exitCode).toBe(2);
    await expect(git.revParse('--all')).rejects.toThrow(/invalid revision/);
  });

  it('fails clearly outside a repository', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'flagops-nogit-'));
    dirs.push(dir);
    const err = (await createGit({ cwd: dir })
      .repoRoot()
      .catch((e: unknown) => e)) as GitError;
    expect(err).toBeInstanceOf(GitError);
    expect(err.message).toMatch(/^git rev-parse failed: fatal: not a git repository/);
    expect(err.message).not.toMatch(/\n/);
    expect(err.hint).toMatch(/clone/);
  });

  it('answers ancestry and merge bases', async () => {
    const git = createGit({ cwd: repo.dir });
    expect(await git.isAncestor(first, 'HEAD')).toBe(true);
    expect(await git.isAncestor('HEAD', first)).toBe(false);
    expect(await git.mergeBase('feature', 'main')).toBe((await repo.git(['rev-parse', 'feature'])).trim());
  });

  it('lists working-tree changes against a base, NUL-safe, relative to the root', async () => {
    const git = createGit({ cwd: path.join(repo.dir, 'flags') });
    const files = await git.changedFiles({ base: 'HEAD', paths: [path.join(repo.dir, 'flags')] });
    expect(files).toEqual([
      { status: 'modified', path: 'flags/b c.yml' },
      { status: 'deleted', path: 'flags/gone.yml' },
      { status: 'renamed', path: 'flags/new.yml', oldPath: 'flags/old.yml' },
      { status: 'added', path: 'flags/untracked.yml' },
    ]);
    const sinceFirst = await git.changedFiles({ base: first, paths: ['flags/sub'] });
    expect(sinceFirst).toEqual([{ status: 'added', path: 'flags/sub/a.yml' }]);
    const all = await git.changedFiles({ base: 'HEAD' });
    expect(all.map((f) => f.path)).toContain('other/x.yml');
  });

  it('shows a file at a revision, undefined when absent, error when the revision is unknown', async () => {
    const git = createGit({ cwd: repo.dir });
    expect(await git.showFile(first, 'flags/a.yml')).toBe('name: a\nenvironments: {}\n');
    expect(await git.showFile('HEAD', path.join(repo.dir, 'flags/sub/a.yml'))).toBe(
      'name: a\nenvironments: { staging: true }\n',
    );
    expect(await git.showFile('HEAD', 'flags/a.yml')).toBeUndefined();
    expect(await git.showFile('HEAD', 'flags')).toBeUndefined();
    await expect(git.showFile('nope', 'flags/a.yml')).rejects.toThrow(/does not exist/);
    expect(
      await git.showFiles([
        { rev: first, path: 'flags/b c.yml' },
        { rev: first, path: 'x' },
      ]),
    ).toEqual(['name: b\n', undefined]);
  });

  it('gives file history newest first along first parents, following renames', async () => {
    const git = createGit({ cwd: repo.dir });
    const history = await git.fileHistory({ path: 'flags/sub/a.yml', ref: 'HEAD' });
    expect(history.map((c) => [c.committedAt.toISOString(), c.path])).toEqual([
      ['2026-11-23T00:00:00.000Z', 'flags/sub/a.yml'],
      ['2026-11-22T00:00:00.000Z', 'flags/a.yml'], // the merge commit: when it landed on main
      ['2026-11-20T00:00:00.000Z', 'flags/a.yml'],
    ]);
    expect(history[1]?.sha).toBe(merge);
    const all = await git.fileHistory({ path: 'flags/sub/a.yml', ref: 'HEAD', firstParent: false });
    expect(all.map((c) => c.committedAt.toISOString())).toContain('2026-11-21T00:00:00.000Z');
    const recent = await git.fileHistory({
      path: 'flags/sub/a.yml',
      ref: 'HEAD',
      since: new Date('2026-11-22T12:00:00Z'),
    });
    expect(recent).toHaveLength(1);
    await expect(git.fileHistory({ path: 'flags/a.yml', ref: 'nope' })).rejects.toThrow(
      /revision "nope" does not exist/,
    );
  });

  it('detects a shallow clone', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'flagops-shallow-'));
    dirs.push(dir);
    await execa('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, dir]);
    const git = createGit({ cwd: dir });
    expect(await git.isShallow()).toBe(true);
    const history = await git.fileHistory({ path: 'flags/sub/a.yml', ref: 'HEAD' });
    expect(history).toHaveLength(1);
    const err = (await git.revParse(first).catch((e: unknown) => e)) as GitError;
    expect(err.hint).toMatch(/GIT_DEPTH: 0/);
  });
});
