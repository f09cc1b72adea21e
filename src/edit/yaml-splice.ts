/**
 * Minimal edits of block-style YAML mappings. The `yaml` package's Document API parses the file and gives each
 * node its source range; edits are text splices at those ranges, so every byte outside the entries that change
 * (comments, blank lines, quoting, key order, the `---` header, odd spacing) is kept exactly. New values are
 * rendered in block style with flow lists (`[a, b]`), through the same package, so names are quoted as YAML needs.
 *
 * Comments: an inline comment after a replaced scalar stays; comment lines indented deeper than an entry below
 * it belong to that entry (kept when it is replaced, removed with it when it is deleted). Lists and flow maps are
 * edited entry by entry too (yaml-splice-lists.ts): a kept list item keeps its quoting and its comment, and a flow
 * map or list stays flow.
 */
import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { editBlockSeq, editFlow } from './yaml-splice-lists.js';

export interface Splice {
  start: number;
  end: number;
  text: string;
}

export interface SpliceContext {
  text: string;
  eol: string;
  /** Indentation step for new nested blocks. */
  step: number;
  splices: Splice[];
  /** Canonical key order of the mapping at a key path (new keys are inserted by it). */
  order: (path: readonly string[]) => readonly string[];
}

/** Something in the file flagops will not edit; `offset` is where. */
export class SpliceRefusal extends Error {
  readonly offset: number | undefined;
  constructor(message: string, offset?: number) {
    super(message);
    this.name = 'SpliceRefusal';
    this.offset = offset;
  }
}

/** Applies non-overlapping splices; insertions at an offset go before a replacement starting there, in push order. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  const sorted = splices
    .map((s, i) => ({ ...s, i }))
    .sort((a, b) => a.start - b.start || Number(a.end > a.start) - Number(b.end > b.start) || a.i - b.i);
  let out = '';
  let pos = 0;
  for (const s of sorted) {
    if (s.start < pos) throw new Error(`internal: overlapping YAML edits at offset ${s.start}`);
    out += text.slice(pos, s.start) + s.text;
    pos = s.end;
  }
  return out + text.slice(pos);
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset just after the newline ending the line holding `offset` (or the end of the text). */
export function lineEnd(text: string, offset: number): number {
  const n = text.indexOf('\n', offset);
  return n === -1 ? text.length : n + 1;
}

export interface PairInfo {
  pair: Pair;
  key: string;
  keyStart: number;
  /** Column of the key. */
  indent: number;
  /** Offset just after the `:`. */
  colonEnd: number;
}

export function pairInfo(text: string, pair: Pair): PairInfo {
  const key = pair.key;
  if (!isScalar(key) || !key.range) throw new SpliceRefusal('a mapping key is not a plain scalar');
  const keyStart = key.range[0];
  const colon = text.indexOf(':', key.range[1]);
  if (colon === -1 || text.slice(key.range[1], colon).trim() !== '') {
    throw new SpliceRefusal(`the key '${String(key.value)}' is not followed by ':' on its line`, keyStart);
  }
  return { pair, key: String(key.value), keyStart, indent: keyStart - lineStart(text, keyStart), colonEnd: colon + 1 };
}

function isBlockCollection(node: unknown): node is Node & { range: [number, number, number] } {
  return (isMap(node) || isSeq(node)) && !node.flow && Boolean(node.range);
}

/**
 * End of a value's last line. Block collections are measured through their entries: the `yaml` package's own
 * range of a block collection can run on over comment lines that follow it.
 */
export function valueEnd(ctx: SpliceContext, node: Node | null, after: number): number {
  if (isMap(node) && isBlockCollection(node)) {
    const last = node.items.at(-1);
    return last ? entryEnd(ctx, pairInfo(ctx.text, last)) : lineEnd(ctx.text, node.range[0]);
  }
  if (isSeq(node) && isBlockCollection(node)) {
    const last = node.items.at(-1) as Node | undefined;
    return last ? valueEnd(ctx, last, node.range[0]) : lineEnd(ctx.text, node.range[0]);
  }
  if (!node?.range) return lineEnd(ctx.text, after);
  // block scalars (`|`, `>`) end after their last newline already
  const end = node.range[1];
  return end > 0 && ctx.text[end - 1] === '\n' ? end : lineEnd(ctx.text, end);
}

/** End of an entry: its value's last line, plus following comment lines indented deeper than its key. */
export function entryEnd(ctx: SpliceContext, info: PairInfo): number {
  let end = valueEnd(ctx, info.pair.value as Node | null, info.colonEnd);
  let cur = end;
  while (cur < ctx.text.length) {
    const next = lineEnd(ctx.text, cur);
    const line = ctx.text.slice(cur, next).replace(/\r?\n$/, '');
    const trimmed = line.trimStart();
    if (trimmed !== '') {
      if (!trimmed.startsWith('#') || line.length - trimmed.length <= info.indent) break;
      end = next;
    }
    cur = next;
  }
  return end;
}

/** Makes the block mapping `map` (at key path `path`) hold `desired`, touching only entries that differ. */
export function mergeMap(ctx: SpliceContext, map: YAMLMap, desired: Record<string, unknown>, path: readonly string[], topInsert: number): void {
  const infos = map.items.map((p) => pairInfo(ctx.text, p));
  const indent = infos[0]?.indent ?? 0;
  for (const info of infos) {
    if (!Object.hasOwn(desired, info.key)) ctx.splices.push({ start: lineStart(ctx.text, info.keyStart), end: entryEnd(ctx, info), text: '' });
    else setPairValue(ctx, info, desired[info.key], [...path, info.key]);
  }
  const order = ctx.order(path);
  const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : Number.POSITIVE_INFINITY);
  const added = Object.keys(desired)
    .filter((k) => !infos.some((i) => i.key === k))
    .sort((a, b) => rank(a) - rank(b));
  for (const key of added) {
    const r = rank(key);
    const before = r === Number.POSITIVE_INFINITY ? infos : infos.filter((i) => rank(i.key) < r);
    const anchor = before.reduce<PairInfo | undefined>((last, i) => (!last || i.keyStart > last.keyStart ? i : last), undefined);
    const at = anchor ? entryEnd(ctx, anchor) : topInsert;
    ctx.splices.push({ start: at, end: at, text: renderEntry(ctx, key, desired[key], indent, [...path, key]) });
  }
}

/** Sets the value of an existing entry. */
export function setPairValue(ctx: SpliceContext, info: PairInfo, value: unknown, path: readonly string[]): void {
  const node = info.pair.value as Node | null;
  if (node && sameValue(node.toJSON(), value)) return;
  if (isMap(node) && isBlockCollection(node) && isRecord(value) && Object.keys(value).length > 0) {
    mergeMap(ctx, node, value, path, lineEnd(ctx.text, info.colonEnd));
    return;
  }
  const childIndent = info.indent + ctx.step;
  if (isSeq(node) && isBlockCollection(node) && Array.isArray(value) && value.length > 0 && editBlockSeq(ctx, node, value)) return;
  if (node && (isMap(node) || isSeq(node)) && node.flow && editFlow(ctx, node, value)) return;
  const oldBlock = isBlockCollection(node);
  let inlineEnd = oldBlock || !node?.range ? info.colonEnd : node.range[1];
  while (inlineEnd > info.colonEnd && (ctx.text[inlineEnd - 1] === '\n' || ctx.text[inlineEnd - 1] === '\r')) inlineEnd--;
  if (isInline(value)) {
    ctx.splices.push({ start: info.colonEnd, end: inlineEnd, text: ` ${renderInline(value)}` });
    if (oldBlock) ctx.splices.push({ start: lineEnd(ctx.text, info.colonEnd), end: valueEnd(ctx, node, info.colonEnd), text: '' });
    return;
  }
  ctx.splices.push({ start: info.colonEnd, end: inlineEnd, text: '' });
  const block = renderBlock(ctx, value as Record<string, unknown>, childIndent, path);
  if (oldBlock) ctx.splices.push({ start: lineEnd(ctx.text, info.colonEnd), end: valueEnd(ctx, node, info.colonEnd), text: block });
  else {
    const at = lineEnd(ctx.text, inlineEnd);
    ctx.splices.push({ start: at, end: at, text: block });
  }
}

/** `key: value` (one line) or `key:` and a nested block, at `indent`, ending with a newline. */
export function renderEntry(ctx: SpliceContext, key: string, value: unknown, indent: number, path: readonly string[]): string {
  const head = `${' '.repeat(indent)}${renderInline(key)}:`;
  if (isInline(value)) return `${head} ${renderInline(value)}${ctx.eol}`;
  return `${head}${ctx.eol}${renderBlock(ctx, value as Record<string, unknown>, indent + ctx.step, path)}`;
}

function renderBlock(ctx: SpliceContext, value: Record<string, unknown>, indent: number, path: readonly string[]): string {
  return Object.entries(value)
    .map(([k, v]) => renderEntry(ctx, k, v, indent, [...path, k]))
    .join('');
}

/** Scalars, lists and the empty mapping fit on the key's line; other mappings are written as blocks. */
function isInline(value: unknown): boolean {
  return !isRecord(value) || Object.keys(value).length === 0;
}

/** One-line YAML for a scalar, a flow list `[a, b]` or `{}`, quoted where YAML needs it. */
export function renderInline(value: unknown): string {
  const doc = new Document(value);
  if (isSeq(doc.contents) || isMap(doc.contents)) doc.contents.flow = true;
  return doc.toString({ flowCollectionPadding: false, lineWidth: 0, singleQuote: true }).trimEnd();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality where lists compare as sets (order of actors does not matter). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const key = (x: unknown): string => JSON.stringify(x);
    const sa = a.map(key).sort();
    const sb = b.map(key).sort();
    return sa.every((x, i) => x === sb[i]);
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return a === b;
}
