/**
 * One place per rule. A rule's check lives in one module of ./checks and reports findings with
 * the rule's code (and, where it can, what would mend them: see FindingData); its row here says
 * everything else about it. Diagnostics, code actions, fix-all, `--fix` and the README's rule
 * list all read this table.
 */
import { characterFixAll, characterFixes } from './checks/characters';
import { commentFixes, trailingCommaFixAll, trailingCommaFixes } from './checks/json';
import { minifyFix } from './checks/size';
import type { Fix, FixContext, TextEdit } from './edits';
import { finding, SEVERITY_RANK, type Finding, type Report, type RuleSettings, type Severity, type SeveritySetting } from './findings';

export type Family =
  'characters' | 'size' | 'quota' | 'names' | 'json' | 'elements' | 'actions' | 'resources' | 'conditions' | 'security' | 'template' | 'meta';

export interface Rule {
  readonly severity: Severity;
  /** The family it belongs to, for the README and for grouping. */
  readonly family: Family;
  /** One line for documentation. */
  readonly summary: string;
  /** The quick fixes for one finding, the preferred first. */
  readonly fixes?: (item: Finding, context: FixContext) => Fix[];
  /**
   * Edits that mend every finding of the rule at once: given only where applying them unseen
   * is safe (fix-all, fix on save, `iam-policy-lint --fix`).
   */
  readonly fixAll?: (items: readonly Finding[], context: FixContext) => TextEdit[];
  /** What the quick fix does, in a few words, for the README's list (with `fixes`). */
  readonly fixSummary?: string;
  /** Its section of the README when not the code itself. */
  readonly docs?: string;
}

/** Kept for callers that only describe rules. */
export type RuleInfo = Rule;

/**
 * Fixes that put the check's suggestions in place of the finding (or of `data.target`), one
 * per suggestion; the first is preferred when the check is sure of it. Quoted as a JSON string
 * unless `quote` is false (a part inside a string).
 */
function suggested(title: (suggestion: string, item: Finding) => string, options: { quote?: boolean } = {}): (item: Finding) => Fix[] {
  const quote = options.quote ?? true;
  return (item) => {
    const data = item.data;
    const suggestions = data?.suggestions ?? [];
    const target = data?.target ?? item;
    return suggestions.map((suggestion, index) => {
      const fix: Fix = {
        title: title(suggestion, item),
        edits: [{ offset: target.offset, length: target.length, newText: quote ? JSON.stringify(suggestion) : suggestion }],
      };
      if (index === 0 && data?.sure === true) fix.isPreferred = true;
      return fix;
    });
  };
}

/** A fix made of the edits the check computed; preferred. */
function computed(title: (item: Finding) => string): (item: Finding) => Fix[] {
  return (item) => (item.data?.edits === undefined ? [] : [{ title: title(item), edits: item.data.edits, isPreferred: true }]);
}

/**
 * The rule table: every diagnostic code, with its family, default severity, quick fixes, fix for
 * fix-all (only where applying it unseen is safe) and documentation. Never rename a code: users
 * refer to them in their settings and configuration files. The README's list of rules is made
 * from this table (`npm run docs:rules`), and a test keeps the two in step.
 */
export const RULES = {
  'disallowed-character': {
    severity: 'error',
    family: 'characters',
    summary: 'A character outside the set IAM accepts in a policy document (tab, line feed, carriage return, U+0020 to U+00FF).',
    fixSummary: 'replace with the ASCII equivalent or remove; fix all',
    fixes: characterFixes,
    fixAll: characterFixAll,
  },
  'document-too-large': {
    severity: 'error',
    family: 'size',
    summary: 'The document is over 131,072 characters, the most IAM accepts (white space counts).',
    fixSummary: 'minify, when that brings it under',
    fixes: minifyFix,
  },
  'managed-policy-size': {
    severity: 'info',
    family: 'quota',
    summary:
      'An identity policy over 6,144 characters without white space: too large for a managed policy (inline policies share their own quotas per user, group or role).',
  },
  'policy-size-quota': {
    severity: 'warning',
    family: 'quota',
    summary:
      'A trust, resource-based, service control or resource control policy over the size its kind may have (2,048 for a role trust policy by default, 5,120 for an SCP, 20 KB for an S3 bucket policy...).',
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
    fixSummary: 'make it valid (and unique)',
    fixes: computed((item) => `Change the Sid to ${JSON.stringify(item.data?.label)}`),
  },
  'duplicate-sid': {
    severity: 'error',
    family: 'names',
    summary: 'Two statements with the same Sid.',
    fixSummary: 'rename to a unique Sid',
    fixes: computed((item) => `Change the Sid to ${JSON.stringify(item.data?.label)}`),
  },
  'sid-not-unique': {
    severity: 'warning',
    family: 'names',
    summary: 'Two statements with the same Sid in a kind of policy whose service accepts it (resource-based, SCP, RCP).',
    fixSummary: 'rename to a unique Sid',
    fixes: computed((item) => `Change the Sid to ${JSON.stringify(item.data?.label)}`),
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
    fixSummary: 'rename the file',
    fixes: (item) =>
      item.data?.renameTo === undefined
        ? []
        : [{ title: `Rename the file to ${item.data.renameTo}`, edits: [], renameTo: item.data.renameTo, isPreferred: true }],
  },
  'empty-sid': {
    severity: 'info',
    family: 'names',
    summary: 'An empty Sid: it names nothing; IAM takes it as no Sid.',
    fixSummary: 'remove it',
    fixes: computed(() => 'Remove the empty Sid'),
  },
  'sid-characters': {
    severity: 'info',
    family: 'names',
    summary: 'A Sid with characters other than ASCII letters and digits in a resource-based policy, SCP or RCP: its service takes it, IAM would not.',
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
    fixSummary: 'remove it',
    fixes: commentFixes,
  },
  'json-trailing-comma': {
    severity: 'error',
    family: 'json',
    summary: 'A comma after the last member of an object or array.',
    fixSummary: 'remove it; remove all',
    fixes: trailingCommaFixes,
    fixAll: trailingCommaFixAll,
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
    fixSummary: 'the right name',
    fixes: suggested((name) => `Change to ${name}`),
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
    fixSummary: 'add `"Version": "2012-10-17"`',
    fixes: computed(() => 'Add "Version": "2012-10-17"'),
  },
  'old-version': {
    severity: 'warning',
    family: 'elements',
    summary: 'Version 2008-10-17: the old language, without policy variables.',
    fixSummary: 'use 2012-10-17',
    fixes: suggested(() => 'Use Version 2012-10-17 (policy variables are then substituted)'),
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
    fixSummary: 'the right case',
    fixes: suggested((effect) => `Change to ${JSON.stringify(effect)}`),
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
    fixSummary: 'remove it',
    fixes: computed((item) => `Remove ${item.data?.label ?? 'Principal'} (identity policies name no principal)`),
  },
  'resource-in-trust-policy': {
    severity: 'error',
    family: 'elements',
    summary: 'Resource or NotResource in a role trust policy (IAM: "Has prohibited field Resource").',
    fixSummary: 'remove it',
    fixes: computed((item) => `Remove ${item.data?.label ?? 'Resource'} (a trust policy names no resources)`),
  },
  'principal-in-scp': {
    severity: 'error',
    family: 'elements',
    summary: 'Principal or NotPrincipal in a service control policy, which AWS Organizations does not support.',
    fixSummary: 'remove it',
    fixes: computed((item) => `Remove ${item.data?.label ?? 'Principal'} (an SCP names no principal)`),
  },
  'scp-action-wildcard': {
    severity: 'warning',
    family: 'elements',
    summary: 'In a service control policy, a wildcard inside an action name (ec2:*Instances): SCPs take wildcards only at the end.',
  },
  'rcp-syntax': {
    severity: 'error',
    family: 'elements',
    summary:
      'What AWS Organizations refuses in a resource control policy: a Principal other than "*", NotPrincipal, NotAction, an Allow other than the full-access one.',
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
    fixSummary: 'the principal type in its case',
    fixes: suggested((type) => `Change to ${type}`),
  },
  'empty-principal': {
    severity: 'warning',
    family: 'elements',
    summary: 'A Principal that names nobody: {} or an empty list ({"AWS": []}); the statement applies to no one.',
  },
  'principal-wildcard-arn': {
    severity: 'error',
    family: 'elements',
    summary: 'A wildcard inside a principal ARN (arn:aws:iam::123456789012:role/*): IAM refuses it ("Invalid principal in policy").',
  },
  'principal-unique-id': {
    severity: 'warning',
    family: 'elements',
    summary: 'A user or role unique id (AIDA…, AROA…) as a principal: what IAM shows once that principal was deleted; it matches nobody.',
  },
  'not-principal-in-trust-policy': {
    severity: 'warning',
    family: 'elements',
    summary: 'NotPrincipal in a role trust policy, which names who may assume the role with Principal.',
  },
  'federated-principal-outside-trust': {
    severity: 'warning',
    family: 'elements',
    summary: 'A Federated principal outside a role trust policy: identity providers only assume roles.',
  },
  'federated-principal-format': {
    severity: 'warning',
    family: 'elements',
    summary: 'A Federated principal that is neither a SAML or OIDC provider ARN nor a web identity domain.',
  },
  'federated-action-mismatch': {
    severity: 'warning',
    family: 'elements',
    summary: 'A federated principal whose way of assuming the role the statement does not allow (a SAML provider without sts:AssumeRoleWithSAML...).',
  },
  'service-principal-format': {
    severity: 'warning',
    family: 'elements',
    summary: "A service principal that is not a service name in AWS's domain, such as lambda.amazonaws.com.",
  },
  'roles-anywhere-trust-actions': {
    severity: 'warning',
    family: 'elements',
    summary: 'A trust policy for IAM Roles Anywhere without all three actions it needs (sts:AssumeRole, sts:SetSourceIdentity, sts:TagSession).',
  },
  'redundant-statement': {
    severity: 'info',
    family: 'elements',
    summary: 'A statement that says what another one already says (the same Effect, actions, resources, principals and conditions).',
    fixSummary: 'remove it',
    fixes: computed(() => 'Remove the redundant statement'),
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
    fixSummary: 'the closest prefix',
    fixes: suggested((prefix) => `Change the service prefix to ${prefix}`, { quote: false }),
  },
  'unknown-action': {
    severity: 'warning',
    family: 'actions',
    summary: 'An action the service does not have; it grants nothing.',
    fixSummary: 'the closest action',
    fixes: suggested((action) => `Change to ${action}`),
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
    fixSummary: 'the documented spelling',
    fixes: suggested((action) => `Change to ${action}`),
  },
  'redundant-action': {
    severity: 'info',
    family: 'actions',
    summary: 'An action already covered by a wildcard, or listed twice, in the same statement.',
    fixSummary: 'remove it',
    fixes: computed(() => 'Remove the redundant action'),
  },
  'rcp-unsupported-action': {
    severity: 'warning',
    family: 'actions',
    summary: 'An action of a service resource control policies do not apply to: it has no effect in an RCP.',
  },
  'action-outside-policy-service': {
    severity: 'warning',
    family: 'actions',
    summary: 'An action of another service in a resource-based policy of one service (an ec2 action in a bucket policy): it has no effect there.',
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
    summary:
      'An ARN with too few parts, a misplaced policy variable, a Region or account where its resource type has none, no Region where it needs one, or an account that is not 12 digits.',
    fixSummary: 'an IAM resource type in lower case',
    fixes: computed((item) => item.data?.label ?? 'Repair the ARN'),
  },
  'resource-matches-no-action': {
    severity: 'warning',
    family: 'resources',
    summary: "A resource that none of the statement's actions applies to.",
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
  'resource-outside-policy-service': {
    severity: 'warning',
    family: 'resources',
    summary: 'An ARN of another service in a resource-based policy of one service: the policy applies to its own resource only.',
  },
  'malformed-arn': {
    severity: 'error',
    family: 'resources',
    summary:
      'An ARN IAM cannot parse: an unknown partition, no service or a wildcard in it, too few parts, an IAM ARN that names no IAM resource type, a Region in an S3 bucket or IAM ARN.',
    fixSummary: 'remove the Region; the partition in lower case',
    fixes: computed((item) => item.data?.label ?? 'Repair the ARN'),
  },
  'arn-service-case': {
    severity: 'warning',
    family: 'resources',
    summary: 'A service prefix in an ARN that is not in lower case (arn:aws:S3:::...): ARNs are compared as written, so it matches nothing.',
    fixSummary: 'lower case',
    fixes: computed((item) => item.data?.label ?? 'Change the service to lower case'),
  },
  'arn-format-mismatch': {
    severity: 'info',
    family: 'resources',
    summary: "An ARN whose resource part matches none of its service's ARN formats (arn:aws:s3:::bucket:key): it names no resource.",
  },
  'redundant-resource': {
    severity: 'info',
    family: 'resources',
    summary: 'A resource already covered by another entry of the same statement ("*", a wildcard ARN, or the same ARN twice).',
    fixSummary: 'remove it',
    fixes: computed(() => 'Remove the redundant resource'),
  },
  // Conditions
  'unknown-operator': {
    severity: 'error',
    family: 'conditions',
    summary: 'A condition operator IAM does not have (or two or bad set prefixes), over condition keys.',
    fixSummary: 'the right case, or the closest',
    fixes: suggested((operator) => `Change to ${operator}`),
  },
  'invalid-condition-key': {
    severity: 'warning',
    family: 'conditions',
    summary: 'A condition key without a service prefix (prefix:key): IAM stores it, but no request has such a key.',
  },
  'unknown-condition-key': {
    severity: 'warning',
    family: 'conditions',
    summary: "A condition key that neither the service nor the global keys have, one whose prefix is no service's, or a tag key without its tag.",
    fixSummary: 'the closest key',
    fixes: suggested((key) => `Change to ${key}`),
  },
  'condition-key-not-supported': {
    severity: 'warning',
    family: 'conditions',
    summary:
      "A condition key none of the statement's actions supports: an Allow never applies, a Deny never denies (or, with IfExists or a negated operator, the condition restricts nothing).",
  },
  'condition-key-partly-supported': {
    severity: 'info',
    family: 'conditions',
    summary: "An action of an Allow statement that does not support the statement's condition key, so it is never allowed there (or NotAction with a tag key).",
  },
  'operator-type-mismatch': {
    severity: 'warning',
    family: 'conditions',
    summary: "An operator for another type than the key's (StringEquals on a Bool key, NumericEquals on a string key...).",
  },
  'invalid-condition-value': {
    severity: 'warning',
    family: 'conditions',
    summary:
      'A value the operator or key cannot match: not a date, number, true/false, IP range, ARN, VPC or VPC endpoint id, KMS key ARN; no values; mixed types; several Booleans.',
  },
  'set-operator-mismatch': {
    severity: 'warning',
    family: 'conditions',
    summary: 'ForAnyValue/ForAllValues on a single-valued key or with Null, or a multivalued key without them.',
    fixSummary: 'the operator with or without the set prefix',
    fixes: suggested((operator) => `Change to ${operator}`),
  },
  'invalid-policy-variable': {
    severity: 'warning',
    family: 'conditions',
    summary: 'A policy variable with broken syntax, in a place IAM does not substitute it, or under a Version that does not.',
  },
  'irrelevant-condition-key': {
    severity: 'hint',
    family: 'conditions',
    summary: 'A condition key that says nothing in this kind of policy (aws:ResourceAccount in a bucket policy: the resource is the one the policy is on).',
  },
  'malformed-date': {
    severity: 'error',
    family: 'conditions',
    summary: "A Date operator's value IAM cannot read (a malformed date, an epoch past 2^63 - 1, a policy variable): it rejects the document.",
  },
  'epoch-date': {
    severity: 'info',
    family: 'conditions',
    summary: 'A date in epoch seconds: ISO 8601 says which date it is.',
    fixSummary: 'the same date in ISO 8601',
    fixes: suggested((date) => `Change to ${date}`),
  },
  'null-if-exists': {
    severity: 'warning',
    family: 'conditions',
    summary: 'NullIfExists: IfExists is for every operator but Null.',
    fixSummary: 'Null',
    fixes: suggested((operator) => `Change to ${operator}`),
  },
  'duplicate-condition-key': {
    severity: 'warning',
    family: 'conditions',
    summary: 'The same condition key twice in one operator block, differing only in case: both must match.',
    fixSummary: 'remove it, when its values are the same',
    fixes: computed((item) => `Remove ${item.data?.label ?? 'the duplicate'}`),
  },
  'empty-condition': {
    severity: 'info',
    family: 'conditions',
    summary: 'An empty Condition or operator block, or a key with no values that makes its condition always true or only a test of presence.',
    fixSummary: 'remove it, or test with Null',
    fixes: computed((item) => (item.data?.label?.startsWith('Null ') === true ? `Use ${item.data.label}` : `Remove ${item.data?.label ?? 'it'}`)),
  },
  'wildcard-condition': {
    severity: 'info',
    family: 'conditions',
    summary: '"*" alone under StringLike or StringNotLike: the condition only tests whether the key is present (use Null), or is always or never true.',
    fixSummary: 'test with Null, or remove the key',
    fixes: computed((item) => (item.data?.label?.startsWith('Null ') === true ? `Use ${item.data.label}` : `Remove ${item.data?.label ?? 'it'}`)),
  },
  'wildcard-without-like': {
    severity: 'warning',
    family: 'conditions',
    summary: 'A * or ? in the value of StringEquals or another operator that compares it as a plain character.',
    fixSummary: 'the Like operator',
    fixes: suggested((operator) => `Change to ${operator}`),
  },
  'string-like-on-arn-key': {
    severity: 'warning',
    family: 'conditions',
    summary: "StringLike on an ARN key: a * can run across the ARN's parts; ArnLike matches each part on its own.",
    fixSummary: 'ArnLike',
    fixes: suggested((operator) => `Change to ${operator}`),
  },
  'deny-condition-key-partly-supported': {
    severity: 'warning',
    family: 'conditions',
    summary: 'An action of a Deny statement that does not support its condition key, so it is never denied there (or NotAction with a tag key).',
  },
  'cidr-host-bits': {
    severity: 'info',
    family: 'conditions',
    summary: 'An IP range with bits set after its prefix (203.0.113.5/24), which IAM ignores.',
    fixSummary: 'the network address',
    fixes: suggested((range) => `Change to ${range}`),
  },
  'private-source-ip': {
    severity: 'warning',
    family: 'conditions',
    summary: 'A private range in aws:SourceIp, which holds only public addresses: it never matches.',
  },
  'redundant-condition-value': {
    severity: 'info',
    family: 'conditions',
    summary: 'A threshold of NumericLessThan or NumericGreaterThan that another of the same key already covers.',
    fixSummary: 'remove it',
    fixes: computed((item) => `Remove ${item.data?.label ?? 'it'}`),
  },
  'unknown-region': {
    severity: 'warning',
    family: 'conditions',
    summary: 'A Region that AWS does not have, in an ARN or an aws:RequestedRegion value (or a pattern that matches none).',
    fixSummary: 'the closest Region',
    fixes: suggested((region) => `Change to ${region}`),
  },
  'deprecated-condition-key': {
    severity: 'warning',
    family: 'conditions',
    summary: 'aws:ARN, deprecated and not in requests: use aws:PrincipalArn or aws:SourceArn.',
    fixSummary: 'aws:PrincipalArn or aws:SourceArn',
    fixes: suggested((key) => `Change to ${key}`),
  },
  'untrustworthy-condition-key': {
    severity: 'warning',
    family: 'conditions',
    summary: 'aws:referer or aws:UserAgent: the caller sets them, so they keep no one out.',
  },
  'missing-paired-condition-key': {
    severity: 'warning',
    family: 'conditions',
    summary: 'aws:VpcSourceIp without aws:SourceVpc, or aws:Ec2InstanceSourcePrivateIPv4 without aws:Ec2InstanceSourceVpc: private addresses are not unique.',
  },
  'dynamodb-attributes-without-select': {
    severity: 'warning',
    family: 'conditions',
    summary: 'dynamodb:Attributes in an Allow without dynamodb:Select: a Query or Scan for all attributes gets through.',
  },
  'prefix-key-absent': {
    severity: 'warning',
    family: 'conditions',
    summary: 's3:prefix where a listing without a prefix gets through: with a negated operator or IfExists in an Allow, or a plain one in a Deny.',
  },
  'sensitive-key-wildcard': {
    severity: 'warning',
    family: 'conditions',
    summary: 'A wildcard, or a variable the caller controls, in the value of a key that identifies the caller (aws:PrincipalOrgID "o-*", aws:userid "*"...).',
  },
  'condition-key-needs-action': {
    severity: 'warning',
    family: 'conditions',
    summary:
      'A key set only with another action (sts:SourceIdentity needs sts:SetSourceIdentity, session tags sts:TagSession) that the statement does not allow.',
  },
  // Security
  'passrole-wildcard': {
    severity: 'warning',
    family: 'security',
    summary: 'iam:PassRole allowed on every role ("*", role/*, NotResource, or through "*" and iam:*) without an iam:PassedToService condition.',
  },
  'create-slr-wildcard': {
    severity: 'warning',
    family: 'security',
    summary: 'iam:CreateServiceLinkedRole allowed on every role without an iam:AWSServiceName condition.',
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
  'rcp-condition-pattern': {
    severity: 'warning',
    family: 'security',
    summary:
      'A resource control policy whose conditions also catch AWS services acting for you, or miss the calls where a key is absent (aws:PrincipalIsAWSService, Null checks).',
  },
  'allow-with-not-principal': {
    severity: 'warning',
    family: 'security',
    summary: 'Allow with NotPrincipal: grants everyone but those listed, anonymous users included.',
  },
  'trust-principal-wildcard': {
    severity: 'warning',
    family: 'security',
    summary: 'A role trust policy that lets any principal of any account assume the role, with no condition to narrow it.',
  },
  'oidc-trust-condition': {
    severity: 'warning',
    family: 'security',
    summary: "A trust policy for an OIDC provider that does not pin the token's audience and subject (for GitHub, any repository or branch).",
  },
  'audience-set-operator': {
    severity: 'warning',
    family: 'security',
    summary: "ForAnyValue:/ForAllValues: on a token's audience claim, which has one value: true for unintended tokens.",
  },
  'service-principal-without-source': {
    severity: 'warning',
    family: 'security',
    summary: 'A resource policy that grants a service principal without aws:SourceArn or aws:SourceAccount (the confused deputy).',
  },
  'principal-key-with-service-principal': {
    severity: 'warning',
    family: 'security',
    summary: 'A condition on the calling principal (aws:PrincipalOrgID...) for a service principal, which has no such keys: never true.',
  },
  'redundant-trust-principal': {
    severity: 'hint',
    family: 'security',
    summary: 'An assumed-role session ARN next to the ARN of its role, which covers it.',
  },
  'forbidden-grant': {
    severity: 'warning',
    family: 'security',
    summary: 'A statement grants an action (on a resource) that the repository\'s configuration lists under "neverGrant".',
  },
  // CloudFormation templates (engine/src/cfn): what keeps a template's policies from reaching IAM.
  'template-syntax': {
    // CloudFormation: "Template format error: YAML not well-formed" (or JSON): nothing is created.
    severity: 'error',
    family: 'template',
    summary: 'A CloudFormation template whose Resources are not well-formed YAML or JSON: CloudFormation cannot read it.',
  },
  'invalid-resource-name': {
    // IAM's API pattern [\w+=,.@-]+ and lengths (limits.ts), as for the push commands: IAM
    // refuses CreateRole, CreateUser, PutRolePolicy... with any other name.
    severity: 'error',
    family: 'template',
    summary: 'A RoleName, UserName, GroupName, PolicyName or ManagedPolicyName in a template that IAM would reject (characters or length).',
  },
  'sub-policy-variable': {
    // CloudFormation, Fn::Sub: a ${Name} must be a parameter, a resource or a pseudo parameter,
    // else "Unresolved resource dependencies ... in the Resources block"; ${!Literal} is literal.
    severity: 'error',
    family: 'template',
    summary: 'A policy variable such as ${aws:username} inside Fn::Sub, which CloudFormation reads as a reference and rejects: write ${!aws:username}.',
    fixSummary: 'write ${!…}',
    fixes: computed(() => 'Write ${!…} so that IAM gets the policy variable'),
  },
  'too-many-problems': {
    severity: 'info',
    family: 'meta',
    summary: 'More problems than the maxNumberOfProblems setting allows to show.',
  },
} as const satisfies Record<string, Rule>;

export type Code = keyof typeof RULES;

export const CODES = Object.keys(RULES) as Code[];

export function isCode(value: string): value is Code {
  return Object.prototype.hasOwnProperty.call(RULES, value);
}

/** The README section that documents a rule. */
export function docsAnchor(code: Code): string {
  const rule: Rule = RULES[code];
  return rule.docs ?? code;
}

/** Gives checks' reports their rule's default severity (in place: the severity depends on the code only). */
export function withSeverity(report: Report): Finding {
  const item = report as Finding;
  item.severity = RULES[report.code].severity;
  return item;
}

/** A finding made outside the checks (the linter's, the cap's), with its rule's severity. */
export function ruleFinding(code: Code, message: string, offset: number, length: number): Finding {
  return withSeverity(finding(code, message, offset, length));
}

/**
 * The codes these settings do not turn off in the whole document: the findings that may be
 * reported and fixed. (A rule turned off for some statements only is still fixed elsewhere.)
 */
export function enabledCodes(settings: RuleSettings): Set<Code> {
  const severityOf = (code: Code): SeveritySetting | undefined => {
    let severity = settings.rules?.[code];
    for (const override of settings.overrides ?? []) if (override.sids === undefined && override.rules[code] !== undefined) severity = override.rules[code];
    return severity;
  };
  return new Set(CODES.filter((code) => severityOf(code) !== 'off'));
}

/** Where the problem cap comes from, as `too-many-problems` names it: the editor's setting. */
const DEFAULT_CAP_SOURCE = 'the iamPolicy.maxNumberOfProblems setting';

/**
 * Applies the user's severity overrides and the problem cap. When findings are cut, the most
 * severe are kept (errors before warnings), and a last `too-many-problems` finding says how
 * many more there are, placed at the first one left out.
 *
 * `capSource` names where the cap was set, for that message: "N more problems not shown
 * (<capSource> is <max>)". The command-line linter passes `maxNumberOfProblems in <file>`.
 */
export function applyRuleSettings(
  findings: readonly Finding[],
  settings: RuleSettings,
  capSource: string = DEFAULT_CAP_SOURCE,
  sidAt?: (offset: number) => string | undefined,
): Finding[] {
  const rules = settings.rules ?? {};
  const overrides = settings.overrides ?? [];
  let result: Finding[] = [];
  for (const item of findings) {
    let override = rules[item.code];
    for (const entry of overrides) {
      const severity = entry.rules[item.code];
      if (severity === undefined) continue;
      if (entry.sids !== undefined) {
        const sid = sidAt?.(item.offset);
        if (sid === undefined || !entry.sids.includes(sid)) continue;
      }
      override = severity;
    }
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
    const kept = ranked
      .slice(0, max)
      .sort((a, b) => a.index - b.index)
      .map((entry) => entry.item);
    const firstLeftOut = ranked.slice(max).reduce((first, entry) => (entry.index < first.index ? entry : first)).item;
    const more = result.length - max;
    kept.push(ruleFinding('too-many-problems', `${more} more problem${more === 1 ? '' : 's'} not shown (${capSource} is ${max}).`, firstLeftOut.offset, 0));
    result = kept;
  }
  return result;
}

export type { SeveritySetting };
