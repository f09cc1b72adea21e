/** `flagops pipeline` on a flagops.yml with rings: the instances of each ring come from the config. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { gitRepo } from '../../../test/helpers/git-repo.js';
import { cli } from '../../../test/helpers/run-cli.js';
import { useTmpTree } from '../../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const instances = (ring: string, n: number) =>
  `    instances:\n${Array.from({ length: n }, (_, i) => `      - { name: cell-${i + 1}, backend: { type: file, path: state/${ring}-${i + 1}.json } }\n`).join('')}`;
const CONFIG = `flags: flags\nenvironments:\n  - name: canary\n    backend: { type: file, path: state/canary.json }\n  - name: ring1\n${instances('ring1', 3)}  - name: ring2\n${instances('ring2', 5)}`;
const flag = (envs: string) => `name: a_flag\ntype: beta\nmilestone: '17.1'\nenvironments:\n${envs}`;

describe('flagops pipeline with rings', () => {
  it('one matrix job per ring over its instances, needs in promotion order, the production ring released by one job', async () => {
    const dir = tree({});
    const repo = gitRepo(dir);
    const base = repo.commit({ 'flagops.yml': CONFIG, 'flags/a_flag.yml': flag('  canary: false\n') }, 'before');
    repo.commit({ 'flags/a_flag.yml': flag('  canary: true\n  ring1: true\n  ring2: true\n') }, 'after');
    const run = await cli(['pipeline', '--format', 'json', '--output', 'child.yml', '--manual', 'production', '--tier', 'ring2=production'], {
      cwd: dir,
      env: { CI_COMMIT_BEFORE_SHA: base },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { lane: string; jobs: string[]; applyJobs: number; criticalPath: string[] };
    expect(summary).toMatchObject({ lane: 'rollout', applyJobs: 9, jobs: ['flagops-apply-canary', 'flagops-apply-ring1', 'flagops-release-ring2', 'flagops-apply-ring2'] });
    expect(summary.criticalPath).toEqual(summary.jobs);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const doc = parse(readFileSync(join(dir, 'child.yml'), 'utf8')) as Record<string, any>;
    expect(doc['flagops-apply-ring1'].parallel.matrix).toEqual([{ FLAGOPS_INSTANCE: ['cell-1', 'cell-2', 'cell-3'] }]);
    expect(doc['flagops-apply-ring2'].environment).toEqual({ name: 'ring2/$FLAGOPS_INSTANCE', action: 'prepare', deployment_tier: 'production' });
    expect(doc['flagops-apply-ring1'].environment.deployment_tier).toBe('other');
  });
});
