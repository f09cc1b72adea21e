import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { THREE_FILE_ENVS, useTmpTree } from '../../test/helpers/tmp-tree.js';
import { sortFileFindings } from '../model/finding.js';
import { validateFlagFiles, validateFlags, validateFlagsYielding } from './run-rules.js';

const tree = useTmpTree();

function validate(files: Record<string, string>, configHead = 'flags: flags\n') {
  const dir = tree({ 'flagops.yml': configHead + THREE_FILE_ENVS, ...files });
  const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
  return validateFlags({ config: loaded.config });
}

const GOOD = `---
name: my_flag
type: beta
milestone: '17.1'
default_enabled: false
`;

/** [code, line] pairs of the error/warning findings. */
function codes(result: ReturnType<typeof validate>): [string, number | undefined][] {
  return result.findings.map((f) => [f.code, f.line]);
}

describe('offline rules', () => {
  it('accepts a good file', () => {
    expect(validate({ 'flags/my_flag.yml': GOOD }).findings).toEqual([]);
  });

  it('schema: unknown keys with a did-you-mean hint, at the key', () => {
    const r = validate({ 'flags/my_flag.yml': `${GOOD}enviroments:\n  dev: true\n` });
    expect(codes(r)).toEqual([['schema/unknown-key', 6]]);
    expect(r.findings[0]).toMatchObject({ column: 1, flag: 'my_flag', hint: "did you mean 'environments'?" });
  });

  it('schema: a bad state reports one finding at the state', () => {
    const r = validate({ 'flags/my_flag.yml': `${GOOD}actor: user\nenvironments:\n  dev:\n    percentage_of_actors: 150\n  staging: maybe\n` });
    expect(codes(r)).toEqual([
      ['schema/range', 9],
      ['schema/type', 10],
    ]);
    expect(r.findings[0]).toMatchObject({ env: 'dev', column: 5 });
  });

  it('schema: percentages take up to two decimals, however they divide in binary', () => {
    const at = (p: string) => validate({ 'flags/my_flag.yml': `${GOOD}actor: user\nenvironments:\n  dev:\n    percentage_of_actors: ${p}\n` });
    for (const ok of ['15.79', '0.07', '1.11', '99.99', '50']) expect(at(ok).findings).toEqual([]);
    expect(codes(at('15.791'))).toEqual([['schema/range', 9]]);
  });

  it('schema: unknown condition keys', () => {
    const r = validate({ 'flags/my_flag.yml': `${GOOD}environments:\n  dev:\n    percentage_of_actor: 10\n` });
    expect(codes(r)).toEqual([['schema/unknown-key', 8]]);
  });

  it('definition: name pattern and file name', () => {
    expect(codes(validate({ 'flags/my_flag.yml': GOOD.replace('name: my_flag', 'name: My-Flag') }))).toEqual([['definition/name', 2]]);
    expect(codes(validate({ 'flags/other.yml': GOOD }))).toEqual([['definition/file-name', 2]]);
  });

  it('definition: unquoted milestone', () => {
    const r = validate({ 'flags/my_flag.yml': GOOD.replace("'17.1'", '17.10') });
    expect(codes(r)).toEqual([['definition/milestone-type', 4]]);
    expect(r.findings[0]!.hint).toContain("'17.1'");
  });

  it('definition: default_enabled only for types that allow it; historical types warn', () => {
    expect(codes(validate({ 'flags/my_flag.yml': GOOD.replace('beta', 'wip').replace('false', 'true') }))).toEqual([
      ['definition/default-enabled', 5],
    ]);
    const r = validate({ 'flags/my_flag.yml': GOOD.replace('beta', 'development') });
    expect(r.findings).toMatchObject([{ code: 'definition/deprecated-type', severity: 'warning', line: 3 }]);
  });

  it('definition: URLs must be https (loopback http allowed)', () => {
    const r = validate({
      'flags/my_flag.yml': `${GOOD}introduced_by_url: http://gitlab.example.com/g/p/-/merge_requests/1\nrollout_issue_url: http://127.0.0.1:8080/g/p/-/issues/1\n`,
    });
    expect(codes(r)).toEqual([['definition/url', 6]]);
  });

  it('definition: environments must be configured', () => {
    expect(codes(validate({ 'flags/my_flag.yml': `${GOOD}environments:\n  prod: true\n` }))).toEqual([['definition/environment', 7]]);
  });

  it('definition: one flag defined once', () => {
    const r = validate({ 'flags/a/my_flag.yml': GOOD, 'flags/b/my_flag.yml': GOOD });
    expect(codes(r)).toEqual([
      ['definition/duplicate', 2],
      ['definition/duplicate', 2],
    ]);
  });

  it('definition: gitlab layout wants <type>/<name>.yml', () => {
    const r = validate({ 'flags/wip/my_flag.yml': GOOD }, 'flags: flags\nlayout: gitlab\n');
    expect(codes(r)).toEqual([['definition/path', 3]]);
    expect(validate({ 'flags/beta/my_flag.yml': GOOD }, 'flags: flags\nlayout: gitlab\n').findings).toEqual([]);
  });

  it('actor: percentage_of_time and other actor kinds on a flag with an actor', () => {
    const r = validate({
      'flags/my_flag.yml': `${GOOD}actor: project\nenvironments:\n  dev:\n    percentage_of_time: 10\n    actors:\n      users: [alice]\n`,
    });
    expect(codes(r)).toEqual([
      ['actor/percentage-of-time', 9],
      ['actor/kind', 11],
    ]);
  });

  it('actor: percentage_of_actors without a declared actor is a warning', () => {
    const r = validate({ 'flags/my_flag.yml': `${GOOD}environments:\n  dev:\n    percentage_of_actors: 10\n` });
    expect(r.findings).toMatchObject([{ code: 'actor/undeclared', severity: 'warning', line: 8 }]);
  });

  it('backend-fit: project feature flags have no group actors', () => {
    const dir = tree({
      'flagops.yml': 'flags: flags\nenvironments:\n  - name: production\n    backend: { type: gitlab-feature-flags, url: https://gitlab.example.com, token_env: T, project: g/app, environment_scope: production }\n',
      'flags/my_flag.yml': `${GOOD}environments:\n  production:\n    actors:\n      groups: [g]\n`,
    });
    const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
    const r = validateFlags({ config: loaded.config });
    expect(r.findings.map((f) => [f.code, f.line, f.env])).toEqual([['backend-fit', 7, 'production']]);
    expect(r.findings[0]!.message).toContain('gitlab-feature-flags');
  });

  it('yaml problems are findings with positions, and other files are still checked', () => {
    const r = validate({ 'flags/my_flag.yml': 'name: a\nname: b\n', 'flags/other_flag.yml': GOOD.replace('my_flag', 'other_flag'), 'flags/list.yml': '- a\n' });
    expect(codes(r)).toEqual([
      ['yaml/not-a-mapping', 1],
      ['yaml/syntax', 2],
    ]);
    expect(r.valid.map((d) => d.file)).toEqual(['flags/other_flag.yml']);
  });
});

describe('validateFlagsYielding', () => {
  it('finds what validateFlags finds, letting the event loop run between slices', async () => {
    const files: Record<string, string> = { 'flags/dup.yml': GOOD.replace('my_flag', 'a_flag'), 'flags/broken.yml': 'name: [\n' };
    for (let i = 0; i < 7; i += 1) files[`flags/flag_${i}.yml`] = GOOD.replace('my_flag', `flag_${i}`);
    files['flags/a_flag.yml'] = GOOD.replace('my_flag', 'a_flag');
    const dir = tree({ 'flagops.yml': `flags: flags\n${THREE_FILE_ENVS}`, ...files });
    const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
    let turns = 0;
    let done = false;
    const turn = (): void => {
      turns += 1;
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    const sliced = await validateFlagsYielding({ config: loaded.config, slice: 2 });
    done = true;
    expect(turns).toBeGreaterThanOrEqual(5); // 10 files in slices of 2
    const whole = validateFlags({ config: loaded.config });
    expect(sliced.findings).toEqual(whole.findings);
    expect(sliced.valid.map((d) => d.file)).toEqual(whole.valid.map((d) => d.file));
    expect(sliced.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['definition/duplicate']));
  });

  it('validateFlagFiles: the same findings as validateFlags, keeping only each file\'s findings', () => {
    const dir = tree({
      'flagops.yml': `flags: flags\n${THREE_FILE_ENVS}`,
      'flags/a/my_flag.yml': `${GOOD}environments:\n  dev:\n    percentage_of_actors: 5\n`,
      'flags/b/my_flag.yml': `# moved\n${GOOD}`,
      'flags/c/other.yml': `${GOOD.replace('my_flag', 'other')}type: development\nbogus: 1\n`,
      'flags/c/broken.yml': 'name: [\n',
    });
    const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
    for (const errorsOnly of [false, true]) {
      const whole = validateFlags({ config: loaded.config, errorsOnly });
      const lean = validateFlagFiles({ config: loaded.config, errorsOnly });
      expect(lean.findings).toEqual(whole.findings);
      // each file's findings in report order
      expect(lean.files).toEqual(whole.documents.map((d) => ({ file: d.file, parsed: d.data !== undefined, findings: sortFileFindings(d.findings) })));
      expect(Object.keys(lean.files[0]!)).toEqual(['file', 'parsed', 'findings']);
    }
    const duplicates = validateFlagFiles({ config: loaded.config }).findings.filter((f) => f.code === 'definition/duplicate');
    expect(duplicates.map((f) => [f.file, f.line])).toEqual([
      ['flags/a/my_flag.yml', 2],
      ['flags/b/my_flag.yml', 3],
    ]);
  });
});
