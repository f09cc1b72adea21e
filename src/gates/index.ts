export type {
  FlagChange,
  FlagHistory,
  FlagHistoryProvider,
  FlagRevision,
  Gate,
  GateContext,
  GateName,
  GateStatus,
  GateSummary,
  Memo,
  MrRef,
} from './types.js';
export { createMemo, formatGateDuration } from './common.js';
export { promotionGate } from './promotion.js';
export { stepGate } from './step.js';
export { heldSince, soakGate } from './soak.js';
export { createGitFlagHistory, readRevision } from './soak-history.js';
export { deployedGate, parseMergeRequestUrl } from './deployed.js';
export { changeRequestGate, findIssueRefs, issueProblems } from './change-request.js';
export { freezeGate, freezeStatus } from './freeze.js';
export { ROLLOUT_GATES, runGates, type GateDefinition, type RunGatesResult } from './run-gates.js';
