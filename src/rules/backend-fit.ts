/** `backend-fit`: each environment's backend can express the desired state (and may set the flag's name at all). */
import { licensedNameProblem } from '../backends/gitlab-features/licensed-fit.js';
import { instanceTargets } from '../config/instances.js';
import { reporter, type Rule } from './types.js';

export const backendFitRule: Rule = (doc, ctx, states) => {
  if (ctx.fits.size === 0) return [];
  const report = reporter(doc, ctx);
  const flag = typeof doc.data.name === 'string' ? doc.data.name : doc.stem;
  const out = [];
  for (const { env, state } of states) {
    const fit = ctx.fits.get(env);
    if (!fit) continue;
    const config = ctx.envs.get(env);
    // every instance of a ring has its own backend and force list
    for (const target of config ? instanceTargets(config) : []) {
      const licensed = licensedNameProblem({ flag, env: target, configFile: ctx.configFile });
      if (licensed) {
        out.push(report(licensed.code, ['environments', env], licensed.message, { env, severity: licensed.severity, ...(licensed.hint ? { hint: licensed.hint } : {}) }));
      }
    }
    for (const message of fit.check(state, { flag })) {
      out.push(report('backend-fit', ['environments', env], `${env}: the ${fit.type} backend cannot express this: ${message}`, { env }));
    }
  }
  return out;
};
