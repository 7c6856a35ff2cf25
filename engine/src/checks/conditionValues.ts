/**
 * The values of one condition key: what the operator can compare (dates IAM can read, numbers,
 * Booleans, IP ranges, ARNs, base-64), what some keys hold (Regions, VPC and VPC endpoint ids,
 * KMS key ARNs, service principals), and values that make the condition say something else
 * than it seems to (a wildcard with an Equals operator, "*" alone, no values at all, several
 * Booleans, thresholds that cover each other, private ranges in aws:SourceIp).
 */
import type { ConditionKeyData } from '../catalog';
import { isNegated, takesWildcards, trueWhenAbsent, type ParsedOperator } from '../conditions';
import { epochToIso, isEpoch, isIsoDate, legacyParseFails } from '../dates';
import { removeProperty } from '../edits';
import { finding, type Report } from '../findings';
import { hasHostBits, isPrivate, networkText, parseCidr, type Cidr } from '../ip';
import type { Node } from '../json';
import { isRegion, REGIONS } from '../regions';
import { closest } from '../similar';
import type { StatementInfo } from '../statements';
import { findVariables } from '../variables';
import { inside, token } from './actions';
import { canRename, moveToNull, removeConditionKey } from './conditionEdits';
import { describe } from './elements';

/** One key of an operator block, with what its checks need. */
export interface KeyContext {
  text: string;
  info: StatementInfo;
  /** The statement's Condition object. */
  condition: Node;
  operatorProperty: Node;
  operator: ParsedOperator;
  keyProperty: Node;
  keyNode: Node;
  /** The key as written. */
  key: string;
  /** The key in lower case, as IAM compares keys. */
  lower: string;
  /** The catalog's data for the key, when known. */
  data: ConditionKeyData | undefined;
  languageVersion: string | undefined;
  findings: Report[];
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** What aws:CalledVia holds: service.amazonaws.com (one label), .amazon.com or .amazonaws.com.cn. */
const SERVICE_PRINCIPAL = /^[a-z0-9*?-]+\.(amazonaws\.com|amazon\.com|amazonaws\.com\.cn)$/;
/** AWS: aws:SourceVpc takes "vpc-" and 8 or 17 alphanumeric characters, aws:SourceVpce "vpce-" and the same (Access Analyzer's INVALID_VPC(E)_FORMAT). */
const VPC_ID = /^vpc-([A-Za-z0-9]{8}|[A-Za-z0-9]{17})$/;
const VPCE_ID = /^vpce-([A-Za-z0-9]{8}|[A-Za-z0-9]{17})$/;
/** A KMS key's ARN, wildcards allowed in the parts. */
const KMS_KEY_ARN = /^arn:[^:]*:kms:[^:]*:[^:]*:key\/.+$/;

/**
 * Keys that say who is asking or from where (the caller's account, organization, user id; the
 * network it comes through): the keys of a data perimeter (AWS global condition keys; AWS
 * whitepaper "Building a data perimeter on AWS"). A wildcard or a variable the caller controls
 * in their values lets anyone in.
 */
const SENSITIVE_KEYS = new Set([
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:userid',
  'aws:resourceorgid',
  'aws:resourceorgpaths',
  'aws:resourceaccount',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:sourceaccount',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:vpceaccount',
  'aws:vpceorgid',
  'aws:vpceorgpaths',
]);

/** What an id of those keys starts with, or is made of, besides its unique part. */
const ID_SCAFFOLD = /(^|\/)(o|r|ou|vpc|vpce)-|AIDA|AROA|[/:]/g;

/** Variables whose value the caller sets in the request (tags it passes, its HTTP headers). */
const REQUEST_VARIABLE = /^aws:(RequestTag\/.+|TagKeys|UserAgent|referer)$/i;

export function checkValues(context: KeyContext): void {
  const { keyProperty, operator, findings } = context;
  const values = keyProperty.children![1];
  if (values === undefined) return;
  const family = operator.base?.family;
  if (values.type === 'array' && values.children!.length === 0) {
    emptyValues(context, values);
    return;
  }
  const list = values.type === 'array' ? values.children! : [values];
  checkValueTypes(context, values, list);
  let wildcardOnly: Node | undefined;
  const privateRanges: Node[] = [];
  let publicRanges = 0;
  for (const value of list) {
    if (value.type === 'object' || value.type === 'array' || value.type === 'null') {
      findings.push(
        finding('invalid-element-value', `Condition values are strings, numbers or true/false, not ${describe(value)}.`, value.offset, value.length),
      );
      continue;
    }
    const raw = String(value.value);
    const at: [number, number] = value.type === 'string' ? inside(value) : [value.offset, value.length];
    checkWildcardWithoutLike(context, value, raw);
    if (value.type === 'string' && raw.includes('${')) {
      checkVariables(context, value, raw);
      continue; // the value is only known at request time
    }
    if (family === 'Date') {
      checkDate(context, value, raw, at);
      continue;
    }
    const problem = valueProblem(family, raw, value.type);
    if (problem !== undefined) {
      findings.push(finding('invalid-condition-value', problem, ...at));
      continue;
    }
    if (family === 'IpAddress') {
      const cidr = parseCidr(raw);
      if (cidr === undefined) continue;
      checkHostBits(context, value, raw, cidr);
      if (isPrivate(cidr)) privateRanges.push(value);
      else publicRanges++;
      continue;
    }
    if (value.type === 'string' && raw === '*' && operator.base !== undefined && operator.base.family === 'String' && takesWildcards(operator.base))
      wildcardOnly ??= value;
    checkKeyValue(context, value, raw);
  }
  if (privateRanges.length > 0) reportPrivateRanges(context, privateRanges, publicRanges);
  if (wildcardOnly !== undefined) reportWildcardOnly(context, wildcardOnly);
  if (family === 'Numeric' && values.type === 'array') checkRedundantNumbers(context, values);
}

/** What the operator cannot compare in a value, if anything. */
function valueProblem(family: string | undefined, raw: string, type: string): string | undefined {
  switch (family) {
    case 'Numeric':
      return type === 'number' || NUMBER.test(raw) ? undefined : `${JSON.stringify(raw)} is not a number: numeric operators compare numbers such as 3600.`;
    case 'Bool':
    case 'Null':
      return type === 'boolean' || /^(true|false)$/i.test(raw) ? undefined : `${JSON.stringify(raw)} is not "true" or "false".`;
    case 'IpAddress':
      return parseCidr(raw) !== undefined ? undefined : `${JSON.stringify(raw)} is not an IP address or CIDR range such as 203.0.113.0/24 or 2001:db8::/32.`;
    case 'Arn':
      return raw === '*' || raw.startsWith('arn:')
        ? undefined
        : `${JSON.stringify(raw)} is not an ARN: ARN operators compare values such as arn:aws:iam::123456789012:role/*.`;
    case 'Binary':
      return BASE64.test(raw) ? undefined : `${JSON.stringify(raw)} is not base-64: BinaryEquals compares base-64 encoded bytes.`;
    default:
      return undefined;
  }
}

/** Mixed JSON types in one list, and several Booleans for one key. */
function checkValueTypes(context: KeyContext, values: Node, list: Node[]): void {
  if (values.type !== 'array') return;
  const types = new Set(list.filter((value) => value.type === 'string' || value.type === 'number' || value.type === 'boolean').map((value) => value.type));
  if (types.size > 1) {
    context.findings.push(
      finding(
        'invalid-condition-value',
        `The values of ${context.key} mix ${[...types].map((type) => `${type}s`).join(' and ')}: write them all as strings, as in ["true"] or ["3600"].`,
        values.offset,
        values.length,
      ),
    );
  }
  if (context.operator.base?.family === 'Bool' && list.length > 1) {
    const both = new Set(list.map((value) => String(value.value).toLowerCase())).size > 1;
    context.findings.push(
      finding(
        'invalid-condition-value',
        `Bool takes one value for ${context.key}: ${both ? 'with both true and false the condition is true whenever the key is present' : 'the same value twice adds nothing'}; keep the one you mean.`,
        values.offset,
        values.length,
      ),
    );
  }
}

/**
 * A key with an empty list: what the condition then is, by operator. No value matches a
 * positive operator and every value a negated one; IfExists and ForAllValues are true when the
 * key is absent (AWS: "Condition operators", "Multivalued context keys").
 */
function emptyValues(context: KeyContext, values: Node): void {
  const { operator, key, findings } = context;
  if (operator.base === undefined || operator.base.family === 'Null') return;
  const absent = trueWhenAbsent(operator);
  const present = isNegated(operator.base);
  if (!absent && !present) {
    findings.push(finding('invalid-condition-value', `${key} has no values: the condition can never be true.`, values.offset, values.length));
  } else if (absent && present) {
    findings.push(
      finding(
        'empty-condition',
        `${key} has no values, so ${operator.text} is always true for it: it restricts nothing; add the values you mean or remove the key.`,
        values.offset,
        values.length,
        undefined,
        { edits: [removeConditionKey(context.text, context.condition, context.operatorProperty, context.keyProperty)], label: key },
      ),
    );
  } else {
    nullEquivalent(
      context,
      'empty-condition',
      values,
      absent ? 'true' : 'false',
      `${key} has no values, so ${operator.text} is true only when the key is ${absent ? 'absent from' : 'present in'} the request`,
    );
  }
}

/** A finding that the key is only tested for presence, with the fix to say so with Null. */
function nullEquivalent(context: KeyContext, code: 'empty-condition' | 'wildcard-condition', node: Node, nullValue: 'true' | 'false', what: string): void {
  const edits = moveToNull(context.text, context.condition, context.operatorProperty, context.keyProperty, nullValue);
  const suggestion = `"Null": {"${context.key}": "${nullValue}"}`;
  const at: [number, number] = node.type === 'string' ? inside(node) : [node.offset, node.length];
  context.findings.push(
    finding(code, `${what}: say so with ${suggestion}.`, ...at, undefined, edits === undefined ? undefined : { edits, label: `Null "${nullValue}"` }),
  );
}

/**
 * "*" under StringLike/StringNotLike: any value matches, so the condition only asks whether
 * the key is present (Null), or is always or never true (Access Analyzer's EQUIVALENT_TO_NULL_*
 * and REDUNDANT_*_DUE_TO_WILDCARD_IN_CONDITION).
 */
function reportWildcardOnly(context: KeyContext, value: Node): void {
  const { operator, key, findings } = context;
  const absent = trueWhenAbsent(operator);
  const present = !isNegated(operator.base!);
  if (absent && present) {
    findings.push(
      finding(
        'wildcard-condition',
        `"*" matches every value, and ${operator.text} is also true when ${key} is absent: this key restricts nothing; remove it.`,
        ...inside(value),
        undefined,
        { edits: [removeConditionKey(context.text, context.condition, context.operatorProperty, context.keyProperty)], label: key },
      ),
    );
  } else if (!absent && !present) {
    findings.push(
      finding(
        'wildcard-condition',
        `"*" matches every value, so ${operator.text} is never true for ${key}: ${context.info.effect === 'Deny' ? 'this Deny never applies' : 'this statement never applies'}.`,
        ...inside(value),
      ),
    );
  } else {
    nullEquivalent(
      context,
      'wildcard-condition',
      value,
      absent ? 'true' : 'false',
      `"*" matches every value, so ${operator.text} only tests whether ${key} is ${absent ? 'absent' : 'present'}`,
    );
  }
}

/** `*` or `?` in a value compared literally (StringEquals and the like). */
function checkWildcardWithoutLike(context: KeyContext, value: Node, raw: string): void {
  const base = context.operator.base;
  if (base === undefined || base.family !== 'String' || takesWildcards(base) || value.type !== 'string' || (!raw.includes('*') && !raw.includes('?'))) return;
  const literal = raw.replace(/\$\{[^}]*\}/g, '');
  const wildcard = /[*?]/.exec(literal)?.[0];
  if (wildcard === undefined) return;
  const negated = isNegated(base);
  const ignoreCase = base.name.endsWith('IgnoreCase');
  // An ARN key gets the ARN operator: StringLike would run its * across the ARN's parts.
  const arn = context.data?.type === 'ARN' || context.data?.type === 'ArrayOfARN';
  const like = `${context.operator.setPrefix ?? ''}${arn ? 'Arn' : 'String'}${negated ? 'NotLike' : 'Like'}${context.operator.ifExists ? 'IfExists' : ''}`;
  const only = context.operatorProperty.children![1].children!.length === 1;
  const fixable = !ignoreCase && (only || !arn) && canRename(context.condition, context.operatorProperty, like);
  const keyNode = context.operatorProperty.children![0];
  context.findings.push(
    finding(
      'wildcard-without-like',
      `${JSON.stringify(raw)} has ${wildcard}, which ${base.name} compares as a plain character: for a pattern, use ${like}${ignoreCase ? ' (no Like operator ignores case)' : ''}.`,
      ...inside(value),
      undefined,
      fixable ? { suggestions: [like], target: token(keyNode) } : undefined,
    ),
  );
}

/** Policy variables: their syntax, the Version, the operator, and what they stand for. */
function checkVariables(context: KeyContext, value: Node, raw: string): void {
  const { text, operator, findings } = context;
  const family = operator.base?.family;
  for (const variable of findVariables(raw)) {
    const offset = rawOffset(text, value, variable.start);
    if (variable.problem !== undefined) {
      findings.push(finding('invalid-policy-variable', variable.problem, offset, variable.end - variable.start));
    } else if (!variable.escape && context.languageVersion !== '2012-10-17') {
      findings.push(
        finding(
          'invalid-policy-variable',
          `\${${variable.key}} is plain text here: IAM substitutes policy variables only under "Version": "2012-10-17".`,
          offset,
          variable.end - variable.start,
        ),
      );
    } else if (!variable.escape && family !== undefined && family !== 'String' && family !== 'Arn' && family !== 'Date') {
      findings.push(
        finding(
          'invalid-policy-variable',
          `IAM substitutes policy variables only in values of String and ARN operators: with ${operator.text}, \${${variable.key}} is compared as the text itself.`,
          offset,
          variable.end - variable.start,
        ),
      );
    } else if (!variable.escape) {
      checkSensitiveVariable(context, value, variable.key);
    }
  }
  if (family === 'Date') {
    // IAM reads every Date value when the policy is submitted: see ../dates.ts.
    findings.push(
      finding(
        'malformed-date',
        `${JSON.stringify(raw)} is not a date IAM can read: policy variables work only with String and ARN operators, and IAM rejects a Date value it cannot parse ("The policy failed legacy parsing").`,
        ...inside(value),
      ),
    );
  }
}

function rawOffset(text: string, node: Node, index: number): number {
  const raw = text.slice(node.offset, node.offset + node.length);
  return raw.indexOf('\\') >= 0 ? node.offset + 1 : node.offset + 1 + index;
}

/** A Date value: one IAM cannot read (an Error), one it reads otherwise than it seems, epoch seconds. */
function checkDate(context: KeyContext, value: Node, raw: string, at: [number, number]): void {
  const { findings } = context;
  if (value.type === 'string') {
    if (legacyParseFails(raw)) {
      // MalformedPolicyDocument "The policy failed legacy parsing": see ../dates.ts for the evidence.
      findings.push(
        finding(
          'malformed-date',
          `${JSON.stringify(raw)} is not a date IAM can read: it rejects the document ("The policy failed legacy parsing"). Use ISO 8601, as in 2026-12-31T23:59:59Z, or epoch seconds.`,
          ...at,
        ),
      );
      return;
    }
    if (isIsoDate(raw)) return;
    if (!isEpoch(raw)) {
      findings.push(
        finding(
          'invalid-condition-value',
          `${JSON.stringify(raw)} is not a date in a form AWS documents: use ISO 8601 (2026-12-31T23:59:59Z) or epoch seconds.`,
          ...at,
        ),
      );
      return;
    }
  } else if (value.type !== 'number' || !Number.isSafeInteger(value.value) || (value.value as number) < 0) {
    findings.push(finding('invalid-condition-value', `${raw} is not a date: use ISO 8601 (2026-12-31T23:59:59Z) or epoch seconds.`, ...at));
    return;
  }
  const iso = epochToIso(raw);
  const milliseconds = iso === undefined || Number(raw) > 1e11;
  findings.push(
    finding(
      'epoch-date',
      iso === undefined
        ? `${raw} epoch seconds is past the year 9999${Number(raw) > 1e11 ? ' (milliseconds?)' : ''}: write the date in ISO 8601, as in 2026-12-31T23:59:59Z.`
        : `${raw} epoch seconds is ${iso}${milliseconds ? ' (is it milliseconds?)' : ''}: ISO 8601 says the date plainly; use "${iso}".`,
      ...at,
      undefined,
      iso === undefined || milliseconds ? undefined : { suggestions: [iso], target: token(value) },
    ),
  );
}

/** A range with bits set after its prefix: IAM ignores them (Access Analyzer's IMPROVE_IP_RANGE). */
function checkHostBits(context: KeyContext, value: Node, raw: string, cidr: Cidr): void {
  if (!cidr.explicitPrefix || !hasHostBits(cidr)) return;
  const network = networkText(cidr);
  context.findings.push(
    finding(
      'cidr-host-bits',
      `${raw} has bits set after its /${cidr.prefix} prefix, which IAM ignores: the range is ${network}; write that, or /${cidr.version === 4 ? 32 : 128} for the one address.`,
      ...inside(value),
      undefined,
      value.type === 'string' ? { suggestions: [network], target: token(value), sure: true } : undefined,
    ),
  );
}

/** Private ranges under aws:SourceIp, which holds public addresses only. */
function reportPrivateRanges(context: KeyContext, ranges: Node[], publicRanges: number): void {
  if (context.lower !== 'aws:sourceip') return;
  const negated = isNegated(context.operator.base!);
  const all = publicRanges === 0;
  for (const range of ranges) {
    const effect = !all ? 'this range never matches' : negated ? `so ${context.operator.text} is true for every request` : 'so the condition is never true';
    context.findings.push(
      finding(
        'private-source-ip',
        `${String(range.value)} is private: aws:SourceIp holds only public addresses (requests from a VPC endpoint have aws:VpcSourceIp instead), ${effect}.`,
        ...inside(range),
      ),
    );
  }
}

/** NumericLessThan ["2700", "3600"]: any value may match, so only the loosest counts (Access Analyzer's REDUNDANT_CONDITION_VALUE_NUM). */
function checkRedundantNumbers(context: KeyContext, values: Node): void {
  const name = context.operator.base!.name;
  const less = name === 'NumericLessThan' || name === 'NumericLessThanEquals';
  if (!less && name !== 'NumericGreaterThan' && name !== 'NumericGreaterThanEquals') return;
  const numbers = values
    .children!.map((node) => ({ node, number: Number(node.value) }))
    .filter((entry) => (entry.node.type === 'string' || entry.node.type === 'number') && NUMBER.test(String(entry.node.value)));
  if (numbers.length < 2 || numbers.length !== values.children!.length) return;
  const best = numbers.reduce((kept, entry) => ((less ? entry.number > kept.number : entry.number < kept.number) ? entry : kept));
  for (const entry of numbers) {
    if (entry === best) continue;
    const raw = String(entry.node.value);
    context.findings.push(
      finding(
        'redundant-condition-value',
        `${raw} adds nothing: ${name} is true when any value matches, and ${String(best.node.value)} already covers it.`,
        entry.node.offset,
        entry.node.length,
        undefined,
        { edits: [removeProperty(context.text, entry.node)], label: raw },
      ),
    );
  }
}

/** What some keys hold: Regions, VPC ids, KMS key ARNs, service principals; and wildcards in sensitive keys. */
function checkKeyValue(context: KeyContext, value: Node, raw: string): void {
  const { findings, data, lower } = context;
  const base = context.operator.base;
  const wildcard = /[*?]/.test(raw);
  if (/^aws:calledvia(first|last)?$/.test(lower) && value.type === 'string' && !SERVICE_PRINCIPAL.test(raw) && raw !== '*') {
    findings.push(
      finding(
        'invalid-condition-value',
        `${data?.key ?? context.key} values are service principals in the form service.amazonaws.com, such as cloudformation.amazonaws.com; ${JSON.stringify(raw)} never matches.`,
        ...inside(value),
      ),
    );
  } else if (lower === 'aws:requestedregion' && value.type === 'string' && base?.family === 'String') {
    checkRegion(context, value, raw);
  } else if ((lower === 'aws:sourcevpc' || lower === 'aws:ec2instancesourcevpc') && !wildcard && !VPC_ID.test(raw)) {
    findings.push(
      finding(
        'invalid-condition-value',
        `${JSON.stringify(raw)} is not a VPC id: ${data?.key ?? context.key} values are vpc- and 8 or 17 letters and digits, as in vpc-1a2b3c4d.`,
        ...inside(value),
      ),
    );
  } else if (lower === 'aws:sourcevpce' && !wildcard && !VPCE_ID.test(raw)) {
    findings.push(
      finding(
        'invalid-condition-value',
        `${JSON.stringify(raw)} is not a VPC endpoint id: aws:SourceVpce values are vpce- and 8 or 17 letters and digits, as in vpce-1a2b3c4d.`,
        ...inside(value),
      ),
    );
  } else if (
    data !== undefined &&
    (data.type === 'ARN' || data.type === 'ArrayOfARN') &&
    /kms/i.test(data.key) &&
    /key/i.test(data.key.slice(data.key.indexOf(':'))) &&
    (wildcard ? raw.includes(':alias/') : !KMS_KEY_ARN.test(raw))
  ) {
    findings.push(
      finding(
        'invalid-condition-value',
        `${JSON.stringify(raw)} is not a KMS key ARN: ${data.key} holds the key's ARN (arn:aws:kms:region:account:key/key-id), so a key id or an alias never matches.`,
        ...inside(value),
      ),
    );
  }
  checkSensitiveWildcard(context, value, raw);
}

/** aws:RequestedRegion values: Regions AWS has (or patterns that match one). */
function checkRegion(context: KeyContext, value: Node, raw: string): void {
  const base = context.operator.base!;
  const ignoreCase = base.name.endsWith('IgnoreCase');
  if (takesWildcards(base) && /[*?]/.test(raw)) {
    const pattern = new RegExp(
      `^${raw
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    if (REGIONS.some((region) => pattern.test(region))) return;
    context.findings.push(finding('unknown-region', `${JSON.stringify(raw)} matches no AWS Region: aws:RequestedRegion never matches it.`, ...inside(value)));
    return;
  }
  if (isRegion(ignoreCase ? raw.toLowerCase() : raw)) return;
  const suggestion = closest(raw, REGIONS);
  context.findings.push(
    finding(
      'unknown-region',
      `${JSON.stringify(raw)} is not an AWS Region${suggestion !== undefined ? ` (did you mean ${suggestion}?)` : ''}: aws:RequestedRegion never has this value.`,
      ...inside(value),
      undefined,
      suggestion === undefined ? undefined : { suggestions: [suggestion], target: token(value) },
    ),
  );
}

/** Whether the statement lets more in when the condition is true: an Allow that matches, or a Deny that must not. */
function permissive(context: KeyContext): boolean {
  const negated = context.operator.base !== undefined && isNegated(context.operator.base);
  return (context.info.effect === 'Allow' && !negated) || (context.info.effect === 'Deny' && negated);
}

/** aws:PrincipalOrgID "o-*" and the like (Access Analyzer's WILDCARD_USAGE_TOO_PERMISSIVE). */
function checkSensitiveWildcard(context: KeyContext, value: Node, raw: string): void {
  const base = context.operator.base;
  if (base === undefined || !takesWildcards(base) || !SENSITIVE_KEYS.has(context.lower) || !permissive(context)) return;
  const unique = raw.replace(ID_SCAFFOLD, '');
  if (!raw.includes('*') || /[^*?]/.test(unique)) return;
  context.findings.push(
    finding(
      'sensitive-key-wildcard',
      `${JSON.stringify(raw)} matches every ${describeSensitive(context.key)}: ${context.key} then lets anyone in; name yours.`,
      ...inside(value),
    ),
  );
}

/** `${aws:PrincipalOrgID}` compared with itself, or a value the caller sets (Access Analyzer's VARIABLE_USAGE_TOO_PERMISSIVE). */
function checkSensitiveVariable(context: KeyContext, value: Node, variable: string): void {
  if (!SENSITIVE_KEYS.has(context.lower) || !permissive(context)) return;
  const self = variable.toLowerCase() === context.lower;
  if (!self && !REQUEST_VARIABLE.test(variable)) return;
  const why = self ? `compares ${context.key} with itself, which always matches` : `is set by the caller in the request`;
  context.findings.push(
    finding(
      'sensitive-key-wildcard',
      `\${${variable}} ${why}: ${context.key} then lets anyone in; name the ${describeSensitive(context.key)} you mean.`,
      ...inside(value),
    ),
  );
}

function describeSensitive(key: string): string {
  const lower = key.toLowerCase();
  if (lower.includes('orgpaths')) return 'organization path';
  if (lower.includes('orgid')) return 'organization';
  if (lower.includes('account')) return 'account';
  if (lower === 'aws:userid') return 'user or role';
  if (lower.includes('vpce')) return 'VPC endpoint';
  return 'VPC';
}
