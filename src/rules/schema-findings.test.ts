import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { schemaFindings } from './schema-findings.js';

const schema = { type: 'object', properties: { name: { type: 'string' }, description: { type: 'string' } }, additionalProperties: false };
const unknown = (key: string): ErrorObject =>
  ({ keyword: 'additionalProperties', instancePath: '', schemaPath: '#/additionalProperties', params: { additionalProperty: key } }) as ErrorObject;
const ctx = { file: 'f.yml', locate: () => ({ line: 1, column: 1 }), data: {}, schema };

describe('schemaFindings', () => {
  it('names the nearest allowed key for an unknown one, or lists them', () => {
    const found = schemaFindings([unknown('nmae'), unknown('zzz')], ctx);
    expect(found.map((f) => [f.message, f.hint])).toEqual([
      ["unknown key 'nmae' in the file", "did you mean 'name'?"],
      ["unknown key 'zzz' in the file", 'allowed keys: name, description'],
    ]);
  });

  it('looks for the nearest key only for the first `hints` findings: the rest are past the cap, only counted', () => {
    const found = schemaFindings(['nmae', 'descriptoin', 'nam'].map(unknown), { ...ctx, hints: 2 });
    expect(found).toHaveLength(3);
    expect(found.map((f) => f.hint)).toEqual(["did you mean 'name'?", "did you mean 'description'?", undefined]);
  });
});
