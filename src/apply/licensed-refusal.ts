/**
 * GitLab refused a flag's name as a licensed feature's, one flagops' snapshot did not know: the same `backend-fit`
 * finding validate gives for a name it knows, at the flag file's environment entry (DESIGN §2, the `force:` key).
 */
import { relative, sep } from 'node:path';
import { licensedNameProblem } from '../backends/gitlab-features/licensed-fit.js';
import type { InstanceTarget } from '../config/instances.js';
import type { FlagopsConfig } from '../config/types.js';
import type { Finding } from '../model/finding.js';
import type { DesiredSet } from '../plan/desired.js';

export function licensedRefusal(flag: string, env: InstanceTarget, config: FlagopsConfig, current: DesiredSet): Finding {
  const configFile = relative(config.dir, config.file).split(sep).join('/') || config.file;
  const problem = licensedNameProblem({ flag, env, configFile, refused: true })!;
  const doc = current.get(flag);
  const position = doc?.locate?.(['environments', env.name]) ?? {};
  return {
    code: problem.code,
    severity: problem.severity,
    ...(doc ? { file: doc.file } : {}),
    ...position,
    flag,
    env: env.name,
    message: problem.message,
    ...(problem.hint ? { hint: problem.hint } : {}),
  };
}
