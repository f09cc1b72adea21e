/**
 * The pages component under gitlab-ci-local: on the default branch the job builds the dashboard into `public` and
 * exports it as its artifact (GitLab Pages publishes that folder); its report JSON goes along.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.js';
import { useTmpTree } from '../helpers/tmp-tree.js';
import { artifact, FLAGOPS_PROJECT, flagRepo, jobLog, runPipeline, repoFolders } from './pipeline.js';

const tree = useTmpTree();
const VERSION = '0.1.0';

describe('pages component', () => {
  it('builds the dashboard on the default branch, exports public, and stays out of schedules when told', async () => {
    const { repoDir, home } = repoFolders(tree({}));
    const pipeline = (schedule: boolean): string =>
      stringify({
        include: [{ component: `$CI_SERVER_FQDN/${FLAGOPS_PROJECT}/pages@${VERSION}`, inputs: { command: `node ${BIN}`, days: '30', schedule } }],
        stages: ['deploy'],
      });
    const repo = flagRepo({
      dir: repoDir,
      home,
      files: {
        'flagops.yml': 'flags: flags\nenvironments:\n  - name: dev\n    backend: { type: file, path: .flagops/state/dev.json }\n',
        'flags/my_flag.yml': 'name: my_flag\ntype: wip\nenvironments:\n  dev: true\n',
        '.gitlab-ci.yml': pipeline(true),
      },
      variables: {},
    });
    const push = await runPipeline({ dir: repoDir, home, kind: 'push', schemaValidation: true });
    expect(push.code, push.log).toBe(0);
    expect(jobLog(push, 'flagops-pages')).toMatch(/wrote public\/index\.html \(\d+\.\d KiB\)/);
    const page = artifact(repoDir, 'flagops-pages', 'public/index.html');
    expect(page).toContain("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';");
    const report = JSON.parse(artifact(repoDir, 'flagops-pages', 'public/flagops-report.json')) as { flags: { name: string; cells: Record<string, { desired: { label: string } }> }[] };
    expect(report.flags.map((f) => [f.name, f.cells.dev!.desired.label])).toEqual([['my_flag', 'on']]);

    const fresh = await runPipeline({ dir: repoDir, home, kind: 'schedule' });
    expect(jobLog(fresh, 'flagops-pages')).toMatch(/wrote public\/index\.html/);

    repo.commit({ '.gitlab-ci.yml': pipeline(false) }, 'no pages in schedules');
    const scheduled = await runPipeline({ dir: repoDir, home, kind: 'schedule' });
    expect(scheduled.log).not.toContain('flagops-pages');
    expect(existsSync(join(repoDir, 'public'))).toBe(false); // --no-artifacts-to-source: nothing leaks into the checkout
  }, 120_000);
});
