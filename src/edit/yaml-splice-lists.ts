/**
 * Entry-by-entry edits of lists and flow collections, so that `set` changes only the items it adds or removes:
 * a kept item keeps its quoting and its comment, and a flow map `{percentage_of_actors: 10}` or a flow list
 * `[a, b]` stays flow. Items compare by value (lists are sets of names); new items are appended.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { lineEnd, lineStart, renderInline, sameValue, type SpliceContext } from './yaml-splice.js';

type Ranged = Node & { range: [number, number, number] };

function ranged(node: unknown): node is Ranged {
  return Boolean(node && typeof node === 'object' && 'range' in node && (node as Node).range);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Splits the old items into kept ones and removed ones: each desired value keeps at most one old item equal to it.
 * Returns the desired values no old item holds.
 */
function matchItems(old: readonly unknown[], desired: readonly unknown[]): { kept: boolean[]; added: unknown[] } {
  const kept = old.map(() => false);
  const added: unknown[] = [];
  for (const v of desired) {
    const i = old.findIndex((o, j) => !kept[j] && sameValue(o, v));
    if (i === -1) added.push(v);
    else kept[i] = true;
  }
  return { kept, added };
}

/** A block list of scalars: removes the lines of items that go, appends lines for new items. False: not editable here. */
export function editBlockSeq(ctx: SpliceContext, seq: YAMLSeq, value: readonly unknown[]): boolean {
  const items = seq.items as unknown[];
  if (!items.every((i) => isScalar(i) && ranged(i))) return false;
  const nodes = items as Ranged[];
  const { kept, added } = matchItems(
    nodes.map((n) => n.toJSON()),
    value,
  );
  const first = nodes[0];
  if (!first || !ranged(seq)) return false;
  const dashCol = seq.range[0] - lineStart(ctx.text, seq.range[0]);
  nodes.forEach((n, i) => {
    if (!kept[i]) ctx.splices.push({ start: lineStart(ctx.text, n.range[0]), end: lineEnd(ctx.text, n.range[1]), text: '' });
  });
  if (added.length > 0) {
    const at = lineEnd(ctx.text, nodes.at(-1)!.range[1]);
    const eol = at === ctx.text.length && !ctx.text.endsWith('\n') ? ctx.eol : '';
    ctx.splices.push({ start: at, end: at, text: eol + added.map((v) => `${' '.repeat(dashCol)}- ${renderInline(v)}${ctx.eol}`).join('') });
  }
  return true;
}

/** A flow map or flow list given a value of the same shape: edits it in place and keeps it flow. False: not editable here. */
export function editFlow(ctx: SpliceContext, node: Node, value: unknown): boolean {
  if (!ranged(node)) return false;
  if (isMap(node) && isRecord(value) && Object.keys(value).length > 0) return editFlowMap(ctx, node as YAMLMap & Ranged, value);
  if (isSeq(node) && Array.isArray(value) && value.length > 0) return editFlowSeq(ctx, node as YAMLSeq & Ranged, value);
  return false;
}

interface FlowEntry {
  start: number;
  end: number;
}

/** Removes entries of a flow collection (with the comma that separates each) and appends new ones before the closer. */
function spliceFlow(ctx: SpliceContext, entries: readonly FlowEntry[], removed: readonly boolean[], added: readonly string[]): void {
  const survivors = entries.filter((_, i) => !removed[i]);
  entries.forEach((e, i) => {
    if (!removed[i]) return;
    const next = entries[i + 1];
    // up to the next entry (its comma and spacing go too), or back to the previous kept entry when this is the last
    if (next) ctx.splices.push({ start: e.start, end: next.start, text: '' });
    else {
      const prev = [...entries.slice(0, i)].reverse().find((_, k) => !removed[i - 1 - k]);
      ctx.splices.push({ start: prev ? prev.end : e.start, end: e.end, text: '' });
    }
  });
  if (added.length === 0) return;
  const last = entries.at(-1)!;
  const lead = survivors.length > 0 ? ', ' : '';
  ctx.splices.push({ start: last.end, end: last.end, text: lead + added.join(', ') });
}

function editFlowSeq(ctx: SpliceContext, seq: YAMLSeq & Ranged, value: readonly unknown[]): boolean {
  const nodes = seq.items as unknown[];
  if (nodes.length === 0 || !nodes.every((n) => isScalar(n) && ranged(n))) return false;
  const { kept, added } = matchItems(
    (nodes as Ranged[]).map((n) => n.toJSON()),
    value,
  );
  const entries = (nodes as Ranged[]).map((n) => ({ start: n.range[0], end: n.range[1] }));
  spliceFlow(
    ctx,
    entries,
    kept.map((k) => !k),
    added.map((v) => renderInline(v)),
  );
  return true;
}

function editFlowMap(ctx: SpliceContext, map: YAMLMap & Ranged, value: Record<string, unknown>): boolean {
  const pairs = map.items as Pair[];
  if (pairs.length === 0) return false;
  const entries: FlowEntry[] = [];
  const keys: string[] = [];
  for (const p of pairs) {
    if (!isScalar(p.key) || !ranged(p.key) || !ranged(p.value)) return false;
    keys.push(String(p.key.value));
    entries.push({ start: p.key.range[0], end: p.value.range[1] });
  }
  const removed = keys.map((k) => !Object.hasOwn(value, k));
  pairs.forEach((p, i) => {
    if (removed[i]) return;
    const node = p.value as Ranged;
    const want = value[keys[i]!];
    if (sameValue(node.toJSON(), want)) return;
    if ((isMap(node) || isSeq(node)) && editFlow(ctx, node, want)) return;
    ctx.splices.push({ start: node.range[0], end: node.range[1], text: renderInline(want) });
  });
  const added = Object.keys(value)
    .filter((k) => !keys.includes(k))
    .map((k) => `${renderInline(k)}: ${renderInline(value[k])}`);
  spliceFlow(ctx, entries, removed, added);
  return true;
}
