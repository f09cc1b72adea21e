import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensurePrerequisites, onPath, PREREQUISITES, type Prerequisite } from './global-setup.js';
import { useTmpTree } from './helpers/tmp-tree.js';

const tree = useTmpTree();

/** A PATH folder holding only the named commands (each a link to node, which is all `onPath` needs). */
function binWith(...names: string[]): string {
  const bin = join(tree({}), 'bin');
  mkdirSync(bin);
  for (const n of names) symlinkSync(process.execPath, join(bin, n));
  return bin;
}

describe("the suite's system prerequisites", () => {
  it('are rsync, chromium and ruby-flipper, the packages .ci/run installs', () => {
    expect(PREREQUISITES.map((p) => p.pkg)).toEqual(['rsync', 'chromium', 'ruby-flipper']);
  });

  it('a tool on PATH is found', () => {
    const bin = binWith('rsync', 'chromium');
    expect(onPath('rsync', bin)).toBe(true);
    expect(() => ensurePrerequisites({ PATH: bin }, PREREQUISITES.slice(0, 2))).not.toThrow();
  });

  it('missing and not installable (no apt-get): one message naming every missing package and why, no test failure per test', () => {
    const bin = binWith('node');
    expect(onPath('rsync', bin)).toBe(false);
    let message = '';
    try {
      ensurePrerequisites({ PATH: bin });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('apt-get install rsync chromium ruby-flipper');
    expect(message).toMatch(/rsync: gitlab-ci-local copies the repository/);
    expect(message).toMatch(/ruby with flipper: the evaluator tests/);
  });

  it('only what is missing is named', () => {
    const present: Prerequisite = { what: 'a', pkg: 'pkg-a', why: 'x', present: () => true };
    const absent: Prerequisite = { what: 'b', pkg: 'pkg-b', why: 'y', present: () => false };
    expect(() => ensurePrerequisites({ PATH: binWith() }, [present, absent])).toThrow(/apt-get install pkg-b\)/);
  });
});
