import { describe, expect, it } from 'vitest';
import { parseBody, parseNested } from './http.js';

describe('Rack-style parameters', () => {
  it('parses arrays, nested hashes and arrays of hashes', () => {
    const search = new URLSearchParams(
      'refs[]=a&refs[]=b&plain=1&plain=2&s[][name]=default&s[][scopes][][environment_scope]=*&s[][name]=userWithId&h[x]=1',
    );
    expect(parseNested(search)).toEqual({
      refs: ['a', 'b'],
      plain: '2',
      s: [{ name: 'default', scopes: [{ environment_scope: '*' }] }, { name: 'userWithId' }],
      h: { x: '1' },
    });
  });

  it('parses JSON and form bodies; bad JSON is a 400', () => {
    expect(parseBody('application/json; charset=utf-8', '{"value":true}')).toEqual({ value: true });
    expect(parseBody('application/x-www-form-urlencoded', 'value=50&key=percentage_of_actors')).toEqual({
      value: '50',
      key: 'percentage_of_actors',
    });
    expect(parseBody(undefined, '')).toBeUndefined();
    expect(() => parseBody('application/json', '{')).toThrow(/Invalid JSON/);
  });
});
