/**
 * The `flagops` command lines of the README walk-throughs, in order; the stories run exactly these, and
 * readme-walkthrough.test.ts checks that the README shows exactly these.
 */
export const ZENTAO_COMMANDS = {
  nonProduction: 'flagops set zentao_issues_integration true --env dev,staging',
  testers:
    'flagops set zentao_issues_integration true --env production --project icbd-trial/integration-trial --project luke/public-tests',
} as const;
