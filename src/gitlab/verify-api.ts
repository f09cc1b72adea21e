/**
 * Pipelines, branches, commits and merge requests, over our transport directly (JSON bodies sent as they are: the
 * pipeline `variables` and commit `actions` are arrays of objects that gitbeaker would re-key). GitLab's sources:
 * lib/api/ci/pipelines.rb (`POST :id/pipeline`, `GET :id/pipelines/:pipeline_id`), lib/api/branches.rb
 * (`GET :id/repository/branches/:branch`), lib/api/commits.rb (`POST :id/repository/commits` with `actions`,
 * `start_sha`), lib/api/merge_requests.rb (`GET`/`POST :id/merge_requests`).
 */
import { orNull, type Op } from './api-context.js';
import { arr, int, obj, str } from './guards.js';
import { toList, toMergeRequest } from './mappers.js';
import { PER_PAGE, collectPages, parseNextPage } from './pagination.js';
import type { GitlabPort, Pipeline } from './port.js';
import type { Transport } from './transport.js';
import { RefusedInput, checkQueryText, encodeRef, idSegment, shaSegment } from './url-safety.js';

type VerifyPort = Pick<GitlabPort, 'createPipeline' | 'getPipeline' | 'getBranch' | 'createCommit' | 'listMergeRequests' | 'createMergeRequest'>;

/** Branch and tag names flagops sends: git's ref rules, narrowed (no `..`, no `@{`, no leading `-`, no control characters). */
const REF_NAME = /^(?!-)(?!.*\.\.)(?!.*@\{)(?!.*\/\/)[A-Za-z0-9._/+-]{1,255}(?<![./])$/;
const FILE_PATH = /^[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*$/;
const VARIABLE_KEY = /^[A-Za-z0-9_]{1,255}$/;

export function refName(ref: string, what = 'ref'): string {
  if (typeof ref !== 'string' || !REF_NAME.test(ref) || ref.endsWith('.lock')) throw new RefusedInput(`${what} ${JSON.stringify(String(ref).slice(0, 80))} is not a branch or tag name`);
  return ref;
}

function commitMessage(message: string): string {
  if (typeof message !== 'string' || message.trim() === '' || message.length > 10_000) throw new RefusedInput('commit message is empty or longer than 10,000 characters');
  return message;
}

function toPipeline(v: unknown, at = ''): Pipeline {
  const o = obj(v, at);
  return { id: int(o, 'id', at), projectId: int(o, 'project_id', at), status: str(o, 'status', at), ref: str(o, 'ref', at), sha: str(o, 'sha', at), webUrl: str(o, 'web_url', at) };
}

export function createVerifyApi(transport: Transport, op: Op): VerifyPort {
  return {
    createPipeline: (project, input) =>
      op('POST', 'projects/:id/pipeline', async () => {
        const variables = input.variables.map((v) => {
          if (!VARIABLE_KEY.test(v.key)) throw new RefusedInput(`variable name ${JSON.stringify(v.key.slice(0, 80))} is not [A-Za-z0-9_]+`);
          if (typeof v.value !== 'string' || v.value.length > 100_000) throw new RefusedInput(`variable ${v.key} is not a string of at most 100,000 characters`);
          return { key: v.key, value: v.value, variable_type: 'env_var' };
        });
        const res = await transport.request({ method: 'POST', path: `projects/${encodeRef(project)}/pipeline`, json: { ref: refName(input.ref), variables }, scope: 'api', idempotent: false });
        return toPipeline(res.body);
      }),
    getPipeline: (project, id) =>
      op('GET', 'projects/:id/pipelines/:pipeline_id', async () => {
        const res = await transport.request({ method: 'GET', path: `projects/${encodeRef(project)}/pipelines/${idSegment(id, 'pipeline id')}`, scope: 'read_api' });
        return toPipeline(res.body);
      }),
    getBranch: (project, branch) =>
      op('GET', 'projects/:id/repository/branches/:branch', async () =>
        orNull(async () => {
          const res = await transport.request({ method: 'GET', path: `projects/${encodeRef(project)}/repository/branches/${encodeURIComponent(refName(branch, 'branch'))}`, scope: 'read_api' });
          const o = obj(res.body, '');
          return { name: str(o, 'name', ''), commitSha: str(obj(o['commit'], 'commit'), 'id', 'commit') };
        }),
      ),
    createCommit: (project, input) =>
      op('POST', 'projects/:id/repository/commits', async () => {
        if (input.actions.length === 0) throw new RefusedInput('a commit needs at least one action');
        const actions = input.actions.map((a) => {
          if (!['create', 'update', 'delete'].includes(a.action)) throw new RefusedInput(`commit action ${JSON.stringify(a.action)} is not create|update|delete`);
          if (!FILE_PATH.test(a.filePath) || a.filePath.split('/').some((s) => s === '..' || s === '.')) throw new RefusedInput(`file path ${JSON.stringify(a.filePath.slice(0, 80))} is not a relative path`);
          if (a.action !== 'delete' && typeof a.content !== 'string') throw new RefusedInput(`commit action ${a.action} of ${a.filePath} needs content`);
          return { action: a.action, file_path: a.filePath, ...(a.action === 'delete' ? {} : { content: a.content }) };
        });
        const json = {
          branch: refName(input.branch, 'branch'),
          commit_message: commitMessage(input.message),
          actions,
          ...(input.startSha ? { start_sha: shaSegment(input.startSha) } : {}),
        };
        const res = await transport.request({ method: 'POST', path: `projects/${encodeRef(project)}/repository/commits`, json, scope: 'api', idempotent: false });
        return { sha: str(obj(res.body, ''), 'id', '') };
      }),
    listMergeRequests: (project, query) =>
      op('GET', 'projects/:id/merge_requests', async () => {
        const q = {
          per_page: PER_PAGE,
          ...(query.state ? { state: query.state } : {}),
          ...(query.authorId !== undefined ? { author_id: Number(idSegment(query.authorId, 'author id')) } : {}),
          ...(query.sourceBranch ? { source_branch: refName(query.sourceBranch, 'source branch') } : {}),
          ...(query.targetBranch ? { target_branch: refName(query.targetBranch, 'target branch') } : {}),
        };
        const path = `projects/${encodeRef(project)}/merge_requests`;
        const items = await collectPages(async (page) => {
          const res = await transport.request({ method: 'GET', path, query: { ...q, page }, scope: 'read_api' });
          return { items: arr(res.body, ''), next: parseNextPage(res.headers.get('x-next-page')) };
        }, { method: 'GET', path: `/api/v4/${path}` });
        return toList(items, toMergeRequest);
      }),
    createMergeRequest: (project, input) =>
      op('POST', 'projects/:id/merge_requests', async () => {
        for (const l of input.labels ?? []) {
          checkQueryText(l, 'label');
          if (l.includes(',')) throw new RefusedInput(`label ${JSON.stringify(l)} holds a comma`);
        }
        const json = {
          source_branch: refName(input.sourceBranch, 'source branch'),
          target_branch: refName(input.targetBranch, 'target branch'),
          title: checkQueryText(input.title, 'title').slice(0, 255),
          description: input.description,
          remove_source_branch: true,
          ...(input.labels?.length ? { labels: input.labels.join(',') } : {}),
        };
        const res = await transport.request({ method: 'POST', path: `projects/${encodeRef(project)}/merge_requests`, json, scope: 'api', idempotent: false });
        return toMergeRequest(res.body);
      }),
  };
}
