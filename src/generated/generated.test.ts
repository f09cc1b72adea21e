import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Conditional, FlagFile } from './flag-file.js';
import type { ConditionalState } from '../model/state.js';

describe('generated code', () => {
  it('is up to date with the schemas (one source of truth)', () => {
    const script = join(import.meta.dirname, '..', '..', 'scripts', 'gen-schemas.mjs');
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('the model types agree with the schema types', () => {
    // compile-time (tsc fails CI otherwise): a schema state is a model state, and both name the same keys
    const fromSchema = (c: Conditional): ConditionalState => c;
    type SameKeys = [keyof Conditional] extends [keyof ConditionalState] ? ([keyof ConditionalState] extends [keyof Conditional] ? true : false) : false;
    const sameKeys: SameKeys = true;
    const file: FlagFile = { name: 'a_flag', environments: { dev: true, prod: { percentage_of_actors: 5 } } };
    expect(fromSchema({ percentage_of_time: 1 })).toEqual({ percentage_of_time: 1 });
    expect(sameKeys).toBe(true);
    expect(file.name).toBe('a_flag');
  });
});
