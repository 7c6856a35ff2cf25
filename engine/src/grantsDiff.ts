/**
 * The semantic diff of two versions of a policy: what the new one grants that the old one does
 * not, and what it stops granting, as actions with the resources they are granted on, the most
 * sensitive access levels first ("adds iam:PassRole on *; removes s3:DeleteObject on
 * arn:aws:s3:::logs/*"). The offline counterpart of Access Analyzer's CheckNoNewAccess, for the
 * push flow before an overwrite and for `iam-policy-lint diff`.
 *
 * Each action's grants are compared after the document's own Deny statements (see ./grants.ts):
 * a Deny without conditions takes its resources out of a grant; a Deny with conditions only
 * narrows, so it changes nothing here. A new grant counts as already there when an old grant of
 * the same action covers its resources, without conditions or with the same ones; anything
 * else is an addition (a grant that gains or loses conditions is one too). Resource coverage
 * is decided soundly (./arn.ts's resourceCovers), so what cannot be decided shows as a change,
 * never as none.
 */
import { isEveryResource, resourceCovers } from './arn';
import { resourcesIntersect } from './glob';
import { ACCESS_LEVELS, describeCondition, describeScope, scopeRelation, type AccessLevel, type PolicyGrants, type ResourceScope } from './grants';

/** One action granted on some resources: added by the new version, or removed from the old. */
export interface GrantChange {
  /** `iam:PassRole`; for an entry that names no action of the catalog, the entry as written. */
  action: string;
  /** The access level; undefined for an entry the catalog does not know. */
  level: AccessLevel | undefined;
  /** The resources, as a scope (patterns, or NotResource's exclusions). */
  scope: ResourceScope;
  /** The scope in words: `*`, `arn:aws:s3:::logs/*`, `every resource but …`. */
  resource: string;
  /** The conditions of the grant, one line each; empty when it has none. */
  conditions: string[];
}

export interface GrantsDiff {
  added: GrantChange[];
  removed: GrantChange[];
  /** False when a service either version needs was not loaded: the diff may miss actions. */
  complete: boolean;
}

/** A grant of one action, after the document's Deny statements. */
interface Effective {
  scope: ResourceScope;
  conditions: string[];
  conditionText: string;
  /** Resources an unconditional Deny takes out of it. */
  except: ResourceScope[];
}

interface ActionGrants {
  action: string;
  level: AccessLevel | undefined;
  grants: Effective[];
}

/** Every action a document grants, with its effective grants, by lower-case action. */
function effectiveGrants(policy: PolicyGrants): Map<string, ActionGrants> {
  const result = new Map<string, ActionGrants>();
  const statements = policy.statements;
  for (const grant of policy.services.flatMap((service) => policy.actionsOf(service.prefix))) {
    if (grant.denial === 'all') continue;
    const unconditionalDenies = grant.deniedBy.filter((index) => statements[index].conditions.length === 0);
    const effective: Effective[] = [];
    for (const index of grant.allowedBy) {
      const statement = statements[index];
      const except: ResourceScope[] = [];
      let removed = false;
      for (const deny of unconditionalDenies) {
        const relation = scopeRelation(statement.resources, statements[deny].resources);
        if (relation === 'covers') removed = true;
        else if (relation === 'overlaps') except.push(statements[deny].resources);
      }
      if (removed) continue;
      const conditions = statement.conditions.map(describeCondition);
      effective.push({ scope: statement.resources, conditions, conditionText: conditions.join('; '), except });
    }
    if (effective.length === 0) continue;
    const name = `${grant.action.service}:${grant.action.name}`;
    result.set(name.toLowerCase(), { action: name, level: grant.level, grants: effective });
  }
  // Entries the catalog does not know are compared as written.
  for (const statement of statements) {
    if (statement.effect !== 'Allow') continue;
    for (const text of statement.unresolved) {
      const key = text.toLowerCase();
      const conditions = statement.conditions.map(describeCondition);
      const entry = result.get(key) ?? { action: text, level: undefined, grants: [] };
      entry.grants.push({ scope: statement.resources, conditions, conditionText: conditions.join('; '), except: [] });
      result.set(key, entry);
    }
  }
  return result;
}

/** Whether `general` names every resource `specific` names (sure when true). */
export function scopeCovers(general: ResourceScope, specific: ResourceScope): boolean {
  if (general.implied || specific.implied) return general.implied && specific.implied;
  if (!general.not && general.patterns.some(isEveryResource)) return true;
  if (!general.not && !specific.not) return specific.patterns.every((s) => general.patterns.some((g) => resourceCovers(g, s)));
  if (general.not && !specific.not) return specific.patterns.every((s) => !general.patterns.some((x) => resourcesIntersect(s, x)));
  if (general.not && specific.not) return general.patterns.every((x) => specific.patterns.some((y) => resourceCovers(y, x)));
  return false;
}

/** The parts of a grant's scope compared one by one: each pattern, or a NotResource scope whole. */
function units(scope: ResourceScope): ResourceScope[] {
  if (scope.not || scope.implied) return [scope];
  return scope.patterns.map((pattern) => ({ not: false, implied: false, patterns: [pattern] }));
}

/** Whether an exception (a Deny's resources) still holds in a grant: one of its exceptions covers it. */
function stillExcepted(exception: ResourceScope, grant: Effective): boolean {
  return grant.except.some((other) => scopeCovers(other, exception));
}

function overlaps(a: ResourceScope, b: ResourceScope): boolean {
  return scopeRelation(a, b) !== 'disjoint';
}

/** What `after` grants beyond `before`, for one action. */
function gained(action: ActionGrants, before: ActionGrants | undefined): GrantChange[] {
  const changes: GrantChange[] = [];
  const add = (scope: ResourceScope, grant: Effective): void => {
    changes.push({ action: action.action, level: action.level, scope, resource: describeScope(scope), conditions: grant.conditions });
  };
  for (const grant of action.grants) {
    for (const unit of units(grant.scope)) {
      const covering = (before?.grants ?? []).filter(
        (old) => scopeCovers(old.scope, unit) && (old.conditionText === '' || old.conditionText === grant.conditionText),
      );
      if (covering.length === 0) {
        add(unit, grant);
        continue;
      }
      // Covered, unless the old grant had a Deny take resources out of it that the new one grants.
      const freed = covering.every((old) => old.except.some((exception) => overlaps(unit, exception) && !stillExcepted(exception, grant)));
      if (!freed) continue;
      for (const exception of covering[0].except) if (overlaps(unit, exception) && !stillExcepted(exception, grant)) add(exception, grant);
    }
  }
  return changes;
}

/** The semantic diff: what `after` grants that `before` does not (added), and the reverse (removed). */
export function diffGrants(before: PolicyGrants, after: PolicyGrants): GrantsDiff {
  const old = effectiveGrants(before);
  const current = effectiveGrants(after);
  const added: GrantChange[] = [];
  const removed: GrantChange[] = [];
  for (const [key, action] of current) added.push(...gained(action, old.get(key)));
  for (const [key, action] of old) removed.push(...gained(action, current.get(key)));
  return { added: added.sort(byLevelThenAction), removed: removed.sort(byLevelThenAction), complete: before.complete && after.complete };
}

function levelRank(level: AccessLevel | undefined): number {
  return level === undefined ? ACCESS_LEVELS.length : ACCESS_LEVELS.indexOf(level);
}

function byLevelThenAction(a: GrantChange, b: GrantChange): number {
  return levelRank(a.level) - levelRank(b.level) || a.action.localeCompare(b.action, 'en') || a.resource.localeCompare(b.resource, 'en');
}

/**
 * Whether an addition is one of those accepted: `ACTION` or `ACTION=RESOURCE`, the action a
 * pattern (case-insensitive, * and ?), the resource a pattern that must cover the grant's.
 */
export function changeAccepted(change: GrantChange, accepted: string): boolean {
  const equals = accepted.indexOf('=');
  const actionPattern = equals < 0 ? accepted : accepted.slice(0, equals);
  const resourcePattern = equals < 0 ? undefined : accepted.slice(equals + 1);
  const source = actionPattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  if (!new RegExp(`^${source}$`).test(change.action.toLowerCase())) return false;
  return resourcePattern === undefined || scopeCovers({ not: false, implied: false, patterns: [resourcePattern] }, change.scope);
}

/** One grant change as text: `iam:PassRole on *`, with its conditions. */
export function describeChange(change: GrantChange): string {
  return describeGroup({ action: change.action, level: change.level, resources: [change.resource], conditions: change.conditions });
}

/** The changes of one action with the same conditions, on several resources. */
export interface GroupedChange {
  action: string;
  level: AccessLevel | undefined;
  resources: string[];
  conditions: string[];
}

/** Changes grouped by action and conditions, in their order (they come sorted by level, action, resource). */
export function groupChanges(changes: readonly GrantChange[]): GroupedChange[] {
  const groups: GroupedChange[] = [];
  for (const change of changes) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last.action === change.action && last.conditions.join('\n') === change.conditions.join('\n'))
      last.resources.push(change.resource);
    else groups.push({ action: change.action, level: change.level, resources: [change.resource], conditions: change.conditions });
  }
  return groups;
}

function listWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `s3:PutBucketPolicy on arn:aws:s3:::a and arn:aws:s3:::a/*`, with its conditions. */
export function describeGroup(group: GroupedChange): string {
  return `${group.action} on ${listWords(group.resources)}${group.conditions.length > 0 ? ` when ${group.conditions.join(' and ')}` : ''}`;
}

/** Counts of changes per access level, most sensitive first: "1 Permissions management, 2 Write". */
export function countByLevel(changes: readonly GrantChange[]): string {
  const counts = new Map<string, Set<string>>();
  for (const change of changes) {
    const level = change.level ?? 'not in the catalog';
    const set = counts.get(level) ?? new Set<string>();
    set.add(change.action.toLowerCase());
    counts.set(level, set);
  }
  return [...ACCESS_LEVELS, 'not in the catalog']
    .filter((level) => counts.has(level))
    .map((level) => `${counts.get(level)!.size} ${level}`)
    .join(', ');
}

function distinctActions(changes: readonly GrantChange[]): number {
  return new Set(changes.map((change) => change.action.toLowerCase())).size;
}

/**
 * The diff in one sentence, the most sensitive first, at most `limit` changes named:
 * "adds iam:PassRole on *; removes s3:DeleteObject on arn:aws:s3:::logs/*".
 */
export function diffSentence(diff: GrantsDiff, limit = 6): string {
  if (diff.added.length === 0 && diff.removed.length === 0) return 'grants the same actions on the same resources';
  const parts: string[] = [];
  for (const [verb, changes] of [
    ['adds', diff.added],
    ['removes', diff.removed],
  ] as const) {
    if (changes.length === 0) continue;
    const groups = groupChanges(changes);
    const shown = groups.slice(0, limit).map(describeGroup);
    const more = groups.length - shown.length;
    parts.push(`${verb} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  return parts.join('; ');
}

/** "Adds 3 actions (1 Permissions management, 2 Write); removes 1 action (1 Write)." */
export function diffHeadline(diff: GrantsDiff): string {
  if (diff.added.length === 0 && diff.removed.length === 0) return 'Grants the same actions on the same resources.';
  const parts: string[] = [];
  for (const [verb, changes] of [
    ['Adds', diff.added],
    ['removes', diff.removed],
  ] as const) {
    if (changes.length === 0) continue;
    const n = distinctActions(changes);
    parts.push(`${parts.length === 0 ? verb : verb.toLowerCase()} ${n} action${n === 1 ? '' : 's'} (${countByLevel(changes)})`);
  }
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}
