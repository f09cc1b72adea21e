import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/errors.js';
import { selectEnvironments, unknownEnvironments, unknownEnvOption } from './select-environments.js';
import type { EnvironmentConfig } from './types.js';

const env = (name: string, index: number): EnvironmentConfig => ({
  name,
  index,
  backend: { type: 'file', path: `/${name}.json` },
  instances: [{ name, backend: { type: 'file', path: `/${name}.json` } }],
  ring: false,
  after: null,
  drift: 'fail',
});
const config = { environments: [env('dev', 0), env('staging', 1), env('production', 2)] };
const names = (list: EnvironmentConfig[]): string[] => list.map((e) => e.name);
const thrown = (f: () => unknown): UsageError => {
  try {
    f();
  } catch (error) {
    if (error instanceof UsageError) return error;
  }
  throw new Error('no usage error');
};

describe('selectEnvironments', () => {
  it('selects every environment when none is named, and keeps promotion order', () => {
    expect(names(selectEnvironments(config, { names: undefined, unknown: unknownEnvOption }))).toEqual([
      'dev',
      'staging',
      'production',
    ]);
    expect(selectEnvironments(config, { names: [], unknown: unknownEnvOption })).toBe(config.environments);
    const picked = selectEnvironments(config, { names: ['production', 'dev'], unknown: unknownEnvOption });
    expect(names(picked)).toEqual(['dev', 'production']);
  });

  it('repeatable --env: names are taken whole, and the first unknown one is the error', () => {
    expect(names(selectEnvironments(config, { names: 'staging', unknown: unknownEnvOption }))).toEqual([
      'staging',
    ]);
    const e = thrown(() =>
      selectEnvironments(config, { names: ['dev', 'prod', 'qa'], unknown: unknownEnvOption }),
    );
    expect([e.message, e.hint]).toEqual([
      '--env prod: no such environment',
      'configured: dev, staging, production',
    ]);
    expect(
      thrown(() => selectEnvironments(config, { names: ['dev,staging'], unknown: unknownEnvOption })).message,
    ).toBe('--env dev,staging: no such environment');
  });

  it('comma-separated --env (set, delete): blanks are ignored and every unknown name is listed', () => {
    const sel = (list: string | string[]) =>
      names(selectEnvironments(config, { names: list, commaSeparated: true, unknown: unknownEnvironments }));
    expect(sel(['production, dev', 'staging'])).toEqual(['dev', 'staging', 'production']);
    expect(sel('staging,')).toEqual(['staging']);
    expect(sel(' , ')).toEqual(['dev', 'staging', 'production']);
    const one = thrown(() => sel('prod'));
    expect([one.message, one.hint]).toEqual([
      "unknown environment 'prod'",
      'configured environments: dev, staging, production',
    ]);
    expect(thrown(() => sel(['prod,dev', 'qa'])).message).toBe("unknown environments 'prod', 'qa'");
  });
});
