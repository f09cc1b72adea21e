import { describe, expect, it } from 'vitest';
import { promotionGate } from './promotion.js';
import { envConfig, flagChange } from './test-fixtures.js';
import type { FlagChange } from './types.js';

const production = envConfig();
const change = (over: Partial<FlagChange>): FlagChange =>
  flagChange({ before: undefined, after: undefined, line: 7, ...over });

describe('promotion gate', () => {
  it('passes when the environment does not exceed its after environment', () => {
    const c = change({
      after: { percentage_of_actors: 25 },
      desiredByEnv: { staging: { percentage_of_actors: 50 }, production: { percentage_of_actors: 25 } },
    });
    expect(promotionGate(c, { env: production })).toEqual([]);
    const equal = change({ after: true, desiredByEnv: { staging: true } });
    expect(promotionGate(equal, { env: production })).toEqual([]);
  });

  it('fails, at the entry position, when it exceeds the after environment', () => {
    const c = change({
      after: { percentage_of_actors: 50 },
      desiredByEnv: { staging: { percentage_of_actors: 25 } },
    });
    expect(promotionGate(c, { env: production })).toEqual([
      {
        code: 'promotion/ahead-of-after',
        severity: 'error',
        file: 'flags/my_flag.yml',
        line: 7,
        column: 3,
        flag: 'my_flag',
        env: 'production',
        message:
          'production: 50% of actors would expose more than staging (25% of actors), which it is promoted from. ' +
          'Roll out to staging first: give it at least the same exposure in this file, or lower production.',
        hint: 'Promotion order is staging → production; exposure order: off < actors < percentage < on.',
      },
    ]);
  });

  it('counts an absent after environment as default_enabled', () => {
    const c = change({ after: { actors: { users: ['luke'] } }, desiredByEnv: {} });
    expect(promotionGate(c, { env: production })).toHaveLength(1);
    expect(promotionGate({ ...c, defaultEnabled: true }, { env: production })).toEqual([]);
  });

  it('never holds a rollback, and needs an after environment', () => {
    const rollback = change({
      kind: 'rollback',
      before: true,
      after: { percentage_of_actors: 50 },
      desiredByEnv: { staging: false },
    });
    expect(promotionGate(rollback, { env: production })).toEqual([]);
    const first = change({ after: true, desiredByEnv: {} });
    expect(promotionGate(first, { env: { ...production, after: null } })).toEqual([]);
  });
});
