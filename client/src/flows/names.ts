/**
 * Which name rule applies to which API call. The lengths differ by call: PutUserPolicy takes
 * a UserName of up to 128 characters (an existing user), PutUserPermissionsBoundary only 64.
 * The rules and the check itself are the engine's, shared with the editor's diagnostics.
 */
import { MANAGED_POLICY_PATH, NAME_RULES, PATH_MAX_LENGTH, POLICY_DESCRIPTION_MAX_LENGTH, type EntityKind, type NameRule } from 'iam-policy-engine';
import { checkName, checkPolicyName, describeCharacter } from 'iam-policy-engine';

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

/** Checks the RoleName of UpdateAssumeRolePolicy and the role boundary calls (1 to 64 characters). */
export function checkRoleName(name: string): string | undefined {
  return checkName(NAME_RULES.roleName, name);
}

/** Checks the Path of CreatePolicy: `/` or `/segments/`, segments of letters, digits and . , + @ = _ - */
export function checkManagedPolicyPath(path: string): string | undefined {
  const accepts = 'A policy path is / or /segments/ (letters, digits and . , + @ = _ - between slashes), up to 512 characters.';
  if (path.length > PATH_MAX_LENGTH) return `The path is ${path.length} characters long, ${path.length - PATH_MAX_LENGTH} over the limit. ${accepts}`;
  if (MANAGED_POLICY_PATH.test(path)) return undefined;
  if (!path.startsWith('/')) return `The path must start with /. ${accepts}`;
  if (!path.endsWith('/')) return `The path must end with /. ${accepts}`;
  if (path.includes('//')) return `The path has an empty segment (//). ${accepts}`;
  const bad = [...path].find((char) => char !== '/' && !/[A-Za-z0-9.,+@=_-]/.test(char));
  return `The path has ${bad !== undefined ? describeCharacter(bad) : 'a character IAM does not allow'}. ${accepts}`;
}

/** Checks the Description of CreatePolicy: at most 1,000 characters (empty: none). */
export function checkPolicyDescription(description: string): string | undefined {
  if (description.length <= POLICY_DESCRIPTION_MAX_LENGTH) return undefined;
  return `The description is ${description.length.toLocaleString('en-US')} characters long; IAM allows ${POLICY_DESCRIPTION_MAX_LENGTH.toLocaleString('en-US')}.`;
}

/** The name parameter of Attach/Detach{User,Group,Role}Policy and the boundary calls: user 64, group 128, role 64. */
export const ATTACH_TARGET_RULES: Readonly<Record<EntityKind, NameRule>> = {
  user: NAME_RULES.userName,
  group: NAME_RULES.groupName,
  role: NAME_RULES.roleName,
};

/** Checks the user, group or role name of Attach*Policy, Detach*Policy and the boundary calls. */
export function checkAttachTargetName(kind: EntityKind, name: string): string | undefined {
  return checkName(ATTACH_TARGET_RULES[kind], name);
}
