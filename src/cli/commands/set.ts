/**
 * `flagops set NAME VALUE [--env NAME]... [--actors|--random] [--user U] [--project P] [--group G] [--namespace N]
 * [--repository R] [--feature-group G]`: edits the flag file the way ChatOps `feature set` edits live state
 * (DESIGN §3; semantics in src/edit/chatops-set.ts). No `--env`: every environment.
 *
 * The flag must have a file (GitLab requires a definition for every flag): flagops does not invent one, it says
 * where to create it. The edited file is validated before it is written; an edit that would make it invalid is
 * not written (exit 1). A definition-only file becomes managed: the note names the environments left without state.
 */
import { UsageError } from '../../errors/errors.js';
import { applySet, parseSetArgs, pickActorArgs, type ActorArgs, type SetArgs } from '../../edit/chatops-set.js';
import { currentState } from '../../edit/commit-flag-edit.js';
import type { CliIo } from '../io.js';
import { runFlagEdit, type EditCommandOptions, type EnvChange } from './edit-flag-command.js';

export interface SetOptions extends EditCommandOptions, ActorArgs {
  actors?: boolean;
  random?: boolean;
}

export async function runSet(name: string, value: string, options: SetOptions, io: CliIo): Promise<number> {
  const args: SetArgs = {
    value,
    actors: options.actors ?? false,
    random: options.random ?? false,
    ...pickActorArgs(options),
  };
  const op = parseSetArgs(args);
  return runFlagEdit(
    {
      command: 'set',
      name,
      compute: (flag, envs) =>
        envs.map((env): EnvChange => {
          const before = currentState(flag, env);
          if (before === null) {
            if (op.kind !== 'boolean') {
              throw new UsageError(`${flag.file}: environments.${env} is not a valid state, so it cannot be extended`, `fix it by hand, or replace it: flagops set ${name} true|false --env ${env}`);
            }
            return { env, before: undefined, after: op.value, notes: ['replaced a malformed state'], malformed: true };
          }
          try {
            const result = applySet(before, op);
            return { env, before, after: result.state, notes: result.notes };
          } catch (error) {
            if (error instanceof UsageError) throw new UsageError(`${env}: ${error.message}`, error.hint);
            throw error;
          }
        }),
      afterNotes: (flag, envs, config) => {
        if (flag.managed) return [];
        const others = config.environments.map((e) => e.name).filter((e) => !envs.includes(e));
        if (others.length === 0) return [`${flag.file} had no environments: flagops now manages this flag`];
        return [
          `${flag.file} had no environments: flagops now manages this flag, and ${others.join(', ')} ${others.length === 1 ? 'has' : 'have'} no state in it, ` +
            `so apply deletes any live state there; adopt it first with flagops import --env ${others[0]} --flag ${name}`,
        ];
      },
    },
    options,
    io,
  );
}
