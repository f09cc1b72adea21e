import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { THREE_FILE_ENVS, useTmpTree } from '../../../test/helpers/tmp-tree.js';
import type { CliIo } from '../io.js';
import { runDelete, type DeleteOptions } from './delete.js';

const tree = useTmpTree();
const CONFIG = `flags: flags\n${THREE_FILE_ENVS}`;
const FLAG = `name: cleanup_me   # done: see the cleanup MR
type: beta
default_enabled: true
environments:
  # everyone had it
  dev: true
  staging: true
  production:
    percentage_of_actors: 25
description: Removed soon
`;

async function run(dir: string, name: string, options: Partial<DeleteOptions> = {}) {
  let stdout = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => undefined, env: {}, cwd: dir, isTTY: false, now: () => new Date(0) };
  const code = await runDelete(name, { config: 'flagops.yml', ...options }, io);
  return { code, stdout };
}

const read = (dir: string): string => readFileSync(join(dir, 'flags/cleanup_me.yml'), 'utf8');

describe('flagops delete', () => {
  it('removes the named environments only, describing the fallback to default_enabled', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/cleanup_me.yml': FLAG });
    const r = await run(dir, 'cleanup_me', { env: ['production', 'dev'] });
    expect(r).toEqual({ code: 0, stdout: 'dev: on → unset (default on)\nproduction: 25% of actors → unset (default on)\nupdated flags/cleanup_me.yml\n' });
    expect(read(dir)).toBe(FLAG.replace('  dev: true\n', '').replace('  production:\n    percentage_of_actors: 25\n', ''));
  });

  it('without --env empties environments but keeps the key, so apply deletes the flag everywhere', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/cleanup_me.yml': FLAG });
    expect((await run(dir, 'cleanup_me')).code).toBe(0);
    expect(read(dir)).toBe('name: cleanup_me   # done: see the cleanup MR\ntype: beta\ndefault_enabled: true\nenvironments: {}\ndescription: Removed soon\n');
    expect((await run(dir, 'cleanup_me')).stdout).toBe(
      'dev: unset (default on) (unchanged)\nstaging: unset (default on) (unchanged)\nproduction: unset (default on) (unchanged)\nflags/cleanup_me.yml: nothing to change\n',
    );
  });

  it('on a definition-only file: everywhere makes it managed with environments: {}; some environments is refused', async () => {
    const def = 'name: cleanup_me\ntype: beta\n';
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/cleanup_me.yml': def });
    await expect(run(dir, 'cleanup_me', { env: ['production'] })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/has no environments: flagops does not manage 'cleanup_me' yet/),
    });
    expect(read(dir)).toBe(def);
    const r = await run(dir, 'cleanup_me');
    expect(r.stdout).toContain("flags/cleanup_me.yml now has environments: {}: apply deletes 'cleanup_me' in every environment");
    expect(read(dir)).toBe(`${def}environments: {}\n`);
  });

  it('removes a malformed state too', async () => {
    const dir = tree({ 'flagops.yml': CONFIG, 'flags/cleanup_me.yml': FLAG.replace('percentage_of_actors: 25', 'percentage_of_actor: 25') });
    const r = await run(dir, 'cleanup_me', { env: ['production'] });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('production: unset (default on) (unchanged)\n  note: removed a malformed state\nupdated flags/cleanup_me.yml\n');
    expect(read(dir)).not.toContain('production');
  });
});
