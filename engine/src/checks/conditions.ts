/**
 * Condition blocks: operators IAM has (Errors otherwise), keys, and against the catalog:
 * unknown keys and service prefixes, keys the statement's actions do not support, operators of
 * the wrong type, set operators; keys that are spoofable, deprecated, or unsafe alone. The
 * values of each key are checked in ./conditionValues.ts.
 *
 * What IAM rejects here (Errors): an operator it does not have, with keys under it (an unknown
 * operator over an empty block is accepted: moto's recorded valid policy `"Condition": {"a": {}}`),
 * and Date values it cannot read (./conditionValues.ts). A key without a service prefix is
 * accepted: moto's authors recorded `{"StringEqualsIfExists": {"a": "asf"}}` and
 * `{"DateGreaterThan": {"a": "01T"}}` as valid against IAM, and IAM's "Actions/Conditions must
 * be prefaced by a vendor" comes from Action values only (policy_validation.py checks no key).
 */
import { conditionKeyVariable, type ActionData, type Catalog, type ConditionKeyData } from '../catalog';
import { operatorNames, parseOperator, trueWhenAbsent, type OperatorFamily, type ParsedOperator } from '../conditions';
import { finding, type Report } from '../findings';
import type { Node } from '../json';
import { closest } from '../similar';
import { entryActions, type StatementInfo } from '../statements';
import { removeProperty } from '../edits';
import { inside, token } from './actions';
import { canRename } from './conditionEdits';
import { checkValues, type KeyContext } from './conditionValues';
import { describe } from './elements';

/** Global keys that only some actions support (the others are in every request context). */
const ACTION_SPECIFIC_GLOBALS = /^aws:(RequestTag\/|ResourceTag\/|TagKeys$)/i;
/** The tag keys Access Analyzer's *_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE checks are about. */
const TAG_KEYS = /^aws:(RequestTag\/.+|ResourceTag\/.+|TagKeys)$/i;
/** Keys with a tag key part, written without it (aws:ResourceTag instead of aws:ResourceTag/Owner). */
const TAG_WITHOUT_KEY = /^[a-z0-9-]+:(ResourceTag|RequestTag|PrincipalTag|ExistingObjectTag|RequestObjectTag)\/?$/i;

/**
 * Keys whose value the caller supplies in a header: AWS's global condition keys page says of
 * each that it "should not be used to prevent unauthorized parties from making direct AWS
 * requests" (aws:referer, aws:UserAgent).
 */
const UNTRUSTWORTHY = new Map([
  ['aws:referer', 'the Referer header'],
  ['aws:useragent', 'the User-Agent header'],
]);

/**
 * Keys that are safe only with another: aws:VpcSourceIp with aws:SourceVpc (Access Analyzer's
 * MISSING_PAIRED_CONDITION_KEYS), aws:Ec2InstanceSourcePrivateIPv4 with
 * aws:Ec2InstanceSourceVpc (AWS global condition keys: "should not be used alone ... Private IP
 * addresses are by definition not globally unique").
 */
const PAIRED: ReadonlyMap<string, string[]> = new Map([
  ['aws:vpcsourceip', ['aws:SourceVpc', 'aws:SourceVpcArn']],
  ['aws:ec2instancesourceprivateipv4', ['aws:Ec2InstanceSourceVpc']],
]);

/**
 * Keys that are in the request only when the statement also allows the action that sets them:
 * a source identity is set with sts:SetSourceIdentity (AWS: "Monitor and control actions taken
 * with assumed roles"), session tags and transitive tag keys with sts:TagSession (AWS: "Passing
 * session tags in AWS STS"). Checked on statements that allow assuming a role.
 */
const NEEDS_ACTION: ReadonlyArray<{ key: RegExp; action: string }> = [
  { key: /^sts:SourceIdentity$/i, action: 'SetSourceIdentity' },
  { key: /^sts:TransitiveTagKeys$/i, action: 'TagSession' },
  { key: /^aws:(RequestTag\/.+|TagKeys)$/i, action: 'TagSession' },
];

/** Which operator families suit a key type; ARN keys take string operators too (AWS's own examples use StringEquals with aws:SourceArn). */
const FAMILIES_FOR_TYPE: Record<string, OperatorFamily[]> = {
  String: ['String'],
  ArrayOfString: ['String'],
  ARN: ['Arn', 'String'],
  ArrayOfARN: ['Arn', 'String'],
  Bool: ['Bool'],
  ArrayOfBool: ['Bool'],
  Numeric: ['Numeric'],
  Date: ['Date'],
  IPAddress: ['IpAddress'],
};

const SUGGESTED_OPERATOR: Record<string, string> = {
  String: 'StringEquals or StringLike',
  ArrayOfString: 'ForAnyValue:StringEquals or ForAllValues:StringEquals',
  ARN: 'ArnEquals or ArnLike',
  ArrayOfARN: 'ForAnyValue:ArnLike',
  Bool: 'Bool',
  ArrayOfBool: 'ForAnyValue:Bool',
  Numeric: 'NumericEquals, NumericLessThan, ...',
  Date: 'DateGreaterThan, DateLessThan, ...',
  IPAddress: 'IpAddress or NotIpAddress',
};

export function checkConditions(
  text: string,
  infos: readonly StatementInfo[],
  catalog: Catalog | undefined,
  missing: Set<string>,
  languageVersion: string | undefined,
): Report[] {
  const findings: Report[] = [];
  for (const info of infos) {
    const condition = info.condition;
    if (condition?.type !== 'object') continue;
    if (condition.children!.length === 0) {
      const property = condition.parent;
      findings.push(
        finding(
          'empty-condition',
          'This Condition element is empty: it does not affect the statement; remove it or add conditions.',
          condition.offset,
          condition.length,
          undefined,
          property?.type === 'property' ? { edits: [removeProperty(text, property)], label: 'Condition' } : undefined,
        ),
      );
      continue;
    }
    const keys: KeyContext[] = [];
    for (const operatorProperty of condition.children!) {
      checkOperator(text, info, condition, operatorProperty, catalog, missing, languageVersion, findings, keys);
    }
    checkKeyCombinations(info, keys, catalog, findings);
  }
  return findings;
}

function checkOperator(
  text: string,
  info: StatementInfo,
  condition: Node,
  operatorProperty: Node,
  catalog: Catalog | undefined,
  missing: Set<string>,
  languageVersion: string | undefined,
  findings: Report[],
  keys: KeyContext[],
): void {
  const operatorKey = operatorProperty.children![0];
  const operator = parseOperator(operatorKey.value as string);
  const block = operatorProperty.children![1];
  if (block?.type === 'object' && block.children!.length === 0) {
    // IAM accepts an empty block under any name (moto's recorded valid `{"x": {}, "y": {}}`).
    const whole = condition.children!.length === 1 && condition.parent?.type === 'property';
    findings.push(
      finding(
        'empty-condition',
        `The ${operator.text} block has no condition keys: it does not affect the statement; remove it or add keys.`,
        ...inside(operatorKey),
        undefined,
        { edits: [removeProperty(text, whole ? condition.parent! : operatorProperty)], label: whole ? 'Condition' : operator.text },
      ),
    );
    return;
  }
  if (operator.problem !== undefined) {
    // A wrong case or set prefix has one sure spelling (named by the problem itself);
    // otherwise the closest operator IAM has, with the set prefix kept.
    const prefix = operator.setPrefix ?? '';
    const guess = operator.suggestion === undefined ? closest(operator.text.slice(prefix.length), operatorNames()) : undefined;
    const suggestion = operator.suggestion ?? (guess === undefined ? undefined : prefix + guess);
    findings.push(
      finding(
        'unknown-operator',
        operator.problem + (suggestion !== undefined && !operator.problem.includes(JSON.stringify(suggestion)) ? ` Did you mean ${suggestion}?` : ''),
        ...inside(operatorKey),
        undefined,
        suggestion === undefined ? undefined : { suggestions: [suggestion], sure: operator.suggestion !== undefined, target: token(operatorKey) },
      ),
    );
  } else if (operator.nullIfExists) {
    findings.push(
      finding(
        'null-if-exists',
        `${operator.text}: Null already tests whether the key is in the request, and AWS documents IfExists for every operator but Null; use Null.`,
        ...inside(operatorKey),
        undefined,
        canRename(condition, operatorProperty, 'Null') ? { suggestions: ['Null'], sure: true, target: token(operatorKey) } : undefined,
      ),
    );
  } else if (operator.base?.family === 'Null' && operator.setPrefix !== undefined) {
    // Access Analyzer's NULL_WITH_QUALIFIER.
    findings.push(
      finding(
        'set-operator-mismatch',
        `${operator.text} is always ${operator.setPrefix === 'ForAllValues:' ? 'true' : 'false'}: set operators compare values, and Null only asks whether the key is present; use Null.`,
        ...inside(operatorKey),
        undefined,
        canRename(condition, operatorProperty, 'Null') ? { suggestions: ['Null'], sure: true, target: token(operatorKey) } : undefined,
      ),
    );
  }
  if (block === undefined) return;
  if (block.type !== 'object') {
    findings.push(
      finding(
        'invalid-element-value',
        `The ${operatorKey.value as string} block must be an object of condition keys and values, as in {"aws:SourceIp": "203.0.113.0/24"}, not ${describe(block)}.`,
        block.offset,
        block.length,
      ),
    );
    return;
  }
  checkCaseDuplicates(text, operator, block, findings);
  for (const keyProperty of block.children!) {
    const keyNode = keyProperty.children![0];
    const key = keyNode.value as string;
    const context: KeyContext = {
      text,
      info,
      condition,
      operatorProperty,
      operator,
      keyProperty,
      keyNode,
      key,
      lower: key.toLowerCase(),
      data: undefined,
      languageVersion,
      findings,
    };
    checkKey(context, catalog, missing);
    keys.push(context);
  }
}

/** The same key twice in one block, differing only in case: keys ignore case, so both apply. */
function checkCaseDuplicates(text: string, operator: ParsedOperator, block: Node, findings: Report[]): void {
  if (block.children!.length < 2) return;
  const seen = new Map<string, Node>();
  for (const property of block.children!) {
    const keyNode = property.children![0];
    const key = String(keyNode.value);
    const first = seen.get(key.toLowerCase());
    if (first === undefined) {
      seen.set(key.toLowerCase(), property);
      continue;
    }
    const firstKey = first.children![0];
    if (firstKey.value === key) continue; // an exact duplicate: json-duplicate-key says so
    const sameValues = valueText(first) === valueText(property);
    findings.push(
      finding(
        'duplicate-condition-key',
        `${key} is also in this ${operator.text} block as ${String(firstKey.value)}: condition keys ignore case, so both must match; ${sameValues ? 'with the same values, this one adds nothing: remove it' : 'merge them into one key'}.`,
        ...inside(keyNode),
        [{ offset: firstKey.offset + 1, length: Math.max(0, firstKey.length - 2), message: `${String(firstKey.value)} is here` }],
        sameValues ? { edits: [removeProperty(text, property)], label: key } : undefined,
      ),
    );
  }
}

/** A property's value as text without white space outside strings, to compare two of them. */
function valueText(property: Node): string {
  const value = property.children![1];
  if (value === undefined) return '';
  return JSON.stringify(nodeValue(value));
}

function nodeValue(node: Node): unknown {
  if (node.type === 'array') return node.children!.map(nodeValue);
  if (node.type === 'object')
    return node.children!.map((property) => [property.children![0].value, property.children![1] === undefined ? undefined : nodeValue(property.children![1])]);
  return node.value;
}

function checkKey(context: KeyContext, catalog: Catalog | undefined, missing: Set<string>): void {
  const { key, keyNode, findings } = context;
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) {
    findings.push(
      finding(
        'invalid-condition-key',
        `Condition key ${JSON.stringify(key)} has no service prefix: IAM stores it, but no request has such a key; keys are prefix:name, as in aws:SourceIp or s3:prefix.`,
        ...inside(keyNode),
      ),
    );
    checkValues(context);
    return;
  }
  if (/^aws:arn$/i.test(key)) {
    // Access Analyzer: UNSUPPORTED_GLOBAL_CONDITION_KEY and DEPRECATED_GLOBAL_CONDITION_KEY.
    findings.push(
      finding(
        'deprecated-condition-key',
        `${key} is deprecated and not in requests: use aws:PrincipalArn for the caller's ARN, or aws:SourceArn for the resource a service acts for.`,
        ...inside(keyNode),
        undefined,
        { suggestions: ['aws:PrincipalArn', 'aws:SourceArn'], target: token(keyNode) },
      ),
    );
    checkValues(context);
    return;
  }
  const vendor = key.slice(0, colon).toLowerCase();
  if (catalog !== undefined) context.data = lookUp(context, vendor, catalog, missing);
  const data = context.data;
  if (data !== undefined) checkAgainstCatalog(context, data, vendor, catalog!);
  checkKeyUse(context);
  checkValues(context);
}

/** The catalog's data for the key; reports keys and prefixes the catalog does not have. */
function lookUp(context: KeyContext, vendor: string, catalog: Catalog, missing: Set<string>): ConditionKeyData | undefined {
  const { key } = context;
  if (vendor === 'aws') {
    const data = catalog.globalConditionKey(key);
    if (data === undefined) reportUnknownKey(context, catalog);
    return data;
  }
  if (catalog.hasService(vendor)) {
    if (!catalog.isLoaded(vendor)) {
      missing.add(vendor);
      return undefined;
    }
    if (catalog.service(vendor) === undefined) return undefined;
    const data = catalog.conditionKey(key);
    if (data === undefined) reportUnknownKey(context, catalog);
    return data;
  }
  const owners = catalog.conditionKeyOwners(vendor);
  if (owners !== undefined) {
    // saml:aud, accounts.google.com:sub...: defined in another service's data (sts). Their
    // lists are not complete for every identity provider, so an unknown one is not reported.
    let data: ConditionKeyData | undefined;
    for (const owner of owners) {
      if (!catalog.isLoaded(owner)) missing.add(owner);
      else data ??= catalog.serviceConditionKey(owner, key);
    }
    return data;
  }
  // A prefix with a dot or slash is an identity provider's (an OIDC issuer URL): any is allowed.
  if (/[./]/.test(vendor)) return undefined;
  const suggestion = closest(vendor, catalog.servicePrefixes());
  const fixed = suggestion === undefined ? undefined : suggestion + key.slice(vendor.length);
  context.findings.push(
    finding(
      'unknown-condition-key',
      `${JSON.stringify(key.slice(0, vendor.length))} is not the prefix of any AWS service${fixed !== undefined ? ` (did you mean ${fixed}?)` : ''}: no request has ${key}, so the condition never matches it.`,
      ...inside(context.keyNode),
      undefined,
      fixed === undefined ? undefined : { suggestions: [fixed], target: token(context.keyNode) },
    ),
  );
  return undefined;
}

function reportUnknownKey(context: KeyContext, catalog: Catalog): void {
  const { key } = context;
  const vendor = key.slice(0, key.indexOf(':')).toLowerCase();
  const service = catalog.service(vendor);
  const owner = vendor === 'aws' ? 'the global condition keys' : `${service?.name ?? vendor}`;
  const at = inside(context.keyNode);
  const tag = TAG_WITHOUT_KEY.exec(key);
  if (tag !== null) {
    // Access Analyzer's MISSING_TAG_KEY_IN_CONDITION.
    context.findings.push(
      finding(
        'unknown-condition-key',
        `${key} needs a tag key: write ${key.replace(/\/$/, '')}/tag-key, as in ${key.replace(/\/$/, '')}/Owner; without one, no request has the key.`,
        ...at,
      ),
    );
    return;
  }
  const all = (
    vendor === 'aws'
      ? catalog.globalConditionKeys()
      : [...(service?.conditionKeys.values() ?? []), ...(service?.conditionKeyPrefixes ?? []).map((entry) => entry.data)]
  ).map((data) => data.key);
  // Keys with a variable part (aws:ResourceTag/${TagKey}) are templates: their fixed part is
  // compared with the key's, and the key's own tail kept (aws:RequestTags/x → aws:RequestTag/x).
  let suggestion = closest(
    key,
    all.filter((candidate) => conditionKeyVariable(candidate) < 0),
  );
  const slash = key.indexOf('/');
  if (suggestion === undefined && slash > 0) {
    const prefixes = all.filter((candidate) => conditionKeyVariable(candidate) > 0).map((candidate) => candidate.slice(0, conditionKeyVariable(candidate)));
    const prefix = closest(
      key.slice(0, slash + 1),
      prefixes.filter((candidate) => candidate.endsWith('/')),
    );
    if (prefix !== undefined) suggestion = prefix + key.slice(slash + 1);
  }
  context.findings.push(
    finding(
      'unknown-condition-key',
      `${JSON.stringify(key)} is not a condition key of ${owner}${suggestion ? ` (did you mean ${suggestion}?)` : ''}: the condition is never true when IAM requires the key.`,
      ...at,
      undefined,
      suggestion === undefined ? undefined : { suggestions: [suggestion], target: token(context.keyNode) },
    ),
  );
}

function checkAgainstCatalog(context: KeyContext, data: ConditionKeyData, vendor: string, catalog: Catalog): void {
  const { key, keyNode, operator, info, findings } = context;
  const family = operator.base?.family;
  const allowed = FAMILIES_FOR_TYPE[data.type];
  const arnKey = data.type === 'ARN' || data.type === 'ArrayOfARN';
  // ARN operators on string keys are fine: many string keys (tags, encryption context) hold ARNs.
  const arnOnString = family === 'Arn' && (data.type === 'String' || data.type === 'ArrayOfString');
  if (arnKey && (operator.base?.name === 'StringLike' || operator.base?.name === 'StringNotLike')) {
    // Access Analyzer's STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS: a * in a string pattern
    // runs across the ARN's colons; ArnLike matches each of the six parts on its own.
    const arnOperator = `${operator.setPrefix ?? ''}${operator.base.name === 'StringLike' ? 'ArnLike' : 'ArnNotLike'}${operator.ifExists ? 'IfExists' : ''}`;
    const block = context.operatorProperty.children![1];
    const onlyArnKeys = block.children!.every((property) => property === context.keyProperty || isArnKey(catalog, String(property.children![0].value)));
    findings.push(
      finding(
        'string-like-on-arn-key',
        `${data.key} is an ARN: with ${operator.text}, a * can run across the ARN's parts; use ${arnOperator}, which matches each part on its own.`,
        ...inside(keyNode),
        undefined,
        onlyArnKeys && canRename(context.condition, context.operatorProperty, arnOperator)
          ? { suggestions: [arnOperator], target: token(context.operatorProperty.children![0]) }
          : undefined,
      ),
    );
  } else if (family !== undefined && family !== 'Null' && allowed !== undefined && !allowed.includes(family) && !arnOnString) {
    findings.push(
      finding(
        'operator-type-mismatch',
        `${data.key} is ${describeType(data.type)} key, but ${operator.text} compares ${family === 'Arn' ? 'ARNs' : family === 'IpAddress' ? 'IP addresses' : `${family.toLowerCase()} values`}: use ${SUGGESTED_OPERATOR[data.type]}.`,
        ...inside(keyNode),
      ),
    );
  }
  checkSetOperator(context, data);
  if (/^aws:MultiFactorAuthPresent$/i.test(key) && operator.base?.name === 'Bool' && !operator.ifExists) {
    const values = context.keyProperty.children![1];
    if (values !== undefined && (values.type === 'array' ? values.children! : [values]).some((value) => String(value.value).toLowerCase() === 'false')) {
      findings.push(
        finding(
          'mfa-condition-pattern',
          'aws:MultiFactorAuthPresent is absent, not false, for long-term access keys, so Bool "false" misses them: use BoolIfExists "false" to deny, or Bool "true" to allow.',
          ...inside(keyNode),
        ),
      );
    }
  }
  if (actionSpecific(key, vendor, catalog)) checkActionSupport(context, data, catalog);
  if (info.actionElement === 'NotAction' && TAG_KEYS.test(key) && family !== 'Null' && !trueWhenAbsent(operator)) {
    if (info.effect === 'Deny') {
      findings.push(
        finding(
          'deny-condition-key-partly-supported',
          `With NotAction, this Deny covers every other action, and those that do not support ${key} are never denied by it: list the actions to deny in Action instead.`,
          ...inside(keyNode),
        ),
      );
    } else if (info.effect === 'Allow') {
      findings.push(
        finding(
          'condition-key-partly-supported',
          `With NotAction, this Allow allows only the other actions that support ${key}: list the actions to allow in Action instead.`,
          ...inside(keyNode),
        ),
      );
    }
  }
}

function isArnKey(catalog: Catalog, key: string): boolean {
  const type = catalog.conditionKey(key)?.type;
  return type === 'ARN' || type === 'ArrayOfARN';
}

/** ForAnyValue/ForAllValues on single-valued keys, and multivalued keys without them. */
function checkSetOperator(context: KeyContext, data: ConditionKeyData): void {
  const { operator, keyNode, findings } = context;
  const family = operator.base?.family;
  if (family === undefined || family === 'Null') return;
  const multivalued = data.type.startsWith('ArrayOf');
  const only = context.operatorProperty.children![1].children!.length === 1;
  const operatorKey = context.operatorProperty.children![0];
  const rename = (names: string[]) =>
    only && names.every((name) => canRename(context.condition, context.operatorProperty, name))
      ? { suggestions: names, target: token(operatorKey) }
      : undefined;
  if (operator.setPrefix !== undefined && !multivalued) {
    const plain = operator.text.slice(operator.setPrefix.length);
    findings.push(
      finding(
        'set-operator-mismatch',
        `${operator.setPrefix} is for multivalued keys, and ${data.key} has one value per request: use ${plain}${operator.setPrefix === 'ForAllValues:' ? ' (with ForAllValues: the condition is also true when the key is absent)' : ''}.`,
        ...inside(keyNode),
        undefined,
        rename([plain]),
      ),
    );
  } else if (operator.setPrefix === undefined && multivalued) {
    findings.push(
      finding(
        'set-operator-mismatch',
        `${data.key} can have several values in one request: say whether any or all must match, with ForAnyValue:${operator.text} or ForAllValues:${operator.text}.`,
        ...inside(keyNode),
        undefined,
        rename([`ForAnyValue:${operator.text}`, `ForAllValues:${operator.text}`]),
      ),
    );
  }
}

/** Whether only some actions have the key in their requests (service keys, and the tag keys among the global ones). */
function actionSpecific(key: string, vendor: string, catalog: Catalog): boolean {
  if (ACTION_SPECIFIC_GLOBALS.test(key)) return true;
  if (vendor === 'aws') return false;
  // Cross-service keys (ec2:SourceInstanceARN, lambda:SourceFunctionArn...) are in the global
  // list: they describe the caller and are in requests to any service.
  return catalog.globalConditionKey(key) === undefined;
}

/** Whether the statement's actions have the key in their requests; which named ones do not. */
function checkActionSupport(context: KeyContext, data: ConditionKeyData, catalog: Catalog): void {
  const { info, key, operator, keyNode, findings } = context;
  if (info.granted === undefined || info.granted.length === 0) return;
  const family = operator.base?.family;
  const values = context.keyProperty.children![1];
  // With the key absent, IfExists, ForAllValues, the negated operators and Null "true" are true.
  const absentTrue =
    family === 'Null'
      ? values !== undefined && (values.type === 'array' ? values.children! : [values]).every((value) => String(value.value).toLowerCase() === 'true')
      : trueWhenAbsent(operator);
  if (!info.granted.some((action) => supports(action, key, catalog))) {
    const consequence = absentTrue
      ? 'the key is never in their requests, so this condition is always true and restricts nothing'
      : info.effect === 'Deny'
        ? 'the Deny never applies'
        : 'the statement never allows anything';
    findings.push(
      finding(
        'condition-key-not-supported',
        `None of this statement's actions supports ${data.key}: ${consequence}${absentTrue ? '' : ' when the key is required'}.`,
        ...inside(keyNode),
      ),
    );
    return;
  }
  if (absentTrue || family === 'Null' || (info.effect !== 'Allow' && info.effect !== 'Deny')) return;
  // Named actions without the key are never allowed (or never denied) by this statement
  // (Access Analyzer suggests moving them to a statement without the condition).
  for (const entry of info.actions) {
    if (entry.wildcard) continue;
    const action = entryActions(entry, catalog)?.matched[0];
    if (action === undefined || supports(action, key, catalog)) continue;
    if (info.effect === 'Allow') {
      findings.push(
        finding(
          'condition-key-partly-supported',
          `${entry.text} does not support ${data.key}, so this statement never allows it: move it to a statement without this condition.`,
          ...inside(entry.node),
        ),
      );
    } else {
      findings.push(
        finding(
          'deny-condition-key-partly-supported',
          `${entry.text} does not support ${data.key}, so this Deny never denies it: deny it in a statement without this condition.`,
          ...inside(entry.node),
        ),
      );
    }
  }
}

/** Keys that are spoofable, and s3:prefix where its absence lets requests through. */
function checkKeyUse(context: KeyContext): void {
  const { key, keyNode, operator, info, findings, lower } = context;
  const header = UNTRUSTWORTHY.get(lower);
  if (header !== undefined) {
    findings.push(
      finding(
        'untrustworthy-condition-key',
        `${key} is ${header}, which the caller sets as it likes: AWS says not to rely on it to keep anyone out.`,
        ...inside(keyNode),
      ),
    );
  }
  if (lower === 's3:prefix' && operator.base !== undefined && operator.base.family !== 'Null') {
    // ListBucket without a prefix has no s3:prefix (Access Analyzer's S3_PREFIX_IN_NEGATIVE_CONTEXT).
    const absentTrue = trueWhenAbsent(operator);
    if (info.effect === 'Allow' && absentTrue) {
      findings.push(
        finding(
          'prefix-key-absent',
          `A listing without a prefix has no s3:prefix, so ${operator.text} is true for it and this statement allows listing every key: use StringLike with the prefixes to allow.`,
          ...inside(keyNode),
        ),
      );
    } else if (info.effect === 'Deny' && !absentTrue) {
      findings.push(
        finding(
          'prefix-key-absent',
          `A listing without a prefix has no s3:prefix, so ${operator.text} is false for it and this Deny lets it list every key: deny with StringNotLike and the prefixes to allow.`,
          ...inside(keyNode),
        ),
      );
    }
  }
}

/** Checks of keys together: paired keys, dynamodb:Attributes without dynamodb:Select, keys that need an action. */
function checkKeyCombinations(info: StatementInfo, keys: KeyContext[], catalog: Catalog | undefined, findings: Report[]): void {
  const has = (lower: string): boolean => keys.some((context) => context.lower === lower);
  for (const context of keys) {
    const lower = context.lower;
    const pair = PAIRED.get(lower);
    if (pair !== undefined && !pair.some((other) => has(other.toLowerCase()))) {
      findings.push(
        finding(
          'missing-paired-condition-key',
          `${context.key} compares a private address, which many networks share: test ${pair[0]} in this statement too, or any network with that range matches.`,
          ...inside(context.keyNode),
        ),
      );
    }
    if (lower === 'dynamodb:attributes' && info.effect === 'Allow' && !has('dynamodb:select')) {
      // AWS DynamoDB: "Using IAM policy conditions for fine-grained access control": a Query or
      // Scan with Select ALL_ATTRIBUTES returns every attribute unless dynamodb:Select is limited.
      findings.push(
        finding(
          'dynamodb-attributes-without-select',
          'dynamodb:Attributes limits the attributes named in a request, but a Query or Scan with Select ALL_ATTRIBUTES names none: add StringEquals dynamodb:Select SPECIFIC_ATTRIBUTES.',
          ...inside(context.keyNode),
        ),
      );
    }
    checkNeededAction(info, context, catalog, findings);
  }
}

/** sts:SourceIdentity in a statement that allows assuming a role but not sts:SetSourceIdentity, and the like. */
function checkNeededAction(info: StatementInfo, context: KeyContext, catalog: Catalog | undefined, findings: Report[]): void {
  if (catalog === undefined || info.effect !== 'Allow' || info.granted === undefined || trueWhenAbsent(context.operator)) return;
  const needed = NEEDS_ACTION.find((entry) => entry.key.test(context.key));
  if (needed === undefined) return;
  const assumes = info.granted.some((action) => action.service === 'sts' && action.name.startsWith('AssumeRole'));
  if (!assumes || info.granted.some((action) => action.service === 'sts' && action.name === needed.action)) return;
  findings.push(
    finding(
      'condition-key-needs-action',
      `${context.key} is in the request only when sts:${needed.action} is allowed too: add it to this statement's Action, or the condition is never true.`,
      ...inside(context.keyNode),
    ),
  );
}

/** An action's condition keys, and those of its resource types, ready for lookups. */
interface KeyIndex {
  exact: Set<string>;
  /** Lower-case prefixes of keys with a variable part (aws:ResourceTag/). */
  prefixes: string[];
}

const keyIndexes = new WeakMap<ActionData, KeyIndex>();

function keyIndex(action: ActionData, catalog: Catalog): KeyIndex {
  let index = keyIndexes.get(action);
  if (index === undefined) {
    index = { exact: new Set(), prefixes: [] };
    const service = catalog.service(action.service);
    const all = [...action.conditionKeys];
    for (const type of action.resourceTypes) all.push(...(service?.resourceTypes.get(type.name.toLowerCase())?.conditionKeys ?? []));
    for (const key of all) {
      const variable = conditionKeyVariable(key);
      if (variable < 0) index.exact.add(key.toLowerCase());
      else index.prefixes.push(key.slice(0, variable).toLowerCase());
    }
    keyIndexes.set(action, index);
  }
  return index;
}

function supports(action: ActionData, key: string, catalog: Catalog): boolean {
  const index = keyIndex(action, catalog);
  const lower = key.toLowerCase();
  return index.exact.has(lower) || index.prefixes.some((prefix) => lower.length > prefix.length && lower.startsWith(prefix));
}

/** "a Boolean", "an ARN"...: the key type with its article. */
function describeType(type: string): string {
  switch (type) {
    case 'ArrayOfString':
      return 'a multivalued string';
    case 'ArrayOfARN':
      return 'a multivalued ARN';
    case 'ArrayOfBool':
      return 'a multivalued Boolean';
    case 'Bool':
      return 'a Boolean';
    case 'IPAddress':
      return 'an IP address';
    case 'ARN':
      return 'an ARN';
    default:
      return `a ${type.toLowerCase()}`;
  }
}
