/**
 * Listing a project's open issues by labels (the production check): `GET /projects/:id/issues?state=opened&labels=`.
 * GitLab ANDs the labels of one request (Issues API, `labels`: "Comma-separated list of label names, issues must
 * have all labels to be returned"), so an OR of label sets is one request per set, made by the caller.
 */
import type { ApiContext } from './api-context.js';
import { PAGE, gbPages } from './api-context.js';
import { toIssue, toList } from './mappers.js';
import type { GitlabPort } from './port.js';
import { RefusedInput, checkQueryText, checkRef } from './url-safety.js';

export function createIssuesApi({ op, cache, gb }: ApiContext): Pick<GitlabPort, 'listOpenIssues'> {
  return {
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
