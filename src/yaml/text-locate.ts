/**
 * A finding's position read straight off the text, for the usual shape of a flag file: block mappings with plain
 * keys. It walks the lines once per lookup, keeping to the block of each parent key, and answers only when every
 * segment of the path is a plain key found that way; anything else (a list index, a flow collection, a quoted key,
 * a path that does not exist) gives `undefined`, and the caller asks the parse-based locator instead. A file with
 * a finding or two is then located without parsing it a second time.
 */
import type { Position } from './bounded-parse.js';

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const PERCENT = 0x25;
/** A plain key of the simple shape. */
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Where a top-level key of the text was found (null: not in the simple shape), for later lookups under it. */
export type TopKeys = Map<string, TopKey | null>;
interface TopKey {
  found: Position;
  /** The key's value is a nested block (nothing but a comment follows the colon). */
  nested: boolean;
  /** Where the scan continues below the key: offset, line number and the key's indent. */
  offset: number;
  lineNo: number;
  indent: number;
}

/**
 * `top`: the top-level keys found by earlier lookups in the same text; a lookup under one of them starts below it
 * instead of reading the lines before it again (a file's findings are mostly under `environments`).
 */
export function locateInText(text: string, path: readonly (string | number)[], top?: TopKeys): Position | undefined {
  if (path.length === 0) return undefined;
  let offset = 0;
  let lineNo = 1;
  let parentIndent = -1;
  let found: Position | undefined;
  let start = 0;
  const first = path[0];
  const known = top && typeof first === 'string' ? top.get(first) : undefined;
  if (known === null) return undefined;
  if (known) {
    if (path.length === 1) return known.found;
    if (!known.nested) return undefined;
    ({ offset, lineNo, indent: parentIndent, found } = known);
    start = 1;
  }
  for (let s = start; s < path.length; s++) {
    const key = path[s];
    const remember = s === 0 && top !== undefined && typeof key === 'string';
    if (typeof key !== 'string' || !PLAIN_KEY.test(key)) {
      if (remember) top.set(key, null);
      return undefined;
    }
    let childIndent = -1;
    let hit = false;
    while (offset < text.length) {
      const end = text.indexOf('\n', offset);
      const next = end === -1 ? text.length : end + 1;
      let i = offset;
      while (text.charCodeAt(i) === SPACE) i++;
      const indent = i - offset;
      const c = text.charCodeAt(i);
      const blank = i >= next - 1 || c === HASH || c === 0x0d || c === 0x0a || Number.isNaN(c);
      // a document marker or a directive (tested only on a top-level line that starts with one of their characters)
      const marker = parentIndent < 0 && indent === 0 && ((c === DASH && text.startsWith('---', i)) || c === PERCENT);
      const herLine = lineNo;
      offset = next;
      lineNo++;
      if (blank || marker) continue;
      if (indent <= parentIndent) break; // the parent's block ended
      if (childIndent === -1) childIndent = indent;
      if (indent !== childIndent) continue; // inside a sibling's value
      if (c === 0x09 || c === DASH) break; // a tab or a list at this level: not this simple shape
      if (!text.startsWith(key, i)) continue;
      const after = text.charCodeAt(i + key.length);
      if (after !== 0x3a /* : */) continue;
      const follow = text.charCodeAt(i + key.length + 1);
      if (!(follow === SPACE || follow === 0x0a || follow === 0x0d || Number.isNaN(follow))) continue;
      found = { line: herLine, column: indent + 1 };
      // the value is a nested block on the following lines when nothing but a comment follows the colon
      const nested = s < path.length - 1 || remember ? isNestedBlock(text.slice(i + key.length + 1, next)) : true;
      if (remember) top.set(key, { found, nested, offset, lineNo, indent });
      if (s < path.length - 1 && !nested) return undefined;
      parentIndent = indent;
      hit = true;
      break;
    }
    if (!hit) {
      if (remember) top.set(key, null);
      return undefined;
    }
  }
  return found;
}

function isNestedBlock(rest: string): boolean {
  const trimmed = rest.trim();
  return trimmed === '' || trimmed.startsWith('#');
}
