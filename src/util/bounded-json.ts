/** JSON text read from an artifact or a file someone else wrote: bounded in size, and a parse error is data. */
export type BoundedJson = { ok: true; value: unknown } | { ok: false; problem: string };

export function parseBoundedJson(text: string, maxBytes: number): BoundedJson {
  if (text.length > maxBytes) return { ok: false, problem: `over ${maxBytes} bytes` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
}
