/**
 * The CI templates as data, for the template tests: the component files of templates/, their `spec:inputs` header,
 * and GitLab's input interpolation (`$[[ inputs.name ]]`) with GitLab's checks: unknown inputs, missing required
 * ones, types, `options` and `regex` are errors (gitlab-ci-local checks fewer of them).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..');
export const TEMPLATES_DIR = join(ROOT, 'templates');
export const EXAMPLE_PIPELINE = join(ROOT, 'ci', 'example.gitlab-ci.yml');
export const GITLAB_CI_SCHEMA = join(ROOT, 'test', 'fixtures', 'gitlab-ci.schema.json');

export type InputValue = string | number | boolean | unknown[];

export interface InputSpec {
  type?: 'string' | 'number' | 'boolean' | 'array';
  description?: string;
  default?: InputValue;
  options?: (string | number | boolean)[];
  regex?: string;
}

export interface Template {
  /** Component name: `templates/<name>.yml` or `templates/<name>/template.yml`. */
  name: string;
  /** Path relative to the project root. */
  path: string;
  /** The header document: `{ spec: { inputs } }`. */
  header: { spec: { inputs: Record<string, InputSpec> } };
  /** The configuration document, not interpolated. */
  body: Record<string, unknown>;
  /** The configuration document's source text. */
  bodyText: string;
}

/** Every component of templates/, by GitLab's layout rules; anything else there is an error. */
export function listTemplates(dir = TEMPLATES_DIR): Template[] {
  const found: Template[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const abs = join(dir, entry);
    if (statSync(abs).isDirectory()) {
      found.push(loadTemplate(join(abs, 'template.yml'), entry));
    } else if (entry.endsWith('.yml')) {
      found.push(loadTemplate(abs, entry.slice(0, -'.yml'.length)));
    } else {
      throw new Error(
        `templates/${entry}: GitLab components are templates/<name>.yml or templates/<name>/template.yml`,
      );
    }
  }
  return found;
}

export function loadTemplate(file: string, name: string): Template {
  const text = readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 2)
    throw new Error(`${file}: expected a spec header and one configuration document`);
  for (const doc of docs) if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
  const header = docs[0]!.toJS() as Template['header'];
  const bodyStart = docs[1]!.range[0];
  return {
    name,
    path: relative(ROOT, file),
    header,
    body: docs[1]!.toJS() as Record<string, unknown>,
    bodyText: text.slice(bodyStart),
  };
}

const WHOLE = /^\$\[\[\s*inputs\.([\w-]+)\s*\]\]$/;
const EMBEDDED = /\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g;
const ANY = /\$\[\[(.*?)\]\]/g;

/** Every `$[[ … ]]` expression of a template's configuration, as written. */
export function interpolations(template: Template): string[] {
  return [...template.bodyText.matchAll(ANY)].map((m) => m[1]!.trim());
}

/** Resolves the inputs as GitLab does: provided values checked against the spec, defaults for the rest. */
export function resolveInputs(
  template: Template,
  provided: Record<string, unknown>,
): Record<string, InputValue> {
  const spec = template.header.spec.inputs;
  const unknown = Object.keys(provided).filter((k) => !(k in spec));
  if (unknown.length > 0) throw new Error(`${template.path}: unknown input arguments: ${unknown.join(', ')}`);
  const values: Record<string, InputValue> = {};
  for (const [name, s] of Object.entries(spec)) {
    const value = (name in provided ? provided[name] : s.default) as InputValue | undefined;
    if (value === undefined)
      throw new Error(`${template.path}: \`${name}\` input: required value has not been provided`);
    const type = s.type ?? 'string';
    const actual = Array.isArray(value) ? 'array' : typeof value;
    if (actual !== type)
      throw new Error(`${template.path}: \`${name}\` input: provided value is not a ${type}`);
    if (s.options && !s.options.includes(value as string))
      throw new Error(`${template.path}: \`${name}\` input: \`${String(value)}\` is not one of the options`);
    if (s.regex && !new RegExp(s.regex).test(String(value)))
      throw new Error(`${template.path}: \`${name}\` input: \`${String(value)}\` does not match ${s.regex}`);
    values[name] = value;
  }
  return values;
}

/** The configuration after interpolation: a whole-value `$[[ inputs.x ]]` keeps the input's type. */
export function interpolate(template: Template, provided: Record<string, unknown>): Record<string, unknown> {
  const values = resolveInputs(template, provided);
  const text = (s: string): string =>
    s.replace(EMBEDDED, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`${template.path}: unknown interpolation key: ${name}`);
      if (Array.isArray(value)) throw new Error(`${template.path}: array input ${name} inside a string`);
      return String(value);
    });
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = WHOLE.exec(node);
      if (whole) {
        const value = values[whole[1]!];
        if (value === undefined) throw new Error(`${template.path}: unknown interpolation key: ${whole[1]}`);
        return value;
      }
      return text(node);
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [text(k), walk(v)]));
    return node;
  };
  return walk(template.body) as Record<string, unknown>;
}

/** Input sets that exercise the spec: defaults, then each option and boolean value in turn. */
export function inputVariants(
  template: Template,
  required: Record<string, unknown>,
): Record<string, unknown>[] {
  const variants: Record<string, unknown>[] = [{ ...required }];
  for (const [name, s] of Object.entries(template.header.spec.inputs)) {
    const choices = s.options ?? (s.type === 'boolean' ? [true, false] : []);
    for (const choice of choices) variants.push({ ...required, [name]: choice });
  }
  return variants;
}
