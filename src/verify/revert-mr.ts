/**
 * The revert merge request of a failed verification, opened through the API so the repository tells the truth
 * again: one commit on a new branch started from the applied commit (`start_sha`: branch and commit are made in one
 * request, so a branch never exists without its commit) that puts each rolled-back flag's entry for the environment
 * back to its state before the apply — edited in place with the flag-file editor (comments, other environments and
 * keys kept), so production or any other environment in the same file is untouched — then a merge request into the
 * default branch. Never twice for one change: the branch name and a hidden marker are the change's (environment,
 * applied commit), and flagops' own merge request (author: its token's user, `GET /user`) is looked up first; one by
 * anyone else with the same marker is never taken for it.
 */
import { relative, resolve } from 'node:path';
import type { FlagopsConfig } from '../config/types.js';
import { editFlagText } from '../edit/edit-flag-file.js';
import type { Git } from '../git/git.js';
import type { CommitAction, GitlabPort, MergeRequest, ProjectRef } from '../gitlab/port.js';
import { describeState } from '../model/state.js';
import type { AppliedChange } from './applied-changes.js';
import { parseRevertMarker, revertBranch, revertMarker } from '../gates/revert-marker.js';

export { parseRevertMarker, revertBranch, revertMarker };

export const REVERT_LABEL = 'flagops::revert';

/** flagops' own revert merge request of this change (any state), if it opened one. */
export async function findOwnRevert(port: GitlabPort, project: ProjectRef, change: { env: string; commit: string }): Promise<MergeRequest | undefined> {
  const me = await port.currentUser();
  const mrs = await port.listMergeRequests(project, { state: 'all', authorId: me.id, sourceBranch: revertBranch(change.env, change.commit) });
  return mrs.find((m) => {
    const marker = parseRevertMarker(m.description);
    return m.authorId === me.id && marker?.env === change.env && marker.commit === change.commit;
  });
}

export interface RevertOptions {
  port: GitlabPort;
  project: ProjectRef;
  config: FlagopsConfig;
  git: Git;
  env: string;
  /** The applied commit. */
  commit: string;
  defaultBranch: string;
  /** The flags to put back, with their state before the apply. */
  changes: readonly AppliedChange[];
  /** What failed: the downstream pipeline. */
  pipelineUrl: string;
  /** The merge request that brought the change, when known. */
  changeMr?: { iid: number; webUrl: string };
}

/** Pure: title and description of the revert merge request. */
export function renderRevert(o: Pick<RevertOptions, 'env' | 'commit' | 'changes' | 'pipelineUrl' | 'changeMr'>): { title: string; description: string } {
  const names = o.changes.map((c) => c.flag);
  const title = `Revert ${names.join(', ')} in ${o.env}: verification failed`.slice(0, 255);
  const lines = [
    revertMarker(o.env, o.commit, names),
    `The verification pipeline of **${o.env}** failed after flagops applied ${o.commit.slice(0, 12)}${o.changeMr ? ` (!${o.changeMr.iid})` : ''}: ${o.pipelineUrl}`,
    '',
    `flagops rolled these flags back in ${o.env}; this merge request makes the flag files say so:`,
    '',
    ...o.changes.map((c) => `- \`${c.flag}\`: ${describeState(c.after)} → ${describeState(c.before)}`),
    '',
    `Until it is merged (or closed), a new rollout of these flags in ${o.env} is held (\`drift/revert-open\`); a rollback still lands.`,
  ];
  return { title, description: `${lines.join('\n')}\n` };
}

/** Opens the revert merge request unless flagops' own exists; answers it and whether it was made now. */
export async function openRevert(options: RevertOptions): Promise<{ mr: MergeRequest; created: boolean }> {
  const { port, project } = options;
  const existing = await findOwnRevert(port, project, options);
  if (existing) return { mr: existing, created: false };
  const branch = revertBranch(options.env, options.commit);
  if (!(await port.getBranch(project, branch))) {
    const actions = await revertActions(options);
    await port.createCommit(project, {
      branch,
      startSha: options.commit,
      message: `Revert ${options.changes.map((c) => c.flag).join(', ')} in ${options.env}\n\nThe verification pipeline failed: ${options.pipelineUrl}\n`,
      actions,
    });
  }
  const mr = await port.createMergeRequest(project, { sourceBranch: branch, targetBranch: options.defaultBranch, ...renderRevert(options), labels: [REVERT_LABEL] });
  return { mr, created: true };
}

/** Each flag file at the applied commit with the environment's entry put back (repository-relative paths). */
async function revertActions(options: RevertOptions): Promise<CommitAction[]> {
  const root = await options.git.repoRoot();
  const envOrder = options.config.environments.map((e) => e.name);
  const byFile = new Map<string, AppliedChange[]>();
  for (const c of options.changes) {
    if (!c.file) throw new Error(`${c.flag}: the apply report names no file`);
    byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  }
  const actions: CommitAction[] = [];
  for (const [file, changes] of byFile) {
    const abs = resolve(options.config.dir, file);
    const text = await options.git.showFile(options.commit, abs);
    if (text === undefined) throw new Error(`${file} does not exist at ${options.commit.slice(0, 12)}`);
    // one flag per file: its entry for this environment back to what was live before the apply
    const edited = editFlagText(text, new Map([[options.env, changes[0]!.before]]), { envOrder });
    if (!edited.ok) throw new Error(`${file}: cannot edit it: ${edited.message}`);
    if (edited.changed) actions.push({ action: 'update', filePath: relative(root, abs).split('\\').join('/'), content: edited.text });
  }
  if (actions.length === 0) throw new Error('the flag files already say what is live: nothing to revert');
  return actions;
}
