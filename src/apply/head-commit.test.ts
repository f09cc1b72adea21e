import { describe, expect, it } from 'vitest';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { createGit } from '../git/git.js';
import { headCommit } from './head-commit.js';

const tree = useTmpTree();

describe('headCommit', () => {
  it('takes the commit from CI_COMMIT_SHA in CI, without git', async () => {
    const dir = tree({}); // not a repository: git would find no HEAD
    const sha = 'ab'.repeat(20);
    const head = headCommit({ vars: { CI_COMMIT_SHA: sha.toUpperCase() }, git: createGit({ cwd: dir }) });
    expect(await head.known()).toBe(sha);
    expect(await head.get()).toBe(sha);
  });

  it('elsewhere asks git, only when asked', async () => {
    const dir = tree({});
    const sha = gitRepo(dir).commit({ 'flags/a.yml': 'name: a\n' });
    const head = headCommit({ vars: { CI_COMMIT_SHA: 'not-a-sha' }, git: createGit({ cwd: dir }) });
    expect(await head.known()).toBeUndefined();
    expect(await head.get()).toBe(sha);
    expect(await head.known()).toBe(sha);
  });

  it('outside a repository the commit is unknown, not an error', async () => {
    const head = headCommit({ vars: {}, git: createGit({ cwd: tree({}) }) });
    expect(await head.get()).toBeUndefined();
  });
});
