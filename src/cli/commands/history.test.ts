/** `flagops history` without a gitlab section: the file backend's own `applied` records, per ring instance. */
import { describe, expect, it } from 'vitest';
import { cli } from '../../../test/helpers/run-cli.js';
import { useTmpTree } from '../../../test/helpers/tmp-tree.js';

const tree = useTmpTree();
const FLAG = 'name: f\ntype: ops\nenvironments:\n  dev: true\n  ring1: { percentage_of_actors: 50 }\n';

describe('flagops history from state files', () => {
  it('lists the applies each file backend recorded, per instance of a ring, and says where nothing records', async () => {
    const dir = tree({
      'flagops.yml': `flags: flags
environments:
  - name: dev
    backend: { type: file, path: state/dev.json }
  - name: ring1
    instances:
      - { name: cell-1, backend: { type: file, path: state/cell-1.json } }
      - { name: cell-2, backend: { type: gitlab-features, url: https://cell-2.example.com, token_env: CELL_2_TOKEN } }
`,
      'flags/f.yml': FLAG,
      'state/cell-1.json': JSON.stringify({
        version: 1,
        flags: { f: { percentage_of_actors: 50 } },
        applied: {
          f: [
            { at: '2026-11-03T10:00:00.000Z', state: { percentage_of_actors: 50 } },
            { at: '2026-11-02T10:00:00.000Z', state: { percentage_of_actors: 25 } },
          ],
        },
      }),
    });
    const now = new Date('2026-11-21T10:00:00Z');
    // a real apply writes dev's record
    expect((await cli(['apply', '--env', 'dev'], { cwd: dir, now })).code).toBe(0);
    const run = await cli(['history', 'f', '--format', 'json'], { cwd: dir, now });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.flags[0].environments).toEqual([
      { environment: 'dev', recorded: true, entries: [{ appliedAt: '2026-11-21T10:00:00.000Z', verified: true, state: true, record: { source: 'state-file', status: 'applied' } }] },
      {
        environment: 'ring1',
        instance: 'cell-1',
        recorded: true,
        entries: [
          { appliedAt: '2026-11-02T10:00:00.000Z', verified: true, state: { percentage_of_actors: 25 }, record: { source: 'state-file', status: 'applied' } },
          { appliedAt: '2026-11-03T10:00:00.000Z', verified: true, state: { percentage_of_actors: 50 }, previous: { percentage_of_actors: 25 }, record: { source: 'state-file', status: 'applied' } },
        ],
      },
      { environment: 'ring1', instance: 'cell-2', recorded: false, entries: [] },
    ]);
    expect(out.findings).toEqual([expect.objectContaining({ code: 'history/no-records', severity: 'info', env: 'ring1' })]);

    const text = await cli(['history', 'f'], { cwd: dir, now });
    expect(text.stdout).toContain('  ring1 (cell-1)\n    2026-11-02 10:00 UTC  25% of actors  (state file)\n    2026-11-03 10:00 UTC  25% of actors → 50% of actors  (state file)\n');
    expect(text.stdout).toContain('  ring1 (cell-2)\n    no records (nothing records applies here)\n');
  });

  it('--live reads each instance now; an unknown environment is a usage error', async () => {
    const dir = tree({
      'flagops.yml': 'flags: flags\nenvironments:\n  - name: dev\n    backend: { type: file, path: state/dev.json }\n',
      'flags/f.yml': 'name: f\ntype: ops\nenvironments:\n  dev: true\n',
      'state/dev.json': JSON.stringify({ version: 1, flags: { f: false } }),
    });
    const live = JSON.parse((await cli(['history', '--live', '--format', 'json'], { cwd: dir })).stdout);
    // a state file from before flagops kept records: nothing applied is listed, the live state still is
    expect(live.flags[0].environments).toEqual([{ environment: 'dev', recorded: true, entries: [], live: false }]);
    const bad = await cli(['history', '--environment', 'prod'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--environment prod: no such environment');
  });
});
