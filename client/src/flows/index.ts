/**
 * The push commands' logic as plain functions: the VS Code UI asks the questions and shows the
 * answers, these decide. No `vscode` import anywhere below this folder.
 */
export { checkPermissionsBoundaryArn } from './boundaryArn';
export { INLINE_POLICY_TARGET_RULES, checkBoundaryUserName, checkInlinePolicyTargetName, checkPolicyName } from './names';
export { decideOverwrite, prettyPolicy, samePolicy, type OverwriteDecision } from './overwrite';
export {
  applyPermissionsBoundary,
  boundaryBlockers,
  planPermissionsBoundary,
  type BoundaryOutcome,
  type BoundaryPlan,
  type BoundaryRequest,
} from './permissionsBoundary';
export {
  NON_BLOCKING_ERROR_CODES,
  blocksPush,
  lineAndColumn,
  preflightPolicy,
  type Preflight,
  type PreflightOptions,
  type PreflightProblem,
} from './preflight';
export {
  applyInlinePolicyPush,
  localBlockers,
  planInlinePolicyPush,
  type Blocker,
  type InlinePushOutcome,
  type InlinePushPlan,
  type InlinePushRequest,
  type SendablePlan,
} from './pushInlinePolicy';
export { readBackInlinePolicy, readBackPermissionsBoundary, type ReadBack } from './readBack';
export { checkInlinePolicyQuota, sizeWithoutWhiteSpace, type QuotaCheck } from './quota';
