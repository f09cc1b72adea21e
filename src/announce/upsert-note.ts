/**
 * One note per purpose, found by a hidden marker **and** its author, and edited only when its content changed —
 * never repeated (as renovate does with its merge-request comment). DESIGN §5: a note by anyone but the user of
 * flagops' token is never edited and never trusted, whatever it contains — a copied marker is just text.
 */
import type { GitlabPort, Note, NoteTarget } from '../gitlab/port.js';

export type NoteAction = 'created' | 'updated' | 'unchanged';

export function markerFor(purpose: string): string {
  return `<!-- flagops:${purpose} -->`;
}

/** The note flagops itself wrote for this marker (the token's user, `GET /user`, resolved once per client). */
export async function findOwnNote(port: GitlabPort, target: NoteTarget, marker: string): Promise<Note | undefined> {
  const [me, notes] = await Promise.all([port.currentUser(), port.listNotes(target)]);
  return notes.find((n) => isAuthoredBy(n, me) && !n.system && n.body.includes(marker));
}

function isAuthoredBy(note: Note, user: { id: number; username: string }): boolean {
  if (note.authorId !== undefined) return note.authorId === user.id;
  return note.authorUsername !== undefined && note.authorUsername === user.username;
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
  const existing = await findOwnNote(options.port, options.target, marker);
  if (!existing) {
    const note = await options.port.createNote(options.target, body);
    return { action: 'created', noteId: note.id };
  }
  if (existing.body.trim() === body.trim()) return { action: 'unchanged', noteId: existing.id };
  await options.port.editNote(options.target, existing.id, body);
  return { action: 'updated', noteId: existing.id };
}

/** Every note flagops itself wrote for this marker, lowest id first (two jobs that raced may both have created one). */
export async function findOwnNotes(port: GitlabPort, target: NoteTarget, marker: string): Promise<Note[]> {
  const [me, notes] = await Promise.all([port.currentUser(), port.listNotes(target)]);
  return notes.filter((n) => isAuthoredBy(n, me) && !n.system && n.body.includes(marker)).sort((a, b) => a.id - b.id);
}
