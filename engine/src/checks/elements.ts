/**
 * The policy grammar: which elements exist, which are required, which exclude each other and
 * what values they take. Everything reported as an Error here IAM rejects with
 * MalformedPolicyDocument.
 */
import { removeProperty, type TextEdit } from '../edits';
import { finding, type Report } from '../findings';
import type { Node } from '../json';
import { POLICY_VERSIONS } from '../limits';
import { findProperty, propertyValue } from '../model';
import { hasVariables } from '../variables';
import { KINDS, type KindInfo, type PolicyKind } from '../kinds';
import { closest } from '../similar';

export const TOP_LEVEL_ELEMENTS = ['Version', 'Id', 'Statement'] as const;
export const STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition'] as const;
export const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'] as const;

/** The key node of a property. */
const keyOf = (property: Node): Node => property.children![0];

/** The document-level grammar: top-level elements, Version, Statement (statements: checkStatementElements). */
export function checkElements(root: Node | undefined, text: string): Report[] {
  const findings: Report[] = [];
  if (root === undefined) return findings;
  if (root.type !== 'object') {
    findings.push(
      finding('invalid-element-value', 'A policy is a JSON object such as {"Version": "2012-10-17", "Statement": [...]}.', root.offset, root.length),
    );
    return findings;
  }
  unknownKeys(root, TOP_LEVEL_ELEMENTS, 'policy', findings);

  // Version
  const versionProperty = findProperty(root, 'Version');
  const version = propertyValue(versionProperty);
  let languageVersion: string | undefined;
  if (versionProperty === undefined) {
    if (usesVariables(root)) {
      findings.push(
        finding(
          'missing-version',
          'No Version: IAM reads the policy as version 2008-10-17, where policy variables such as ${aws:username} are plain text. Add "Version": "2012-10-17".',
          root.offset,
          1,
          undefined,
          { edits: [versionInsertion(text, root)] },
        ),
      );
    } else {
      findings.push(
        finding(
          'missing-version',
          'No Version: IAM reads the policy as version 2008-10-17, the old language without policy variables. Add "Version": "2012-10-17".',
          root.offset,
          1,
          undefined,
          { edits: [versionInsertion(text, root)] },
        ),
      );
    }
  } else if (version?.type !== 'string' || !(POLICY_VERSIONS as readonly string[]).includes(version.value as string)) {
    const shown = version === undefined ? 'missing' : version.type === 'string' ? JSON.stringify(version.value) : `a ${version.type}`;
    findings.push(
      finding(
        'invalid-version',
        `Version is ${shown}: IAM accepts "2012-10-17" (current) or "2008-10-17" (old).`,
        (version ?? versionProperty).offset,
        (version ?? versionProperty).length,
      ),
    );
  } else {
    languageVersion = version.value as string;
    if (languageVersion === '2008-10-17') {
      findings.push(
        finding(
          'old-version',
          `Version "2008-10-17" is the old policy language: policy variables such as \${aws:username} are plain text under it. Use "2012-10-17".`,
          version.offset,
          version.length,
          undefined,
          { suggestions: ['2012-10-17'] },
        ),
      );
    }
  }

  const id = propertyValue(findProperty(root, 'Id'));
  if (id !== undefined && id.type !== 'string') {
    findings.push(finding('invalid-element-value', `Id must be a string, not ${describe(id)}.`, id.offset, id.length));
  }

  // Statement
  const statementProperty = findProperty(root, 'Statement');
  const statementValue = propertyValue(statementProperty);
  if (statementProperty === undefined) {
    findings.push(finding('missing-statement', 'The policy has no Statement: IAM requires one statement object, or an array of them.', root.offset, 1));
    return findings;
  }
  if (statementValue === undefined) return findings;
  if (statementValue.type === 'array') {
    // (An array cut off by broken JSON, `"Statement": [` at the end, is json-syntax's alone.)
    if (statementValue.children!.length === 0 && text[statementValue.offset + statementValue.length - 1] === ']') {
      // IAM: "Syntax errors in policy." for {"Version": "2012-10-17", "Statement": []} (as moto's
      // validator mirrors it: `assert self._statements`).
      findings.push(
        finding(
          'empty-statement',
          'Statement is an empty array: IAM rejects a policy without statements ("Syntax errors in policy."); add at least one.',
          statementValue.offset,
          statementValue.length,
        ),
      );
    }
    for (const item of statementValue.children!) {
      if (item.type !== 'object') {
        findings.push(finding('invalid-element-value', `Each statement is a JSON object, not ${describe(item)}.`, item.offset, item.length));
      }
    }
  } else if (statementValue.type !== 'object') {
    findings.push(
      finding(
        'invalid-element-value',
        `Statement must be an object or an array of objects, not ${describe(statementValue)}.`,
        statementValue.offset,
        statementValue.length,
      ),
    );
  }

  return findings;
}

/** The grammar of one statement (the document-level part is checkElements). */
export function checkStatementElements(statement: Node, kind: PolicyKind, text: string): Report[] {
  const findings: Report[] = [];
  checkStatement(statement, kind, text, findings);
  return findings;
}

function checkStatement(statement: Node, kind: PolicyKind, text: string, findings: Report[]): void {
  unknownKeys(statement, STATEMENT_ELEMENTS, 'statement', findings);
  const at = statement.offset;
  const get = (name: string) => findProperty(statement, name);

  const sid = propertyValue(get('Sid'));
  if (sid !== undefined && sid.type !== 'string') {
    findings.push(finding('invalid-element-value', `Sid must be a string, not ${describe(sid)}.`, sid.offset, sid.length));
  }

  // Effect
  const effectProperty = get('Effect');
  const effect = propertyValue(effectProperty);
  if (effectProperty === undefined) {
    findings.push(finding('invalid-effect', 'This statement has no Effect: IAM requires "Effect": "Allow" or "Deny".', at, 1));
  } else if (effect !== undefined && (effect.type !== 'string' || (effect.value !== 'Allow' && effect.value !== 'Deny'))) {
    const value = effect.type === 'string' ? (effect.value as string) : undefined;
    const fixed = value?.toLowerCase() === 'allow' ? 'Allow' : value?.toLowerCase() === 'deny' ? 'Deny' : undefined;
    const message =
      fixed !== undefined
        ? `Effect ${JSON.stringify(value)} must be written exactly "${fixed}": IAM accepts only "Allow" and "Deny", in that case.`
        : `Effect is ${value === undefined ? describe(effect) : JSON.stringify(value)}: IAM accepts only "Allow" or "Deny".`;
    const suggestions = fixed !== undefined ? [fixed] : value !== undefined ? ['Allow', 'Deny'] : undefined;
    findings.push(finding('invalid-effect', message, effect.offset, effect.length, undefined, suggestions && { suggestions, sure: fixed !== undefined }));
  }

  // Action / NotAction
  pairs(statement, 'Action', 'NotAction', findings);
  const action = get('Action') ?? get('NotAction');
  if (action === undefined) {
    findings.push(finding('missing-action', 'This statement has no Action or NotAction: IAM requires one ("Policy statement must contain actions").', at, 1));
  } else {
    stringOrArray(action, findings, 'missing-action');
  }

  // Resource / NotResource
  pairs(statement, 'Resource', 'NotResource', findings);
  const resource = get('Resource') ?? get('NotResource');
  const info: KindInfo = KINDS[kind];
  if (resource === undefined) {
    // Only where the service is known to refuse it: IAM ("Policy statement must contain
    // resources"), S3 ("Missing required field Resource") and KMS (a key policy's Resource is
    // required, "*"). Other resource policies (ECR repositories, say) carry no Resource.
    if (info.resource === 'required') {
      findings.push(
        finding(
          'missing-resource',
          `This statement has no Resource or NotResource: ${info.label} requires one ("Policy statement must contain resources"). Use "Resource": "*" for every resource.`,
          at,
          1,
        ),
      );
    }
  } else {
    if (info.resource === 'forbidden') {
      // IAM: "Has prohibited field Resource" (CreateRole, UpdateAssumeRolePolicy).
      findings.push(
        finding(
          'resource-in-trust-policy',
          `${keyOf(resource).value as string} in ${info.label}: IAM rejects it ("Has prohibited field Resource"). A trust policy applies to its role: remove the element.`,
          keyOf(resource).offset,
          keyOf(resource).length,
          undefined,
          { edits: [removeProperty(text, resource)], label: keyOf(resource).value as string },
        ),
      );
    }
    stringOrArray(resource, findings, 'missing-resource');
  }

  // Principal / NotPrincipal
  pairs(statement, 'Principal', 'NotPrincipal', findings);
  for (const name of ['Principal', 'NotPrincipal']) {
    const property = get(name);
    if (property === undefined) continue;
    if (info.family === 'identity') {
      findings.push(
        finding(
          'principal-in-identity-policy',
          `${name} in an identity policy: IAM rejects it ("Policy document should not specify a principal"). The policies of users, groups and roles apply to them; principals belong in resource-based and trust policies.`,
          keyOf(property).offset,
          keyOf(property).length,
          undefined,
          { edits: [removeProperty(text, property)], label: name },
        ),
      );
    }
    if (info.family === 'scp') {
      // AWS Organizations, SCP syntax: "Principal … not supported" in service control policies.
      findings.push(
        finding(
          'principal-in-scp',
          `${name} in a service control policy: AWS Organizations rejects it. An SCP applies to the accounts it is attached to; it names no principal.`,
          keyOf(property).offset,
          keyOf(property).length,
          undefined,
          { edits: [removeProperty(text, property)], label: name },
        ),
      );
    }
    checkPrincipalValue(propertyValue(property), name, findings);
  }
  const needsPrincipal = info.family === 'trust' || info.family === 'resource' || info.family === 'rcp';
  if (needsPrincipal && get('Principal') === undefined && get('NotPrincipal') === undefined) {
    findings.push(
      finding(
        'missing-principal',
        `This statement has no Principal: ${info.label} must say who it applies to, e.g. ${info.family === 'rcp' ? '"Principal": "*"' : '"Principal": {"Service": "lambda.amazonaws.com"}'}.`,
        at,
        1,
      ),
    );
  }

  // Condition
  const condition = propertyValue(get('Condition'));
  if (condition !== undefined && condition.type !== 'object') {
    findings.push(
      finding(
        'invalid-element-value',
        `Condition must be an object of operators, as in {"StringEquals": {"aws:username": "x"}}, not ${describe(condition)}.`,
        condition.offset,
        condition.length,
      ),
    );
  }
}

function pairs(statement: Node, first: string, second: string, findings: Report[]): void {
  const a = findProperty(statement, first);
  const b = findProperty(statement, second);
  if (a !== undefined && b !== undefined) {
    const later = a.offset > b.offset ? a : b;
    findings.push(
      finding('conflicting-elements', `This statement has both ${first} and ${second}: IAM allows only one of them.`, keyOf(later).offset, keyOf(later).length),
    );
  }
}

/** Action and Resource values: a string or a non-empty array of strings. */
function stringOrArray(property: Node, findings: Report[], emptyCode: 'missing-action' | 'missing-resource'): void {
  const name = keyOf(property).value as string;
  const value = propertyValue(property);
  if (value === undefined) return;
  if (value.type === 'string') return;
  if (value.type === 'array') {
    if (value.children!.length === 0) {
      findings.push(
        finding(
          emptyCode,
          `${name} is an empty array: IAM requires at least one ${emptyCode === 'missing-action' ? 'action' : 'resource'}.`,
          value.offset,
          value.length,
        ),
      );
    }
    for (const item of value.children!) {
      if (item.type !== 'string') {
        findings.push(
          finding(
            'invalid-element-value',
            `${name} entries are strings, not ${describe(item)}${item.type === 'object' ? ' (CloudFormation functions such as Fn::Sub do not work in an IAM document)' : ''}.`,
            item.offset,
            item.length,
          ),
        );
      }
    }
    return;
  }
  findings.push(finding('invalid-element-value', `${name} must be a string or an array of strings, not ${describe(value)}.`, value.offset, value.length));
}

const ACCOUNT_ID = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:[a-z][a-z0-9-]*:(iam|sts)::(\d{12}|aws|cloudfront|[^:]*[*?][^:]*)?:.+$/s;
/** The unique ids IAM gives users (AIDA), roles (AROA) and the like, and shows in policies whose principal was deleted. */
const UNIQUE_ID = /^(AIDA|AROA|AGPA|AIPA|ANPA|ANVA|ASIA|AKIA)[A-Z0-9]{12,}$/;

function checkPrincipalValue(value: Node | undefined, name: string, findings: Report[]): void {
  if (value === undefined) return;
  if (value.type === 'string') {
    if (value.value !== '*') {
      findings.push(
        finding(
          'invalid-principal',
          `${name} is "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"}, not the string ${JSON.stringify(value.value)}.`,
          value.offset,
          value.length,
        ),
      );
    }
    return;
  }
  if (value.type !== 'object') {
    findings.push(
      finding(
        'invalid-element-value',
        `${name} is "*" or an object such as {"Service": "ec2.amazonaws.com"}, not ${describe(value)}.`,
        value.offset,
        value.length,
      ),
    );
    return;
  }
  if (value.children!.length === 0) {
    findings.push(
      finding(
        'empty-principal',
        `${name} is an empty object: it names no principal, so the statement applies to nobody. Name one, as in {"AWS": "arn:aws:iam::123456789012:root"}.`,
        value.offset,
        value.length,
      ),
    );
    return;
  }
  for (const property of value.children!) {
    const key = keyOf(property);
    const type = key.value as string;
    if (!(PRINCIPAL_TYPES as readonly string[]).includes(type)) {
      const suggestion = PRINCIPAL_TYPES.find((candidate) => candidate.toLowerCase() === type.toLowerCase());
      findings.push(
        finding(
          'invalid-principal',
          `${JSON.stringify(type)} is not a principal type: IAM accepts ${PRINCIPAL_TYPES.join(', ')}${suggestion ? ` (did you mean ${suggestion}?)` : ''}.`,
          key.offset,
          key.length,
          undefined,
          suggestion === undefined ? undefined : { suggestions: [suggestion], sure: true },
        ),
      );
      continue;
    }
    const entries = propertyValue(property);
    if (entries === undefined) continue;
    const items = entries.type === 'array' ? entries.children! : [entries];
    if (entries.type === 'array' && items.length === 0) {
      findings.push(
        finding(
          'empty-principal',
          `${type} is an empty array: it names no principal, so the statement applies to nobody there.`,
          entries.offset,
          entries.length,
        ),
      );
    }
    for (const item of items) {
      if (item.type !== 'string') {
        findings.push(finding('invalid-element-value', `${type} principals are strings, not ${describe(item)}.`, item.offset, item.length));
        continue;
      }
      const principal = item.value as string;
      if (type === 'AWS' && principal !== '*' && !ACCOUNT_ID.test(principal)) {
        if (UNIQUE_ID.test(principal)) {
          // What IAM shows once the user or role named there was deleted: it matches nobody,
          // not even a new user or role of the same name.
          findings.push(
            finding(
              'principal-unique-id',
              `${JSON.stringify(principal)} is the unique id of a ${principal.startsWith('AROA') ? 'role' : principal.startsWith('AIDA') ? 'user' : 'principal'}, as IAM shows it after the ${principal.startsWith('AROA') ? 'role' : 'user'} was deleted: it matches nobody. Name the principal by its ARN.`,
              ...insideOf(item),
            ),
          );
        } else if (!PRINCIPAL_ARN.test(principal)) {
          findings.push(
            finding(
              'invalid-principal',
              `AWS principal ${JSON.stringify(principal)} is not "*", a 12-digit account id or an IAM or STS ARN (arn:aws:iam::123456789012:root, ...:role/NAME, ...).`,
              item.offset,
              item.length,
            ),
          );
        } else if (/[*?]/.test(principal)) {
          // IAM User Guide, "AWS JSON policy elements: Principal": "You cannot use a wildcard
          // to match part of a principal name or ARN"; IAM answers "Invalid principal in policy".
          findings.push(
            finding(
              'principal-wildcard-arn',
              `${JSON.stringify(principal)}: a principal ARN cannot hold wildcards (IAM: "Invalid principal in policy"). Use "*" with a condition such as ArnLike on aws:PrincipalArn.`,
              ...insideOf(item),
            ),
          );
        }
      } else if (type === 'Service' && !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/i.test(principal) && principal !== '*') {
        findings.push(
          finding(
            'invalid-principal',
            `Service principal ${JSON.stringify(principal)} is not a service name such as lambda.amazonaws.com.`,
            item.offset,
            item.length,
          ),
        );
      }
    }
  }
}

/** The inside of a string token (without its quotes). */
function insideOf(node: Node): [number, number] {
  return [node.offset + 1, Math.max(0, node.length - 2)];
}

function unknownKeys(object: Node, known: readonly string[], where: 'policy' | 'statement', findings: Report[]): void {
  for (const property of object.children!) {
    const key = keyOf(property);
    const name = key.value as string;
    if (known.includes(name)) continue;
    const sameCase = known.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    const suggestion = sameCase ?? closest(name, known, 2);
    const elements =
      where === 'policy'
        ? 'A policy has Version, Id and Statement'
        : 'A statement has Sid, Effect, Action or NotAction, Resource or NotResource, Principal or NotPrincipal, and Condition';
    const message =
      sameCase !== undefined
        ? `${JSON.stringify(name)} must be written ${JSON.stringify(sameCase)}: IAM's element names are case-sensitive.`
        : `${JSON.stringify(name)} is not an element of ${where === 'policy' ? 'a policy' : 'a statement'}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ''}. ${elements}.`;
    findings.push(
      finding(
        'unknown-element',
        message,
        key.offset,
        key.length,
        undefined,
        suggestion === undefined ? undefined : { suggestions: [suggestion], sure: sameCase !== undefined },
      ),
    );
  }
}

/** "Version": "2012-10-17" as the first property, in the layout of the one it goes before. */
function versionInsertion(text: string, root: Node): TextEdit {
  const first = root.children![0];
  const insertAt = root.offset + 1;
  const between = first === undefined ? '' : text.slice(insertAt, first.offset);
  const newText = first === undefined ? '"Version": "2012-10-17"' : between.includes('\n') ? `${between}"Version": "2012-10-17",` : '"Version": "2012-10-17", ';
  return { offset: insertAt, length: 0, newText };
}

/** Whether any string in the document holds a policy variable. */
function usesVariables(root: Node): boolean {
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.type === 'string') {
      if (hasVariables(node.value as string)) return true;
    } else if (node.children !== undefined) {
      for (const child of node.children) pending.push(child);
    }
  }
  return false;
}

export function describe(node: Node): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string ${JSON.stringify(node.value)}`;
    case 'number':
      return `the number ${String(node.value)}`;
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    default:
      return node.type;
  }
}
