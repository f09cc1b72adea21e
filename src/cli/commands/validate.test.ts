import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { THREE_FILE_ENVS, useTmpTree } from '../../../test/helpers/tmp-tree.js';
import { cli, spawnCli } from '../../../test/helpers/run-cli.js';
import type { Finding } from '../../model/finding.js';
import { formatFindings, summarize } from '../../report/text.js';

const tree = useTmpTree();
const CONFIG = { 'flagops.yml': `flags: flags\n${THREE_FILE_ENVS}` };
const GOOD = "---\nname: good_flag\ntype: beta\nmilestone: '17.1'\nenvironments:\n  dev: true\n";
const BAD = "---\nname: bad_flag\ntype: wip\nmilestone: 17.1\nenvironments:\n  dev:\n    percentage_of_time: 0\n";

describe('flagops validate', () => {
  it('exits 0 on valid files and 1 on findings, printing path:line:col', async () => {
    const ok = await cli(['validate'], { cwd: tree({ ...CONFIG, 'flags/good_flag.yml': GOOD }) });
    expect([ok.code, ok.stdout]).toEqual([0, '0 errors, 0 warnings in 1 file\n']);
    const bad = await cli(['validate'], { cwd: tree({ ...CONFIG, 'flags/bad_flag.yml': BAD }) });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('flags/bad_flag.yml:4:1: error definition/milestone-type: milestone must be a string');
    expect(bad.stdout).toContain("  hint: quote it: milestone: '17.1'");
    expect(bad.stdout).toContain('flags/bad_flag.yml:7:5: error schema/range:');
  });

  it('writes the JSON report with the contract shape, also on failure', async () => {
    const dir = tree({ ...CONFIG, 'flags/bad_flag.yml': BAD });
    const run = await cli(['validate', '--format', 'json', '--output', 'out/report.json'], { cwd: dir });
    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'));
    expect(report.findings[0]).toEqual({
      code: 'definition/milestone-type',
      severity: 'error',
      file: 'flags/bad_flag.yml',
      line: 4,
      column: 1,
      flag: 'bad_flag',
      message: 'milestone must be a string, not the number 17.1',
      hint: "quote it: milestone: '17.1'",
    });
    // stdout keeps the human text when the report goes to a file
    expect(run.stdout).toContain('error definition/milestone-type');
  });

  it('writes Code Quality and JUnit reports at once; fingerprints ignore line moves', async () => {
    const dir = tree({ ...CONFIG, 'flags/bad_flag.yml': BAD, 'flags/good_flag.yml': GOOD });
    await cli(['validate', '--report', 'codequality=cq.json', '--report', 'junit=junit.xml', '-q'], { cwd: dir });
    const cq = JSON.parse(readFileSync(join(dir, 'cq.json'), 'utf8'));
    expect(cq[0]).toMatchObject({ check_name: 'definition/milestone-type', severity: 'major', location: { path: 'flags/bad_flag.yml', lines: { begin: 4 } } });
    expect(cq[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testcase name="flags/good_flag.yml"');
    expect(junit).toMatch(/<failure message="milestone must be a string[^"]*" type="definition\/milestone-type">/);

    writeFileSync(join(dir, 'flags/bad_flag.yml'), `# moved down\n${BAD}`);
    await cli(['validate', '--report', 'codequality=cq2.json', '-q'], { cwd: dir });
    const cq2 = JSON.parse(readFileSync(join(dir, 'cq2.json'), 'utf8'));
    expect(cq2[0].location.lines.begin).toBe(5);
    expect(cq2[0].fingerprint).toBe(cq[0].fingerprint);
  });

  it('prints, file by file, the same findings in the same order as the JSON report: reordered names, duplicates found late', async () => {
    const flag = (name: string, extra = ''): string => `---\nname: ${name}\ntype: development\nmilestone: '17.1'\n${extra}environments:\n  dev:\n    percentage_of_actors: 5\n`;
    const dir = tree({
      ...CONFIG,
      // found in code-unit order (a.yml, a1.yml, a_b.yml), reported in localeCompare's (a_b before a1)
      'flags/a.yml': flag('a'),
      'flags/a1.yml': flag('a1'),
      'flags/a_b.yml': flag('a_b', 'bogus: 1\n'),
      'flags/x/dup_flag.yml': flag('dup_flag'),
      'flags/y/dup_flag.yml': `# the same name again\n${flag('dup_flag')}`,
      // claims a name whose file was written out long before
      'flags/zz.yml': flag('a'),
      'flags/broken.yml': 'name: [\n',
    });
    const json = await cli(['validate', '--format', 'json'], { cwd: dir });
    const report = JSON.parse(json.stdout) as { findings: Finding[] };
    expect(report.findings.filter((f) => f.code === 'definition/duplicate').map((f) => f.file)).toEqual(['flags/a.yml', 'flags/x/dup_flag.yml', 'flags/y/dup_flag.yml', 'flags/zz.yml']);
    const text = await cli(['validate'], { cwd: dir });
    expect([text.code, json.code]).toEqual([1, 1]);
    expect(text.stdout).toBe(`${formatFindings(report.findings, { color: false })}\n${summarize(report.findings, 7)}\n`);
    expect(text.stdout.indexOf('flags/a_b.yml')).toBeLessThan(text.stdout.indexOf('flags/a1.yml'));
    const quiet = await cli(['validate', '-q'], { cwd: dir });
    expect(quiet.stdout).toBe(`${formatFindings(report.findings.filter((f) => f.severity === 'error'), { color: false })}\n`);
    // the built CLI writes the same bytes
    expect((await spawnCli(['validate'], { cwd: dir })).stdout).toBe(text.stdout);
  });

  it('validates only the files named', async () => {
    const dir = tree({ ...CONFIG, 'flags/bad_flag.yml': BAD, 'flags/good_flag.yml': GOOD });
    expect((await cli(['validate', 'flags/good_flag.yml'], { cwd: dir })).code).toBe(0);
  });

  it('exits 2 on a bad config or bad usage, with the config position', async () => {
    const dir = tree({ 'flagops.yml': 'flags: flags\nenvironments:\n  - name: dev\n    backend: { type: fil, path: x }\n' });
    const run = await cli(['validate'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('flagops.yml:4:');
    expect((await cli(['validate', '--format', 'yaml'], { cwd: dir })).code).toBe(2);
    expect((await cli(['validate'], { cwd: tree({}) })).stderr).toContain('cannot read flagops.yml');
  });

  it('turns hostile files into findings: exit 1, no stack trace, other files still checked', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghijk'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghijk'[i]}`).join(', ')}]`)].join('\n');
    const dir = tree({
      ...CONFIG,
      'flags/bomb.yml': bomb,
      'flags/deep.yml': `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
      'flags/binary.yml': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      'flags/dups.yml': 'name: dups\nname: dups\n',
      'flags/big.yml': '',
      'flags/good_flag.yml': GOOD,
    });
    truncateSync(join(dir, 'flags/big.yml'), 100 * 1024 * 1024);
    const run = await spawnCli(['validate', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    const byFile = Object.fromEntries(report.findings.map((f: { file: string; code: string }) => [f.file, f.code]));
    expect(byFile).toEqual({
      'flags/big.yml': 'yaml/too-large',
      'flags/binary.yml': 'yaml/binary',
      'flags/bomb.yml': 'yaml/alias',
      'flags/deep.yml': 'yaml/depth',
      'flags/dups.yml': 'yaml/syntax',
    });
    expect(run.stdout).not.toMatch(/\bat .*\.(m?js|ts):\d+/);
  });

  it('--version answers from the launcher', async () => {
    const run = await spawnCli(['--version'], { cwd: tree({}) });
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
