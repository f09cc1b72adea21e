import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../../test/helpers/run-cli.js';
import { THREE_FILE_ENVS, useTmpTree } from '../../../test/helpers/tmp-tree.js';

const tree = useTmpTree();

describe('flagops import', () => {
  it('adopts live flags: creates files for unknown ones, fills existing files keeping comments; apply then changes nothing', async () => {
    const dir = tree({
      'flagops.yml': `flags: flags\n${THREE_FILE_ENVS}`,
      'flags/known_flag.yml': '# owned by team x\nname: known_flag\ntype: beta # keep me\n',
    });
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'dev.json'), JSON.stringify({ version: 1, flags: { known_flag: { percentage_of_time: 5 }, live_only: true } }));
    const run = await cli(['import', '--env', 'dev'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('created   live_only (flags/live_only.yml)');
    expect(run.stdout).toContain('updated   known_flag (flags/known_flag.yml)');
    const known = readFileSync(join(dir, 'flags/known_flag.yml'), 'utf8');
    expect(known).toContain('# owned by team x\nname: known_flag\ntype: beta # keep me\n');
    expect(known).toContain('percentage_of_time: 5');
    expect((await cli(['validate'], { cwd: dir })).code).toBe(0);
    const plan = await cli(['plan', '--env', 'dev'], { cwd: dir });
    expect(plan.stdout).toContain('nothing to change; 2 in sync');
  });

  it('needs exactly one environment', async () => {
    const dir = tree({ 'flagops.yml': `flags: flags\n${THREE_FILE_ENVS}` });
    expect((await cli(['import'], { cwd: dir })).code).toBe(2);
  });
});
