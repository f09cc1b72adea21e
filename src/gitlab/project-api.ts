/**
 * Merge requests, issues, notes, deployments, merge_base and freeze periods, through gitbeaker (and
 * so through our transport). Reads are cached per client; createDeployment invalidates deployments.
 */
import type { ApiContext } from './api-context.js';
import { PAGE, gbPages } from './api-context.js';
import { obj, str } from './guards.js';
import { GitlabResponseError } from './http-errors.js';
import {
  isGitlabIssue,
  toDeployment,
  toFreezePeriod,
  toIssue,
  toList,
  toMergeRequest,
  toNote,
} from './mappers.js';
import { gitbeakerPage } from './pagination.js';
import type { Deployment, GitlabPort, Issue, NoteTarget } from './port.js';
import { RefusedInput, checkQueryText, checkRef, idSegment, shaSegment } from './url-safety.js';

type ProjectPort = Pick<
  GitlabPort,
  | 'getMergeRequest'
  | 'listMergeRequestIssues'
  | 'listCommitMergeRequests'
  | 'getIssue'
  | 'listNotes'
  | 'createNote'
  | 'editNote'
  | 'lastSuccessfulDeployment'
  | 'createDeployment'
  | 'latestDeployment'
  | 'updateDeployment'
  | 'listDeployments'
  | 'mergeBase'
  | 'listFreezePeriods'
>;

/** `finished_after` must accompany `order_by=finished_at` (FACTS.md); any date before GitLab existed will do. */
const OLD_DATE = '2000-01-01T00:00:00Z';
const MAX_NOTE_LENGTH = 1_000_000;
/** Rows read for the last successful deployment: enough to see every one finished at the same instant as the first. */
const TIE_PAGE = 20;

/**
 * The last of deployments listed by `finished_at` descending. GitLab orders them by `finished_at` alone
 * (app/finders/deployments_finder.rb adds `id` as tie-breaker for `updated_at` only), so rows finished at the same
 * instant come in no promised order: of those, the newest (highest id) is the last. The entity has no
 * `finished_at` on most versions; the time compared is the one soak uses (the job's, else `updated_at`, which
 * GitLab sets in the same save).
 */
export function newestOfTies(items: readonly Deployment[]): Deployment | null {
  const first = items[0];
  if (first === undefined) return null;
  const finished = (d: Deployment) => d.finishedAt ?? d.updatedAt ?? d.createdAt;
  return items.filter((d) => finished(d) === finished(first)).reduce((a, b) => (b.id > a.id ? b : a));
}

const noteTemplate = (t: NoteTarget): string =>
  `projects/:id/${t.kind === 'issue' ? 'issues' : 'merge_requests'}/:iid/notes`;

function checkBody(body: string): string {
  if (typeof body !== 'string' || body.trim() === '' || body.length > MAX_NOTE_LENGTH)
    throw new RefusedInput('note body is empty or longer than 1,000,000 characters');
  return body;
}

export function createProjectApi({ op, cache, gb }: ApiContext): ProjectPort {
  const notesApi = async (target: NoteTarget) => {
    if (target.kind !== 'merge_request' && target.kind !== 'issue')
      throw new RefusedInput('note target kind is neither merge_request nor issue');
    const project = checkRef(target.project);
    const iid = Number(idSegment(target.iid, `${target.kind} iid`));
    const api = await gb();
    return { notes: target.kind === 'merge_request' ? api.MergeRequestNotes : api.IssueNotes, project, iid };
  };

  return {
    getMergeRequest: (project, iid) =>
      op('GET', 'projects/:id/merge_requests/:iid', async () => {
        const p = checkRef(project);
        idSegment(iid, 'merge request iid');
        return cache.get(`mr:${p}:${iid}`, async () =>
          toMergeRequest(await (await gb()).MergeRequests.show(p, iid)),
        );
      }),

    listMergeRequestIssues: (project, iid) =>
      op('GET', 'projects/:id/merge_requests/:iid/related_issues', async () => {
        const p = checkRef(project);
        idSegment(iid, 'merge request iid');
        return cache.get(`mr-issues:${p}:${iid}`, async () => {
          const api = await gb();
          const related = await gbPages('GET', 'projects/:id/merge_requests/:iid/related_issues', (page) =>
            api.MergeRequests.allIssuesRelated(p, iid, { ...PAGE, page }),
          );
          const closed = await gbPages('GET', 'projects/:id/merge_requests/:iid/closes_issues', (page) =>
            api.MergeRequests.allIssuesClosed(p, iid, { ...PAGE, page }),
          );
          const seen = new Map<string, Issue>();
          for (const item of [...related, ...closed].filter(isGitlabIssue)) {
            const issue = toIssue(item);
            seen.set(`${issue.projectId}#${issue.iid}`, issue);
          }
          return [...seen.values()];
        });
      }),

    listCommitMergeRequests: (project, sha) =>
      op('GET', 'projects/:id/repository/commits/:sha/merge_requests', async () => {
        const p = checkRef(project);
        shaSegment(sha);
        return cache.get(`commit-mrs:${p}:${sha}`, async () => {
          const api = await gb();
          const items = await gbPages('GET', 'projects/:id/repository/commits/:sha/merge_requests', (page) =>
            api.Commits.allMergeRequests(p, sha, { ...PAGE, page }),
          );
          return toList(items, toMergeRequest);
        });
      }),

    getIssue: (project, iid) =>
      op('GET', 'projects/:id/issues/:iid', async () => {
        const p = checkRef(project);
        idSegment(iid, 'issue iid');
        return cache.get(`issue:${p}:${iid}`, async () =>
          toIssue(await (await gb()).Issues.show(iid, { projectId: p })),
        );
      }),

    listNotes: (target) =>
      op('GET', noteTemplate(target), async () => {
        const { notes, project, iid } = await notesApi(target);
        return toList(
          await gbPages('GET', noteTemplate(target), (page) => notes.all(project, iid, { ...PAGE, page })),
          toNote,
        );
      }),

    createNote: (target, body) =>
      op('POST', noteTemplate(target), async () => {
        const { notes, project, iid } = await notesApi(target);
        return toNote(await notes.create(project, iid, checkBody(body)));
      }),

    editNote: (target, noteId, body) =>
      op('PUT', `${noteTemplate(target)}/:note_id`, async () => {
        const { notes, project, iid } = await notesApi(target);
        return toNote(
          await notes.edit(project, iid, Number(idSegment(noteId, 'note id')), { body: checkBody(body) }),
        );
      }),

    lastSuccessfulDeployment: (project, environment) =>
      op('GET', 'projects/:id/deployments', async () => {
        const p = checkRef(project);
        checkQueryText(environment, 'environment');
        return cache.get(`deployment:${p}:${environment}`, async () => {
          const query = {
            environment,
            status: 'success',
            orderBy: 'finished_at',
            sort: 'desc',
            finishedAfter: OLD_DATE,
            page: 1,
            perPage: TIE_PAGE,
            showExpanded: true as const,
          };
          const { items } = gitbeakerPage(await (await gb()).Deployments.all(p, query));
          return newestOfTies(items.map((item, i) => toDeployment(item, `[${i}]`)));
        });
      }),

    latestDeployment: (project, environment) =>
      op('GET', 'projects/:id/deployments', async () => {
        const p = checkRef(project);
        checkQueryText(environment, 'environment');
        return cache.get(`deployment-latest:${p}:${environment}`, async () => {
          const query = { environment, orderBy: 'id', sort: 'desc', page: 1, perPage: 1, showExpanded: true as const };
          const { items } = gitbeakerPage(await (await gb()).Deployments.all(p, query));
          return items.length === 0 ? null : toDeployment(items[0], '[0]');
        });
      }),

    listDeployments: (project, environment, { page, perPage }) =>
      op('GET', 'projects/:id/deployments', async () => {
        const p = checkRef(project);
        checkQueryText(environment, 'environment');
        if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 100)
          throw new RefusedInput('deployment page is not a positive integer, or per_page not within 1..100');
        return cache.get(`deployment-page:${p}:${environment}:${page}:${perPage}`, async () => {
          const query = { environment, orderBy: 'id', sort: 'desc', page, perPage, showExpanded: true as const };
          const { items } = gitbeakerPage(await (await gb()).Deployments.all(p, query));
          return items.map((item, i) => toDeployment(item, `[${i}]`));
        });
      }),

    updateDeployment: (project, id, status) =>
      op('PUT', 'projects/:id/deployments/:deployment_id', async () => {
        const p = checkRef(project);
        const deploymentId = Number(idSegment(id, 'deployment id'));
        if (!['success', 'failed', 'canceled'].includes(status)) throw new RefusedInput('deployment status is not success|failed|canceled');
        const updated = await (await gb()).Deployments.edit(p, deploymentId, status);
        cache.deleteWhere((key) => key.startsWith('deployment'));
        return toDeployment(updated);
      }),

    createDeployment: (project, input) =>
      op('POST', 'projects/:id/deployments', async () => {
        const p = checkRef(project);
        const environment = checkQueryText(input.environment, 'environment');
        if (!['success', 'running', 'failed'].includes(input.status))
          throw new RefusedInput('deployment status is not success|running|failed');
        const api = await gb();
        const created = await api.Deployments.create(
          p,
          environment,
          shaSegment(input.sha),
          checkQueryText(input.ref, 'ref'),
          false,
          { status: input.status },
        );
        cache.deleteWhere((key) => key.startsWith('deployment'));
        return toDeployment(created);
      }),

    mergeBase: (project, refs) =>
      op('GET', 'projects/:id/repository/merge_base', async () => {
        const p = checkRef(project);
        if (!Array.isArray(refs) || refs.length < 2)
          throw new RefusedInput('merge_base needs at least 2 refs');
        refs.forEach((r) => checkQueryText(r, 'ref'));
        return cache.get(`merge-base:${p}:${refs.join('\n')}`, async () => {
          try {
            return str(obj(await (await gb()).Repositories.mergeBase(p, [...refs]), ''), 'id', '');
          } catch (error) {
            // GitLab answers 404 "Merge Base Not Found" when the refs share no history.
            if (
              error instanceof GitlabResponseError &&
              error.status === 404 &&
              /Merge Base/.test(error.remoteMessage ?? '')
            )
              return null;
            throw error;
          }
        });
      }),

    listFreezePeriods: (project) =>
      op('GET', 'projects/:id/freeze_periods', async () => {
        const p = checkRef(project);
        return cache.get(`freeze:${p}`, async () => {
          const api = await gb();
          return toList(
            await gbPages('GET', 'projects/:id/freeze_periods', (page) =>
              api.FreezePeriods.all(p, { ...PAGE, page }),
            ),
            toFreezePeriod,
          );
        });
      }),
  };
}
