/** Condition operators: what IAM has, and what each compares. */

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

export interface OperatorInfo {
  name: string;
  family: OperatorFamily;
  description: string;
}

const list: Array<[string, OperatorFamily, string]> = [
  ['StringEquals', 'String', 'Exact match, case-sensitive.'],
  ['StringNotEquals', 'String', 'Negated exact match, case-sensitive.'],
  ['StringEqualsIgnoreCase', 'String', 'Exact match, ignoring case.'],
  ['StringNotEqualsIgnoreCase', 'String', 'Negated exact match, ignoring case.'],
  ['StringLike', 'String', 'Case-sensitive match with * and ? wildcards.'],
  ['StringNotLike', 'String', 'Negated case-sensitive match with * and ? wildcards.'],
  ['NumericEquals', 'Numeric', 'Number equal to.'],
  ['NumericNotEquals', 'Numeric', 'Number not equal to.'],
  ['NumericLessThan', 'Numeric', 'Number less than.'],
  ['NumericLessThanEquals', 'Numeric', 'Number less than or equal to.'],
  ['NumericGreaterThan', 'Numeric', 'Number greater than.'],
  ['NumericGreaterThanEquals', 'Numeric', 'Number greater than or equal to.'],
  ['DateEquals', 'Date', 'Date equal to (ISO 8601 or epoch seconds).'],
  ['DateNotEquals', 'Date', 'Date not equal to.'],
  ['DateLessThan', 'Date', 'Date before.'],
  ['DateLessThanEquals', 'Date', 'Date at or before.'],
  ['DateGreaterThan', 'Date', 'Date after.'],
  ['DateGreaterThanEquals', 'Date', 'Date at or after.'],
  ['Bool', 'Bool', 'Boolean match: "true" or "false".'],
  ['BinaryEquals', 'Binary', 'Byte-for-byte match of a base-64 encoded value.'],
  ['IpAddress', 'IpAddress', 'The IP address is in the range (IPv4 or IPv6, CIDR).'],
  ['NotIpAddress', 'IpAddress', 'The IP address is outside the range.'],
  ['ArnEquals', 'Arn', 'Case-sensitive ARN match; each of the six parts compared separately.'],
  ['ArnLike', 'Arn', 'Case-sensitive ARN match with * and ? wildcards in each part.'],
  ['ArnNotEquals', 'Arn', 'Negated ARN match.'],
  ['ArnNotLike', 'Arn', 'Negated ARN match with wildcards.'],
  ['Null', 'Null', '"true": the key is absent from the request; "false": it is present.'],
];

export const OPERATORS: ReadonlyMap<string, OperatorInfo> = new Map(list.map(([name, family, description]) => [name, { name, family, description }]));

export const SET_PREFIXES = ['ForAllValues:', 'ForAnyValue:'] as const;

export interface ParsedOperator {
  text: string;
  setPrefix: 'ForAllValues:' | 'ForAnyValue:' | undefined;
  base: OperatorInfo | undefined;
  ifExists: boolean;
  /**
   * NullIfExists: `base` is Null. AWS documents IfExists for every operator but Null; IAM's
   * legacy parser strips the suffix and reads Null (moto's policy_validation.py does the same),
   * so it is not a name IAM rejects.
   */
  nullIfExists?: true;
  /** Why IAM would reject it, if it would. */
  problem?: string;
  /** The canonical spelling when only the case is wrong. */
  suggestion?: string;
}

/** Operators that are true when the value does not match, and so when the key is absent (AWS: "Condition operators"). */
const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'NumericNotEquals',
  'DateNotEquals',
  'NotIpAddress',
  'ArnNotEquals',
  'ArnNotLike',
]);

/** Whether the operator is a negated one (StringNotEquals, NotIpAddress, ArnNotLike...). */
export function isNegated(operator: OperatorInfo): boolean {
  return NEGATED.has(operator.name);
}

/** Whether `*` and `?` are wildcards in the operator's values: the Like operators and the ARN ones (ArnEquals too). */
export function takesWildcards(operator: OperatorInfo): boolean {
  return operator.family === 'Arn' || operator.name === 'StringLike' || operator.name === 'StringNotLike';
}

/**
 * Whether a condition with this operator is true when the request has no value for its key:
 * IfExists always; otherwise ForAllValues (an empty set is a subset of anything), and the plain
 * negated operators; ForAnyValue never (AWS: "Condition operators", "Multivalued context keys").
 */
export function trueWhenAbsent(operator: ParsedOperator): boolean {
  if (operator.ifExists) return true;
  if (operator.setPrefix === 'ForAllValues:') return true;
  if (operator.setPrefix === 'ForAnyValue:') return false;
  return operator.base !== undefined && isNegated(operator.base);
}

/** All spellings IAM accepts, for completion and "did you mean". */
export function operatorNames(): string[] {
  const names: string[] = [];
  for (const info of OPERATORS.values()) {
    names.push(info.name);
    if (info.family !== 'Null') names.push(`${info.name}IfExists`);
  }
  return names;
}

export function parseOperator(text: string): ParsedOperator {
  let rest = text;
  let setPrefix: ParsedOperator['setPrefix'];
  // One prefix at most: IAM strips the first it finds, so ForAllValues:ForAnyValue:StringEquals
  // is left with a name that has a colon (moto's _strip_condition_key, "strip only the first").
  const first = SET_PREFIXES.find((candidate) => rest.startsWith(candidate));
  if (first !== undefined) {
    setPrefix = first;
    rest = rest.slice(first.length);
  }
  const result: ParsedOperator = { text, setPrefix, base: undefined, ifExists: false };
  if (rest.includes(':')) {
    const prefix = rest.slice(0, rest.indexOf(':') + 1);
    const fixed = SET_PREFIXES.find((candidate) => candidate.toLowerCase() === prefix.toLowerCase());
    if (setPrefix !== undefined && fixed !== undefined) {
      result.problem = `${JSON.stringify(text)} has two set operator prefixes: IAM takes one, ForAllValues: or ForAnyValue:.`;
      return result;
    }
    result.problem = `${JSON.stringify(prefix)} is not a set operator prefix: IAM has ForAllValues: and ForAnyValue:.`;
    if (fixed !== undefined) result.suggestion = fixed + rest.slice(prefix.length);
    return result;
  }
  let base = OPERATORS.get(rest);
  if (base === undefined && rest.endsWith('IfExists')) {
    base = OPERATORS.get(rest.slice(0, -'IfExists'.length));
    result.ifExists = base !== undefined;
  }
  if (base === undefined) {
    const lower = rest.toLowerCase();
    const canonical = operatorNames().find((name) => name.toLowerCase() === lower);
    if (canonical !== undefined) result.suggestion = (setPrefix ?? '') + canonical;
    result.problem =
      canonical !== undefined
        ? `Condition operator ${JSON.stringify(text)} must be written ${JSON.stringify(result.suggestion)}: operator names are case-sensitive.`
        : `${JSON.stringify(text)} is not a condition operator IAM has (StringEquals, StringLike, ArnLike, NumericLessThan, DateGreaterThan, Bool, IpAddress, Null, ..., with IfExists and ForAllValues:/ForAnyValue:).`;
    return result;
  }
  if (base.family === 'Null' && result.ifExists) result.nullIfExists = true;
  result.base = base;
  return result;
}
