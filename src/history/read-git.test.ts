/** readGitFacts against real git: three git processes, states at recorded commits, and who changed each state. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createGit } from '../git/git.js';
import { parseCommitLog, parseObjectIds } from '../git/history-parse.js';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { readGitFacts } from './read-git.js';

const tree = useTmpTree();
const flag = (staging: string, production: string): string => `name: f\ntype: beta\nenvironments:\n  staging: ${staging}\n  production: ${production}\n`;

describe('git reads of history', () => {
  it('parses the log and object-id batches', () => {
    const sha = 'a'.repeat(40);
    expect(parseCommitLog(`\x1e${sha}\x1fAda\x1fada@x\x1f2026-11-01T00:00:00+00:00\x1fAdd f\x1f\0\nflags/f.yml\0flagops.yml\0`)).toEqual([
      { sha, authorName: 'Ada', authorEmail: 'ada@x', committedAt: '2026-11-01T00:00:00+00:00', subject: 'Add f', files: ['flags/f.yml', 'flagops.yml'] },
    ]);
    expect(parseObjectIds(`${sha}\nHEAD:x missing\n`, 3)).toEqual([sha, undefined, undefined]);
  });

  it('reads states at recorded commits and attributes each state to the commit that gave it in that environment', async () => {
    const dir = tree({});
    const repo = gitRepo(dir);
    const c1 = repo.commit({ 'flags/f.yml': flag('false', 'false') }, 'add f');
    const c2 = repo.commit({ 'flags/f.yml': flag('true', 'false') }, 'staging on');
    const c3 = repo.commit({ 'README.md': 'x' }, 'unrelated');
    const c4 = repo.commit({ 'flags/f.yml': flag('true', 'true') }, 'production on');
    // a commit off HEAD's first-parent line (a branch that was applied, never merged): read file by file
    repo.git('checkout', '-q', '-b', 'side', c1);
    const side = repo.commit({ 'flags/f.yml': flag('{ percentage_of_actors: 10 }', 'false') }, 'side');
    repo.git('checkout', '-q', 'main');
    const git = createGit({ cwd: dir });
    const calls: string[] = [];
    const counted = { ...git, firstParentLog: (r: string) => (calls.push('log'), git.firstParentLog(r)), objectIds: (s: Parameters<typeof git.objectIds>[0]) => (calls.push('ids'), git.objectIds(s)), showFiles: (s: Parameters<typeof git.showFiles>[0]) => (calls.push('show'), git.showFiles(s)) };
    const missing = 'f'.repeat(40);
    const facts = await readGitFacts(counted, [c1, c3, c4, missing, side], ['flags/f.yml']);
    expect(calls).toEqual(['log', 'ids', 'show']);
    expect(facts.has(c3)).toBe(true);
    expect(facts.has(missing)).toBe(false);
    expect([c1, c3, c4].map((c) => facts.stateAt(c, 'flags/f.yml', 'staging'))).toEqual([false, true, true]);
    expect(facts.stateAt(c3, 'flags/f.yml', 'production')).toBe(false);
    // production's false at c3 dates from c1: c2 changed the file, but not production's state
    expect(facts.changeAt(c3, 'flags/f.yml', 'production')).toMatchObject({ sha: c1, subject: 'add f', author: 'flagops test' });
    expect(facts.changeAt(c3, 'flags/f.yml', 'staging')?.sha).toBe(c2);
    expect(facts.changeAt(c4, 'flags/f.yml', 'production')?.sha).toBe(c4);
    expect(facts.changeAt(missing, 'flags/f.yml', 'staging')).toBeUndefined();
    expect(facts.stateAt(missing, 'flags/f.yml', 'staging')).toBeUndefined();
    expect(facts.has(side)).toBe(true);
    expect(facts.stateAt(side, 'flags/f.yml', 'staging')).toEqual({ percentage_of_actors: 10 });
    expect(facts.changeAt(side, 'flags/f.yml', 'staging')).toBeUndefined();
    // a file added later is absent at an earlier commit
    expect(facts.stateAt(c1, 'flags/g.yml', 'staging')).toBeUndefined();
  });

  it('a merge commit counts as the change on the branch it landed on', async () => {
    const dir = tree({});
    const repo = gitRepo(dir);
    repo.commit({ 'flags/f.yml': flag('false', 'false') }, 'add f');
    repo.git('checkout', '-q', '-b', 'mr');
    repo.commit({ 'flags/f.yml': flag('true', 'false') }, 'on in staging');
    repo.git('checkout', '-q', 'main');
    execFileSync('git', ['-c', 'user.name=Merger', '-c', 'user.email=m@x', 'merge', '-q', '--no-ff', 'mr', '-m', 'Merge branch mr'], { cwd: dir });
    const merge = repo.git('rev-parse', 'HEAD');
    const facts = await readGitFacts(createGit({ cwd: dir }), [merge], ['flags/f.yml']);
    expect(facts.changeAt(merge, 'flags/f.yml', 'staging')).toMatchObject({ sha: merge, subject: 'Merge branch mr' });
  });
});
