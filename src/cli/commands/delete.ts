/**
 * `flagops delete NAME [--env NAME]...`: removes the state of those environments from the flag file (ChatOps
 * `feature delete`): apply then deletes the live flag there, which falls back to `default_enabled`. No `--env`:
 * every environment. The `environments` key is kept (as `environments: {}` when nothing is left), so the flag
 * stays managed and the deletion is applied.
 *
 * A definition-only file (no `environments`) has nothing to remove. Deleting everywhere makes it managed with
 * `environments: {}`; deleting only some environments is refused, since a managed file's other environments would
 * lose their live state too (adopt them first with `flagops import`).
 */
import { UsageError } from '../../errors/errors.js';
import { currentState } from '../../edit/commit-flag-edit.js';
import type { CliIo } from '../io.js';
import { runFlagEdit, type EditCommandOptions, type EnvChange } from './edit-flag-command.js';

export type DeleteOptions = EditCommandOptions;

export async function runDelete(name: string, options: DeleteOptions, io: CliIo): Promise<number> {
  return runFlagEdit(
    {
      command: 'delete',
      name,
      compute: (flag, envs, config) => {
        if (!flag.managed && envs.length < config.environments.length) {
          throw new UsageError(
            `${flag.file} has no environments: flagops does not manage '${name}' yet, so there is no state to delete in ${envs.join(', ')}`,
            `to delete it everywhere run flagops delete ${name} without --env; to manage it, adopt the live state first: flagops import --env ENV --flag ${name}`,
          );
        }
        return envs.map((env): EnvChange => {
          const before = currentState(flag, env);
          return before === null
            ? { env, before: undefined, after: undefined, notes: ['removed a malformed state'], malformed: true }
            : { env, before, after: undefined, notes: [] };
        });
      },
      ensureManaged: (flag, envs, config) => !flag.managed && envs.length === config.environments.length,
      afterNotes: (flag) => (flag.managed ? [] : [`${flag.file} now has environments: {}: apply deletes '${name}' in every environment`]),
    },
    options,
    io,
  );
}
