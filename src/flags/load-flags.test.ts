import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { loadFlagDocuments, readFlagDocument } from './load-flags.js';

const tree = useTmpTree();
const flag = (name: string, extra = ''): string => `name: ${name}\ntype: gitlab_com_derisk\n${extra}environments:\n  dev: true\n`;

describe('reading flag files', () => {
  it('reads small, empty and bigger-than-one-read files whole', () => {
    // a long description makes the file larger than the first read (16 KiB)
    const long = flag('big_one', `description: ${'x'.repeat(40_000)}\n`);
    const dir = tree({ 'flags/a.yml': flag('a'), 'flags/empty.yml': '', 'flags/big_one.yml': long });
    const docs = loadFlagDocuments({ dir, flagDirs: [join(dir, 'flags')] });
    const byFile = new Map(docs.map((d) => [d.file, d]));
    expect(byFile.get('flags/a.yml')?.data?.['name']).toBe('a');
    expect(byFile.get('flags/big_one.yml')?.text).toBe(long);
    expect(byFile.get('flags/empty.yml')?.findings.map((f) => f.code)).toEqual(['yaml/empty']);
  });

  it('refuses a file over the limit without reading it, exactly at the limit it reads', () => {
    const dir = tree({ 'over.yml': `# ${'y'.repeat(98)}\n`, 'at.yml': `# ${'y'.repeat(97)}\n` });
    expect(readFlagDocument(join(dir, 'over.yml'), dir, 100).findings.map((f) => f.code)).toEqual(['yaml/too-large']);
    expect(readFlagDocument(join(dir, 'at.yml'), dir, 100).findings.map((f) => f.code)).not.toContain('yaml/too-large');
  });

  it('refuses a folder, a FIFO and a device named like a flag file instead of hanging', () => {
    const dir = tree({ 'flags/ok.yml': flag('ok') });
    mkdirSync(join(dir, 'folder.yml'));
    execFileSync('mkfifo', [join(dir, 'flags', 'pipe.yml')]);
    symlinkSync('/dev/zero', join(dir, 'flags', 'zero.yml'));
    const docs = loadFlagDocuments({ dir, flagDirs: [join(dir, 'flags')] });
    const codes = Object.fromEntries(docs.map((d) => [d.file, d.findings.map((f) => `${f.code}: ${f.message}`)]));
    // discovery lists files and links only; a link to a device leads out of the repository and is refused unread
    expect(codes).toEqual({ 'flags/ok.yml': [], 'flags/zero.yml': ['file/outside-repository: a symbolic link that leads outside the repository: flagops does not read it'] });
    // named on the command line: a pipe without a writer would block a plain open
    for (const path of ['flags/pipe.yml', 'folder.yml']) {
      const doc = readFlagDocument(join(dir, path), dir, 1024 * 1024);
      expect(doc.findings.map((f) => `${f.code}: ${f.message}`)).toEqual(['file/unreadable: not a regular file']);
    }
  });
});
