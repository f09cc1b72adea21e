/**
 * Issues: listing a project's open issues by labels (the production check): `GET /projects/:id/issues?state=opened&labels=`;
 * flagops' own issues (by author, title search and labels, every page); creating, editing and closing them; issue
 * links (lib/api/issue_links.rb).
 * GitLab ANDs the labels of one request (Issues API, `labels`: "Comma-separated list of label names, issues must
 * have all labels to be returned"), so an OR of label sets is one request per set, made by the caller.
 */
import { GitlabError } from '../errors/errors.js';
import type { ApiContext } from './api-context.js';
import { PAGE, gbPages } from './api-context.js';
import { toIssue, toList } from './mappers.js';
import type { GitlabPort, Issue, ProjectRef } from './port.js';
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
}: ApiContext): Pick<GitlabPort, 'listOpenIssues' | 'listAuthoredIssues' | 'createIssue' | 'closeIssue' | 'updateIssue' | 'listIssueLinks' | 'linkIssue'> {
  /** `PUT /projects/:id/issues/:iid` with gitbeaker's option names (camelCase, sent snake_case). */
  const edit = (project: ProjectRef, iid: number, options: Record<string, unknown>): Promise<Issue> =>
    op('PUT', 'projects/:id/issues/:iid', async () => {
      const p = checkRef(project);
      idSegment(iid, 'issue iid');
      return toIssue(await (await gb()).Issues.edit(p, iid, options));
    });
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
            in: query.inDescription ? 'title,description' : 'title',
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
    closeIssue: (project, iid) => edit(project, iid, { stateEvent: 'close' }),
    updateIssue: (project, iid, change) => {
      const options: Record<string, unknown> = {};
      if (change.description !== undefined) options.description = change.description;
      if (change.addLabels && change.addLabels.length > 0) options.addLabels = checkLabels(change.addLabels);
      if (Object.keys(options).length === 0) return Promise.reject(new Error('internal: updateIssue with nothing to change'));
      return edit(project, iid, options);
    },
    listIssueLinks: (project, iid) =>
      op('GET', 'projects/:id/issues/:iid/links', async () => {
        const p = checkRef(project);
        idSegment(iid, 'issue iid');
        // not paginated by GitLab: the endpoint presents the whole relation
        return toList(await (await gb()).IssueLinks.all(p, iid), toIssue);
      }),
    linkIssue: (project, iid, target) =>
      op('POST', 'projects/:id/issues/:iid/links', async () => {
        const p = checkRef(project);
        idSegment(iid, 'issue iid');
        idSegment(target.iid, 'target issue iid');
        try {
          await (await gb()).IssueLinks.create(p, iid, checkRef(target.project), target.iid, { linkType: 'relates_to' });
        } catch (error) {
          // 409 "Issue(s) already assigned": the two are linked already, which is what was asked
          if (!(error instanceof GitlabError && error.kind === 'conflict')) throw error;
        }
      }),
    listOpenIssues: (project, labels) =>
      op('GET', 'projects/:id/issues', async () => {
        const p = checkRef(project);
        if (labels.length === 0) throw new RefusedInput('listing open issues needs at least one label');
        const joined = checkLabels(labels);
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
