import { chmodSync, copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTmpTree } from '../../test/helpers/tmp-tree.js';
import { ACTOR_KINDS, type FlagState, type MaybeState } from '../model/state.js';
import { parseYamlText } from '../yaml/bounded-parse.js';
import { canonical } from './chatops-set.js';
import { editFlagText, writeFileAtomic } from './edit-flag-file.js';

const tree = useTmpTree();
const ENV_ORDER = ['dev', 'pre', 'staging', 'production'];

function edit(text: string, edits: Record<string, MaybeState>, ensureManaged = false): string {
  const result = editFlagText(text, new Map(Object.entries(edits)), { envOrder: ENV_ORDER, ensureManaged });
  if (!result.ok) throw new Error(result.message);
  return result.text;
}

// Comments, odd spacing, quoting, a header comment before `---`, a commented-out environment: all must survive.
const FILE = `# frozen_string_literal: true
---
name: zentao_issues_integration    # equals the file name
description: "Integration with ZenTao issues"
milestone: '14.6'
type: beta
default_enabled: false
environments:        # desired state per environment
  dev: true   # fully on

  # production: 50% of actors, then everyone
  production:
    percentage_of_actors: 50     # step 2 of 4
    actors:
      projects: [icbd-trial/integration-trial, luke/public-tests]   # test projects
      groups:
        - icbd-trial   # the trial group
    feature_groups: [gitlab_team_members]
    # watch the error budget
  # pre: false
# last line
`;

/** FILE with its lines `from`..`to` (1-based, inclusive) replaced by `lines`. */
function withLines(from: number, to: number, lines: string[]): string {
  const all = FILE.split('\n');
  all.splice(from - 1, to - from + 1, ...lines);
  return all.join('\n');
}

describe('editFlagText: setting a state', () => {
  it('replaces a scalar in place, keeping its comment', () => {
    expect(edit(FILE, { dev: false })).toBe(withLines(9, 9, ['  dev: false   # fully on']));
  });

  it('changes only the entries of a condition that differ', () => {
    const next = { percentage_of_actors: 75, actors: { projects: ['luke/public-tests', 'icbd-trial/integration-trial'], groups: ['icbd-trial'] }, feature_groups: ['gitlab_team_members'] };
    expect(edit(FILE, { production: next })).toBe(withLines(13, 13, ['    percentage_of_actors: 75     # step 2 of 4']));
  });

  it('adds and removes keys and list items in the documented order, keeping block lists block', () => {
    const next = { percentage_of_actors: 50, percentage_of_time: 5, actors: { users: ['luke'], projects: ['icbd-trial/integration-trial'], groups: ['icbd-trial', 'jh'] } };
    expect(edit(FILE, { production: next })).toBe(
      withLines(13, 18, [
        '    percentage_of_actors: 50     # step 2 of 4',
        '    percentage_of_time: 5',
        '    actors:',
        '      users: [luke]',
        '      projects: [icbd-trial/integration-trial]   # test projects',
        '      groups:',
        '        - icbd-trial   # the trial group',
        '        - jh',
      ]),
    );
  });

  it('edits lists item by item: a kept item keeps its comment and its quotes, a removed one goes with its own', () => {
    const text = [
      'name: x',
      'environments:',
      '  production:',
      '    actors:',
      '      users:',
      "        - 'luke'    # the owner",
      '        - "leia"    # QA',
      '        - han',
      `      projects: ['g/a', "g/b", g/c]   # test projects`,
      '',
    ].join('\n');
    const next = { actors: { users: ['luke', 'han', 'rey'], projects: ['g/b', 'g/c', 'g/d'] } };
    expect(edit(text, { production: next })).toBe(
      [
        'name: x',
        'environments:',
        '  production:',
        '    actors:',
        '      users:',
        "        - 'luke'    # the owner",
        '        - han',
        '        - rey',
        '      projects: ["g/b", g/c, g/d]   # test projects',
        '',
      ].join('\n'),
    );
    // the last item of a flow list goes with the comma before it
    expect(edit(text, { production: { actors: { users: ['luke', 'leia', 'han'], projects: ['g/a', 'g/b'] } } })).toBe(
      text.replace(`['g/a', "g/b", g/c]`, `['g/a', "g/b"]`),
    );
  });

  it('keeps a flow map flow, and its untouched entries byte for byte', () => {
    const text = "name: x\nenvironments:\n  dev: {percentage_of_actors: 10, actors: {users: ['luke']}}   # trial\n  staging: true\n";
    expect(edit(text, { dev: { percentage_of_actors: 25, actors: { users: ['luke'] } } })).toBe(
      "name: x\nenvironments:\n  dev: {percentage_of_actors: 25, actors: {users: ['luke']}}   # trial\n  staging: true\n",
    );
    expect(edit(text, { dev: { actors: { users: ['luke', 'rey'] }, feature_groups: ['gitlab_team_members'] } })).toBe(
      "name: x\nenvironments:\n  dev: {actors: {users: ['luke', rey]}, feature_groups: [gitlab_team_members]}   # trial\n  staging: true\n",
    );
    expect(edit(text, { dev: { percentage_of_actors: 10 } })).toBe(
      'name: x\nenvironments:\n  dev: {percentage_of_actors: 10}   # trial\n  staging: true\n',
    );
  });

  it('turns a condition into a scalar and a scalar into a block condition with flow lists', () => {
    expect(edit(FILE, { production: true })).toBe(withLines(12, 18, ['  production: true']));
    expect(edit(FILE, { dev: { percentage_of_actors: 10, actors: { users: ['a', 'b'] } } })).toBe(
      withLines(9, 9, ['  dev:   # fully on', '    percentage_of_actors: 10', '    actors:', '      users: [a, b]']),
    );
  });

  it('inserts a new environment in promotion order', () => {
    expect(edit(FILE, { staging: { percentage_of_time: 1 } })).toBe(withLines(10, 10, ['  staging:', '    percentage_of_time: 1', '']));
    expect(edit(FILE, { pre: false })).toBe(withLines(9, 9, ['  dev: true   # fully on', '  pre: false']));
  });

  it('leaves the text identical (same object) when nothing changes', () => {
    const same = { percentage_of_actors: 50, actors: { groups: ['icbd-trial'], projects: ['luke/public-tests', 'icbd-trial/integration-trial'] }, feature_groups: ['gitlab_team_members'] };
    const result = editFlagText(FILE, new Map<string, MaybeState>([['production', same], ['dev', true]]), { envOrder: ENV_ORDER });
    expect(result).toEqual({ ok: true, text: FILE, changed: false });
  });

  it('appends environments to a definition-only file, and keeps a missing final newline fixed', () => {
    const def = "---\nname: x\ntype: beta\n# trailing comment\n";
    expect(edit(def, { production: { actors: { repositories: ['@hashed/ab.git'] } }, dev: true })).toBe(
      "---\nname: x\ntype: beta\nenvironments:\n  dev: true\n  production:\n    actors:\n      repositories: ['@hashed/ab.git']\n# trailing comment\n",
    );
    expect(edit('name: x\ntype: beta', { dev: true })).toBe('name: x\ntype: beta\nenvironments:\n  dev: true\n');
  });

  it('appends after a block scalar without eating the next line', () => {
    const def = 'name: x\ndescription: |\n  line one\n  line two\n# about the flag\n';
    expect(edit(def, { dev: true })).toBe('name: x\ndescription: |\n  line one\n  line two\nenvironments:\n  dev: true\n# about the flag\n');
    const folded = 'name: x\nenvironments:\n  dev: >-\n    junk\n  staging: true\n';
    expect(edit(folded, { dev: false })).toBe('name: x\nenvironments:\n  dev: false\n  staging: true\n');
  });

  it('fills `environments: {}` or an empty `environments:` and keeps CRLF and a BOM', () => {
    expect(edit('name: x\nenvironments: {}   # none yet\ntype: wip\n', { staging: true })).toBe('name: x\nenvironments:   # none yet\n  staging: true\ntype: wip\n');
    expect(edit('name: x\nenvironments:\ntype: wip\n', { dev: false })).toBe('name: x\nenvironments:\n  dev: false\ntype: wip\n');
    expect(edit('\uFEFFname: x\r\nenvironments:\r\n  dev: true\r\n', { staging: { percentage_of_actors: 1 } })).toBe(
      '\uFEFFname: x\r\nenvironments:\r\n  dev: true\r\n  staging:\r\n    percentage_of_actors: 1\r\n',
    );
  });

  it('follows the file indentation of environments', () => {
    expect(edit('name: x\nenvironments:\n    dev: true\n', { staging: { actors: { users: ['a'] } } })).toBe(
      'name: x\nenvironments:\n    dev: true\n    staging:\n        actors:\n            users: [a]\n',
    );
  });
});

describe('editFlagText: removing a state', () => {
  it('removes the entry with its deeper comments, and nothing else', () => {
    expect(edit(FILE, { production: undefined })).toBe(withLines(12, 19, []));
    expect(edit(FILE, { dev: undefined })).toBe(withLines(9, 9, []));
  });

  it('keeps `environments: {}` when the last one goes, so the flag stays managed', () => {
    expect(edit(FILE, { dev: undefined, production: undefined })).toBe(withLines(8, 19, ['environments: {}        # desired state per environment']));
    expect(edit('name: x\ntype: beta\n', { dev: undefined }, true)).toBe('name: x\ntype: beta\nenvironments: {}\n');
    expect(editFlagText('name: x\n', new Map([['dev', undefined]]), { envOrder: ENV_ORDER })).toMatchObject({ changed: false });
  });
});

describe('editFlagText: refusals', () => {
  it('refuses files it cannot edit safely, with a position', () => {
    expect(editFlagText('name: x\nenvironments: [dev]\n', new Map([['dev', true]]), { envOrder: ENV_ORDER })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/environments is not a mapping/),
      line: 2,
    });
    expect(editFlagText('{name: x}\n', new Map([['dev', true]]), { envOrder: ENV_ORDER })).toMatchObject({ ok: false, message: expect.stringMatching(/block mapping/) });
    expect(editFlagText('name: x\nname: y\n', new Map([['dev', true]]), { envOrder: ENV_ORDER })).toMatchObject({ ok: false, line: 2 });
    expect(editFlagText('name: &n x\ndescription: *n\n', new Map([['dev', true]]), { envOrder: ENV_ORDER })).toMatchObject({ ok: false, message: expect.stringMatching(/aliases/), line: 2 });
  });
});

describe('editFlagText on a real GitLab definition file', () => {
  const corpus = join(import.meta.dirname, '../../test/fixtures/gitlab-flag-definitions/config/feature_flags');

  it('adds environments and keeps every original byte (copied to a temp folder)', () => {
    const dir = tree({});
    const copy = join(dir, 'ci_config_http_timeout.yml');
    copyFileSync(join(corpus, 'beta/ci_config_http_timeout.yml'), copy);
    const original = readFileSync(copy, 'utf8');
    const text = edit(original, { production: { percentage_of_actors: 25 }, staging: true });
    expect(text.startsWith(original)).toBe(true);
    expect(text.slice(original.length)).toBe('environments:\n  staging: true\n  production:\n    percentage_of_actors: 25\n');
    writeFileAtomic(copy, text);
    expect(readFileSync(copy, 'utf8')).toBe(text);
    // and back: removing them everywhere leaves the definition plus `environments: {}`
    expect(edit(text, { production: undefined, staging: undefined })).toBe(`${original}environments: {}\n`);
  });

  it('round-trips every corpus file: the added state reads back and the rest is a prefix', () => {
    for (const type of readdirSync(corpus)) {
      for (const name of readdirSync(join(corpus, type))) {
        const original = readFileSync(join(corpus, type, name), 'utf8');
        const text = edit(original, { dev: { actors: { users: ['a'] } } });
        expect(text.startsWith(original.endsWith('\n') ? original : `${original}\n`), name).toBe(true);
        const parsed = parseYamlText(text);
        expect(parsed.ok && (parsed.value as { environments: unknown }).environments, name).toEqual({ dev: { actors: { users: ['a'] } } });
      }
    }
  });
});

/** A state with its name lists sorted: the order of actors and feature groups carries no meaning. */
function asSets(state: unknown): unknown {
  if (Array.isArray(state)) return [...(state as unknown[])].sort();
  if (typeof state !== 'object' || state === null) return state;
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, asSets(v)]));
}

describe('editFlagText: any state reads back as written (property)', () => {
  const name = fc.stringMatching(/^[a-z@][a-z0-9_./@:#!*&?|>-]{0,12}$/);
  const names = fc.uniqueArray(name, { minLength: 1, maxLength: 3 });
  const pct = fc.integer({ min: 1, max: 9999 }).map((n) => n / 100);
  const actors = fc.record(Object.fromEntries(ACTOR_KINDS.map((k) => [k, names])) as Record<(typeof ACTOR_KINDS)[number], typeof names>, { requiredKeys: [] });
  const state: fc.Arbitrary<FlagState> = fc.oneof(
    fc.boolean(),
    fc.record({ percentage_of_actors: pct, percentage_of_time: pct, actors, feature_groups: names }, { requiredKeys: [] }),
  );

  it('a list edit keeps the kept names in place and appends the new ones (the property test found this order)', () => {
    const a = edit(FILE, { staging: { actors: { users: ['@', 'a'] } } });
    const b = edit(a, { staging: { actors: { users: ['@#', '@'] } } });
    const parsed = parseYamlText(b);
    expect(parsed.ok && (parsed.value as { environments: Record<string, unknown> }).environments.staging).toEqual({ actors: { users: ['@', '@#'] } });
  });

  it('writes two states in turn over FILE: each reads back in normal form, other environments untouched', () => {
    fc.assert(
      fc.property(state, state, (first, second) => {
        const a = edit(FILE, { staging: first });
        const b = edit(a, { staging: second });
        for (const [text, want] of [[a, first], [b, second]] as const) {
          const parsed = parseYamlText(text);
          if (!parsed.ok) throw new Error(`${parsed.message}\n${text}`);
          const envs = (parsed.value as { environments: Record<string, unknown> }).environments;
          // lists are sets of names: a kept item keeps its place and new ones are appended (yaml-splice-lists.ts)
          expect(asSets(envs.staging)).toEqual(asSets(canonical(want)));
          expect(envs.dev).toBe(true);
          const split = FILE.indexOf('\n  # production');
          expect(text.startsWith(FILE.slice(0, split))).toBe(true);
          expect(text.endsWith(FILE.slice(split))).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('writeFileAtomic', () => {
  it('keeps the file mode, leaves no temp file, and refuses to overwrite with exclusive', () => {
    const dir = tree({ 'a.yml': 'x: 1\n' });
    const file = join(dir, 'a.yml');
    chmodSync(file, 0o640);
    writeFileAtomic(file, 'x: 2\n');
    expect(readFileSync(file, 'utf8')).toBe('x: 2\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(() => writeFileAtomic(file, 'x: 3\n', { exclusive: true })).toThrow(/EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe('x: 2\n');
    expect(readdirSync(dir)).toEqual(['a.yml']);
  });
});
