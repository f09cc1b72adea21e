/** `actor`: states must fit the actor type the code checks the flag with (`actor:`). */
import { ACTOR_KINDS, ACTOR_LIST_OF } from '../model/state.js';
import { reporter, type Rule } from './types.js';
import { own } from '../util/own.js';

export const actorRule: Rule = (doc, ctx, states) => {
  const report = reporter(doc, ctx);
  const out = [];
  const actor = typeof doc.data.actor === 'string' ? doc.data.actor : undefined;
  const allowedList = actor ? own(ACTOR_LIST_OF, actor) : undefined;
  for (const { env, state } of states) {
    if (typeof state !== 'object') continue;
    if (actor && state.percentage_of_time !== undefined) {
      out.push(
        report('actor/percentage-of-time', ['environments', env, 'percentage_of_time'], `${env}: percentage_of_time on a flag checked with actor '${actor}'`, {
          env,
          hint: 'use percentage_of_actors: the same actor then keeps the same answer',
        }),
      );
    }
    // a warning is not even built when only errors are wanted (--quiet)
    if (!actor && state.percentage_of_actors !== undefined && !ctx.errorsOnly) {
      out.push(
        report('actor/undeclared', ['environments', env, 'percentage_of_actors'], `${env}: percentage_of_actors on a flag that declares no actor`, {
          env,
          severity: 'warning',
          hint: "add `actor: user` (or project, group…) naming what the code passes to Feature.enabled?, or use percentage_of_time",
        }),
      );
    }
    if (allowedList) {
      for (const kind of ACTOR_KINDS) {
        if (kind !== allowedList && state.actors?.[kind]) {
          out.push(
            report('actor/kind', ['environments', env, 'actors', kind], `${env}: ${kind} listed on a flag checked with actor '${actor}'`, {
              env,
              hint: `the code checks ${allowedList}; ${kind} here never match`,
            }),
          );
        }
      }
      if (actor !== 'user' && state.feature_groups && !ctx.errorsOnly) {
        out.push(
          report('actor/feature-group', ['environments', env, 'feature_groups'], `${env}: feature groups hold users, but the flag is checked with actor '${actor}'`, {
            env,
            severity: 'warning',
          }),
        );
      }
    }
  }
  return out;
};
