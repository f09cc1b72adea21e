import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import validateConfig from '../generated/validate-config.js';
import { validateAll as validateConfigAll } from '../generated/validate-config-all.js';
import validateFlag from '../generated/validate-flag.js';
import { validateAll as validateFlagAll } from '../generated/validate-flag-all.js';

const CORPUS = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'gitlab-flag-definitions', 'config', 'feature_flags');

/** Values a state, a percentage or an actor list may be given, good and bad. */
const ODD = [true, false, null, 0, 1, 'on', [], {}, { percentage_of_actors: 5 }, { percentage_of_actors: 0 }, { percentage_of_actors: 100 }, { percentage_of_actors: 12.345 }, { percentage_of_time: 50, percentage_of_actors: 5 }, { bogus: 1 }, { actors: {} }, { actors: { users: [] } }, { actors: { users: ['a', 'a'] } }, { actors: { users: ['a b'] } }, { actors: { users: [1] } }, { actors: { groups: ['g/sub'], projects: ['g/p'] } }, { actors: { robots: ['x'] } }, { feature_groups: ['gitlab_team_members'] }, { feature_groups: 'x' }];

function flags(): unknown[] {
  const base: Record<string, unknown>[] = [];
  for (const type of readdirSync(CORPUS)) for (const file of readdirSync(join(CORPUS, type))) base.push(jsYaml.load(readFileSync(join(CORPUS, type, file), 'utf8'), { schema: jsYaml.CORE_SCHEMA }) as Record<string, unknown>);
  const out: unknown[] = [...base];
  base.slice(0, 20).forEach((doc, i) => {
    for (const value of ODD) out.push({ ...doc, environments: { dev: value, production: ODD[(i + 3) % ODD.length] } });
    out.push({ ...doc, environments: { 'Bad Env': true } }, { ...doc, environments: [] }, { ...doc, milestone: 17.1 }, { ...doc, extra: 1 }, { ...doc, type: 'nope' }, { ...doc, name: undefined });
  });
  return out;
}

describe('the generated validators', () => {
  it('the fast validator (first error, references written out) accepts exactly what the validator of all errors accepts', () => {
    const docs = flags();
    expect(docs.length).toBeGreaterThan(500);
    const verdicts = docs.map((d) => [validateFlag(d), validateFlagAll(d)]);
    expect(verdicts.filter(([fast, all]) => fast !== all)).toEqual([]);
    // both verdicts occur
    expect(new Set(verdicts.map(([fast]) => fast))).toEqual(new Set([true, false]));
  });

  it('the same for flagops.yml', () => {
    const env = (extra: Record<string, unknown>) => ({ flags: 'flags', environments: [{ name: 'dev', backend: { type: 'file', path: 'dev.json' }, ...extra }] });
    const configs = [env({}), env({ after: 'x' }), env({ soak: '1d' }), env({ backend: { type: 'nope' } }), env({ bogus: 1 }), { flags: 1 }, {}, { environments: [] }, env({ backend: { type: 'gitlab-features', url: 'https://gitlab.example.com', token_env: 'T' } })];
    expect(configs.filter((c) => validateConfig(c) !== validateConfigAll(c))).toEqual([]);
  });
});
