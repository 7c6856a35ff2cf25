/**
 * What a policy grants, computed offline from the service catalog: each statement's actions
 * (wildcards and NotAction expanded, case-insensitively), by service and access level, with
 * its resources and conditions; then, for the document, what its Deny statements take away
 * where the document alone decides it.
 *
 * How a Deny counts, per action and per Allow statement that grants it:
 * - a Deny without conditions whose resources cover the Allow's removes that grant;
 * - one that covers part of them (a prefix of a bucket, say) leaves the grant "partly denied";
 * - a Deny with conditions narrows the grant, it never removes it: whether it applies depends on
 *   the request (IAM User Guide, Policy evaluation logic: an explicit Deny applies only when its
 *   conditions match).
 * Resource patterns are compared soundly (./arn.ts's resourceCovers for coverage, ./glob.ts for
 * overlap): a grant is called removed only when it surely is.
 *
 * What the summary means depends on the kind of policy: an identity policy's is what its holder
 * may do; a resource-based policy's what the principals it names may do (principals are not
 * matched here); an SCP's or RCP's the most that may be allowed under it, as those grant nothing
 * themselves (see `meaningOf`).
 *
 * Statements are expanded once per text (GrantCache); a keystroke changes one statement, and the
 * document's part is a merge of the cached statements.
 */
import type { ActionData, Catalog, ServiceData } from './catalog';
import { isEveryResource, resourceCovers } from './arn';
import { resourcesIntersect } from './glob';
import type { Node } from './json';
import { parseJson } from './json';
import { inferKind, KINDS, type PolicyKind } from './kinds';
import { findProperty, propertyValue, viewPolicy, type PolicyView } from './model';
import { actionsMatching, entryActions, statementInfo, wildcardPattern, type StatementInfo } from './statements';
import { RecencyClock } from './recency';
import { detached } from './strings';

export type AccessLevel = 'Permissions management' | 'Write' | 'Tagging' | 'Read' | 'List';

/** Most sensitive first: the order of the summary and of the semantic diff. */
export const ACCESS_LEVELS: readonly AccessLevel[] = ['Permissions management', 'Write', 'Tagging', 'Read', 'List'];

/**
 * The access level of an action as the IAM console's summary shows it. The catalog writes some
 * as two ("Permissions management, Write", "Tagging, Write"): the first is the one that says
 * more, as the console's policy summary counts them.
 */
export function accessLevelOf(action: ActionData): AccessLevel {
  const level = action.accessLevel;
  if (level.includes('Permissions management')) return 'Permissions management';
  if (level.includes('Tagging')) return 'Tagging';
  if (level === 'Read' || level === 'List') return level;
  // Write, and a level the catalog does not name: counted with the writes, the cautious side.
  return 'Write';
}

/** The resources of a statement. */
export interface ResourceScope {
  /** NotResource: every resource but `patterns`. */
  not: boolean;
  patterns: string[];
  /**
   * No Resource or NotResource (a role trust policy, or a resource-based policy that names
   * none): the resource the policy is attached to, shown as "this resource".
   */
  implied: boolean;
}

/** One key of a statement's Condition: `StringEquals aws:PrincipalTag/team ["dev"]`. */
export interface ConditionTerm {
  operator: string;
  key: string;
  values: string[];
}

/** A statement's actions in one service: some of them (in the service's order), or all. */
export type ServiceActions = readonly ActionData[] | 'all';

/** What a statement names, expanded: the part that depends on its text and the catalog only. */
export interface StatementExpansion {
  effect: 'Allow' | 'Deny' | undefined;
  notAction: boolean;
  /**
   * The actions named (Action), or every action but those (NotAction), by service prefix:
   * "all" when every action of the service is, which keeps "*" at one entry per service.
   */
  services: ReadonlyMap<string, ServiceActions>;
  /** How many actions, per access level. */
  counts: LevelCounts;
  actionCount: number;
  /** Entries that name no action of the catalog (an unknown service or action, a pattern that matches nothing). */
  unresolved: string[];
  resources: ResourceScope;
  conditions: ConditionTerm[];
  /** Services the expansion needed that were not loaded: it is incomplete until they are. */
  missing: string[];
}

/** A statement of the document, expanded, with where it is. */
export interface StatementGrant extends StatementExpansion {
  /** Its position among the document's statements (0-based). */
  index: number;
  sid: string | undefined;
  offset: number;
  length: number;
}

/**
 * Statement expansions remembered by the statement's text, for one document (the language
 * server keeps one per open document), so a keystroke expands one statement.
 */
export class GrantCache {
  private catalog: Catalog | undefined;
  private readonly byText = new Map<string, { expansion: StatementExpansion; used: number }>();
  /** Ticks once per expansion of the document (expandStatements); each entry notes the tick that used it. */
  private readonly clock = new RecencyClock();

  /** An expansion of the document begins; now and then, what the recent ones did not use is forgotten (recency.ts). */
  startExpansion(): void {
    if (!this.clock.tick()) return;
    for (const [text, entry] of this.byText) if (this.clock.stale(entry.used)) this.byText.delete(text);
  }

  get(text: string, catalog: Catalog): StatementExpansion | undefined {
    if (catalog !== this.catalog) {
      this.catalog = catalog;
      this.byText.clear();
    }
    const found = this.byText.get(text);
    if (found === undefined) return undefined;
    // Expanded while a service was loading: expand again once it is there.
    if (found.expansion.missing.some((prefix) => catalog.isLoaded(prefix))) {
      this.byText.delete(text);
      return undefined;
    }
    found.used = this.clock.now;
    return found.expansion;
  }

  set(text: string, expansion: StatementExpansion): void {
    // More than any document's statements; each edited statement's version adds an expansion.
    if (this.byText.size > 5_000) this.byText.clear();
    // A copy: the statement's text is a slice that would keep this version of the document alive.
    this.byText.set(detached(text), { expansion, used: this.clock.now });
  }
}

const levelTotals = new WeakMap<ServiceData, LevelCounts>();

/** A service's actions counted per access level. */
export function serviceLevelTotals(service: ServiceData): LevelCounts {
  let totals = levelTotals.get(service);
  if (totals === undefined) {
    totals = emptyCounts();
    for (const action of service.actions.values()) totals[accessLevelOf(action)]++;
    levelTotals.set(service, totals);
  }
  return totals;
}

const sortedActions = new WeakMap<ServiceData, ActionData[]>();

/** A service's actions by name. */
export function actionsByName(service: ServiceData): readonly ActionData[] {
  let sorted = sortedActions.get(service);
  if (sorted === undefined) {
    sorted = [...service.actions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    sortedActions.set(service, sorted);
  }
  return sorted;
}

/** The actions of a service a statement names, one by one. */
export function listActions(service: ServiceData, actions: ServiceActions): readonly ActionData[] {
  return actions === 'all' ? actionsByName(service) : actions;
}

/** Expands one statement's actions, resources and conditions against the catalog. */
export function expandStatement(info: StatementInfo, catalog: Catalog): StatementExpansion {
  const missing = new Set<string>();
  const unresolved: string[] = [];
  const named = new Map<string, Set<ActionData> | 'all'>();
  if (info.actionElement === 'NotAction') {
    everyActionBut(info, catalog, missing, named);
  } else {
    for (const entry of info.actions) {
      if (entry.all) {
        for (const prefix of catalog.servicePrefixes()) {
          if (catalog.service(prefix) === undefined) noteMissing(catalog, prefix, missing);
          else named.set(prefix, 'all');
        }
        continue;
      }
      const resolved = entryActions(entry, catalog);
      if (resolved === undefined) {
        unresolved.push(detached(entry.text));
        continue;
      }
      const service = resolved.service;
      if (service === undefined) {
        noteMissing(catalog, entry.vendor!, missing);
        continue;
      }
      const matched = resolved.matched;
      if (matched.length === 0) unresolved.push(detached(entry.text));
      const set = named.get(service.prefix);
      if (set === 'all') continue;
      if (matched.length === service.actions.size) {
        named.set(service.prefix, 'all');
        continue;
      }
      const into = set ?? new Set<ActionData>();
      for (const action of matched) into.add(action);
      named.set(service.prefix, into.size === service.actions.size ? 'all' : into);
    }
  }
  const services = new Map<string, ServiceActions>();
  const counts = emptyCounts();
  let actionCount = 0;
  for (const prefix of [...named.keys()].sort()) {
    const service = catalog.service(prefix)!;
    const value = named.get(prefix)!;
    if (value === 'all') {
      if (service.actions.size === 0) continue;
      services.set(prefix, 'all');
      const totals = serviceLevelTotals(service);
      for (const level of ACCESS_LEVELS) counts[level] += totals[level];
      actionCount += service.actions.size;
    } else if (value.size > 0) {
      const list = [...value].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      services.set(prefix, list);
      for (const action of list) counts[accessLevelOf(action)]++;
      actionCount += list.length;
    }
  }
  return {
    effect: info.effect,
    notAction: info.actionElement === 'NotAction',
    services,
    counts,
    actionCount,
    unresolved,
    resources: {
      not: info.resourceElement === 'NotResource',
      patterns: info.resources.map((node) => detached(node.value as string)),
      implied: info.resourceElement === undefined,
    },
    conditions: conditionTerms(info.condition),
    missing: [...missing],
  };
}

function noteMissing(catalog: Catalog, prefix: string, missing: Set<string>): void {
  if (!catalog.isLoaded(prefix)) missing.add(prefix.toLowerCase());
}

/** NotAction: every action of every service but those its entries match. */
function everyActionBut(info: StatementInfo, catalog: Catalog, missing: Set<string>, named: Map<string, Set<ActionData> | 'all'>): void {
  if (info.actions.some((entry) => entry.all)) return;
  const excluded = new Map<string, string[]>();
  for (const entry of info.actions) {
    if (entry.vendor === undefined || entry.name === undefined) continue;
    const names = excluded.get(entry.vendor) ?? [];
    names.push(entry.name);
    excluded.set(entry.vendor, names);
  }
  for (const prefix of catalog.servicePrefixes()) {
    const service = catalog.service(prefix);
    if (service === undefined) {
      noteMissing(catalog, prefix, missing);
      continue;
    }
    const names = excluded.get(prefix);
    if (names === undefined) {
      named.set(prefix, 'all');
      continue;
    }
    const left = new Set(service.actions.values());
    for (const name of names) for (const action of actionsMatching(service, name)) left.delete(action);
    named.set(prefix, left.size === service.actions.size ? 'all' : left);
  }
}

/** The operator → key → values of a Condition object, values as text. */
export function conditionTerms(condition: Node | undefined): ConditionTerm[] {
  const terms: ConditionTerm[] = [];
  if (condition?.type !== 'object') return terms;
  for (const operatorProperty of condition.children ?? []) {
    const operator = operatorProperty.children?.[0]?.value;
    const block = operatorProperty.children?.[1];
    if (typeof operator !== 'string' || block?.type !== 'object') continue;
    for (const keyProperty of block.children ?? []) {
      const key = keyProperty.children?.[0]?.value;
      const value = keyProperty.children?.[1];
      if (typeof key !== 'string' || value === undefined) continue;
      const items = value.type === 'array' ? (value.children ?? []) : [value];
      terms.push({
        operator: detached(operator),
        key: detached(key),
        values: items.filter((item) => item.type !== 'object' && item.type !== 'array').map((item) => detached(String(item.value))),
      });
    }
  }
  return terms;
}

/** A condition term as one line: `StringEquals aws:PrincipalTag/team dev, ops`. */
export function describeCondition(term: ConditionTerm): string {
  return `${term.operator} ${term.key} ${term.values.join(', ')}`.trimEnd();
}

/** The statements of a document, expanded (cached per statement text in `cache`). */
export function expandStatements(text: string, policy: PolicyView | undefined, catalog: Catalog, cache: GrantCache = new GrantCache()): StatementGrant[] {
  const grants: StatementGrant[] = [];
  if (policy === undefined) return grants;
  cache.startExpansion();
  policy.statements.forEach((node, index) => {
    const source = text.slice(node.offset, node.offset + node.length);
    let expansion = cache.get(source, catalog);
    if (expansion === undefined) {
      expansion = expandStatement(statementInfo(node, catalog, new Set()), catalog);
      cache.set(source, expansion);
    }
    const sid = propertyValue(findProperty(node, 'Sid'))?.value;
    grants.push({ ...expansion, index, sid: typeof sid === 'string' && sid !== '' ? sid : undefined, offset: node.offset, length: node.length });
  });
  return grants;
}

/** How the document's Deny statements bear on one action it allows. */
export type Denial =
  /** No Deny names the action where it is allowed. */
  | 'none'
  /** Denies without conditions take away every grant of it: it is not allowed at all. */
  | 'all'
  /** Denies without conditions take away some of its resources (or some of its grants). */
  | 'partly'
  /** Only Denies with conditions touch it: they narrow it, depending on the request. */
  | 'conditionally';

/** One action the document allows (or allowed, before its Deny statements). */
export interface ActionGrant {
  action: ActionData;
  level: AccessLevel;
  /** The Allow statements that grant it (indexes). */
  allowedBy: readonly number[];
  /** The Deny statements that touch it where it is allowed. */
  deniedBy: readonly number[];
  denial: Denial;
}

/** One service a document's Allow statements grant actions of. */
export interface ServiceGrants {
  prefix: string;
  service: ServiceData;
  /** The Allow statements that name some of its actions. */
  allowedBy: number[];
  /** The Deny statements that name some of its actions. */
  deniedBy: number[];
  /** Actions allowed per level, not counting those a Deny takes away entirely. */
  counts: LevelCounts;
  allowed: number;
  /** Actions allowed that Deny statements take away entirely. */
  denied: number;
}

/** What a document grants, per service and per action, after its Deny statements. */
export interface PolicyGrants {
  kind: PolicyKind;
  statements: StatementGrant[];
  /** False while services the document needs are loading: counts may grow. */
  complete: boolean;
  missing: string[];
  /** The services it grants actions of, by prefix. */
  services: ServiceGrants[];
  /** The actions of one service it grants, by name, with the statements that allow and deny each (computed when asked). */
  actionsOf(prefix: string): ActionGrant[];
}

/**
 * The grants of a document's text with every service it needs loaded first: for callers that
 * can wait (the command line, the push flow's diff, tests). The kind is inferred when not given.
 */
export async function policyGrantsFully(text: string, catalog: Catalog, kind?: PolicyKind): Promise<PolicyGrants> {
  const policy = viewPolicy(parseJson(text).root);
  const as = kind ?? inferKind(policy);
  let grants = policyGrants(text, policy, catalog, as);
  for (let round = 0; round < 3 && grants.missing.length > 0; round++) {
    await catalog.load(grants.missing);
    grants = policyGrants(text, policy, catalog, as);
  }
  return grants;
}

/** Expands a document and works out its effective grants. */
export function policyGrants(text: string, policy: PolicyView | undefined, catalog: Catalog, kind: PolicyKind, cache?: GrantCache): PolicyGrants {
  return grantsOf(expandStatements(text, policy, catalog, cache), kind, catalog);
}

/**
 * The effective grants of expanded statements. Per service, the counts come from the
 * statements' lists (a statement that names all of a service answers at once); actions are
 * listed one by one only where Deny statements meet Allows, or when asked (actionsOf).
 */
export function grantsOf(statements: StatementGrant[], kind: PolicyKind, catalog: Catalog): PolicyGrants {
  const allowing = new Map<string, number[]>();
  const denying = new Map<string, number[]>();
  const missing = new Set<string>();
  for (const statement of statements) {
    for (const prefix of statement.missing) missing.add(prefix);
    if (statement.effect === undefined) continue;
    const target = statement.effect === 'Allow' ? allowing : denying;
    for (const prefix of statement.services.keys()) {
      const list = target.get(prefix);
      if (list === undefined) target.set(prefix, [statement.index]);
      else list.push(statement.index);
    }
  }
  const relations = new Relations(statements);
  const memory = new Map<string, ActionGrant[]>();
  const actionsOf = (prefix: string): ActionGrant[] => {
    const lower = prefix.toLowerCase();
    let list = memory.get(lower);
    if (list === undefined) {
      const service = catalog.service(lower);
      const allowedBy = allowing.get(lower);
      list = service === undefined || allowedBy === undefined ? [] : serviceActions(service, statements, allowedBy, denying.get(lower) ?? [], relations);
      memory.set(lower, list);
    }
    return list;
  };
  const services: ServiceGrants[] = [];
  for (const prefix of [...allowing.keys()].sort()) {
    const service = catalog.service(prefix);
    if (service === undefined) continue;
    const allowedBy = allowing.get(prefix)!;
    const deniedBy = denying.get(prefix) ?? [];
    const row: ServiceGrants = { prefix, service, allowedBy, deniedBy, counts: emptyCounts(), allowed: 0, denied: 0 };
    if (deniedBy.length === 0) {
      const union = unionOf(
        service,
        allowedBy.map((index) => statements[index].services.get(prefix)!),
      );
      if (union === 'all') {
        row.counts = { ...serviceLevelTotals(service) };
        row.allowed = service.actions.size;
      } else {
        for (const action of union) row.counts[accessLevelOf(action)]++;
        row.allowed = union.size;
      }
    } else {
      for (const grant of actionsOf(prefix)) {
        if (grant.denial === 'all') row.denied++;
        else {
          row.counts[grant.level]++;
          row.allowed++;
        }
      }
    }
    services.push(row);
  }
  return { kind, statements, complete: missing.size === 0, missing: [...missing].sort(), services, actionsOf };
}

function unionOf(service: ServiceData, lists: readonly ServiceActions[]): Set<ActionData> | 'all' {
  if (lists.some((list) => list === 'all')) return 'all';
  if (lists.length === 1) return new Set(lists[0] as readonly ActionData[]);
  const union = new Set<ActionData>();
  for (const list of lists) for (const action of list as readonly ActionData[]) union.add(action);
  return union.size === service.actions.size ? 'all' : union;
}

/** One service's actions with the statements that allow and deny each; actions that share them share the arrays. */
function serviceActions(
  service: ServiceData,
  statements: StatementGrant[],
  allowedBy: readonly number[],
  deniedBy: readonly number[],
  relations: Relations,
): ActionGrant[] {
  const prefix = service.prefix;
  const membership = (indexes: readonly number[]) => {
    const full: number[] = [];
    const partial: Array<{ index: number; actions: Set<ActionData> }> = [];
    for (const index of indexes) {
      const actions = statements[index].services.get(prefix)!;
      if (actions === 'all') full.push(index);
      else partial.push({ index, actions: new Set(actions) });
    }
    return { full, partial };
  };
  const allow = membership(allowedBy);
  const deny = membership(deniedBy);
  const union = unionOf(
    service,
    allowedBy.map((index) => statements[index].services.get(prefix)!),
  );
  const actions = union === 'all' ? actionsByName(service) : [...union].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const shared = new Map<string, { allowedBy: number[]; deniedBy: number[]; denial: Denial }>();
  const result: ActionGrant[] = [];
  for (const action of actions) {
    const allowList =
      allow.partial.length === 0 ? allow.full : [...allow.full, ...allow.partial.filter((entry) => entry.actions.has(action)).map((entry) => entry.index)];
    const denyList =
      deny.partial.length === 0 ? deny.full : [...deny.full, ...deny.partial.filter((entry) => entry.actions.has(action)).map((entry) => entry.index)];
    const key = `${allowList.join(',')}|${denyList.join(',')}`;
    let entry = shared.get(key);
    if (entry === undefined) {
      const sortedAllow = [...allowList].sort((a, b) => a - b);
      const { denial, deniedBy: touching } = denyList.length === 0 ? { denial: 'none' as const, deniedBy: [] } : relations.denial(sortedAllow, denyList);
      entry = { allowedBy: sortedAllow, deniedBy: touching, denial };
      shared.set(key, entry);
    }
    result.push({ action, level: accessLevelOf(action), allowedBy: entry.allowedBy, deniedBy: entry.deniedBy, denial: entry.denial });
  }
  return result;
}

type Relation = 'covers' | 'overlaps' | 'disjoint';

/** How a Deny statement's resources bear on an Allow statement's, remembered per pair. */
class Relations {
  private readonly memory = new Map<number, Relation>();

  constructor(private readonly statements: StatementGrant[]) {}

  relation(allow: number, deny: number): Relation {
    const key = allow * 65_536 + deny;
    let relation = this.memory.get(key);
    if (relation === undefined) {
      relation = scopeRelation(this.statements[allow].resources, this.statements[deny].resources);
      this.memory.set(key, relation);
    }
    return relation;
  }

  denial(allowedBy: readonly number[], denies: readonly number[]): { denial: Denial; deniedBy: number[] } {
    const deniedBy = new Set<number>();
    let removed = 0;
    let partly = false;
    let conditionally = false;
    for (const allow of allowedBy) {
      let gone = false;
      for (const deny of denies) {
        const relation = this.relation(allow, deny);
        if (relation === 'disjoint') continue;
        deniedBy.add(deny);
        if (this.statements[deny].conditions.length > 0) conditionally = true;
        else if (relation === 'covers') gone = true;
        else partly = true;
      }
      if (gone) removed++;
    }
    const denial: Denial = removed === allowedBy.length ? 'all' : removed > 0 || partly ? 'partly' : conditionally ? 'conditionally' : 'none';
    return { denial, deniedBy: [...deniedBy].sort((a, b) => a - b) };
  }
}

/** Whether a Deny's resources take in all, some or none of an Allow's. */
export function scopeRelation(allow: ResourceScope, deny: ResourceScope): Relation {
  // The resource the policy is attached to: the same one on both sides, or inside any pattern.
  if (deny.implied) return allow.implied ? 'covers' : 'overlaps';
  if (allow.implied) return !deny.not && deny.patterns.some(isEveryResource) ? 'covers' : 'overlaps';
  if (!deny.not) {
    if (deny.patterns.some(isEveryResource)) return 'covers';
    if (!allow.not) {
      if (allow.patterns.every((a) => deny.patterns.some((d) => resourceCovers(d, a)))) return 'covers';
      return allow.patterns.some((a) => deny.patterns.some((d) => resourcesIntersect(a, d))) ? 'overlaps' : 'disjoint';
    }
    // Allow everything but X; a Deny inside X touches nothing allowed.
    return deny.patterns.every((d) => allow.patterns.some((x) => resourceCovers(x, d))) ? 'disjoint' : 'overlaps';
  }
  // Deny everything but Y.
  if (allow.not) return 'overlaps';
  if (allow.patterns.every((a) => !deny.patterns.some((y) => resourcesIntersect(a, y)))) return 'covers';
  return allow.patterns.every((a) => deny.patterns.some((y) => resourceCovers(y, a))) ? 'disjoint' : 'overlaps';
}

/** Counts of actions per access level. */
export type LevelCounts = Record<AccessLevel, number>;

export function emptyCounts(): LevelCounts {
  return { 'Permissions management': 0, Write: 0, Tagging: 0, Read: 0, List: 0 };
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function count(n: number, word: string): string {
  const plural = word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;
  return `${thousands(n)} ${n === 1 ? word : plural}`;
}

/**
 * One line on what a statement grants, for a CodeLens: "Allows 143 actions in 3 services: 12
 * Write, 2 Permissions management". The sensitive levels are named; the rest are List and Read.
 */
export function statementHeadline(statement: StatementExpansion): string {
  const verb = statement.effect === 'Deny' ? 'Denies' : 'Allows';
  if (statement.effect === undefined) return 'Grants nothing: the statement has no valid Effect';
  const counts = statement.counts;
  const total = statement.actionCount;
  let line: string;
  if (total === 0) {
    line = statement.missing.length > 0 ? `${verb} … (the service catalog is loading)` : `${verb} no action of the service catalog`;
  } else {
    line = `${verb} ${count(total, 'action')} in ${count(statement.services.size, 'service')}`;
    const sensitive = (['Write', 'Permissions management', 'Tagging'] as const)
      .filter((level) => counts[level] > 0)
      .map((level) => `${thousands(counts[level])} ${level}`);
    line +=
      sensitive.length > 0 ? `: ${sensitive.join(', ')}` : `: ${counts.Read > 0 && counts.List > 0 ? 'List and Read' : counts.Read > 0 ? 'Read' : 'List'} only`;
  }
  const notes: string[] = [];
  if (statement.notAction) notes.push('NotAction: all but those listed');
  if (statement.resources.not) notes.push(`on every resource but ${count(statement.resources.patterns.length, 'pattern')}`);
  if (statement.conditions.length > 0) notes.push('with conditions');
  if (statement.unresolved.length > 0)
    notes.push(`${count(statement.unresolved.length, 'entry')} ${statement.unresolved.length === 1 ? 'matches' : 'match'} no action`);
  if (statement.missing.length > 0 && total > 0) notes.push('services still loading');
  return notes.length > 0 ? `${line} (${notes.join('; ')})` : line;
}

/** What the summary of a kind of policy stands for, in one sentence. */
export function meaningOf(kind: PolicyKind): string {
  switch (KINDS[kind].family) {
    case 'identity':
      return 'What the users, groups and roles this policy is attached to may do (other policies, boundaries and SCPs can only narrow it).';
    case 'trust':
      return 'What the principals it names may do with the role: assume it, tag the session, set a source identity (principals are not matched here).';
    case 'resource':
      return 'What the principals it names may do with the resource it is attached to (principals are not matched here).';
    case 'scp':
      return 'The most that the accounts under this service control policy may be allowed: an SCP grants nothing itself, their own policies must allow it too.';
    case 'rcp':
      return 'The most that may be done with the resources under this resource control policy: an RCP grants nothing itself.';
  }
}

/** Whether a resource scope is "every resource". */
export function isEveryResourceScope(scope: ResourceScope): boolean {
  return !scope.not && !scope.implied && scope.patterns.some(isEveryResource);
}

/** The scope in words: `*`, `arn:aws:s3:::logs/*`, `every resource but arn:…`, `this resource`. */
export function describeScope(scope: ResourceScope): string {
  if (scope.implied) return 'this resource';
  if (scope.not) return `every resource but ${scope.patterns.join(', ')}`;
  return scope.patterns.join(', ');
}

/** Whether an action pattern (service:Name with wildcards, case-insensitive) names an action. */
export function actionPatternMatches(pattern: string, action: ActionData): boolean {
  if (pattern === '*') return true;
  const colon = pattern.indexOf(':');
  if (colon < 0) return false;
  const vendor = pattern.slice(0, colon);
  return wildcardPattern(vendor).test(action.service) && wildcardPattern(pattern.slice(colon + 1)).test(action.name);
}
