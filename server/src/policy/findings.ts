/**
 * What the checks report. Every finding has a stable code (used in settings, in the README
 * and by the command-line linter), a default severity, a one-line message and an exact place.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A severity a user can choose for a rule in settings. */
export type SeveritySetting = 'off' | 'error' | 'warning' | 'info';

export interface RuleInfo {
  readonly severity: Severity;
  /** The family it belongs to, for the README and for grouping. */
  readonly family: 'characters' | 'size' | 'names' | 'json' | 'elements' | 'actions' | 'resources' | 'conditions' | 'security' | 'meta';
  /** One line for documentation. */
  readonly summary: string;
}

/** All diagnostic codes. Never rename one: users refer to them in their settings. */
export const RULES = {
  'disallowed-character': {
    severity: 'error',
    family: 'characters',
    summary: 'A character outside the set IAM accepts in a policy document (tab, line feed, carriage return, U+0020 to U+00FF).',
  },
  'document-too-large': {
    severity: 'error',
    family: 'size',
    summary: 'The document is over 131,072 characters, the most IAM accepts (white space counts).',
  },
  'empty-document': {
    severity: 'error',
    family: 'size',
    summary: 'The document is empty or only white space.',
  },
  'invalid-sid': {
    severity: 'error',
    family: 'names',
    summary: 'A Sid with characters other than ASCII letters and digits.',
  },
  'duplicate-sid': {
    severity: 'error',
    family: 'names',
    summary: 'Two statements with the same Sid.',
  },
  'invalid-arn-entity-name': {
    severity: 'error',
    family: 'names',
    summary: 'An IAM user, group, role or policy name inside an IAM ARN that IAM would never accept (characters or length).',
  },
  'invalid-policy-file-name': {
    severity: 'info',
    family: 'names',
    summary: 'The file name, offered as the policy name when pushing, is not a valid IAM policy name.',
  },
  'json-syntax': {
    severity: 'error',
    family: 'json',
    summary: 'The document is not valid JSON.',
  },
  'json-comment': {
    severity: 'error',
    family: 'json',
    summary: 'A comment: IAM accepts strict JSON only.',
  },
  'json-trailing-comma': {
    severity: 'error',
    family: 'json',
    summary: 'A comma after the last member of an object or array.',
  },
  'json-duplicate-key': {
    severity: 'error',
    family: 'json',
    summary: 'The same key twice in one object.',
  },
  // The policy grammar: IAM rejects these documents (MalformedPolicyDocument).
  'unknown-element': {
    severity: 'error',
    family: 'elements',
    summary: 'A key that is not an element of the policy language, or one in the wrong case (effect for Effect).',
  },
  'invalid-version': {
    severity: 'error',
    family: 'elements',
    summary: 'A Version other than 2012-10-17 or 2008-10-17.',
  },
  'missing-version': {
    severity: 'warning',
    family: 'elements',
    summary: 'No Version: IAM then uses the 2008-10-17 language, without policy variables.',
  },
  'old-version': {
    severity: 'warning',
    family: 'elements',
    summary: 'Version 2008-10-17: the old language, without policy variables.',
  },
  'missing-statement': {
    severity: 'error',
    family: 'elements',
    summary: 'No Statement element.',
  },
  'empty-statement': {
    // IAM rejects it: "Syntax errors in policy." (MalformedPolicyDocument) for
    // `"Statement": []`, as recorded against AWS by emulator authors and listed in the team's
    // notes of IAM's rules (notes/iam-facts.md, "More of what IAM rejects").
    severity: 'error',
    family: 'elements',
    summary: 'A Statement array with no statements: IAM rejects it ("Syntax errors in policy.").',
  },
  'invalid-effect': {
    severity: 'error',
    family: 'elements',
    summary: 'A statement whose Effect is missing or not exactly Allow or Deny.',
  },
  'missing-action': {
    severity: 'error',
    family: 'elements',
    summary: 'A statement without Action or NotAction, or with an empty one.',
  },
  'missing-resource': {
    severity: 'error',
    family: 'elements',
    summary: 'A statement of an identity or resource policy without Resource or NotResource, or with an empty one.',
  },
  'conflicting-elements': {
    severity: 'error',
    family: 'elements',
    summary: 'A statement with both Action and NotAction, Resource and NotResource, or Principal and NotPrincipal.',
  },
  'principal-in-identity-policy': {
    severity: 'error',
    family: 'elements',
    summary: 'Principal or NotPrincipal in an identity policy (inline or managed policies of users, groups and roles).',
  },
  'missing-principal': {
    severity: 'error',
    family: 'elements',
    summary: 'A statement of a resource-based or trust policy without Principal or NotPrincipal.',
  },
  'invalid-element-value': {
    severity: 'error',
    family: 'elements',
    summary: 'An element whose value has the wrong type (a number for Action, an object in Resource, ...).',
  },
  'invalid-principal': {
    severity: 'error',
    family: 'elements',
    summary: 'A principal that is not "*", an account id, an IAM or STS ARN, a service, a federated provider or a canonical user.',
  },
  // Actions
  'invalid-action': {
    severity: 'error',
    family: 'actions',
    summary: 'An action that is not service:Action (no service prefix, two colons, characters IAM does not allow).',
  },
  'unknown-service': {
    severity: 'warning',
    family: 'actions',
    summary: 'A service prefix that no AWS service has (retired, or misspelled); such entries grant nothing.',
  },
  'unknown-action': {
    severity: 'warning',
    family: 'actions',
    summary: 'An action the service does not have; it grants nothing.',
  },
  'wildcard-matches-nothing': {
    severity: 'warning',
    family: 'actions',
    summary: 'An action pattern with * or ? that matches no action of the service.',
  },
  'action-case': {
    severity: 'hint',
    family: 'actions',
    summary: 'An action not in its canonical case (IAM ignores case; the documentation spells it otherwise).',
  },
  'redundant-action': {
    severity: 'info',
    family: 'actions',
    summary: 'An action already covered by a wildcard, or listed twice, in the same statement.',
  },
  // Resources
  'invalid-resource': {
    severity: 'error',
    family: 'resources',
    summary: 'A resource that is neither "*" nor an ARN.',
  },
  'invalid-arn': {
    severity: 'warning',
    family: 'resources',
    summary: 'An ARN with too few parts, a misplaced policy variable, or a region or account the service never uses.',
  },
  'resource-matches-no-action': {
    severity: 'warning',
    family: 'resources',
    summary: 'A resource that none of the statement\'s actions applies to.',
  },
  'action-matches-no-resource': {
    severity: 'warning',
    family: 'resources',
    summary: 'An action that applies to none of the statement\'s resources (an action that supports only "*", say).',
  },
  'resource-type-mismatch': {
    severity: 'info',
    family: 'resources',
    summary: 'By the service reference, an action takes other resource types than those listed (or only "*").',
  },
  // Conditions
  'unknown-operator': {
    severity: 'error',
    family: 'conditions',
    summary: 'A condition operator IAM does not have (including NullIfExists and bad set prefixes).',
  },
  'invalid-condition-key': {
    severity: 'error',
    family: 'conditions',
    summary: 'A condition key without a service prefix (prefix:key).',
  },
  'unknown-condition-key': {
    severity: 'warning',
    family: 'conditions',
    summary: 'A condition key that neither the service nor the global keys have.',
  },
  'condition-key-not-supported': {
    severity: 'warning',
    family: 'conditions',
    summary: 'A condition key none of the statement\'s actions supports: an Allow never applies, a Deny never denies.',
  },
  'condition-key-partly-supported': {
    severity: 'info',
    family: 'conditions',
    summary: 'An action of an Allow statement that does not support the statement\'s condition key, so it is never allowed there.',
  },
  'operator-type-mismatch': {
    severity: 'warning',
    family: 'conditions',
    summary: 'An operator for another type than the key\'s (StringEquals on a Bool key, NumericEquals on a string key...).',
  },
  'invalid-condition-value': {
    severity: 'warning',
    family: 'conditions',
    summary: 'A value the operator cannot compare: not a date, a number, true/false, an IP address or CIDR, an ARN.',
  },
  'set-operator-mismatch': {
    severity: 'warning',
    family: 'conditions',
    summary: 'ForAnyValue/ForAllValues on a single-valued key, or a multivalued key without them.',
  },
  'invalid-policy-variable': {
    severity: 'warning',
    family: 'conditions',
    summary: 'A policy variable with broken syntax, in a place IAM does not substitute it, or under a Version that does not.',
  },
  // Security
  'passrole-wildcard': {
    severity: 'warning',
    family: 'security',
    summary: 'iam:PassRole allowed on every role (Resource "*").',
  },
  'broad-not-action': {
    severity: 'warning',
    family: 'security',
    summary: 'Allow with NotAction or NotResource: grants nearly everything outside the list.',
  },
  'permissions-management-wildcard': {
    severity: 'warning',
    family: 'security',
    summary: 'An action that manages permissions (s3:PutBucketPolicy, iam:AttachRolePolicy...) allowed on every resource without a condition.',
  },
  'resource-star': {
    severity: 'hint',
    family: 'security',
    summary: 'A write action that supports resource-level permissions allowed on "*", or an ARN pattern as broad as "*".',
  },
  'mfa-condition-pattern': {
    severity: 'warning',
    family: 'security',
    summary: 'Bool aws:MultiFactorAuthPresent "false": the key is absent for long-term credentials, so the check misses them.',
  },
  'too-many-problems': {
    severity: 'info',
    family: 'meta',
    summary: 'More problems than the maxNumberOfProblems setting allows to show.',
  },
} as const satisfies Record<string, RuleInfo>;

export type Code = keyof typeof RULES;

export const CODES = Object.keys(RULES) as Code[];

export function isCode(value: string): value is Code {
  return Object.prototype.hasOwnProperty.call(RULES, value);
}

/** Another place that explains a finding (the first of two duplicates, say). */
export interface RelatedPlace {
  offset: number;
  length: number;
  message: string;
}

export interface Finding {
  code: Code;
  severity: Severity;
  message: string;
  /** Offset in UTF-16 code units, as editors count. */
  offset: number;
  length: number;
  related?: RelatedPlace[];
}

export function finding(code: Code, message: string, offset: number, length: number, related?: RelatedPlace[]): Finding {
  const result: Finding = { code, severity: RULES[code].severity, message, offset, length };
  if (related !== undefined) result.related = related;
  return result;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Orders findings by place, then by severity. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.offset - b.offset || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.length - b.length;
}

export interface RuleSettings {
  /** Per-code overrides. */
  rules?: Partial<Record<string, SeveritySetting>>;
  /** The most findings to report; a final finding says how many more there are. */
  maxNumberOfProblems?: number;
}

/** The codes these settings do not turn off: the findings that may be reported and fixed. */
export function enabledCodes(settings: RuleSettings): Set<Code> {
  const overrides = settings.rules ?? {};
  return new Set(CODES.filter((code) => overrides[code] !== 'off'));
}

/** Where the problem cap comes from, as `too-many-problems` names it: the editor's setting. */
export const DEFAULT_CAP_SOURCE = 'the iamPolicy.maxNumberOfProblems setting';

/**
 * Applies the user's severity overrides and the problem cap. When findings are cut, the most
 * severe are kept (errors before warnings), and a last `too-many-problems` finding says how
 * many more there are, placed at the first one left out.
 *
 * `capSource` names where the cap was set, for that message: "N more problems not shown
 * (<capSource> is <max>)". The command-line linter passes `maxNumberOfProblems in <file>`.
 */
export function applyRuleSettings(findings: readonly Finding[], settings: RuleSettings, capSource: string = DEFAULT_CAP_SOURCE): Finding[] {
  const overrides = settings.rules ?? {};
  let result: Finding[] = [];
  for (const item of findings) {
    const override = overrides[item.code];
    if (override === undefined) {
      result.push(item);
    } else if (override !== 'off') {
      result.push(override === item.severity ? item : { ...item, severity: override });
    }
  }
  const max = settings.maxNumberOfProblems;
  if (max !== undefined && max >= 0 && result.length > max) {
    const ranked = result
      .map((item, index) => ({ item, index }))
      .sort((a, b) => SEVERITY_RANK[a.item.severity] - SEVERITY_RANK[b.item.severity] || a.index - b.index);
    const kept = ranked.slice(0, max).sort((a, b) => a.index - b.index).map((entry) => entry.item);
    const firstLeftOut = ranked.slice(max).reduce((first, entry) => (entry.index < first.index ? entry : first)).item;
    const more = result.length - max;
    kept.push(
      finding(
        'too-many-problems',
        `${more} more problem${more === 1 ? '' : 's'} not shown (${capSource} is ${max}).`,
        firstLeftOut.offset,
        0,
      ),
    );
    result = kept;
  }
  return result;
}
