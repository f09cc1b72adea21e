import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTmpTree } from '../../../test/helpers/tmp-tree.js';
import { createFileBackend, planFile } from './file-backend.js';

const tree = useTmpTree();
const run = promisify(execFile);
const DIST = join(import.meta.dirname, '..', '..', '..', 'dist', 'index.mjs');

describe('file backend', () => {
  it('plans nothing when equal, a set when different, a delete when no longer desired', () => {
    expect(planFile('f', { percentage_of_actors: 5 }, { percentage_of_actors: 5 })).toEqual([]);
    expect(planFile('f', undefined, true)).toMatchObject([{ action: 'set', payload: { state: true } }]);
    expect(planFile('f', false, undefined)).toMatchObject([{ action: 'delete', describe: 'feature delete f' }]);
    expect(planFile('f', undefined, undefined)).toEqual([]);
  });

  it('writes, reads back and deletes', async () => {
    const path = join(tree({}), 'state', 'dev.json');
    const backend = createFileBackend({ path });
    expect(await backend.read()).toEqual(new Map());
    for (const op of backend.plan('a_flag', undefined, { actors: { users: ['bob', 'alice'] } })) await backend.execute(op);
    expect(await backend.readFlag('a_flag')).toEqual({ state: { actors: { users: ['alice', 'bob'] } } });
    for (const op of backend.plan('a_flag', await backend.readFlag('a_flag'), undefined)) await backend.execute(op);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, flags: {} });
  });

  it('refuses a corrupt state file with a clear error', async () => {
    const dir = tree({ 'state.json': '{"flags": [' });
    await expect(createFileBackend({ path: join(dir, 'state.json') }).read()).rejects.toThrow(/not valid JSON/);
  });

  it('two processes writing at once lose no update', async () => {
    const path = join(tree({}), 'state.json');
    writeFileSync(path, JSON.stringify({ version: 1, flags: { keep_me: true } }));
    const script = (prefix: string) => `
      import { createFileBackend } from ${JSON.stringify(DIST)};
      const b = createFileBackend({ path: ${JSON.stringify(path)} });
      for (let i = 0; i < 40; i++) for (const op of b.plan('${prefix}_' + i, undefined, { percentage_of_actors: i + 1 })) await b.execute(op);
    `;
    await Promise.all(['a', 'b'].map((p) => run(process.execPath, ['--input-type=module', '-e', script(p)])));
    const flags = JSON.parse(readFileSync(path, 'utf8')).flags;
    expect(Object.keys(flags).length).toBe(81);
    expect(flags.a_39).toEqual({ percentage_of_actors: 40 });
    expect(flags.b_0).toEqual({ percentage_of_actors: 1 });
  });
});
