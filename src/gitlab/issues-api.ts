/**
 * Listing a project's open issues by labels (the production check): `GET /projects/:id/issues?state=opened&labels=`.
 * GitLab ANDs the labels of one request (Issues API, `labels`: "Comma-separated list of label names, issues must
 * have all labels to be returned"), so an OR of label sets is one request per set, made by the caller.
 */
import type { ApiContext } from './api-context.js';
import { PAGE, gbPages } from './api-context.js';
import { toIssue, toList } from './mappers.js';
import type { GitlabPort } from './port.js';
import { RefusedInput, checkQueryText, checkRef, idSegment } from './url-safety.js';

function checkLabels(labels: readonly string[]): string {
  for (const l of labels) {
    checkQueryText(l, 'label');
    if (l.includes(',')) throw new RefusedInput(`label ${JSON.stringify(l)} holds a comma`);
  }
  return labels.join(',');
}

export function createIssuesApi({
  op,
  cache,
  gb,
}: ApiContext): Pick<GitlabPort, 'listOpenIssues' | 'listAuthoredIssues' | 'createIssue' | 'closeIssue'> {
  return {
    // not cached: flagops reads them to know whether it wrote one already, right before writing
    listAuthoredIssues: (project, query) =>
      op('GET', 'projects/:id/issues', async () => {
        const p = checkRef(project);
        idSegment(query.authorId, 'author id');
        const labels = checkLabels(query.labels);
        checkQueryText(query.search, 'search');
        const api = await gb();
        const items = await gbPages('GET', 'projects/:id/issues', (page) =>
          api.Issues.all({
            ...PAGE,
            page,
            projectId: p,
            state: 'all',
            authorId: query.authorId,
            ...(labels ? { labels } : {}),
            search: query.search,
            in: 'title',
          }),
        );
        return toList(items, toIssue);
      }),
    createIssue: (project, input) =>
      op('POST', 'projects/:id/issues', async () => {
        const p = checkRef(project);
        const labels = checkLabels(input.labels);
        return toIssue(
          await (await gb()).Issues.create(p, input.title, { description: input.description, labels }),
        );
      }),
    closeIssue: (project, iid) =>
      op('PUT', 'projects/:id/issues/:iid', async () => {
        const p = checkRef(project);
        idSegment(iid, 'issue iid');
        return toIssue(await (await gb()).Issues.edit(p, iid, { stateEvent: 'close' }));
      }),
    listOpenIssues: (project, labels) =>
      op('GET', 'projects/:id/issues', async () => {
        const p = checkRef(project);
        if (labels.length === 0) throw new RefusedInput('listing open issues needs at least one label');
        for (const l of labels) {
          checkQueryText(l, 'label');
          if (l.includes(',')) throw new RefusedInput(`label ${JSON.stringify(l)} holds a comma`);
        }
        const joined = labels.join(',');
        return cache.get(`open-issues:${p}:${joined}`, async () => {
          const api = await gb();
          const items = await gbPages('GET', 'projects/:id/issues', (page) =>
            api.Issues.all({ ...PAGE, page, projectId: p, state: 'opened', labels: joined }),
          );
          return toList(items, toIssue);
        });
      }),
  };
}
