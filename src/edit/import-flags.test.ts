import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { THREE_FILE_ENVS, useTmpTree } from '../../test/helpers/tmp-tree.js';
import { loadConfig } from '../config/load-config.js';
import type { FlagState } from '../model/state.js';
import { validateFlags } from '../rules/run-rules.js';
import { importEnvironment, type ImportOptions } from './import-flags.js';

const tree = useTmpTree();

const KEPT = `---
# owned by group::integrations
name: kept_flag
type: beta   # beta: may default on
milestone: '17.1'
environments:
  dev: true   # QA
  production:
    percentage_of_actors: 10   # first step
`;
const DEFINITION_ONLY = "---\nname: definition_only\ntype: wip\nmilestone: '18.0'\n";
const MANAGED_GONE = "name: managed_gone\ntype: wip\nenvironments:\n  production: true   # was on\n  dev: false\n";

function setup(layout: 'flat' | 'gitlab' = 'flat') {
  const flags = layout === 'flat' ? 'flags' : 'config/feature_flags';
  const prefix = layout === 'flat' ? 'flags' : 'config/feature_flags/beta';
  const dir = tree({
    'flagops.yml': `flags: ${flags}\nlayout: ${layout}\n${THREE_FILE_ENVS}`,
    [`${prefix}/kept_flag.yml`]: KEPT,
    [`${layout === 'flat' ? 'flags' : 'config/feature_flags/wip'}/definition_only.yml`]: DEFINITION_ONLY,
    [`${layout === 'flat' ? 'flags' : 'config/feature_flags/wip'}/managed_gone.yml`]: MANAGED_GONE,
  });
  const loaded = loadConfig({ file: 'flagops.yml', cwd: dir, env: {} });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
  return { dir, config: loaded.config };
}

const live = (entries: [string, FlagState][]): Map<string, FlagState> => new Map(entries);
const text = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');

describe('importEnvironment', () => {
  it('writes live states into existing files, removes vanished ones from managed files, creates the rest', () => {
    const { dir, config } = setup();
    const options: ImportOptions = {
      config,
      env: 'production',
      live: live([
        ['kept_flag', { percentage_of_actors: 50, actors: { users: ['b', 'a'] } }],
        ['definition_only', true],
        ['brand_new', { percentage_of_time: 5 }],
      ]),
    };
    const summary = importEnvironment(options);
    expect(summary.entries.map((e) => [e.flag, e.action, e.file])).toEqual([
      ['brand_new', 'created', 'flags/brand_new.yml'],
      ['definition_only', 'updated', 'flags/definition_only.yml'],
      ['kept_flag', 'updated', 'flags/kept_flag.yml'],
      ['managed_gone', 'updated', 'flags/managed_gone.yml'],
    ]);
    expect(summary.counts).toEqual({ created: 1, updated: 3, unchanged: 0, skipped: 0 });
    expect(summary.notes).toEqual(["2 files now manage their flags with only 'production' set; import dev, staging too before applying, or apply deletes their live state"]);

    expect(text(dir, 'flags/kept_flag.yml')).toBe(KEPT.replace('    percentage_of_actors: 10   # first step\n', '    percentage_of_actors: 50   # first step\n    actors:\n      users: [a, b]\n'));
    expect(text(dir, 'flags/definition_only.yml')).toBe(`${DEFINITION_ONLY}environments:\n  production: true\n`);
    expect(text(dir, 'flags/managed_gone.yml')).toBe('name: managed_gone\ntype: wip\nenvironments:\n  dev: false\n');
    expect(text(dir, 'flags/brand_new.yml')).toBe(
      "---\n# Adopted by flagops import from the live state of 'production'.\n# Complete the definition: type, description, group, milestone and the issue and merge request URLs.\n" +
        'name: brand_new\ntype: undefined\ndefault_enabled: false\nenvironments:\n  production:\n    percentage_of_time: 5\n',
    );
    // every written file is valid
    expect(validateFlags({ config }).findings.filter((f) => f.severity === 'error')).toEqual([]);

    // a second run changes nothing
    const again = importEnvironment(options);
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 4, skipped: 0 });
  });

  it('--flag limits the import; names neither live nor on disk are reported', () => {
    const { dir, config } = setup();
    const summary = importEnvironment({ config, env: 'dev', live: live([['kept_flag', false], ['other_flag', true]]), flags: ['kept_flag', 'definition_only', 'ghost'] });
    expect(summary.entries.map((e) => [e.flag, e.action, e.reason])).toEqual([
      ['definition_only', 'unchanged', 'not persisted in dev; definition-only file left as is'],
      ['ghost', 'skipped', 'not persisted in dev and no flag file'],
      ['kept_flag', 'updated', undefined],
    ]);
    expect(text(dir, 'flags/kept_flag.yml')).toBe(KEPT.replace('  dev: true   # QA', '  dev: false   # QA'));
    expect(existsSync(join(dir, 'flags/other_flag.yml'))).toBe(false);
  });

  it('gitlab layout: new files go to <flags>/<type>/ with the live definition when known, else type undefined', () => {
    const { dir, config } = setup('gitlab');
    const summary = importEnvironment({
      config,
      env: 'staging',
      live: live([['known_def', true], ['unknown_def', { actors: { projects: ['a/b'] } }]]),
      definitions: new Map([['known_def', { type: 'ops', default_enabled: true, milestone: '16.2', group: 'group::x', description: null }]]),
    });
    expect(summary.entries.filter((e) => e.action === 'created').map((e) => e.file)).toEqual([
      'config/feature_flags/ops/known_def.yml',
      'config/feature_flags/undefined/unknown_def.yml',
    ]);
    expect(text(dir, 'config/feature_flags/ops/known_def.yml')).toBe("---\nname: known_def\nmilestone: '16.2'\ngroup: group::x\ntype: ops\ndefault_enabled: true\nenvironments:\n  staging: true\n");
    expect(validateFlags({ config }).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('writes a live state a rule objects to, returning the finding; skips unparsable files, bad names, and dry runs', () => {
    const { dir, config } = setup();
    writeFileSync(join(dir, 'flags/kept_flag.yml'), KEPT.replace('type: beta', 'type: beta\nactor: user'));
    writeFileSync(join(dir, 'flags/broken_flag.yml'), 'name: broken_flag\n  bad: [\n');
    const summary = importEnvironment({
      config,
      env: 'staging',
      live: live([['kept_flag', { percentage_of_time: 20 }], ['broken_flag', true], ['Bad-Name', true]]),
    });
    const byFlag = Object.fromEntries(summary.entries.map((e) => [e.flag, e]));
    expect(byFlag.kept_flag).toMatchObject({ action: 'updated', after: { percentage_of_time: 20 } });
    expect(byFlag.kept_flag!.findings.map((f) => f.code)).toContain('actor/percentage-of-time');
    expect(text(dir, 'flags/kept_flag.yml')).toContain('  staging:\n    percentage_of_time: 20\n');
    expect(byFlag.broken_flag).toMatchObject({ action: 'skipped', reason: 'the file does not parse', findings: [{ code: 'yaml/syntax' }] });
    expect(byFlag['Bad-Name']).toMatchObject({ action: 'skipped', reason: 'not a valid flag name: no file created' });

    const dry = importEnvironment({ config, env: 'dev', live: live([['dry_flag', true]]), dryRun: true });
    expect(dry.entries.find((e) => e.flag === 'dry_flag')).toMatchObject({ action: 'created', file: 'flags/dry_flag.yml' });
    expect(existsSync(join(dir, 'flags/dry_flag.yml'))).toBe(false);
  });
});
