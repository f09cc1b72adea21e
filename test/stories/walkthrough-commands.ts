/**
 * The `flagops` command lines of the README walk-throughs, in order; the stories run exactly these, and
 * readme-walkthrough.test.ts checks that the README shows exactly these.
 */
export const ZENTAO_COMMANDS = {
  nonProduction: 'flagops set zentao_issues_integration true --env dev,staging',
} as const;
