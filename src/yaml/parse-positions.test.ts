import { describe, expect, it } from 'vitest';
import { createLocator, parseYamlText } from './bounded-parse.js';

const TEXT = [
  '---', // 1
  '# comment', // 2
  'name: a_flag', // 3
  '"quoted key": x', // 4
  'value_equal_to_key: name', // 5
  'environments:', // 6
  '  dev: true', // 7
  '  staging:', // 8
  '    actors:', // 9
  '      users: [u1, u2]', // 10
  '    feature_groups:', // 11
  '      - g1', // 12
  '      -   g2', // 13
  '  production: {percentage_of_actors: 5}', // 14
  'empty:', // 15
  '',
].join('\n');

describe('positions recorded during the parse', () => {
  const parsed = parseYamlText(TEXT, { positions: true });
  if (!parsed.ok || !parsed.locate) throw new Error('parse');
  const locate = parsed.locate;

  it.each([
    [[], 3, 1],
    [['name'], 3, 1],
    [['quoted key'], 4, 1],
    [['value_equal_to_key'], 5, 1],
    [['environments'], 6, 1],
    [['environments', 'dev'], 7, 3],
    [['environments', 'staging', 'actors', 'users'], 10, 7],
    [['environments', 'staging', 'actors', 'users', 1], 10, 19],
    [['environments', 'staging', 'feature_groups', 1], 13, 11],
    [['environments', 'production', 'percentage_of_actors'], 14, 16],
    [['empty'], 15, 1],
    // a path past what exists: the deepest node found
    [['environments', 'staging', 'missing', 'deeper'], 8, 3],
    [['constructor'], 3, 1],
    [['environments', 'toString'], 6, 1],
  ] as [(string | number)[], number, number][])('%j at %i:%i', (path, line, column) => {
    expect(locate(path)).toEqual({ line, column });
  });

  it('agrees with a locator built later from the text alone', () => {
    const later = createLocator(TEXT);
    expect(later(['environments', 'staging', 'feature_groups', 0])).toEqual(locate(['environments', 'staging', 'feature_groups', 0]));
    expect(later(['environments', 'staging', 'feature_groups', 0])).toEqual({ line: 12, column: 9 });
  });

  // quadratic lookups took over a minute here: the suite's timeout fails them (no timed assertion)
  it('stays linear: 60,000 keys, each located', () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `unknown_key_${i}: ${i}`).join('\n');
    const big = parseYamlText(`name: x\n${keys}\n`, { positions: true, maxBytes: 8 * 1024 * 1024 });
    if (!big.ok || !big.locate) throw new Error('parse');
    for (let i = 0; i < 60_000; i += 1) big.locate([`unknown_key_${i}`]);
    expect(big.locate(['unknown_key_59999'])).toEqual({ line: 60_001, column: 1 });
  });
});
