/**
 * One note per purpose, found by a hidden marker and edited only when its content changed — never repeated
 * (as renovate does with its merge-request comment).
 */
import type { GitlabPort, NoteTarget } from '../gitlab/port.js';

export type NoteAction = 'created' | 'updated' | 'unchanged';

export function markerFor(purpose: string): string {
  return `<!-- flagops:${purpose} -->`;
}

export async function upsertNote(options: {
  port: GitlabPort;
  target: NoteTarget;
  /** e.g. `check` or `apply:production`: one note per purpose and target. */
  purpose: string;
  body: string;
}): Promise<{ action: NoteAction; noteId: number }> {
  const marker = markerFor(options.purpose);
  const body = `${marker}\n${options.body.trim()}\n`;
  const notes = await options.port.listNotes(options.target);
  const existing = notes.find((n) => n.body.includes(marker));
  if (!existing) {
    const note = await options.port.createNote(options.target, body);
    return { action: 'created', noteId: note.id };
  }
  if (existing.body.trim() === body.trim()) return { action: 'unchanged', noteId: existing.id };
  await options.port.editNote(options.target, existing.id, body);
  return { action: 'updated', noteId: existing.id };
}
