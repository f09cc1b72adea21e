/** `backend-fit`: each environment's backend can express the desired state. */
import { reporter, type Rule } from './types.js';
import { environmentStates } from './states.js';

export const backendFitRule: Rule = (doc, ctx) => {
  if (ctx.fits.size === 0) return [];
  const report = reporter(doc, ctx);
  const flag = typeof doc.data.name === 'string' ? doc.data.name : doc.stem;
  const out = [];
  for (const { env, state } of environmentStates(doc.data)) {
    const fit = ctx.fits.get(env);
    if (!fit) continue;
    for (const message of fit.check(state, { flag })) {
      out.push(report('backend-fit', ['environments', env], `${env}: the ${fit.type} backend cannot express this: ${message}`, { env }));
    }
  }
  return out;
};
