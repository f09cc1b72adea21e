/**
 * Editing `environments.<env>` of a flag file in place (DESIGN §1): set a state, or remove it. Everything else in
 * the file is kept byte for byte (see yaml-splice.ts). New environments are placed in the config's promotion order;
 * a missing `environments` key is appended at the end of the file. Removing the last environment leaves
 * `environments: {}`, never drops the key: the file stays managed, so apply deletes the live state (ChatOps
 * `feature delete`) instead of silently leaving it alone.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, visit, type YAMLMap } from 'yaml';
import { ACTOR_KINDS, type MaybeState } from '../model/state.js';
import { canonical } from './chatops-set.js';
import { applySplices, entryEnd, lineEnd, mergeMap, pairInfo, renderEntry, setPairValue, SpliceRefusal, type SpliceContext } from './yaml-splice.js';

export const STATE_KEYS = ['percentage_of_actors', 'percentage_of_time', 'actors', 'feature_groups'] as const;

export interface EditFlagTextOptions {
  /** Configured environment names in promotion order. */
  envOrder: readonly string[];
  /** Write `environments: {}` when the key is missing and nothing else is left (makes a definition file managed). */
  ensureManaged?: boolean;
}

/** Desired change per environment: a state to write, or undefined to remove the environment's entry. */
export type EnvEdits = ReadonlyMap<string, MaybeState>;

export type EditTextResult =
  | { ok: true; text: string; changed: boolean }
  | { ok: false; message: string; line?: number; column?: number };

/** Pure: the file's text with the edits made (states in canonical form). Refuses (as data) what it cannot edit safely. */
export function editFlagText(original: string, edits: EnvEdits, options: EditFlagTextOptions): EditTextResult {
  const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = original.slice(bom.length);
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const text = body === '' || body.endsWith('\n') ? body : `${body}${eol}`;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const at = (offset: number | undefined): { line?: number; column?: number } => {
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return { ok: false, message: `YAML syntax: ${e.message.split('\n')[0]}`, ...at(e.pos[0]) };
  }
  let alias: number | undefined;
  visit(doc, {
    Alias(_, node) {
      alias = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  if (alias !== undefined) return { ok: false, message: 'cannot edit this file: it uses YAML aliases (*name); write the values out', ...at(alias) };
  const top = doc.contents;
  if (!isMap(top) || top.flow) return { ok: false, message: 'the top level is not a block mapping (key: value lines); flagops edits only those', line: 1, column: 1 };
  const ctx: SpliceContext = { text, eol, step: 2, splices: [], order: (path) => orderAt(path, options.envOrder) };
  try {
    const changed = editEnvironments(ctx, top, edits, options);
    if (!changed) return { ok: true, text: original, changed: false };
    const out = bom + applySplices(text, ctx.splices);
    return { ok: true, text: out, changed: out !== original };
  } catch (error) {
    if (error instanceof SpliceRefusal) return { ok: false, message: `cannot edit this file: ${error.message}`, ...at(error.offset) };
    throw error;
  }
}

function orderAt(path: readonly string[], envOrder: readonly string[]): readonly string[] {
  if (path.length === 1) return envOrder;
  if (path.length === 2) return STATE_KEYS;
  if (path.length === 3 && path[2] === 'actors') return ACTOR_KINDS;
  return [];
}

/** Returns false when nothing needs to change. */
function editEnvironments(ctx: SpliceContext, top: YAMLMap, edits: EnvEdits, options: EditFlagTextOptions): boolean {
  const infos = top.items.map((p) => pairInfo(ctx.text, p));
  const envInfo = infos.find((i) => i.key === 'environments');
  const node = envInfo?.pair.value;
  const current = node === undefined || node === null ? undefined : (node as { toJSON(): unknown }).toJSON();
  if (current !== undefined && current !== null && !(typeof current === 'object' && !Array.isArray(current))) {
    throw new SpliceRefusal('environments is not a mapping of environment names to states', envInfo?.keyStart);
  }
  const desired: Record<string, unknown> = { ...(current as Record<string, unknown> | null | undefined) };
  for (const [env, state] of edits) {
    if (state === undefined) delete desired[env];
    else desired[env] = canonical(state);
  }
  const ordered = orderEnvironments(desired, options.envOrder);
  if (!envInfo) {
    if (Object.keys(ordered).length === 0 && !options.ensureManaged) return false;
    const last = infos.at(-1);
    const offset = last ? entryEnd(ctx, last) : ctx.text.length;
    ctx.splices.push({ start: offset, end: offset, text: renderEntry(ctx, 'environments', ordered, last?.indent ?? 0, ['environments']) });
    return true;
  }
  if (isMap(node) && !node.flow && node.items.length > 0) {
    const first = pairInfo(ctx.text, node.items[0]!);
    ctx.step = Math.max(1, first.indent - envInfo.indent);
    if (Object.keys(desired).length === 0) setPairValue(ctx, envInfo, {}, ['environments']);
    else mergeMap(ctx, node, desired, ['environments'], lineEnd(ctx.text, envInfo.colonEnd));
  } else if (node === null || node === undefined || isMap(node) || (isScalar(node) && node.value === null)) {
    setPairValue(ctx, envInfo, ordered, ['environments']);
  }
  return ctx.splices.length > 0;
}

/** Configured environments in promotion order, then any others in their file order. */
function orderEnvironments(envs: Record<string, unknown>, envOrder: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const env of envOrder) if (Object.hasOwn(envs, env)) out[env] = envs[env];
  for (const [env, state] of Object.entries(envs)) if (!Object.hasOwn(out, env)) out[env] = state;
  return out;
}

/**
 * Writes a file atomically: a hidden temporary file in the same folder, then rename (or, with `exclusive`, a hard
 * link that fails when the target exists, so a concurrent creation is never overwritten). Keeps the file's mode.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array, options: { exclusive?: boolean } = {}): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode: number | undefined;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    mode = undefined;
  }
  writeFileSync(tmp, content, mode === undefined ? {} : { mode });
  try {
    if (options.exclusive) {
      linkSync(tmp, path);
      unlinkSync(tmp);
    } else {
      renameSync(tmp, path);
    }
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw error;
  }
}
