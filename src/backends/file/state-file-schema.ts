/**
 * The file backend's state file, checked when read: `{ "version": 1, "flags": { NAME: STATE } }`, each STATE valid
 * by `schemas/flag.schema.json#/definitions/state` (the states a flag file may hold), each NAME a flag name. Other
 * top-level keys are per-flag metadata, checked by their own reader (`applied`: when each state was written, see
 * file-backend.ts); unknown ones are allowed, so the format can grow without breaking older readers.
 */
import { validateAll } from '../../generated/validate-flag-all.js';

const NAME = /^[a-z0-9]+(_[a-z0-9]+)*$/;

/** What makes `doc` not a state file, or undefined when it is one. */
export function stateFileProblem(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'the top level is not an object';
  const version = (doc as { version?: unknown }).version;
  if (version !== undefined && version !== 1) return `version ${JSON.stringify(version)} is not 1`;
  const flags = (doc as { flags?: unknown }).flags;
  if (flags === undefined) return "it has no 'flags' map";
  if (flags === null || typeof flags !== 'object' || Array.isArray(flags)) return "'flags' is not a map";
  for (const [name, state] of Object.entries(flags)) {
    if (!NAME.test(name)) return `flags: ${JSON.stringify(name)} is not a flag name`;
    const problem = stateProblem(state);
    if (problem) return `flags.${name}: ${problem}`;
  }
  return undefined;
}

/** The flag schema's verdict on one state (the state is put where a flag file holds one, in an environment `s`). */
function stateProblem(state: unknown): string | undefined {
  if (state === null) return 'null is not a state (true, false or a map of conditions)';
  if (validateAll({ environments: { s: state } })) return undefined;
  const errors = (validateAll.errors ?? []).filter((e) => e.instancePath === '/environments/s' || e.instancePath.startsWith('/environments/s/'));
  if (errors.length === 0) return undefined;
  // an object state: the boolean branch's "must be boolean" says nothing; the conditions' errors do
  const telling = errors.filter((e) => e.keyword !== 'oneOf' && !(e.keyword === 'type' && e.instancePath === '/environments/s' && typeof state === 'object'));
  const first = telling[0] ?? errors[0]!;
  const at = first.instancePath.slice('/environments/s'.length).replace(/^\//, '').replace(/\//g, '.');
  const extra = (first.params as { additionalProperty?: string }).additionalProperty;
  if (extra !== undefined) return `${at ? `${at}: ` : ''}unknown condition '${extra}'`;
  return `${at ? `${at} ` : ''}${first.message ?? 'is not a valid state'}`;
}
