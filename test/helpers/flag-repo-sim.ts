/**
 * A GitLab simulator holding the flag repository `group/flags` (id 20), for tests that run the CLI in a real git
 * flag repository whose commits the simulator knows too (applied-commit record, announcements).
 */
import { expect } from 'vitest';
import { startGitlabSim, type GitlabSim, type UserInput } from '../gitlab-sim/index.js';
import { gitRepo } from './git-repo.js';

export const FLAG_PROJECT_ID = 20;

export interface FlagRepoSimOptions {
  /** Holds `token`, with scope `api`. */
  user: UserInput;
  token: string;
  now?: () => Date;
}

/** The simulator with `user`, its token, the group `group` and the project `group/flags` (id 20). */
export async function startFlagRepoSim(options: FlagRepoSimOptions): Promise<GitlabSim> {
  const sim = await startGitlabSim(options.now ? { now: options.now } : {});
  sim.addUser(options.user);
  sim.addToken(options.token, { user: options.user.username, scopes: ['api'] });
  sim.addGroup({ path: 'group' });
  sim.addProject({ path: 'group/flags', id: FLAG_PROJECT_ID });
  return sim;
}

/** For afterEach: the simulator saw no request it does not route; then it is closed. */
export async function closeCheckedSim(sim: GitlabSim): Promise<void> {
  expect(sim.unexpected).toEqual([]);
  await sim.close();
}

/**
 * A git repository in `dir` whose commits group/flags holds too, each on top of the one before;
 * the first one is also group/flags' `main` (later ones are not: the branch stays where the test leaves it).
 */
export function mirroredFlagRepo(
  sim: GitlabSim,
  dir: string,
): { commit(files: Record<string, string | null>): string } {
  const repo = gitRepo(dir);
  let head: string | undefined;
  // the simulator knows each commit's files too (the commits API edits them)
  const tree: Record<string, string> = {};
  return {
    commit(files) {
      const sha = repo.commit(files);
      for (const [path, text] of Object.entries(files)) {
        if (text === null) delete tree[path];
        else tree[path] = text;
      }
      sim.addCommit(FLAG_PROJECT_ID, { sha, parents: head === undefined ? [] : [head], files: tree });
      if (head === undefined) sim.setBranch(FLAG_PROJECT_ID, 'main', sha);
      head = sha;
      return sha;
    },
  };
}
