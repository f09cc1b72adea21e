// Generates, from the JSON schemas (the one source of truth):
//   src/generated/validate-flag.js, validate-config.js  — ajv standalone validators (no compile at start-up)
//   src/generated/flag-file.ts, config-file.ts           — TypeScript types of the raw files
// `--check` compares instead of writing and exits 1 when anything is stale (used by the tests and CI).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { compile } from 'json-schema-to-typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

// `unicode: false` (lengths in UTF-16 units; our limited strings are ASCII names) keeps the standalone code free of a
// runtime require of ajv; ajv calls the option deprecated, which is all it would say here
const quietUnicode = {
  log: console.log,
  warn: (...args) => String(args[0]).includes('option unicode') || console.warn(...args),
  error: console.error,
};

/**
 * The schema the fast validator is made from: the same valid documents, checked with less work.
 * - A local reference is written out where it is used (the schemas have no recursion): one function checks a
 *   document, with no call and no path of the value built per environment.
 * - A `oneOf` of a `type` and a schema of another type can hold for one branch only, so it is an `if`/`else` on
 *   that type: a `true` state is not also checked against the conditional schema, with an error made and dropped.
 * It is given the schema without its annotations (withoutAnnotations), as every validator is.
 * The validator of all errors keeps the structure as written: its errors are what the reports explain.
 */
function fastSchema(root, node = root) {
  if (Array.isArray(node)) return node.map((n) => fastSchema(root, n));
  if (node === null || typeof node !== 'object') return node;
  const resolve = (s) => (typeof s.$ref === 'string' && s.$ref.startsWith('#/') ? s.$ref.slice(2).split('/').reduce((n, k) => n?.[k], root) : s);
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/') && Object.keys(node).every((k) => k === '$ref' || k === 'description')) {
    return fastSchema(root, resolve(node));
  }
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, DATA.has(k) ? v : fastSchema(root, v)]));
  const branches = out.oneOf;
  const only = (s) => (s && typeof s.type === 'string' ? s.type : undefined);
  // JSON types that no value has both of (an integer is a number)
  const disjoint = (a, b) => a !== undefined && b !== undefined && a !== b && !(['integer', 'number'].includes(a) && ['integer', 'number'].includes(b));
  if (Array.isArray(branches) && branches.length === 2 && Object.keys(branches[0]).length === 1 && disjoint(only(branches[0]), only(resolve(branches[1])))) {
    const { oneOf: _, ...rest } = out;
    return { ...rest, if: branches[0], else: branches[1] };
  }
  return out;
}

const ANNOTATIONS = new Set(['description', 'examples', 'title', '$comment']);
/** Keywords whose value is data, not a schema: kept as written. */
const DATA = new Set(['enum', 'const', 'default']);
/** Keywords whose value maps names to schemas. */
const NAME_MAPS = new Set(['properties', 'definitions', 'patternProperties', 'dependencies']);

/**
 * The schema without its annotations, for the code of a validator: what a report explains comes from the schema
 * file itself (schema-findings.ts), so the code need not carry a copy of every description and example.
 */
function withoutAnnotations(node) {
  if (Array.isArray(node)) return node.map(withoutAnnotations);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => !ANNOTATIONS.has(k))
      .map(([k, v]) => [k, DATA.has(k) ? v : NAME_MAPS.has(k) ? Object.fromEntries(Object.entries(v).map(([n, s]) => [n, withoutAnnotations(s)])) : withoutAnnotations(v)]),
  );
}

/**
 * The fast validator's source without the details of its errors: each error object ajv builds (path, keyword,
 * params, message) becomes one shared object. Its callers read only the verdict and ask the validator of all errors
 * what is wrong; the code checks exactly the same and is a fraction of the size, so it is compiled sooner.
 */
function withoutErrorDetails(source) {
  let out = '';
  let at = 0;
  for (;;) {
    const start = source.indexOf('{instancePath', at);
    if (start === -1) break;
    let depth = 0;
    let i = start;
    for (; i < source.length; i++) {
      const c = source[i];
      if (c === '"') {
        for (i++; source[i] !== '"'; i++) if (source[i] === '\\') i++;
      } else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    if (depth !== 0) throw new Error('withoutErrorDetails: an error object does not end');
    out += source.slice(at, start) + 'invalid';
    at = i + 1;
  }
  if (out === '') return source;
  out += source.slice(at);
  return out.replace('"use strict";', '"use strict";const invalid = Object.freeze({ message: "invalid" });');
}

export async function generate() {
  const out = {};
  for (const [name, schemaFile, typeFile] of [
    ['validate-flag', 'schemas/flag.schema.json', 'flag-file'],
    ['validate-config', 'schemas/config.schema.json', 'config-file'],
  ]) {
    const schema = JSON.parse(readFileSync(join(root, schemaFile), 'utf8'));
    // Two validators: a fast one that stops at the first error (valid files take only this path), and one that
    // collects every error for the report.
    const code = [];
    for (const allErrors of [false, true]) {
      const fast = !allErrors && name === 'validate-flag';
      const ajv = new Ajv({ allErrors, strict: true, allowUnionTypes: true, discriminator: true, multipleOfPrecision: 2, unicode: false, logger: quietUnicode, code: { source: true, esm: true } });
      // flagops.yml is checked once a run: only the flag files' fast validator is worth a schema made for speed
      const compiled = standaloneCode.default(ajv, ajv.compile(fast ? fastSchema(withoutAnnotations(schema)) : withoutAnnotations(schema)));
      const source = fast ? withoutErrorDetails(compiled) : compiled;
      code.push(allErrors ? source.replace(/export default [A-Za-z0-9_]+;?/, '').replace(/export const validate = ([A-Za-z0-9_]+);?/, 'export const validateAll = $1;') : source);
    }
    out[`src/generated/${name}.js`] = `// Generated by scripts/gen-schemas.mjs from ${schemaFile}. Do not edit.\n${code[0]}\n`;
    out[`src/generated/${name}-all.js`] = `// Generated by scripts/gen-schemas.mjs from ${schemaFile} (all errors). Do not edit.\n${code[1]}\n`;
    out[`src/generated/${name}-all.d.ts`] =
      `// Generated by scripts/gen-schemas.mjs. Do not edit.\nimport type { ErrorObject } from 'ajv';\n` +
      `export declare const validateAll: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };\n`;
    out[`src/generated/${name}.d.ts`] =
      `// Generated by scripts/gen-schemas.mjs. Do not edit.\nimport type { ErrorObject } from 'ajv';\n` +
      `declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };\nexport default validate;\n`;
    const ts = await compile(schema, schema.title, {
      bannerComment: `// Generated by scripts/gen-schemas.mjs from ${schemaFile}. Do not edit.`,
      additionalProperties: false,
      style: { singleQuote: true, printWidth: 110 },
    });
    out[`src/generated/${typeFile}.ts`] = ts;
  }
  return out;
}

const files = await generate();
let stale = 0;
for (const [rel, content] of Object.entries(files)) {
  const abs = join(root, rel);
  let current = '';
  try {
    current = readFileSync(abs, 'utf8');
  } catch {}
  if (current === content) continue;
  if (check) {
    console.error(`stale: ${rel} (run npm run gen)`);
    stale++;
  } else {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    console.log(`wrote ${rel}`);
  }
}
process.exit(stale ? 1 : 0);
