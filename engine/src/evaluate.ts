/**
 * The offline simulator: whether one policy allows one request (an action on a resource, with
 * the context keys given), in the order the IAM User Guide documents ("Policy evaluation
 * logic", "Determining whether a request is allowed or denied within an account"):
 *
 * 1. A statement applies when its action matches (Action: some entry matches; NotAction: none
 *    does; case-insensitive, * and ? wildcards), its resource matches (Resource: some entry;
 *    NotResource: none; part by part, case-sensitive, a wildcard never spans a colon) and every
 *    condition holds (operators and keys combine with AND, a key's values with OR).
 * 2. An applying Deny decides: explicitly denied, whatever else allows it.
 * 3. Else an applying Allow decides: allowed.
 * 4. Else the request is denied implicitly: not allowed.
 *
 * Conditions, as "IAM JSON policy elements: Condition operators" has them: a key absent from the
 * request makes a condition false, except that a negated operator (StringNotEquals, ArnNotLike…)
 * is then true, ...IfExists is true, and Null tests exactly that. ForAllValues is true when every
 * request value matches some policy value (and when the key is absent or empty); ForAnyValue when
 * some request value does (false when absent). A key given several values without a set
 * operator is compared as ForAnyValue would. Policy variables (`${aws:username}`, with
 * `${key, 'default'}` and the escapes `${*}`, `${?}`, `${$}`) are put in place from the request in
 * Resource and in the values of string and ARN operators, under Version 2012-10-17 only; one with
 * no value makes its resource match nothing (IAM: "any attempt to match it fails") and its
 * condition value match nothing, so negated operators hold ("Inverted condition operators like
 * StringNotEquals … do match against a null value").
 *
 * One policy alone: no other policies, permissions boundaries, SCPs or session policies, and no
 * principals (a statement with Principal is taken to name the caller; the result says so).
 */
import { parseArn } from './arn';
import { isNegated, parseOperator, type OperatorFamily } from './conditions';
import { addressInRange } from './ip';
import type { Node } from './json';
import { allStrings, findProperty, propertyValue, stringValues, type PolicyView } from './model';

export interface SimulationRequest {
  /** `service:ActionName`. */
  action: string;
  /** The resource's ARN, or `*` for an action that takes no resource. */
  resource: string;
  /** Context keys (case-insensitive) and their values; several values for multivalued keys. */
  context?: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision = 'allowed' | 'explicit-deny' | 'implicit-deny';

export interface StatementVerdict {
  index: number;
  sid?: string;
  offset: number;
  length: number;
  effect: 'Allow' | 'Deny' | null;
  /** Whether it applies to the request (action, resource and conditions all match). */
  applies: boolean;
  action: boolean;
  resource: boolean;
  /** Undefined when not reached (the action or resource did not match). */
  conditions: boolean | undefined;
  /** Why it does or does not apply, in one sentence. */
  reason: string;
}

export interface SimulationResult {
  decision: Decision;
  /** The statements that decide: the applying Deny statements, else the applying Allow statements. */
  deciding: number[];
  statements: StatementVerdict[];
  /** What this answer does not take into account (principals, an old Version…). */
  notes: string[];
  /** One sentence: "Allowed by statement 1 (ReadReports)." */
  summary: string;
}

export interface SimulateOptions {
  /** Whether the document's Version allows policy variables; read from the document when not given. */
  version?: string;
}

/** The request's context with lower-case keys, values as lists. */
type Context = Map<string, string[]>;

function contextOf(request: SimulationRequest): Context {
  const context: Context = new Map();
  for (const [key, value] of Object.entries(request.context ?? {})) {
    const values = typeof value === 'string' ? [value] : [...value];
    const lower = key.toLowerCase();
    context.set(lower, [...(context.get(lower) ?? []), ...values]);
  }
  return context;
}

export function simulate(policy: PolicyView | undefined, request: SimulationRequest, options: SimulateOptions = {}): SimulationResult {
  const version = options.version ?? (policy === undefined ? undefined : (propertyValue(findProperty(policy.root, 'Version'))?.value as string | undefined));
  const variables = version === '2012-10-17';
  const context = contextOf(request);
  const notes: string[] = [];
  const statements: StatementVerdict[] = (policy?.statements ?? []).map((node, index) => evaluateStatement(node, index, request, context, variables));
  if (policy?.statements.some((node) => findProperty(node, 'Principal') !== undefined || findProperty(node, 'NotPrincipal') !== undefined)) {
    notes.push('Principals are not matched: a statement with Principal or NotPrincipal is taken to name the caller.');
  }
  const mentionsVariables = (node: Node): boolean =>
    ['Resource', 'NotResource', 'Condition'].some((element) =>
      allStrings(propertyValue(findProperty(node, element))).some((value) => String(value.value).includes('${')),
    );
  if (!variables && policy?.statements.some(mentionsVariables)) {
    notes.push('The document is not "Version": "2012-10-17": policy variables are plain text in it.');
  }
  notes.push('This policy alone: other policies, permissions boundaries, SCPs, RCPs and session policies are not taken into account.');
  const denies = statements.filter((verdict) => verdict.applies && verdict.effect === 'Deny').map((verdict) => verdict.index);
  const allows = statements.filter((verdict) => verdict.applies && verdict.effect === 'Allow').map((verdict) => verdict.index);
  const name = (index: number): string => {
    const sid = statements[index].sid;
    return sid === undefined ? `statement ${index + 1}` : `statement ${index + 1} (${sid})`;
  };
  const names = (indexes: number[]): string => indexes.map(name).join(', ');
  const what = `${request.action} on ${request.resource}`;
  if (denies.length > 0) {
    return {
      decision: 'explicit-deny',
      deciding: denies,
      statements,
      notes,
      summary: `Denied explicitly: ${names(denies)} ${denies.length === 1 ? 'denies' : 'deny'} ${what}${allows.length > 0 ? `, although ${names(allows)} ${allows.length === 1 ? 'allows' : 'allow'} it` : ''}.`,
    };
  }
  if (allows.length > 0) {
    return {
      decision: 'allowed',
      deciding: allows,
      statements,
      notes,
      summary: `Allowed: ${names(allows)} ${allows.length === 1 ? 'allows' : 'allow'} ${what}.`,
    };
  }
  return { decision: 'implicit-deny', deciding: [], statements, notes, summary: `Not allowed: no statement allows ${what}, so IAM denies it implicitly.` };
}

function evaluateStatement(node: Node, index: number, request: SimulationRequest, context: Context, variables: boolean): StatementVerdict {
  const sid = propertyValue(findProperty(node, 'Sid'))?.value;
  const effectValue = propertyValue(findProperty(node, 'Effect'))?.value;
  const effect = effectValue === 'Allow' || effectValue === 'Deny' ? effectValue : null;
  const verdict: StatementVerdict = {
    index,
    ...(typeof sid === 'string' && sid !== '' ? { sid } : {}),
    offset: node.offset,
    length: node.length,
    effect,
    applies: false,
    action: false,
    resource: false,
    conditions: undefined,
    reason: '',
  };
  if (effect === null) {
    verdict.reason = 'It has no valid Effect: IAM rejects such a document.';
    return verdict;
  }
  // Action / NotAction.
  const actionProperty = findProperty(node, 'Action') ?? findProperty(node, 'NotAction');
  const notAction = actionProperty?.children?.[0]?.value === 'NotAction';
  const actionEntries = stringValues(propertyValue(actionProperty)).map((entry) => entry.value as string);
  const named = actionEntries.filter((entry) => actionMatches(entry, request.action));
  verdict.action = notAction ? named.length === 0 : named.length > 0;
  if (!verdict.action) {
    verdict.reason = notAction ? `Its NotAction lists ${named[0]}, which matches ${request.action}.` : `Its Action does not match ${request.action}.`;
    return verdict;
  }
  // Resource / NotResource (none: the resource the policy is attached to).
  const resourceProperty = findProperty(node, 'Resource') ?? findProperty(node, 'NotResource');
  if (resourceProperty === undefined) {
    verdict.resource = true;
  } else {
    const notResource = resourceProperty.children?.[0]?.value === 'NotResource';
    let unresolved: string | undefined;
    let matched: string | undefined;
    for (const entry of stringValues(propertyValue(resourceProperty))) {
      const pattern = entry.value as string;
      const result = matchValue(pattern, request.resource, context, variables, 'arn');
      if (result === 'unresolved') unresolved ??= pattern;
      else if (result) matched ??= pattern;
    }
    if (unresolved !== undefined && matched === undefined) {
      verdict.reason = `${unresolved} has a policy variable with no value in the request: the statement does not apply.`;
      return verdict;
    }
    verdict.resource = notResource ? matched === undefined : matched !== undefined;
    if (!verdict.resource) {
      verdict.reason = notResource
        ? `Its NotResource lists ${matched}, which matches ${request.resource}.`
        : `Its Resource does not match ${request.resource}.`;
      return verdict;
    }
  }
  // Condition.
  const failed = failingCondition(propertyValue(findProperty(node, 'Condition')), context, variables);
  verdict.conditions = failed === undefined;
  if (failed !== undefined) {
    verdict.reason = `Its condition ${failed} does not hold for this request.`;
    return verdict;
  }
  verdict.applies = true;
  verdict.reason = `It ${effect === 'Allow' ? 'allows' : 'denies'} ${request.action} on ${request.resource}${propertyValue(findProperty(node, 'Condition')) !== undefined ? ', and its conditions hold' : ''}.`;
  return verdict;
}

function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  return compile(pattern.split(''), true, true).test(action);
}

/**
 * A pattern as a regular expression: literal parts escaped, * and ? as wildcards when
 * `wildcards`. The parts are characters of the pattern or, for a variable, its value (never a
 * wildcard).
 */
function compile(parts: ReadonlyArray<string | { literal: string }>, wildcards: boolean, ignoreCase: boolean): RegExp {
  let source = '';
  for (const part of parts) {
    if (typeof part !== 'string') source += escape(part.literal);
    else if (wildcards && part === '*') source += '[^]*';
    else if (wildcards && part === '?') source += '[^]';
    else source += escape(part);
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/**
 * A policy value with its variables put in place from the request: characters, and the
 * variables' values as literals. Undefined when a variable has no value and no default.
 */
function substitute(value: string, context: Context, variables: boolean): Array<string | { literal: string }> | undefined {
  const parts: Array<string | { literal: string }> = [];
  for (let i = 0; i < value.length; i++) {
    if (variables && value[i] === '$' && value[i + 1] === '{') {
      const close = value.indexOf('}', i + 2);
      if (close > 0) {
        const body = value.slice(i + 2, close);
        if (ESCAPES[body] !== undefined) {
          parts.push({ literal: ESCAPES[body] });
        } else {
          const comma = body.indexOf(',');
          const key = (comma < 0 ? body : body.slice(0, comma)).trim().toLowerCase();
          const fallback = comma < 0 ? undefined : /^\s*'([^']*)'\s*$/.exec(body.slice(comma + 1))?.[1];
          const found = context.get(key);
          // A multivalued key cannot stand for one value.
          const resolved = found !== undefined && found.length === 1 ? found[0] : fallback;
          if (resolved === undefined) return undefined;
          parts.push({ literal: resolved });
        }
        i = close;
        continue;
      }
    }
    parts.push(value[i]);
  }
  return parts;
}

type Comparison = 'string' | 'string-ignore-case' | 'string-like' | 'arn';

/** Whether a policy value (with wildcards and variables) matches a request value; 'unresolved' for a variable with no value. */
function matchValue(pattern: string, value: string, context: Context, variables: boolean, comparison: Comparison): boolean | 'unresolved' {
  const parts = substitute(pattern, context, variables);
  if (parts === undefined) return 'unresolved';
  switch (comparison) {
    case 'string':
      return compile(parts, false, false).test(value);
    case 'string-ignore-case':
      return compile(parts, false, true).test(value);
    case 'string-like':
      return compile(parts, true, false).test(value);
    case 'arn':
      return arnMatches(parts, value);
  }
}

/** ArnLike / ArnEquals and Resource: part by part, case-sensitive; `*` on its own is every resource. */
function arnMatches(parts: ReadonlyArray<string | { literal: string }>, value: string): boolean {
  if (parts.length === 1 && parts[0] === '*') return true;
  // Split the pattern at its first five colons (outside variables' values, which are literals).
  const segments: Array<Array<string | { literal: string }>> = [[]];
  for (const part of parts) {
    if (part === ':' && segments.length < 6) segments.push([]);
    else segments[segments.length - 1].push(part);
  }
  const arn = parseArn(value);
  if (segments.length < 6 || arn === undefined) return compile(parts, true, false).test(value);
  const target = ['arn', arn.partition, arn.service, arn.region, arn.account, arn.resource];
  return segments.every((segment, index) => compile(segment, true, false).test(target[index]));
}

/** The first condition that does not hold, in words; undefined when all hold. */
function failingCondition(condition: Node | undefined, context: Context, variables: boolean): string | undefined {
  if (condition?.type !== 'object') return undefined;
  for (const operatorProperty of condition.children ?? []) {
    const operatorText = operatorProperty.children?.[0]?.value;
    const block = operatorProperty.children?.[1];
    if (typeof operatorText !== 'string' || block?.type !== 'object') return `${String(operatorText)} (not an operator block)`;
    for (const keyProperty of block.children ?? []) {
      const key = keyProperty.children?.[0]?.value;
      const valueNode = keyProperty.children?.[1];
      if (typeof key !== 'string' || valueNode === undefined) continue;
      const policyValues = (valueNode.type === 'array' ? (valueNode.children ?? []) : [valueNode])
        .filter((item) => item.type !== 'object' && item.type !== 'array')
        .map((item) => String(item.value));
      const requestValues = context.get(key.toLowerCase());
      const holds = conditionHolds(
        operatorText,
        requestValues !== undefined && requestValues.length > 0 ? requestValues : undefined,
        policyValues,
        context,
        variables,
      );
      if (!holds) return `${operatorText} ${key} ${JSON.stringify(policyValues.length === 1 ? policyValues[0] : policyValues)}`;
    }
  }
  return undefined;
}

/** One operator on one key: the request's values (undefined when the key is absent) against the policy's. */
export function conditionHolds(
  operatorText: string,
  requestValues: readonly string[] | undefined,
  policyValues: readonly string[],
  context: Context = new Map(),
  variables = true,
): boolean {
  const operator = parseOperator(operatorText);
  // An operator IAM does not have: IAM rejects the document; nothing holds.
  if (operator.base === undefined) return false;
  const base = operator.base;
  if (base.family === 'Null') {
    const absent = requestValues === undefined;
    return policyValues.some((value) => (value.toLowerCase() === 'true' ? absent : value.toLowerCase() === 'false' ? !absent : false));
  }
  const negated = isNegated(base);
  const compare = comparator(base.name, base.family, context, variables);
  // Whether one request value matches one of the policy values (by the positive operator).
  const matchesAny = (value: string): boolean => policyValues.some((policyValue) => compare(value, policyValue));
  if (operator.setPrefix === 'ForAllValues:') {
    if (requestValues === undefined) return true;
    return requestValues.every((value) => (negated ? !matchesAny(value) : matchesAny(value)));
  }
  if (operator.setPrefix === 'ForAnyValue:') {
    if (requestValues === undefined) return operator.ifExists;
    return requestValues.some((value) => (negated ? !matchesAny(value) : matchesAny(value)));
  }
  if (requestValues === undefined) return operator.ifExists || negated;
  const any = requestValues.some(matchesAny);
  return negated ? !any : any;
}

/** How the positive form of an operator compares one request value with one policy value. */
function comparator(name: string, family: OperatorFamily, context: Context, variables: boolean): (value: string, policyValue: string) => boolean {
  const positive = name.replace('Not', '');
  switch (family) {
    case 'String': {
      const comparison: Comparison = positive === 'StringLike' ? 'string-like' : positive === 'StringEqualsIgnoreCase' ? 'string-ignore-case' : 'string';
      return (value, policyValue) => matchValue(policyValue, value, context, variables, comparison) === true;
    }
    case 'Arn':
      return (value, policyValue) => matchValue(policyValue, value, context, variables, 'arn') === true;
    case 'Numeric':
      return (value, policyValue) => compareOrdered(positive, numberOf(value), numberOf(policyValue));
    case 'Date':
      return (value, policyValue) => compareOrdered(positive.replace('Date', 'Numeric'), dateOf(value), dateOf(policyValue));
    case 'Bool':
      return (value, policyValue) => value.toLowerCase() === policyValue.toLowerCase();
    case 'Binary':
      return (value, policyValue) => value.replace(/=+$/, '') === policyValue.replace(/=+$/, '');
    case 'IpAddress':
      return (value, policyValue) => addressInRange(value, policyValue);
    case 'Null':
      return () => false;
  }
}

function compareOrdered(operator: string, value: number, policyValue: number): boolean {
  if (Number.isNaN(value) || Number.isNaN(policyValue)) return false;
  switch (operator) {
    case 'NumericEquals':
      return value === policyValue;
    case 'NumericLessThan':
      return value < policyValue;
    case 'NumericLessThanEquals':
      return value <= policyValue;
    case 'NumericGreaterThan':
      return value > policyValue;
    case 'NumericGreaterThanEquals':
      return value >= policyValue;
    default:
      return false;
  }
}

function numberOf(text: string): number {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : NaN;
}

/** ISO 8601 (`2026-01-31T12:00:00Z`, `2026-01-31`) or epoch seconds, in milliseconds. */
function dateOf(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return NaN;
  return Date.parse(trimmed);
}
