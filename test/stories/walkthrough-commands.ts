/**
 * The `flagops` command lines of the README walk-throughs. The stories run these; each story's last test checks
 * that the commands it ran, first occurrences in order, are exactly the ones its README walk-through shows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../ci/templates.js';

/** The `flagops …` code spans of the README section `### Walk-through: <title>`, whitespace normalised, first occurrences in order. */
export function readmeCommands(title: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`### Walk-through: ${title}\n`);
  if (start < 0) throw new Error(`README has no walk-through "${title}"`);
  const rest = readme.slice(readme.indexOf('\n', start) + 1);
  const end = rest.search(/^#{2,3} /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return firstOccurrences(
    [...section.matchAll(/`(flagops [^`]+)`/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim()),
  );
}

export function firstOccurrences(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}

export const ZENTAO_COMMANDS = {
  nonProduction: 'flagops set zentao_issues_integration true --env dev,staging',
  testers:
    'flagops set zentao_issues_integration true --env production --project icbd-trial/integration-trial --project luke/public-tests',
  /** The percentage of actors on production, one merge request each; `true` last. */
  rollout: [25, 50, 75].map((p) => `flagops set zentao_issues_integration ${p} --actors --env production`),
  on: 'flagops set zentao_issues_integration true --env production',
  rollback: 'flagops set zentao_issues_integration false --env production',
};
export const PARTITION_COMMANDS = {
  nonProduction:
    'flagops set enforce_explicit_connection_for_partitioned_shared_models true --env dev,pre,staging,staging-ref',
  production: 'flagops set enforce_explicit_connection_for_partitioned_shared_models true --env production',
  /** After the revert of a failed end-to-end run merged: staging on again, once the cause is fixed. */
  stagingAgain: 'flagops set enforce_explicit_connection_for_partitioned_shared_models true --env staging',
  /** max_step 25: the percentage of time, one merge request each (the flag declares no actor). */
  steps: [25, 50, 75].map(
    (p) =>
      `flagops set enforce_explicit_connection_for_partitioned_shared_models ${p} --random --env production`,
  ),
  rollbackProduction:
    'flagops set enforce_explicit_connection_for_partitioned_shared_models false --env production',
  rollbackNonProduction:
    'flagops set enforce_explicit_connection_for_partitioned_shared_models false --env dev,pre,staging,staging-ref',
  delete: 'flagops delete enforce_explicit_connection_for_partitioned_shared_models',
};
