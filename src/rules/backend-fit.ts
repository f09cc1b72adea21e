/** `backend-fit`: each environment's backend can express the desired state. */
import { fitFor } from '../backends/fit.js';
import { reporter, type Rule } from './types.js';
import { environmentStates } from './states.js';

export const backendFitRule: Rule = (doc, ctx) => {
  const report = reporter(doc);
  const flag = typeof doc.data.name === 'string' ? doc.data.name : doc.stem;
  const out = [];
  for (const { env, state } of environmentStates(doc.data)) {
    const environment = ctx.config.environments.find((e) => e.name === env);
    if (!environment) continue;
    for (const message of fitFor(environment.backend.type)(state, { flag })) {
      out.push(
        report('backend-fit', ['environments', env], `${env}: the ${environment.backend.type} backend cannot express this: ${message}`, {
          env,
        }),
      );
    }
  }
  return out;
};
