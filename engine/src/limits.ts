/**
 * The numbers and patterns IAM's API enforces: one source of truth for the language
 * server's checks, the client's input boxes and the command-line linter.
 *
 * Source: the IAM API model (botocore `iam/2010-05-08/service-2.json`) and the API
 * reference of PutUserPolicy, PutGroupPolicy, PutRolePolicy and PutUserPermissionsBoundary.
 * Where the User Guide words a rule more loosely, the API model wins: it is what IAM enforces.
 */

/** PolicyDocument: 1 to 131,072 characters (white space counts). */
export const POLICY_DOCUMENT_MAX_LENGTH = 131_072;

/**
 * PolicyDocument pattern `[\u0009\u000A\u000D\u0020-\u00FF]+`: a run of characters outside
 * it. Global and sticky-free so callers can iterate with `exec`; always reset `lastIndex`.
 */
export const DISALLOWED_CHARACTERS = /[^\t\n\r\u0020-\u00FF]+/gu;

/** One character of an IAM name: `[\w+=,.@-]` with `\w` meaning ASCII letters, digits and underscore. */
export const NAME_CHARACTER = /[\w+=,.@-]/;

/** Aggregate size of all inline policies of one entity, white space not counted. */
export const INLINE_POLICY_QUOTA = {
  user: 2_048,
  group: 5_120,
  role: 10_240,
} as const;

export type EntityKind = keyof typeof INLINE_POLICY_QUOTA;

/** Managed policy document size, white space not counted. */
export const MANAGED_POLICY_MAX_LENGTH = 6_144;

/** A name parameter of the API, with its length range. */
export interface NameRule {
  /** The API parameter, as IAM names it in its messages. */
  readonly parameter: string;
  /** What a person calls it. */
  readonly label: string;
  readonly min: number;
  readonly max: number;
}

export const NAME_RULES = {
  /** PolicyName of PutUserPolicy, PutGroupPolicy, PutRolePolicy. */
  policyName: { parameter: 'PolicyName', label: 'policy name', min: 1, max: 128 },
  /** UserName of PutUserPolicy (an existing user): the API allows 128. */
  userNameForPolicy: { parameter: 'UserName', label: 'user name', min: 1, max: 128 },
  /** UserName of PutUserPermissionsBoundary and CreateUser. */
  userName: { parameter: 'UserName', label: 'user name', min: 1, max: 64 },
  groupName: { parameter: 'GroupName', label: 'group name', min: 1, max: 128 },
  roleName: { parameter: 'RoleName', label: 'role name', min: 1, max: 64 },
} as const satisfies Record<string, NameRule>;

export type NameRuleId = keyof typeof NAME_RULES;

/** Length of an entity's name as it appears in an IAM ARN (user/, role/, group/, policy/). */
export const ARN_ENTITY_NAME_MAX = {
  user: 64,
  role: 64,
  group: 128,
  policy: 128,
} as const;

export type ArnEntityType = keyof typeof ARN_ENTITY_NAME_MAX;

/** PermissionsBoundary of PutUserPermissionsBoundary: an ARN of 20 to 2,048 characters. */
export const PERMISSIONS_BOUNDARY_ARN = { min: 20, max: 2_048 } as const;

/** `Sid`: letters and digits only (may be empty); unique within a policy. */
export const SID_CHARACTERS = /^[A-Za-z0-9]*$/;

/** The two policy language versions IAM accepts. */
export const POLICY_VERSIONS = ['2012-10-17', '2008-10-17'] as const;

/**
 * Path of a user, group, role or managed policy: `/`, or `/segments/` of printable ASCII
 * (U+0021 to U+007E), 1 to 512 characters.
 */
export const PATH_MAX_LENGTH = 512;

/** MaxItems of IAM's List* actions: 1 to 1,000 items per page (IAM's default is 100). */
export const LIST_MAX_ITEMS = 1_000;

/**
 * Path of CreatePolicy (botocore `policyPathType`): `/`, or `/segments/` whose segments are
 * letters, digits and `. , + @ = _ -`; 1 to 512 characters. Narrower than the paths of users,
 * groups and roles.
 */
export const MANAGED_POLICY_PATH = /^(?:\/[A-Za-z0-9.,+@=_-]+)*\/$/;

/** Description of CreatePolicy (botocore `policyDescriptionType`): at most 1,000 characters. */
export const POLICY_DESCRIPTION_MAX_LENGTH = 1_000;

/** Versions IAM keeps of one managed policy; CreatePolicyVersion answers LimitExceeded past it. */
export const MANAGED_POLICY_MAX_VERSIONS = 5;
