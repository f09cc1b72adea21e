import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureRsync, onPath } from './global-setup.js';
import { useTmpTree } from './helpers/tmp-tree.js';

const tree = useTmpTree();

describe('the end-to-end prerequisite rsync', () => {
  it('is found on PATH when there', () => {
    const dir = tree({});
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'rsync'));
    expect(onPath('rsync', bin)).toBe(true);
    expect(() => ensureRsync({ PATH: bin })).not.toThrow();
  });

  it('missing and not installable: a message naming what to install, not a test failure per pipeline', () => {
    const dir = tree({});
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    expect(onPath('rsync', bin)).toBe(false);
    expect(() => ensureRsync({ PATH: bin })).toThrow(/need rsync .*apt-get install rsync/);
  });
});
