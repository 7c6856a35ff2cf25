/**
 * Which findings on a template's policy still hold when some of its values are unknown until
 * the stack is deployed (`!Ref`, `!GetAtt`, a `${Name}` of `!Sub`), rendered as `*`.
 *
 * No finding may rest on an unknown value: it could be anything. So
 * - a finding on an unknown part itself (the ARN of a `!Sub` with a `${Bucket}` in it, a
 *   principal that is a `!GetAtt`) is dropped;
 * - a rule that looks only at the value it reports (an action's name, a condition key, a
 *   Sid), or at keys, which are never intrinsics, keeps its findings elsewhere;
 * - a rule that weighs one element against another (actions against resources, a condition
 *   key against the actions, a grant against its principal) keeps a finding only when the
 *   elements it weighs in that statement hold no unknown part;
 * - the Version decides how policy variables read: unknown, those findings go;
 * - a number or a Boolean written as a plain YAML scalar gives no Error (whether
 *   CloudFormation sends it as such or as a string is not certain).
 */
import type { Finding } from '../findings';
import type { Node } from '../json';
import type { PolicyView } from '../model';
import type { Code } from '../rules';

/** The elements a rule may weigh: Action, Resource, Principal, Condition, Effect. */
type Group = 'A' | 'R' | 'P' | 'C' | 'E';

const ALL: readonly Group[] = ['A', 'R', 'P', 'C', 'E'];

/** Rules that look only at the value they report (or at keys, the kind, the catalog). */
const LOCAL: ReadonlySet<Code> = new Set<Code>([
  'disallowed-character',
  'invalid-sid',
  'sid-characters',
  'empty-sid',
  'duplicate-sid',
  'sid-not-unique',
  'invalid-arn-entity-name',
  'unknown-element',
  'invalid-version',
  'missing-version',
  'old-version',
  'missing-statement',
  'empty-statement',
  'invalid-effect',
  'missing-action',
  'missing-resource',
  'conflicting-elements',
  'principal-in-identity-policy',
  'resource-in-trust-policy',
  'principal-in-scp',
  'scp-action-wildcard',
  'missing-principal',
  'invalid-element-value',
  'invalid-principal',
  'empty-principal',
  'principal-wildcard-arn',
  'principal-unique-id',
  'not-principal-in-trust-policy',
  'federated-principal-outside-trust',
  'federated-principal-format',
  'service-principal-format',
  'invalid-action',
  'unknown-service',
  'unknown-action',
  'wildcard-matches-nothing',
  'action-case',
  'rcp-unsupported-action',
  'action-outside-policy-service',
  'invalid-resource',
  'invalid-arn',
  'malformed-arn',
  'arn-service-case',
  'arn-format-mismatch',
  'resource-outside-policy-service',
  'unknown-operator',
  'invalid-condition-key',
  'unknown-condition-key',
  'invalid-condition-value',
  'irrelevant-condition-key',
  'malformed-date',
  'epoch-date',
  'null-if-exists',
  'duplicate-condition-key',
  'empty-condition',
  'wildcard-condition',
  'wildcard-without-like',
  'string-like-on-arn-key',
  'cidr-host-bits',
  'unknown-region',
  'deprecated-condition-key',
  'untrustworthy-condition-key',
  'sensitive-key-wildcard',
  'invalid-policy-variable',
]);

/** The elements the other rules weigh; a rule not listed here or above weighs them all. */
const WEIGHS: Partial<Record<Code, readonly Group[]>> = {
  'redundant-action': ['A'],
  'redundant-resource': ['R'],
  'action-matches-no-resource': ['A', 'R'],
  'resource-matches-no-action': ['A', 'R'],
  'resource-type-mismatch': ['A', 'R'],
  'condition-key-not-supported': ['A', 'C', 'E'],
  'condition-key-partly-supported': ['A', 'C', 'E'],
  'deny-condition-key-partly-supported': ['A', 'C', 'E'],
  'condition-key-needs-action': ['A', 'C', 'E'],
  'operator-type-mismatch': ['A', 'C'],
  'set-operator-mismatch': ['A', 'C'],
  'private-source-ip': ['C'],
  'redundant-condition-value': ['C'],
  'federated-action-mismatch': ['A', 'P'],
  'roles-anywhere-trust-actions': ['A', 'P'],
  'redundant-trust-principal': ['P'],
};

/**
 * Rules that weigh their statement against another one, named by their first related place:
 * both must hold no unknown part (two statements whose unknowns both render as * would look
 * the same).
 */
const WEIGHS_RELATED_STATEMENT: ReadonlySet<Code> = new Set<Code>(['redundant-statement']);

/** Rules that read the Version. */
const VERSION_RULES: ReadonlySet<Code> = new Set<Code>(['invalid-version', 'missing-version', 'old-version', 'invalid-policy-variable']);

const ELEMENT_GROUPS: Readonly<Record<string, Group>> = {
  Action: 'A',
  NotAction: 'A',
  Resource: 'R',
  NotResource: 'R',
  Principal: 'P',
  NotPrincipal: 'P',
  Condition: 'C',
  Effect: 'E',
};

export interface UnknownContext {
  /** Unknown stretches of the rendering, sorted. */
  unknowns: ReadonlyArray<[number, number]>;
  /** Numbers and Booleans of uncertain type (see RAtom), sorted. */
  uncertain: ReadonlyArray<[number, number]>;
  policy: PolicyView | undefined;
}

/** Whether [offset, offset + length) meets one of the sorted ranges. */
function meets(ranges: ReadonlyArray<[number, number]>, offset: number, length: number): boolean {
  const end = length > 0 ? offset + length : offset + 1;
  for (const [start, stop] of ranges) {
    if (start >= end) return false;
    if (stop > offset) return true;
  }
  return false;
}

/** The groups of a statement's elements that hold an unknown stretch. */
function unknownGroups(statement: Node, unknowns: ReadonlyArray<[number, number]>): Set<Group> {
  const groups = new Set<Group>();
  for (const property of statement.children ?? []) {
    const group = ELEMENT_GROUPS[String(property.children?.[0]?.value)];
    const value = property.children?.[1];
    if (group !== undefined && value !== undefined && meets(unknowns, value.offset, value.length)) groups.add(group);
  }
  return groups;
}

/** Keeps the findings that hold whatever the unknown values turn out to be. */
export function findingsThatHold(findings: readonly Finding[], context: UnknownContext): Finding[] {
  const { unknowns, uncertain, policy } = context;
  if (unknowns.length === 0 && uncertain.length === 0) return [...findings];
  const root = policy?.root;
  const version = root?.children?.find((property) => property.children?.[0]?.value === 'Version')?.children?.[1];
  const versionUnknown = version !== undefined && meets(unknowns, version.offset, version.length);
  const statements = policy?.statements ?? [];
  const groupsOf = new Map<Node, Set<Group>>();
  const statementAt = (offset: number): Node | undefined =>
    statements.find((statement) => statement.offset <= offset && offset < statement.offset + statement.length);
  return findings.filter((item) => {
    if (item.severity === 'error' && meets(uncertain, item.offset, item.length)) return false;
    if (unknowns.length === 0) return true;
    if (meets(unknowns, item.offset, item.length)) return false;
    if (versionUnknown && VERSION_RULES.has(item.code)) return false;
    if (LOCAL.has(item.code)) return true;
    const weighs = WEIGHS[item.code] ?? ALL;
    const holds = (offset: number): boolean => {
      const statement = statementAt(offset);
      if (statement === undefined) return false; // a finding on the whole policy weighs all of it
      let groups = groupsOf.get(statement);
      if (groups === undefined) {
        groups = unknownGroups(statement, unknowns);
        groupsOf.set(statement, groups);
      }
      return !weighs.some((group) => groups.has(group));
    };
    if (!holds(item.offset)) return false;
    const other = item.related?.[0];
    return !WEIGHS_RELATED_STATEMENT.has(item.code) || (other !== undefined && holds(other.offset));
  });
}
