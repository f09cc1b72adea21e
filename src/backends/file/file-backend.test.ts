import { execFile } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTmpTree } from '../../../test/helpers/tmp-tree.js';
import { APPLIED_KEEP, createFileBackend, planFile, readStateFile } from './file-backend.js';

const tree = useTmpTree();
const run = promisify(execFile);
const DIST = join(import.meta.dirname, '..', '..', '..', 'dist', 'index.mjs');

describe('file backend', () => {
  it('refuses, unread, a state file or folder linked out of the repository, naming no content', async () => {
    const outside = tree({ 'prod.json': '{"version":1,"flags":{"SECRET_CONTENT_x":true}}' });
    const repo = tree({ 'flagops.yml': '' });
    symlinkSync(outside, join(repo, 'state'));
    symlinkSync(join(outside, 'prod.json'), join(repo, 'linked.json'));
    for (const path of [join(repo, 'state', 'prod.json'), join(repo, 'state', 'new.json'), join(repo, 'linked.json')]) {
      const backend = createFileBackend({ path, root: repo });
      const error = await backend.read().then(() => undefined, (e: unknown) => e as Error);
      expect(error?.message).toMatch(/symbolic link/);
      expect(error?.message).not.toContain('SECRET_CONTENT');
      await expect(backend.executeAll!([{ flag: 'a', action: 'set', describe: '', payload: { state: true } }])).rejects.toThrow(/symbolic link/);
    }
    expect(readFileSync(join(outside, 'prod.json'), 'utf8')).toContain('SECRET_CONTENT_x');
    expect(await createFileBackend({ path: join(repo, 'real.json'), root: repo }).read()).toEqual(new Map());
  });

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
    expect(JSON.parse(readFileSync(path, 'utf8')).flags).toEqual({});
  });

  it('records when each flag was written and with what, newest first, and reads state files without the record', async () => {
    let now = new Date('2026-11-20T10:00:00Z');
    const dir = tree({ 'old.json': JSON.stringify({ version: 1, flags: { kept: true } }) });
    const path = join(dir, 'old.json');
    const backend = createFileBackend({ path, now: () => now });
    expect(await backend.read()).toEqual(new Map([['kept', { state: true }]]));
    const apply = async (flag: string, desired: Parameters<typeof backend.plan>[2]) => {
      for (const op of backend.plan(flag, await backend.readFlag(flag), desired)) await backend.execute(op);
    };
    await apply('a_flag', { percentage_of_actors: 25 });
    now = new Date('2026-11-21T10:00:00Z');
    await apply('a_flag', true);
    // a write that changes nothing (a retry) keeps the time the flag first got the state
    await backend.executeAll!([{ flag: 'a_flag', action: 'set', describe: '', payload: { state: true } }]);
    now = new Date('2026-11-22T10:00:00Z');
    await apply('a_flag', undefined);
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    expect(doc.flags).toEqual({ kept: true });
    expect(doc.applied).toEqual({
      a_flag: [
        { at: '2026-11-22T10:00:00.000Z', state: null },
        { at: '2026-11-21T10:00:00.000Z', state: true },
        { at: '2026-11-20T10:00:00.000Z', state: { percentage_of_actors: 25 } },
      ],
    });
    expect(readStateFile(path).applied.a_flag?.[1]).toEqual({ at: '2026-11-21T10:00:00.000Z', state: true });
  });

  it('keeps the last writes only', async () => {
    let n = 0;
    const path = join(tree({}), 's.json');
    const backend = createFileBackend({ path, now: () => new Date(Date.UTC(2026, 0, 1, 0, n++)) });
    for (let p = 1; p <= APPLIED_KEEP + 5; p++) await backend.execute(backend.plan('f', undefined, { percentage_of_actors: p })[0]!);
    const entries = readStateFile(path).applied.f!;
    expect(entries).toHaveLength(APPLIED_KEEP);
    expect(entries[0]?.state).toEqual({ percentage_of_actors: APPLIED_KEEP + 5 });
  });

  it('refuses an invalid apply record with a clear error', async () => {
    for (const applied of [[], { f: {} }, { f: [{ at: 'yesterday', state: true }] }, { f: [{ at: '2026-11-20T10:00:00Z', state: 5 }] }]) {
      const dir = tree({ 's.json': JSON.stringify({ version: 1, flags: {}, applied }) });
      await expect(createFileBackend({ path: join(dir, 's.json') }).read()).rejects.toThrow(/has an invalid 'applied' record/);
    }
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
