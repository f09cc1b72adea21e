/**
 * The text report written as the files are checked (validate-files.ts): each file's findings are formatted when
 * they are made and copied into megabyte buffers, so no finding outlives its file. Files may come in any order
 * (several threads check them): the report is put in order by file name when it is handed out, which is a copy
 * only when they did not come in order. A file whose findings come again later (a duplicate name found at the
 * end) has its part replaced then.
 */
import { nameOrder } from '../model/collate.js';
import type { Finding } from '../model/finding.js';
import { lineParts, type TextOptions } from './text.js';

/** Bytes per buffer; a file's text is never split across two. */
const CHUNK = 1 << 20;

export interface TextStream {
  file(info: { index: number; file: string }, findings: readonly Finding[]): void;
  again(info: { index: number; file: string }, findings: readonly Finding[]): void;
  /** The report, in order, as buffers to write one after the other. */
  chunks(): Uint8Array[];
}

export function textStream(options: TextOptions & { keep?: (f: Finding) => boolean; chunkSize?: number }): TextStream {
  const size = options.chunkSize ?? CHUNK;
  const lines = lineParts(options.color);
  const full: Buffer[] = [];
  // the first buffer is small: it fills within the first files, so the code that starts the next buffer has run
  // before the optimizing compiler sees this function (a path it has never seen costs a deoptimization later)
  let buffer = Buffer.allocUnsafe(Math.max(1, size >> 4));
  let at = 0;
  // the files that wrote something, in the order they came: name, and their buffer (index into full), start, end
  const names: string[] = [];
  const places: number[] = [];
  const indexes: number[] = [];
  const patches = new Map<number, { file: string; bytes: Buffer }>();
  const text = (findings: readonly Finding[]): string => {
    let out = '';
    for (const f of findings) if (!options.keep || options.keep(f)) out += lines.line(f);
    return out;
  };
  return {
    file({ index, file }, findings) {
      const part = text(findings);
      if (part === '') return;
      // lines are UTF-8 units, one per character: the string's length is its size in bytes
      if (at + part.length > buffer.length) {
        full.push(buffer.subarray(0, at));
        buffer = Buffer.allocUnsafe(Math.max(size, part.length));
        at = 0;
      }
      names.push(file);
      indexes.push(index);
      places.push(full.length, at, (at += buffer.write(part, at, 'latin1')));
    },
    again({ index, file }, findings) {
      patches.set(index, { file, bytes: Buffer.from(text(findings), 'latin1') });
    },
    chunks() {
      const all = [...full, buffer.subarray(0, at)];
      const order = patches.size === 0 ? nameOrder(names) : undefined;
      if (patches.size === 0 && !order) return all.filter((c) => c.length > 0);
      // every file's part, its patch in its place, in the order of the names; joined again into buffers
      const parts: { file: string; bytes: Buffer }[] = names.map((file, k) => {
        const patch = patches.get(indexes[k]!);
        return patch ?? { file, bytes: all[places[k * 3]!]!.subarray(places[k * 3 + 1], places[k * 3 + 2]) };
      });
      const written = new Set(indexes);
      for (const [index, patch] of patches) if (!written.has(index)) parts.push(patch);
      const sorted = nameOrder(parts.map((p) => p.file));
      const ordered = sorted ? sorted.map((k) => parts[k]!.bytes) : parts.map((p) => p.bytes);
      const out: Buffer[] = [];
      let group: Buffer[] = [];
      let bytes = 0;
      for (const part of ordered) {
        if (bytes + part.length > size && group.length > 0) {
          out.push(Buffer.concat(group, bytes));
          group = [];
          bytes = 0;
        }
        group.push(part);
        bytes += part.length;
      }
      if (bytes > 0) out.push(Buffer.concat(group, bytes));
      return out;
    },
  };
}
