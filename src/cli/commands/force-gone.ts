/** `--force` was a switch nobody reviews; the policy lives in flagops.yml now (DESIGN §2, the `force:` key). */
import { UsageError } from '../../errors/errors.js';

export function forceGone(command: string): UsageError {
  return new UsageError(
    `${command} has no --force: flagops sends force=true only for the flags an environment's gitlab-features backend lists under force in flagops.yml`,
    'add e.g. `force: [zentao_issues_integration]` to that backend, in a merge request: it is reviewed like any policy',
  );
}
