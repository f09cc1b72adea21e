/**
 * Turns ajv errors into findings people can act on: one per problem, pinned to file:line:column,
 * with the noise of `oneOf` branches removed and a "did you mean" hint for unknown keys.
 */
import type { ErrorObject } from 'ajv';
import type { Finding } from '../model/finding.js';
import type { Locate } from '../yaml/bounded-parse.js';

export interface SchemaFindingContext {
  file: string;
  locate: Locate;
  data: unknown;
  flag?: string;
  /** The JSON schema, to name the allowed keys where an unknown one is found. */
  schema?: object;
  /** Instance paths (JSON pointers) whose type/pattern errors another rule reports better. */
  skipPaths?: ReadonlySet<string>;
  /**
   * How many findings get the unknown-key hint (the nearest allowed key): the file's finding cap, as the ones
   * past it are only counted. Finding it costs an edit distance per allowed key, so 60,000 unknown keys stay fast.
   */
  hints?: number;
}

export function schemaFindings(errors: readonly ErrorObject[], ctx: SchemaFindingContext): Finding[] {
  const kept = pruneOneOf(errors, ctx.data);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const hints = ctx.hints ?? Infinity;
  // the allowed keys at each instance path, found once per path
  const allowed = new Map<string, string[]>();
  const keys = (path: string[]): string[] => {
    const key = path.join('/');
    let found = allowed.get(key);
    if (!found) allowed.set(key, (found = ctx.schema ? keysAt(ctx.schema, path) : []));
    return found;
  };
  for (const error of kept) {
    if (ctx.skipPaths?.has(error.instancePath) && (error.keyword === 'type' || error.keyword === 'pattern')) continue;
    const path = pointerToPath(error.instancePath);
    const { code, message, hint, at } = describe(error, path, findings.length < hints ? keys : undefined);
    const key = `${code}|${at.join('/')}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const env = path[0] === 'environments' && typeof path[1] === 'string' ? path[1] : undefined;
    findings.push({
      code,
      severity: 'error',
      file: ctx.file,
      ...ctx.locate(at),
      ...(ctx.flag ? { flag: ctx.flag } : {}),
      ...(env ? { env } : {}),
      message,
      ...(hint ? { hint } : {}),
    });
  }
  return findings;
}

export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** Keep only the errors of the oneOf branch that matches the value's type. */
function pruneOneOf(errors: readonly ErrorObject[], data: unknown): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const error of errors) {
    const branch = /\/oneOf\/(\d+)\//.exec(error.schemaPath);
    if (error.keyword === 'discriminator' && errors.some((e) => e !== error && e.instancePath.startsWith(error.instancePath))) continue;
    if (error.keyword === 'oneOf') {
      const value = valueAt(data, pointerToPath(error.instancePath));
      const others = errors.some((e) => e !== error && e.instancePath.startsWith(error.instancePath) && e.keyword !== 'oneOf' && !isTypeOnlyBranchError(e, value));
      if (!others) out.push(error);
      continue;
    }
    if (branch) {
      const oneOfPointer = error.schemaPath.slice(0, branch.index) ;
      const owner = errors.find((e) => e.keyword === 'oneOf' && e.schemaPath === `${oneOfPointer}/oneOf`);
      const value = valueAt(data, pointerToPath(owner?.instancePath ?? error.instancePath));
      if (isTypeOnlyBranchError(error, value)) continue;
    }
    out.push(error);
  }
  return out;
}

/** A branch's `type` error for a value that clearly belongs to another branch (an object vs `type: boolean`). */
function isTypeOnlyBranchError(error: ErrorObject, value: unknown): boolean {
  if (error.keyword !== 'type' || !/\/oneOf\/\d+\/type$/.test(error.schemaPath)) return false;
  const expected = String((error.params as { type?: string }).type);
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return (actual === 'object' && expected !== 'object') || (actual === 'boolean' && expected === 'object');
}

/** `keys`: the allowed keys at a path, for the unknown-key hint; without it, no such hint. */
function describe(error: ErrorObject, path: string[], keys: ((path: string[]) => string[]) | undefined): { code: string; message: string; hint?: string; at: string[] } {
  const where = path.length > 0 ? `'${path.join('.')}'` : 'the file';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = keys ? keys(path) : [];
      const near = allowed.length > 0 ? closest(key, allowed) : undefined;
      return {
        code: 'schema/unknown-key',
        message: `unknown key '${key}' in ${where}`,
        hint: near ? `did you mean '${near}'?` : allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined,
        at: [...path, key],
      };
    }
    case 'required':
      return { code: 'schema/required', message: `${where} is missing the required key '${String(params.missingProperty)}'`, at: path };
    case 'type':
      return { code: 'schema/type', message: `${where} must be ${article(String(params.type))}`, at: path };
    case 'enum':
      return {
        code: 'schema/enum',
        message: `${where} must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`,
        at: path,
      };
    case 'const':
      return { code: 'schema/enum', message: `${where} must be ${JSON.stringify(params.allowedValue)}`, at: path };
    case 'oneOf':
    case 'discriminator':
      return {
        code: 'schema/type',
        message: isStatePath(path) ? `${where} must be true, false or a map of conditions` : `${where} has an unsupported form`,
        hint: isStatePath(path) ? 'conditions: percentage_of_actors, percentage_of_time, actors, feature_groups' : undefined,
        at: path,
      };
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minimum':
    case 'maximum':
      return {
        code: 'schema/range',
        message: `${where} must be ${comparison(error.keyword)} ${String(params.limit)}`,
        hint: path.at(-1)?.startsWith('percentage') ? 'a percentage is 0 < p < 100; use true for 100 and false for 0' : undefined,
        at: path,
      };
    case 'multipleOf':
      return { code: 'schema/range', message: `${where} has more than 2 decimals`, at: path };
    case 'pattern':
      return { code: 'schema/pattern', message: `${where} does not match ${String(params.pattern)}`, at: path };
    case 'propertyNames':
      return { code: 'schema/pattern', message: `${where} has a key that is not a valid name`, at: path };
    case 'minItems':
    case 'minProperties':
      return { code: 'schema/empty', message: `${where} must not be empty`, hint: 'remove the key instead', at: path };
    case 'uniqueItems':
      return { code: 'schema/duplicate', message: `${where} lists the same item twice`, at: path };
    case 'maxLength':
    case 'minLength':
      return { code: 'schema/length', message: `${where} ${error.message ?? 'has a bad length'}`, at: path };
    default:
      return { code: 'schema', message: `${where} ${error.message ?? 'is invalid'}`, at: path };
  }
}

function isStatePath(path: readonly string[]): boolean {
  return path.length === 2 && path[0] === 'environments' && !/^\d+$/.test(path[1]!);
}

function comparison(keyword: string): string {
  return { exclusiveMinimum: '>', exclusiveMaximum: '<', minimum: '>=', maximum: '<=' }[keyword] ?? keyword;
}

function article(type: string): string {
  const names = type.split(',').map((t) => (t === 'object' ? 'a map' : t === 'array' ? 'a list' : t === 'null' ? 'empty' : `a ${t}`));
  return names.join(' or ');
}

/** The allowed key within edit distance 2, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

type SchemaNode = {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
};

/** The property names a schema allows at an instance path (following $ref, oneOf, items, additionalProperties). */
export function keysAt(root: object, path: readonly string[]): string[] {
  const deref = (node: SchemaNode): SchemaNode => {
    if (!node.$ref?.startsWith('#/')) return node;
    let target: unknown = root;
    for (const part of node.$ref.slice(2).split('/')) target = (target as Record<string, unknown>)[part];
    return deref(target as SchemaNode);
  };
  const expand = (node: SchemaNode): SchemaNode[] => {
    const n = deref(node);
    return [n, ...(n.oneOf ?? []).flatMap(expand), ...(n.anyOf ?? []).flatMap(expand)];
  };
  let nodes = expand(root as SchemaNode);
  for (const segment of path) {
    nodes = nodes.flatMap((n) => {
      const next = n.properties?.[segment] ?? (/^\d+$/.test(segment) && n.items ? n.items : undefined) ??
        (typeof n.additionalProperties === 'object' ? n.additionalProperties : undefined);
      return next ? expand(next) : [];
    });
  }
  return [...new Set(nodes.flatMap((n) => Object.keys(n.properties ?? {})))];
}
