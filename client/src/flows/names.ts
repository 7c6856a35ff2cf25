/**
 * Which name rule applies to which API call. The lengths differ by call: PutUserPolicy takes
 * a UserName of up to 128 characters (an existing user), PutUserPermissionsBoundary only 64.
 * The rules and the check itself are the engine's, shared with the editor's diagnostics.
 */
import { NAME_RULES, type EntityKind, type NameRule } from 'iam-policy-engine';
import { checkName, checkPolicyName } from 'iam-policy-engine';

/** The name parameter of PutUserPolicy, PutGroupPolicy and PutRolePolicy. */
export const INLINE_POLICY_TARGET_RULES: Readonly<Record<EntityKind, NameRule>> = {
  user: NAME_RULES.userNameForPolicy,
  group: NAME_RULES.groupName,
  role: NAME_RULES.roleName,
};

/** Checks the user, group or role name of a Put*Policy call. Undefined when IAM accepts it. */
export function checkInlinePolicyTargetName(kind: EntityKind, name: string): string | undefined {
  return checkName(INLINE_POLICY_TARGET_RULES[kind], name);
}

/** Checks the UserName of PutUserPermissionsBoundary (1 to 64 characters). */
export function checkBoundaryUserName(name: string): string | undefined {
  return checkName(NAME_RULES.userName, name);
}

/** Checks the PolicyName of Put*Policy (1 to 128 characters). */
export { checkPolicyName };
