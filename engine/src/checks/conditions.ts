/**
 * Condition blocks: operators IAM has (Errors otherwise), keys with a service prefix
 * (Errors otherwise), and against the catalog: unknown keys, keys the statement's actions do
 * not support, operators and values of the wrong type, set operators (Warnings).
 */
import { conditionKeyVariable, type ActionData, type Catalog, type ConditionKeyData } from '../catalog';
import { operatorNames, parseOperator, type OperatorFamily } from '../conditions';
import { finding, type Report } from '../findings';
import type { Node } from '../json';
import { closest } from '../similar';
import type { StatementInfo } from '../statements';
import { findVariables } from '../variables';
import { inside, token } from './actions';
import { describe } from './elements';

/** Global keys that only some actions support (the others are in every request context). */
const ACTION_SPECIFIC_GLOBALS = /^aws:(RequestTag\/|ResourceTag\/|TagKeys$)/i;

/** Which operator families suit a key type. */
const FAMILIES_FOR_TYPE: Record<string, OperatorFamily[]> = {
  String: ['String'],
  ArrayOfString: ['String'],
  ARN: ['Arn'],
  ArrayOfARN: ['Arn'],
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

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const IPV6 = /^[0-9a-fA-F:.]{2,45}(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** What aws:CalledVia holds: service.amazonaws.com (one label), .amazon.com or .amazonaws.com.cn. */
const SERVICE_PRINCIPAL = /^[a-z0-9*?-]+\.(amazonaws\.com|amazon\.com|amazonaws\.com\.cn)$/;

export function checkConditions(text: string, infos: readonly StatementInfo[], catalog: Catalog | undefined, missing: Set<string>, languageVersion: string | undefined): Report[] {
  const findings: Report[] = [];
  for (const info of infos) {
    const condition = info.condition;
    if (condition?.type !== 'object') continue;
    for (const operatorProperty of condition.children!) {
      const operatorKey = operatorProperty.children![0];
      const operator = parseOperator(operatorKey.value as string);
      if (operator.problem !== undefined) {
        // A wrong case or set prefix has one sure spelling (named by the problem itself);
        // otherwise the closest operator IAM has, with the set prefix kept.
        const prefix = operator.setPrefix ?? '';
        const guess = operator.suggestion === undefined ? closest(operator.text.slice(prefix.length), operatorNames()) : undefined;
        const suggestion = operator.suggestion ?? (guess === undefined ? undefined : prefix + guess);
        findings.push(finding('unknown-operator', operator.problem + (suggestion !== undefined && !operator.problem.includes(JSON.stringify(suggestion)) ? ` Did you mean ${suggestion}?` : ''), ...inside(operatorKey), undefined,
          suggestion === undefined ? undefined : { suggestions: [suggestion], sure: operator.suggestion !== undefined, target: token(operatorKey) }));
      }
      const block = operatorProperty.children![1];
      if (block === undefined) continue;
      if (block.type !== 'object') {
        findings.push(finding('invalid-element-value', `The ${operatorKey.value as string} block must be an object of condition keys and values, as in {"aws:SourceIp": "203.0.113.0/24"}, not ${describe(block)}.`, block.offset, block.length));
        continue;
      }
      for (const keyProperty of block.children!) {
        const keyNode = keyProperty.children![0];
        const values = keyProperty.children![1];
        checkKey(text, info, operator, keyNode, values, catalog, missing, languageVersion, findings);
      }
    }
  }
  return findings;
}

function checkKey(
  text: string,
  info: StatementInfo,
  operator: ReturnType<typeof parseOperator>,
  keyNode: Node,
  values: Node | undefined,
  catalog: Catalog | undefined,
  missing: Set<string>,
  languageVersion: string | undefined,
  findings: Report[],
): void {
  const key = keyNode.value as string;
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) {
    findings.push(finding('invalid-condition-key', `Condition key ${JSON.stringify(key)} has no service prefix: keys are prefix:name, as in aws:SourceIp or s3:prefix ("Conditions must be prefaced by a vendor").`, ...inside(keyNode)));
    checkValues(text, undefined, operator.base?.family, key, values, languageVersion, findings);
    return;
  }
  const vendor = key.slice(0, colon).toLowerCase();
  let data: ConditionKeyData | undefined;
  if (catalog !== undefined) {
    if (vendor === 'aws') {
      data = catalog.globalConditionKey(key);
      if (data === undefined) reportUnknownKey(keyNode, key, catalog, findings);
    } else if (catalog.hasService(vendor)) {
      if (!catalog.isLoaded(vendor)) {
        missing.add(vendor);
      } else if (catalog.service(vendor) !== undefined) {
        data = catalog.conditionKey(key);
        if (data === undefined) reportUnknownKey(keyNode, key, catalog, findings);
      }
    }
  }
  if (data !== undefined) {
    const family = operator.base?.family;
    const allowed = FAMILIES_FOR_TYPE[data.type];
    // ARN operators on string keys are fine: many string keys (tags, encryption context)
    // hold ARNs. The other way round, string operators on ARN keys, is what IAM warns about.
    const arnOnString = family === 'Arn' && (data.type === 'String' || data.type === 'ArrayOfString');
    if (family !== undefined && family !== 'Null' && allowed !== undefined && !allowed.includes(family) && !arnOnString) {
      findings.push(finding('operator-type-mismatch', `${data.key} is ${describeType(data.type)} key, but ${operator.text} compares ${family === 'Arn' ? 'ARNs' : family === 'IpAddress' ? 'IP addresses' : `${family.toLowerCase()} values`}: use ${SUGGESTED_OPERATOR[data.type]}.`, ...inside(keyNode)));
    }
    const multivalued = data.type.startsWith('ArrayOf');
    if (operator.setPrefix !== undefined && !multivalued && family !== undefined) {
      findings.push(finding('set-operator-mismatch', `${operator.setPrefix} is for multivalued keys, and ${data.key} has one value per request: drop the prefix (with ForAllValues: the condition is also true when the key is absent).`, ...inside(keyNode)));
    } else if (operator.setPrefix === undefined && multivalued && family !== undefined && family !== 'Null') {
      findings.push(finding('set-operator-mismatch', `${data.key} can have several values in one request: say whether any or all must match, with ForAnyValue:${operator.text} or ForAllValues:${operator.text}.`, ...inside(keyNode)));
    }
    if (/^aws:MultiFactorAuthPresent$/i.test(key) && operator.base?.name === 'Bool' && !operator.ifExists && values !== undefined && valueList(values).some((value) => String(value.value).toLowerCase() === 'false')) {
      findings.push(finding('mfa-condition-pattern', 'aws:MultiFactorAuthPresent is absent, not false, for long-term access keys, so Bool "false" misses them: use BoolIfExists "false" to deny, or Bool "true" to allow.', ...inside(keyNode)));
    }
    if (info.granted !== undefined && info.granted.length > 0 && (vendor !== 'aws' || ACTION_SPECIFIC_GLOBALS.test(key))) {
      if (!info.granted.some((action) => supports(action, key, catalog!))) {
        findings.push(finding('condition-key-not-supported', `None of this statement's actions supports ${data.key}: ${info.effect === 'Deny' ? 'the Deny never applies' : 'the statement never allows anything'} when the key is required.`, ...inside(keyNode)));
      } else if (info.effect === 'Allow' && !operator.ifExists && family !== 'Null') {
        // Named actions without the key are never allowed by this statement (Access Analyzer
        // suggests moving them to a statement without the condition).
        const unsupported = info.actions.filter((entry) => !entry.wildcard && entry.vendor !== undefined && entry.name !== undefined &&
          catalog!.service(entry.vendor)?.actions.get(entry.name.toLowerCase()) !== undefined &&
          !supports(catalog!.service(entry.vendor)!.actions.get(entry.name.toLowerCase())!, key, catalog!));
        for (const entry of unsupported) {
          findings.push(finding('condition-key-partly-supported', `${entry.text} does not support ${data.key}, so this statement never allows it: move it to a statement without this condition.`, ...inside(entry.node)));
        }
      }
    }
  }
  checkValues(text, data, operator.base?.family, key, values, languageVersion, findings);
}

function reportUnknownKey(keyNode: Node, key: string, catalog: Catalog, findings: Report[]): void {
  const vendor = key.slice(0, key.indexOf(':')).toLowerCase();
  const service = catalog.service(vendor);
  const candidates = vendor === 'aws'
    ? catalog.globalConditionKeys().map((data) => data.key)
    : [...(service?.conditionKeys.values() ?? [])].map((data) => data.key);
  const suggestion = closest(key, candidates);
  const owner = vendor === 'aws' ? 'the global condition keys' : `${service?.name ?? vendor}`;
  findings.push(finding('unknown-condition-key', `${JSON.stringify(key)} is not a condition key of ${owner}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ''}: the condition is never true when IAM requires the key.`, ...inside(keyNode)));
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

function valueList(values: Node): Node[] {
  return values.type === 'array' ? values.children! : [values];
}

function checkValues(text: string, data: ConditionKeyData | undefined, family: OperatorFamily | undefined, key: string, values: Node | undefined, languageVersion: string | undefined, findings: Report[]): void {
  if (values === undefined) return;
  if (values.type === 'array' && values.children!.length === 0) {
    findings.push(finding('invalid-condition-value', `${key} has no values: the condition can never be true.`, values.offset, values.length));
  }
  for (const value of valueList(values)) {
    if (value.type === 'object' || value.type === 'array' || value.type === 'null') {
      findings.push(finding('invalid-element-value', `Condition values are strings, numbers or true/false, not ${describe(value)}.`, value.offset, value.length));
      continue;
    }
    const raw = String(value.value);
    if (value.type === 'string' && raw.includes('${')) {
      for (const variable of findVariables(raw)) {
        const offset = rawOffset(text, value, variable.start);
        if (variable.problem !== undefined) {
          findings.push(finding('invalid-policy-variable', variable.problem, offset, variable.end - variable.start));
        } else if (!variable.escape && languageVersion !== '2012-10-17') {
          findings.push(finding('invalid-policy-variable', `\${${variable.key}} is plain text here: IAM substitutes policy variables only under "Version": "2012-10-17".`, offset, variable.end - variable.start));
        }
      }
      continue; // the value is only known at request time
    }
    const problem = valueProblem(family, raw, value.type);
    if (problem !== undefined) {
      findings.push(finding('invalid-condition-value', problem, ...(value.type === 'string' ? inside(value) : [value.offset, value.length] as [number, number])));
    } else if (/^aws:CalledVia(First|Last)?$/i.test(key) && value.type === 'string' && !SERVICE_PRINCIPAL.test(raw) && raw !== '*') {
      findings.push(finding('invalid-condition-value', `${data?.key ?? key} values are service principals in the form service.amazonaws.com, such as cloudformation.amazonaws.com; ${JSON.stringify(raw)} never matches.`, ...inside(value)));
    }
  }
}

function rawOffset(text: string, node: Node, index: number): number {
  const raw = text.slice(node.offset, node.offset + node.length);
  return raw.indexOf('\\') >= 0 ? node.offset + 1 : node.offset + 1 + index;
}

function valueProblem(family: OperatorFamily | undefined, raw: string, type: string): string | undefined {
  switch (family) {
    case 'Numeric':
      return type === 'number' || NUMBER.test(raw) ? undefined : `${JSON.stringify(raw)} is not a number: numeric operators compare numbers such as 3600.`;
    case 'Date':
      return type === 'number' || DATE.test(raw) || /^\d+$/.test(raw) ? undefined : `${JSON.stringify(raw)} is not a date: use ISO 8601 (2026-12-31T23:59:59Z) or epoch seconds.`;
    case 'Bool':
    case 'Null':
      return type === 'boolean' || /^(true|false)$/i.test(raw) ? undefined : `${JSON.stringify(raw)} is not "true" or "false".`;
    case 'IpAddress':
      return IPV4.test(raw) || (raw.includes(':') && IPV6.test(raw)) ? undefined : `${JSON.stringify(raw)} is not an IP address or CIDR range such as 203.0.113.0/24 or 2001:db8::/32.`;
    case 'Arn':
      return raw === '*' || raw.startsWith('arn:') ? undefined : `${JSON.stringify(raw)} is not an ARN: ARN operators compare values such as arn:aws:iam::123456789012:role/*.`;
    case 'Binary':
      return BASE64.test(raw) ? undefined : `${JSON.stringify(raw)} is not base-64: BinaryEquals compares base-64 encoded bytes.`;
    default:
      return undefined;
  }
}

/** "a Boolean", "an ARN"...: the key type with its article. */
function describeType(type: string): string {
  switch (type) {
    case 'ArrayOfString': return 'a multivalued string';
    case 'ArrayOfARN': return 'a multivalued ARN';
    case 'ArrayOfBool': return 'a multivalued Boolean';
    case 'Bool': return 'a Boolean';
    case 'IPAddress': return 'an IP address';
    case 'ARN': return 'an ARN';
    default: return `a ${type.toLowerCase()}`;
  }
}
