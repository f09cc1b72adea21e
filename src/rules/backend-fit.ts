/** `backend-fit`: each environment's backend can express the desired state (and may set the flag's name at all). */
import { licensedNameProblem } from '../backends/gitlab-features/licensed-fit.js';
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
    const licensed = config ? licensedNameProblem({ flag, env: config, configFile: ctx.configFile }) : undefined;
    if (licensed) {
      out.push(report(licensed.code, ['environments', env], licensed.message, { env, severity: licensed.severity, ...(licensed.hint ? { hint: licensed.hint } : {}) }));
    }
    for (const message of fit.check(state, { flag })) {
      out.push(report('backend-fit', ['environments', env], `${env}: the ${fit.type} backend cannot express this: ${message}`, { env }));
    }
  }
  return out;
};
