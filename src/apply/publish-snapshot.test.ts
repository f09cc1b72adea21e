import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../model/live-snapshot.js';
import { gitRepo } from '../../test/helpers/git-repo.js';
import { cli } from '../../test/helpers/run-cli.js';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const NOW = new Date('2026-11-21T12:00:00Z');

describe('apply and status publish the live state', () => {
  it('writes .flagops/live/<env>.json with every live flag as it is after the run, managed or not', async () => {
    const dir = tree({});
    gitRepo(dir).commit({
      'flagops.yml': 'flags: flags\nenvironments:\n  - name: production\n    backend: { type: file, path: state/production.json }\n',
      'flags/my_flag.yml': 'name: my_flag\ntype: ops\nenvironments:\n  production: true\n',
      'flags/gone_flag.yml': 'name: gone_flag\ntype: ops\n',
    });
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state/production.json'), JSON.stringify({ version: 1, flags: { other_flag: { percentage_of_time: 5 }, gone_flag: true } }));
    const env = { FLAGOPS_PUBLISH_LIVE: 'true', CI_COMMIT_SHA: 'abcdef1234567890', CI_JOB_URL: 'https://gitlab.example.com/group/flags/-/jobs/9' };
    const run = await cli(['apply'], { cwd: dir, env, now: NOW });
    expect(run.code).toBe(0);
    const text = readFileSync(join(dir, '.flagops/live/production.json'), 'utf8');
    const parsed = parseSnapshot(text, 'production');
    expect(parsed).toEqual({
      ok: true,
      snapshot: {
        snapshotVersion: 1,
        environment: 'production',
        readAt: NOW.toISOString(),
        commit: 'abcdef1234567890',
        jobUrl: 'https://gitlab.example.com/group/flags/-/jobs/9',
        flags: { gone_flag: true, my_flag: true, other_flag: { percentage_of_time: 5 } },
      },
    });
    expect(parseSnapshot(text, 'staging')).toEqual({ ok: false, problem: 'it is the snapshot of "production"' });

    const status = await cli(['status'], { cwd: dir, env: { FLAGOPS_PUBLISH_LIVE: 'true' }, now: new Date('2026-11-21T13:00:00Z') });
    expect(status.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, '.flagops/live/production.json'), 'utf8')).readAt).toBe('2026-11-21T13:00:00.000Z');
  });

  it('publishes nothing unless asked (FLAGOPS_PUBLISH_LIVE), and never for plan', async () => {
    const dir = tree({});
    gitRepo(dir).commit({
      'flagops.yml': 'flags: flags\nenvironments:\n  - name: production\n    backend: { type: file, path: state/production.json }\n',
      'flags/my_flag.yml': 'name: my_flag\ntype: ops\nenvironments:\n  production: true\n',
    });
    expect((await cli(['apply'], { cwd: dir, env: {}, now: NOW })).code).toBe(0);
    expect((await cli(['plan'], { cwd: dir, env: { FLAGOPS_PUBLISH_LIVE: 'true' }, now: NOW })).code).toBe(0);
    expect(() => readFileSync(join(dir, '.flagops/live/production.json'))).toThrow();
  });
});
