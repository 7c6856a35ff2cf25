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
export { checkInlinePolicyQuota, sizeWithoutWhiteSpace, type QuotaCheck } from './quota';
export { checkManagedPolicyArn } from './boundaryArn';
export { ATTACH_TARGET_RULES, checkAttachTargetName, checkManagedPolicyPath, checkPolicyDescription, checkRoleName } from './names';
export { checkManagedPolicySize, type ManagedPolicySizeCheck } from './quota';
export { boundaryCheck, inlinePolicyCheck, readBack, writeWithReadBack, type Found, type ReadBack, type ReadBackCheck, type Written } from './readBack';
export {
  applyPolicyVersion,
  createPolicyFromDocument,
  managedDocumentBlockers,
  newPolicyBlockers,
  oldestNonDefault,
  planPolicyVersion,
  type CreatePolicyOutcome,
  type NewPolicyRequest,
  type PolicyVersionOutcome,
  type PolicyVersionPlan,
  type PolicyVersionRequest,
  type PushablePolicyVersionPlan,
} from './managedPolicy';
export {
  applyTrustPolicyUpdate,
  planTrustPolicyUpdate,
  trustPolicyBlockers,
  type TrustPolicyOutcome,
  type TrustPolicyPlan,
  type TrustPolicyRequest,
} from './trustPolicy';
export {
  applyAttach,
  applyDeleteInline,
  applyDetach,
  applyRemoveBoundary,
  applyRoleBoundary,
  planAttach,
  planDeleteInline,
  planDetach,
  planRemoveBoundary,
  planRoleBoundary,
  type AttachmentRequest,
  type BoundaryHolder,
  type ChangeOutcome,
  type ChangePlan,
  type InlineDeletion,
  type RoleBoundaryRequest,
} from './entityChanges';
