/**
 * Branches and commits made through the API (verification's revert merge request):
 * - `GET /projects/:id/repository/branches/:branch` (lib/api/branches.rb, Entities::Branch): `404 Branch Not Found`.
 * - `POST /projects/:id/repository/commits` (lib/api/commits.rb): `branch`, `commit_message` and `actions` required;
 *   `start_branch` and `start_sha` mutually exclusive. Commits::CreateService: without a start, `branch` must exist
 *   ("You can only create or edit files when you are on a branch"); with one, it must not ("A branch called '…'
 *   already exists. Switch to that branch in order to make changes"). Files::MultiService checks each action
 *   against the start commit's files: `create` of an existing file → "A file with this name already exists",
 *   `update`/`delete` of a missing one → "A file with this name doesn't exist". The new commit's parent is the start
 *   (or the branch's head); the branch then points at it. Answers Entities::CommitDetail, 201.
 * The simulator knows the files of commits seeded with `files` (sim.addCommit) and of the commits it made; an action
 * on a commit whose files it does not know is a test-setup mistake (500, listed in `unexpected`).
 */
import { createHash } from 'node:crypto';
import { commitEntity } from '../entities.js';
import { apiError, notFound, optString, paramError, present, requireKeys, type Params } from '../http.js';
import { isKnownCommit } from '../model.js';
import type { Route } from '../router.js';
import type { SimProject } from '../types.js';
import { entityContext, ok, projectOf } from './common.js';

function branchEntity(ctx: Parameters<Route['handler']>[0], project: SimProject, name: string): Record<string, unknown> {
  const sha = project.branches[name]!;
  return {
    name,
    merged: false,
    protected: name === project.defaultBranch,
    default: name === project.defaultBranch,
    developers_can_push: false,
    developers_can_merge: false,
    can_push: true,
    web_url: `${ctx.baseUrl}/${project.path}/-/tree/${encodeURIComponent(name)}`,
    commit: commitEntity(entityContext(ctx), project, sha),
  };
}

interface Action {
  action: 'create' | 'update' | 'delete';
  path: string;
  content?: string;
}

function actionsOf(input: Params): Action[] {
  const raw = input['actions'];
  if (!Array.isArray(raw) || raw.length === 0) throw paramError('actions is missing');
  return raw.map((a: unknown, i) => {
    if (typeof a !== 'object' || a === null) throw paramError(`actions[${i}] is invalid`);
    const o = a as Params;
    const missing = ['action', 'file_path'].filter((k) => !present(o, k));
    if (missing.length > 0) throw paramError(missing.map((k) => `actions[${i}][${k}] is missing`).join(', '));
    const action = String(o['action']);
    if (!['create', 'update', 'delete'].includes(action)) throw paramError(`actions[${i}][action] does not have a valid value`);
    if (action === 'update' && !present(o, 'content')) throw paramError(`actions[${i}][content] is missing`);
    return { action: action as Action['action'], path: String(o['file_path']), ...(present(o, 'content') ? { content: String(o['content']) } : {}) };
  });
}

export const repositoryWriteRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/repository/branches/:branch',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const name = ctx.params.branch ?? '';
      if (project.branches[name] === undefined) throw notFound('Branch');
      return ok(branchEntity(ctx, project, name));
    },
  },
  {
    method: 'POST',
    pattern: '/projects/:id/repository/commits',
    handler: (ctx) => {
      const project = projectOf(ctx);
      requireKeys(ctx.input, ['branch', 'commit_message', 'actions']);
      const branch = optString(ctx.input, 'branch') ?? '';
      const message = optString(ctx.input, 'commit_message') ?? '';
      const startBranch = optString(ctx.input, 'start_branch');
      const startSha = optString(ctx.input, 'start_sha');
      if (startBranch !== undefined && startSha !== undefined) throw paramError('start_branch, start_sha are mutually exclusive');
      const actions = actionsOf(ctx.input);
      const exists = project.branches[branch] !== undefined;
      let parent: string;
      if (startBranch === undefined && startSha === undefined) {
        if (!exists) throw apiError(400, 'You can only create or edit files when you are on a branch');
        parent = project.branches[branch]!;
      } else {
        if (exists && startBranch !== branch) throw apiError(400, `A branch called '${branch}' already exists. Switch to that branch in order to make changes`);
        const start = startSha ?? project.branches[startBranch!];
        if (!start || !isKnownCommit(project, start)) throw apiError(400, startSha ? 'Invalid start sha' : `Invalid reference name: ${startBranch}`);
        parent = start;
      }
      const base = project.trees?.[parent];
      if (!base) throw new Error(`the simulator does not know the files of ${project.path}@${parent}: seed them with addCommit({ files })`);
      const files = { ...base };
      for (const a of actions) {
        if (a.action === 'create') {
          if (files[a.path] !== undefined) throw apiError(400, 'A file with this name already exists');
          files[a.path] = a.content ?? '';
        } else {
          if (files[a.path] === undefined) throw apiError(400, "A file with this name doesn't exist");
          if (a.action === 'update') files[a.path] = a.content!;
          else delete files[a.path];
        }
      }
      const sha = createHash('sha1').update(`${parent}\n${message}\n${JSON.stringify(files)}\n${ctx.now().toISOString()}`).digest('hex');
      project.commits[sha] = [parent];
      (project.trees ??= {})[sha] = files;
      (project.commitMessages ??= {})[sha] = message;
      project.branches[branch] = sha;
      const entity = commitEntity(entityContext(ctx), project, sha);
      return { status: 201, body: { ...entity, title: message.split('\n')[0], message, status: null, stats: { additions: 0, deletions: 0, total: 0 } } };
    },
  },
];
