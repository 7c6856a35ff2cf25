/**
 * The IAM layer: SDK clients, the IAM actions the push commands use, user-facing errors and
 * the call log. No `vscode` import anywhere below this folder, so it runs in plain Node.
 */
export { AnswerTimeoutError, MAX_ANSWER_BYTES, NotIamAnswerError, notIamAnswer } from './answer';
export type { CallOptions } from './call';
export {
  CredentialProcessError,
  checkProcessOutput,
  resolveCredentialSource,
  runCredentialProcess,
  type CredentialProcessFailure,
  type CredentialSource,
  type ProcessCredentials,
} from './credentialProcess';
export { REDACTED, redactSecrets, redactUrl } from './redact';
export {
  DEFAULT_ANSWER_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_REGION,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SOCKET_TIMEOUT_MS,
  createIamConnection,
  getCallerIdentity,
  resolveConnectionFacts,
  sdkClientConfig,
  type CallerIdentity,
  type IamConnection,
  type IamConnectionOptions,
  type IamConnectionSettings,
} from './connection';
export {
  IamCallError,
  PROFILE_SETTING,
  deniedActionFrom,
  describeIamError,
  describeTarget,
  iamErrorCode,
  type CallContext,
  type ConnectionFacts,
  type IamProblem,
  type IamProblemKind,
} from './errors';
export { SILENT_LOG, formatIamCall, type EntityRef, type IamCallRecord, type IamLog } from './log';
export {
  describeProfile,
  forEachProfileEntry,
  parseProfileSections,
  profilesFromFiles,
  readAwsProfiles,
  sharedFilePaths,
  type AwsProfile,
  type ProfileKind,
  type ProfileListing,
  type SharedFile,
  type SharedFilePaths,
} from './profiles';
export type { EntityKind } from 'iam-policy-engine';
export {
  MAX_LISTED_ITEMS,
  decodePolicyDocument,
  getInlinePolicy,
  getUser,
  listEntities,
  listGroups,
  listInlinePolicyNames,
  listManagedPolicies,
  listManagedPoliciesIn,
  listRoles,
  listUsers,
  putInlinePolicy,
  putUserPermissionsBoundary,
  readInlinePolicies,
  type IamEntity,
  type IamUser,
  type InlinePolicy,
  type ListOptions,
  type ManagedPolicyScope,
  type ManagedPolicySummary,
  type WriteReceipt,
} from './operations';
export {
  attachManagedPolicy,
  createManagedPolicy,
  createPolicyVersion,
  deletePolicyVersion,
  detachManagedPolicy,
  getManagedPolicy,
  getPolicyVersion,
  listAttachedPolicies,
  listPolicyVersions,
  versionNumber,
  type AttachedPolicy,
  type ManagedPolicyDetails,
  type NewManagedPolicy,
  type PolicyVersion,
  type PolicyVersionSummary,
} from './managedPolicies';
export {
  deleteInlinePolicy,
  deletePermissionsBoundary,
  getPermissionsBoundary,
  getRole,
  putRolePermissionsBoundary,
  updateTrustPolicy,
  type IamRole,
} from './entityPolicies';
