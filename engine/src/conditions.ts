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
  /** Why IAM would reject it, if it would. */
  problem?: string;
  /** The canonical spelling when only the case is wrong. */
  suggestion?: string;
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
  for (const prefix of SET_PREFIXES) {
    if (rest.startsWith(prefix)) {
      setPrefix = prefix;
      rest = rest.slice(prefix.length);
    }
  }
  const result: ParsedOperator = { text, setPrefix, base: undefined, ifExists: false };
  if (rest.includes(':')) {
    const prefix = rest.slice(0, rest.indexOf(':') + 1);
    const fixed = SET_PREFIXES.find((candidate) => candidate.toLowerCase() === prefix.toLowerCase());
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
    result.problem = canonical !== undefined
      ? `Condition operator ${JSON.stringify(text)} must be written ${JSON.stringify(result.suggestion)}: operator names are case-sensitive.`
      : `${JSON.stringify(text)} is not a condition operator IAM has (StringEquals, StringLike, ArnLike, NumericLessThan, DateGreaterThan, Bool, IpAddress, Null, ..., with IfExists and ForAllValues:/ForAnyValue:).`;
    return result;
  }
  if (base.family === 'Null' && result.ifExists) {
    result.problem = 'NullIfExists is not an operator: Null already tests whether the key exists.';
    result.base = undefined;
    return result;
  }
  result.base = base;
  return result;
}
