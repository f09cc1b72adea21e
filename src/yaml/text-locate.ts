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

export function locateInText(text: string, path: readonly (string | number)[]): Position | undefined {
  if (path.length === 0) return undefined;
  let offset = 0;
  let lineNo = 1;
  let parentIndent = -1;
  let found: Position | undefined;
  for (let s = 0; s < path.length; s++) {
    const key = path[s];
    if (typeof key !== 'string' || key === '' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(key)) return undefined;
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
      const marker = parentIndent < 0 && indent === 0 && (text.startsWith('---', i) || text.startsWith('%', i));
      const herLine = lineNo;
      offset = next;
      lineNo++;
      if (blank || marker) continue;
      if (indent <= parentIndent) return undefined; // the parent's block ended
      if (childIndent === -1) childIndent = indent;
      if (indent !== childIndent) continue; // inside a sibling's value
      if (c === 0x09 || c === 0x2d /* - */) return undefined; // a tab or a list at this level: not this simple shape
      if (!text.startsWith(key, i)) continue;
      const after = text.charCodeAt(i + key.length);
      if (after !== 0x3a /* : */) continue;
      const follow = text.charCodeAt(i + key.length + 1);
      if (!(follow === SPACE || follow === 0x0a || follow === 0x0d || Number.isNaN(follow))) continue;
      found = { line: herLine, column: indent + 1 };
      if (s < path.length - 1) {
        // the value must be a nested block on the following lines
        const rest = text.slice(i + key.length + 1, next).trim();
        if (rest !== '' && !rest.startsWith('#')) return undefined;
      }
      parentIndent = indent;
      hit = true;
      break;
    }
    if (!hit) return undefined;
  }
  return found;
}
