import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlText } from './bounded-parse.js';
import { locateInText, type TopKeys } from './text-locate.js';

const CORPUS = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'gitlab-flag-definitions', 'config', 'feature_flags');

/** Every path of mapping keys in a parsed value. */
function keyPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...keyPaths(v, [...prefix, k])]);
}

function parseLocated(text: string) {
  const parsed = parseYamlText(text, { positions: true });
  if (!parsed.ok || !parsed.locate) throw new Error('parse');
  return parsed;
}

const TRICKY = [
  '---',
  '# name: not this one',
  'name: a_flag',
  'description: |',
  '  environments:',
  '  dev: not a key',
  'environments:',
  '  # dev: a comment',
  '  staging:',
  '    dev: nested, not the environment',
  '  dev: true',
  '  pre: {percentage_of_actors: 5}',
  '  production:',
  '    actors:',
  '      users:',
  '        - luke',
  "  'quoted': x",
  'dev_extra: 1',
  '',
].join('\n');

describe('locating a finding from the text', () => {
  it('agrees with the parse-based locator on every key of every corpus file, or declines', () => {
    let answered = 0;
    for (const type of readdirSync(CORPUS)) {
      for (const file of readdirSync(join(CORPUS, type))) {
        const text = readFileSync(join(CORPUS, type, file), 'utf8');
        const parsed = parseLocated(text);
        const paths = keyPaths(parsed.value);
        // the top-level keys remembered across lookups answer as a fresh scan does, in either order
        for (const order of [paths, [...paths].reverse()]) {
          const top: TopKeys = new Map();
          for (const path of order) expect(locateInText(text, path, top), `${file} ${path.join('.')} (remembered)`).toEqual(locateInText(text, path));
        }
        for (const path of paths) {
          const quick = locateInText(text, path);
          if (quick) {
            answered++;
            expect(quick, `${file} ${path.join('.')}`).toEqual(parsed.locate!(path));
          }
        }
      }
    }
    expect(answered).toBeGreaterThan(500);
  });

  it.each([
    [['name'], { line: 3, column: 1 }],
    [['environments', 'dev'], { line: 11, column: 3 }],
    [['environments', 'staging', 'dev'], { line: 10, column: 5 }],
    [['environments', 'production', 'actors', 'users'], { line: 15, column: 7 }],
    [['dev_extra'], { line: 18, column: 1 }],
  ] as [string[], object][])('%j: the key itself, never a comment, a block scalar line or another block', (path, position) => {
    expect(locateInText(TRICKY, path)).toEqual(position);
    expect(parseLocated(TRICKY).locate!(path)).toEqual(position);
  });

  it.each([
    [['environments', 'pre', 'percentage_of_actors']], // inside a flow map
    [['environments', 'production', 'actors', 'users', 0]], // a list item
    [['environments', 'quoted']], // a quoted key
    [['environments', 'missing']],
    [['environments', 'dev', 'deeper']],
    [[]],
  ] as [(string | number)[]][])('%j: declines, for the parse to answer', (path) => {
    expect(locateInText(TRICKY, path)).toBeUndefined();
  });

  it('answers the same with the top-level keys of earlier lookups remembered, in any order', () => {
    const paths: (string | number)[][] = [
      ['name'],
      ['environments', 'dev'],
      ['environments', 'staging', 'dev'],
      ['environments', 'production', 'actors', 'users'],
      ['environments', 'pre', 'percentage_of_actors'],
      ['environments', 'quoted'],
      ['environments', 'missing'],
      ['environments'],
      ['description', 'environments'],
      ['description'],
      ['missing', 'x'],
      ['missing'],
      ['dev_extra'],
      ['quoted'],
    ];
    const fresh = paths.map((p) => locateInText(TRICKY, p));
    expect(fresh.filter(Boolean).length).toBeGreaterThan(5);
    for (const order of [paths, [...paths].reverse()]) {
      const top: TopKeys = new Map();
      for (const path of order) expect(locateInText(TRICKY, path, top), path.join('.')).toEqual(fresh[paths.indexOf(path)]);
    }
  });
});
