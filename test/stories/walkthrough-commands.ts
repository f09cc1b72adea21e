/**
 * The `flagops` command lines of the README walk-throughs, in order; the stories run exactly these, and
 * readme-walkthrough.test.ts checks that the README shows exactly these.
 */
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
