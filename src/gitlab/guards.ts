/**
 * Small hand-written guards for GitLab responses. They throw `ShapeError` naming the JSON path of the
 * first bad field (never its value); the client turns it into a 'remote' GitlabError.
 */
export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

export type Obj = Record<string, unknown>;

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function fail(at: string, expected: string, got: unknown): never {
  throw new ShapeError(`${at || 'the body'}: expected ${expected}, got ${kindOf(got)}`);
}

export function obj(v: unknown, at: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, 'an object', v);
  return v as Obj;
}

export function arr(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) fail(at, 'an array', v);
  return v;
}

const key = (at: string, k: string): string => (at ? `${at}.${k}` : k);

export function int(o: Obj, k: string, at: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(key(at, k), 'an integer', v);
  return v;
}

export function str(o: Obj, k: string, at: string): string {
  const v = o[k];
  if (typeof v !== 'string') fail(key(at, k), 'a string', v);
  return v;
}

export function strOrNull(o: Obj, k: string, at: string): string | null {
  const v = o[k];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') fail(key(at, k), 'a string or null', v);
  return v;
}

/** Absent and null become ''. GitLab sends `description: null` for empty descriptions. */
export function text(o: Obj, k: string, at: string): string {
  return strOrNull(o, k, at) ?? '';
}

export function bool(o: Obj, k: string, at: string): boolean {
  const v = o[k];
  if (typeof v !== 'boolean') fail(key(at, k), 'a boolean', v);
  return v;
}

export function oneOf<T extends string>(o: Obj, k: string, at: string, allowed: readonly T[]): T {
  const v = o[k];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    fail(key(at, k), `one of ${allowed.join('|')}`, v);
  return v as T;
}

export function list<T>(v: unknown, at: string, item: (x: unknown, at: string) => T): T[] {
  return arr(v, at).map((x, i) => item(x, `${at}[${i}]`));
}
