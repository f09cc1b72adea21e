/**
 * Positions recorded during the one js-yaml parse of a file (its `listener` option), so that a finding is located
 * without parsing the file again. js-yaml reports each node's `open` (with the position) and `close` (with the
 * value); a node whose close is followed by `:` is a mapping key. Per collection value (object identity) the
 * recorder keeps its children's positions; a lookup walks the parsed value along the finding's path.
 */
import type { Locate, Position } from './bounded-parse.js';

/** What js-yaml's listener receives (its loader state). */
interface LoaderState {
  input: string;
  position: number;
  line: number;
  lineStart: number;
  kind: string | null;
  result: unknown;
}

/** Per child, in document order: key text (undefined for values and items), line, column. */
type Children = (string | number | undefined)[];

export interface PositionRecorder {
  listener: (event: 'open' | 'close', state: LoaderState) => void;
  /** A locator over the parsed value; call once, after the parse. */
  locator(root: unknown): Locate;
}

const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;

export function createPositionRecorder(): PositionRecorder {
  // the open nodes, as parallel arrays (no object per node): line, column, first character, children
  const lines: number[] = [];
  const columns: number[] = [];
  const chars: number[] = [];
  const kids: (Children | undefined)[] = [];
  let depth = 0;
  const table = new Map<object, Children>();
  let rootPosition: Position = {};
  const listener = (event: 'open' | 'close', state: LoaderState): void => {
    if (event === 'open') {
      lines[depth] = state.line + 1;
      columns[depth] = state.position - state.lineStart + 1;
      chars[depth] = state.input.charCodeAt(state.position);
      kids[depth] = undefined;
      depth++;
      return;
    }
    depth--;
    const value = state.result;
    const children = kids[depth];
    kids[depth] = undefined;
    let line = lines[depth]!;
    let column = columns[depth]!;
    const char = chars[depth];
    // a block collection starts at its first entry (the open position is where the parser stood: after `key:`)
    if (children && children.length > 0 && char !== 0x7b && char !== 0x5b) {
      line = children[1] as number;
      column = children[2] as number;
    }
    const collection = value !== null && typeof value === 'object';
    // an alias closes with the anchored value: its recorded children stay
    if (collection && !table.has(value)) table.set(value, children ?? []);
    if (depth === 0) {
      rootPosition = { line, column };
      return;
    }
    let isKey = false;
    if (!collection) {
      const input = state.input;
      let i = state.position;
      let c = input.charCodeAt(i);
      while (c === SPACE || c === TAB) c = input.charCodeAt(++i);
      isKey = c === COLON;
    }
    const parent = (kids[depth - 1] ??= []);
    parent.push(isKey ? String(value) : undefined, line, column);
  };
  return { listener, locator: (root) => createTableLocator(root, table, rootPosition) };
}

function createTableLocator(root: unknown, table: Map<object, Children>, rootPosition: Position): Locate {
  // per mapping, key → index into its children, built on the first lookup in it: lookups stay linear in findings
  const keyIndex = new Map<object, Map<string, number>>();
  const indexOf = (node: object, children: Children, key: string): number | undefined => {
    if (children.length <= 3 * 16) {
      for (let i = 0; i < children.length; i += 3) if (children[i] === key) return i;
      return undefined;
    }
    let index = keyIndex.get(node);
    if (!index) {
      index = new Map();
      for (let i = 0; i < children.length; i += 3) {
        const key = children[i];
        if (key !== undefined && !index.has(key as string)) index.set(key as string, i);
      }
      keyIndex.set(node, index);
    }
    return index.get(key);
  };
  return (path) => {
    let node: unknown = root;
    let position = rootPosition;
    for (const segment of path) {
      if (node === null || typeof node !== 'object') break;
      const children = table.get(node);
      if (!children) break;
      if (Array.isArray(node)) {
        const i = Number(segment);
        // an empty item (`- ` alone) has no node of its own: positions are then not aligned with items
        if (!Number.isInteger(i) || children.length !== node.length * 3 || i < 0 || i >= node.length) break;
        position = { line: children[i * 3 + 1] as number, column: children[i * 3 + 2] as number };
        node = node[i];
        continue;
      }
      const at = indexOf(node, children, String(segment));
      if (at === undefined) break;
      position = { line: children[at + 1] as number, column: children[at + 2] as number };
      node = Object.hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
    }
    return position.line === undefined ? {} : { line: position.line, column: position.column! };
  };
}
