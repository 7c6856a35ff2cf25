/**
 * What the catalog-aware checks need to know about each statement, worked out once per
 * analysis: its effect, its action entries (parsed), the actions they stand for, its resources.
 */
import type { ActionData, Catalog, ServiceData } from './catalog';
import type { Node } from './json';
import { findProperty, propertyValue, stringValues } from './model';
import { detached } from './strings';

export interface ActionEntry {
  node: Node;
  text: string;
  /** `*` on its own: every action of every service. */
  all: boolean;
  /** Lower-case service prefix, when the entry has the vendor:name shape. */
  vendor?: string;
  name?: string;
  wildcard: boolean;
  /** The whole text in lower case, as IAM compares actions. */
  lower: string;
  /** What it stands for in a catalog, once asked (see entryActions). */
  resolved: EntryActions | undefined;
}

/** A vendor:name entry of a service the catalog names: the service's data and the actions it matches. */
export interface EntryActions {
  catalog: Catalog;
  /** Undefined while the service's data cannot be read. */
  service: ServiceData | undefined;
  /** Empty without the service's data. */
  matched: readonly ActionData[];
}

export interface StatementInfo {
  node: Node;
  effect: 'Allow' | 'Deny' | undefined;
  /** Which of Action / NotAction holds the entries. */
  actionElement: 'Action' | 'NotAction' | undefined;
  actions: ActionEntry[];
  resourceElement: 'Resource' | 'NotResource' | undefined;
  resources: Node[];
  condition: Node | undefined;
  /**
   * The actions the Action element stands for, when known: undefined for NotAction, for an
   * entry "*" (every action), or while a service is not loaded.
   */
  granted: ActionData[] | undefined;
}

const ACTION_SHAPE = /^([A-Za-z0-9-]+):([^:]+)$/;

export function parseActionEntry(node: Node): ActionEntry {
  const text = node.value as string;
  const lower = text.toLowerCase();
  if (text === '*') return { node, text, all: true, vendor: undefined, name: undefined, wildcard: true, lower, resolved: undefined };
  const match = ACTION_SHAPE.exec(text);
  if (match === null) return { node, text, all: false, vendor: undefined, name: undefined, wildcard: /[*?]/.test(text), lower, resolved: undefined };
  const name = match[2];
  return { node, text, all: false, vendor: lower.slice(0, match[1].length), name, wildcard: /[*?]/.test(name), lower, resolved: undefined };
}

/**
 * The service and the actions a vendor:name entry stands for, worked out once per entry: the
 * checks of actions, resources, conditions and security all ask. Undefined for an entry of
 * another shape or of a service the catalog does not name.
 */
export function entryActions(entry: ActionEntry, catalog: Catalog): EntryActions | undefined {
  const known = entry.resolved;
  if (known !== undefined && known.catalog === catalog) return known;
  if (entry.vendor === undefined || entry.name === undefined || !catalog.hasService(entry.vendor)) return undefined;
  const service = catalog.service(entry.vendor);
  const resolved: EntryActions = { catalog, service, matched: service === undefined ? [] : actionsMatching(service, entry.name) };
  // Not kept while the service's data is missing: it may be read before the next question.
  if (service !== undefined) entry.resolved = resolved;
  return resolved;
}

/**
 * Compiled wildcard patterns (`Describe*`), shared across analyses and documents. Global where
 * that is right: a pure function of its key (the pattern), bounded, with nothing of any
 * document in it; per-document state lives in the server's DocumentStore.
 */
const patterns = new Map<string, RegExp>();

export function wildcardPattern(glob: string): RegExp {
  let pattern = patterns.get(glob);
  if (pattern === undefined) {
    if (patterns.size > 4096) patterns.clear();
    const source = glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    pattern = new RegExp(`^${source}$`, 'i');
    patterns.set(detached(glob), pattern);
  }
  return pattern;
}

/** The service's actions an entry's name matches (one for a plain name, any number for a wildcard). */
export function actionsMatching(service: ServiceData, name: string): ActionData[] {
  if (!/[*?]/.test(name)) {
    const action = service.actions.get(name.toLowerCase());
    return action === undefined ? [] : [action];
  }
  // By the name as written: names equal in lower case may not match alike (the Kelvin sign
  // lower-cases to k, but the pattern K* matches only itself).
  const cacheKey = `${service.prefix}:${name}`;
  let matched = expansions.get(cacheKey);
  if (matched === undefined) {
    if (expansions.size > 4096) expansions.clear();
    matched = expand(service, name);
    // Kept by a copy: the name may be a slice of the document, and a key built on it would
    // keep that version of the whole text alive as long as the memo holds it.
    expansions.set(detached(cacheKey), matched);
  }
  return matched;
}

/**
 * The literal start of a wildcard in lower case (`describe` of `Describe*`), when it is ASCII;
 * otherwise ''. A name whose lower case does not begin with it cannot match the wildcard's
 * pattern: the pattern ignores case as regular expressions do, which for ASCII is what
 * comparing lower case does (not beyond: the Kelvin sign lower-cases to k, Σ to σ or ς).
 */
export function literalStart(lowerWildcard: string): string {
  const head = lowerWildcard.slice(0, lowerWildcard.search(/[*?]/));
  return ASCII.test(head) ? head : '';
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The service's actions a wildcard name matches. Those kept under a lower-case name that does
 * not begin with the wildcard's literal start (Describe of Describe*) are ruled out without the
 * pattern.
 */
function expand(service: ServiceData, name: string): ActionData[] {
  const pattern = wildcardPattern(name);
  const head = literalStart(name.toLowerCase());
  const matched: ActionData[] = [];
  for (const key of service.actions.keys()) {
    if (!key.startsWith(head)) continue;
    const action = service.actions.get(key)!;
    if (pattern.test(action.name)) matched.push(action);
  }
  return matched;
}

/** The actions a wildcard matches, by service and pattern: like `patterns`, a bounded memo of a pure function. */
const expansions = new Map<string, ActionData[]>();

export function statementInfo(node: Node, catalog: Catalog | undefined, missing: Set<string>): StatementInfo {
  const effectValue = propertyValue(findProperty(node, 'Effect'))?.value;
  const actionProperty = findProperty(node, 'Action') ?? findProperty(node, 'NotAction');
  const resourceProperty = findProperty(node, 'Resource') ?? findProperty(node, 'NotResource');
  const actions = stringValues(propertyValue(actionProperty)).map(parseActionEntry);
  const info: StatementInfo = {
    node,
    effect: effectValue === 'Allow' || effectValue === 'Deny' ? effectValue : undefined,
    actionElement: actionProperty === undefined ? undefined : (actionProperty.children![0].value as 'Action' | 'NotAction'),
    actions,
    resourceElement: resourceProperty === undefined ? undefined : (resourceProperty.children![0].value as 'Resource' | 'NotResource'),
    resources: stringValues(propertyValue(resourceProperty)),
    condition: propertyValue(findProperty(node, 'Condition')),
    granted: undefined,
  };
  if (info.actionElement === 'Action' && catalog !== undefined && !actions.some((entry) => entry.all)) {
    let known = true;
    const granted: ActionData[] = [];
    for (const entry of actions) {
      const resolved = entryActions(entry, catalog);
      if (resolved === undefined) continue;
      if (resolved.service === undefined) {
        if (!catalog.isLoaded(entry.vendor!)) missing.add(entry.vendor!);
        known = false;
        continue;
      }
      for (const action of resolved.matched) granted.push(action);
    }
    if (known) info.granted = granted;
  }
  return info;
}
