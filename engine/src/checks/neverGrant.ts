/**
 * What a repository says must never be granted (`"neverGrant"` in .iam-policy.json: actions,
 * optionally on some resources): a Warning on each Allow statement that grants one, the offline
 * counterpart of Access Analyzer's CheckAccessNotGranted. IAM stores such a policy; the
 * repository's own rule is what it breaks.
 *
 * A statement grants a listed action when its Action names it (wildcards included) or its
 * NotAction does not, on resources that meet the listed ones (any resource when none are
 * listed). Conditions do not excuse it: the grant holds whenever they do. A Deny without
 * conditions in the same document that takes the action away on those resources does.
 * Service control and resource control policies grant nothing themselves and are not checked.
 */
import type { ActionData, Catalog } from '../catalog';
import { finding, type Report } from '../findings';
import { isEveryResource, resourceCovers } from '../arn';
import { resourcesIntersect, actionPatternsIntersect } from '../glob';
import { KINDS, type PolicyKind } from '../kinds';
import { findProperty } from '../model';
import { actionsMatching, wildcardPattern, type ActionEntry, type StatementInfo } from '../statements';
import { inside } from './actions';

/** One entry of the configuration's "neverGrant": actions (patterns), on some resources (patterns) or any. */
export interface NeverGrant {
  actions: readonly string[];
  resources?: readonly string[];
}

/** Whether an action entry of a statement names the action `service:Name` (case-insensitive). */
function entryNames(entry: ActionEntry, action: string): boolean {
  if (entry.all) return true;
  return wildcardPattern(entry.text).test(action);
}

/** The concrete actions a listed pattern stands for: from the catalog when it can say, else the pattern itself. */
function concrete(pattern: string, catalog: Catalog | undefined, missing: Set<string>): string[] | undefined {
  if (!/[*?]/.test(pattern)) return [pattern];
  const colon = pattern.indexOf(':');
  if (colon < 0 || catalog === undefined || /[*?]/.test(pattern.slice(0, colon))) return undefined;
  const prefix = pattern.slice(0, colon);
  if (!catalog.hasService(prefix)) return [];
  const service = catalog.service(prefix);
  if (service === undefined) {
    if (!catalog.isLoaded(prefix)) missing.add(prefix.toLowerCase());
    return undefined;
  }
  return actionsMatching(service, pattern.slice(colon + 1)).map((action: ActionData) => `${action.service}:${action.name}`);
}

/**
 * The first action of `pattern` the statement grants, and the entry that grants it; undefined
 * when it grants none. Without the catalog, a listed wildcard is compared as a pattern.
 */
function granted(
  info: StatementInfo,
  pattern: string,
  catalog: Catalog | undefined,
  missing: Set<string>,
): { action: string; entry: ActionEntry | undefined } | undefined {
  const actions = concrete(pattern, catalog, missing);
  if (info.actionElement === 'NotAction') {
    if (actions === undefined) {
      // A pattern the catalog cannot list: granted unless a NotAction entry covers it all.
      const covered = info.actions.some((entry) => entry.all || wildcardPattern(entry.text).test(pattern));
      return covered ? undefined : { action: pattern, entry: undefined };
    }
    const left = actions.find((action) => !info.actions.some((entry) => entryNames(entry, action)));
    return left === undefined ? undefined : { action: left, entry: undefined };
  }
  for (const entry of info.actions) {
    if (actions === undefined) {
      if (entry.all || actionPatternsIntersect(entry.text, pattern)) return { action: pattern, entry };
      continue;
    }
    const action = actions.find((candidate) => entryNames(entry, candidate));
    if (action !== undefined) return { action, entry };
  }
  return undefined;
}

/** Whether a statement's resources meet the listed ones (all of them when none are listed). */
function onResources(info: StatementInfo, listed: readonly string[] | undefined): boolean {
  if (listed === undefined || listed.length === 0 || info.resourceElement === undefined) return true;
  const patterns = info.resources.map((node) => node.value as string);
  if (info.resourceElement === 'NotResource') return !listed.every((resource) => patterns.some((excluded) => resourceCovers(excluded, resource)));
  return patterns.some((pattern) => listed.some((resource) => resourcesIntersect(pattern, resource)));
}

/** Whether an unconditional Deny of the document takes `action` away wherever the Allow grants it among the listed resources. */
function deniedEverywhere(allow: StatementInfo, action: string, listed: readonly string[] | undefined, denies: readonly StatementInfo[]): boolean {
  const allowed = allow.resourceElement === 'Resource' ? allow.resources.map((node) => node.value as string) : undefined;
  return denies.some((deny) => {
    if (deny.condition !== undefined) return false;
    const names =
      deny.actionElement === 'NotAction' ? !deny.actions.some((entry) => entryNames(entry, action)) : deny.actions.some((entry) => entryNames(entry, action));
    if (!names) return false;
    if (deny.resourceElement === undefined) return allow.resourceElement === undefined;
    const denied = deny.resources.map((node) => node.value as string);
    if (deny.resourceElement === 'NotResource')
      return allowed !== undefined && allowed.every((pattern) => !denied.some((kept) => resourcesIntersect(pattern, kept)));
    if (denied.some(isEveryResource)) return true;
    // The Deny covers every resource the Allow grants it on, or every listed resource.
    if (allowed !== undefined && allowed.every((pattern) => denied.some((d) => resourceCovers(d, pattern)))) return true;
    return listed !== undefined && listed.length > 0 && listed.every((resource) => denied.some((d) => resourceCovers(d, resource)));
  });
}

export function checkNeverGrant(
  infos: readonly StatementInfo[],
  entries: readonly NeverGrant[],
  catalog: Catalog | undefined,
  kind: PolicyKind,
  missing: Set<string>,
): Report[] {
  const findings: Report[] = [];
  const family = KINDS[kind].family;
  if (entries.length === 0 || family === 'scp' || family === 'rcp') return findings;
  const denies = infos.filter((info) => info.effect === 'Deny');
  for (const info of infos) {
    if (info.effect !== 'Allow' || info.actionElement === undefined) continue;
    for (const entry of entries) {
      if (!onResources(info, entry.resources)) continue;
      const hit = entry.actions
        .map((pattern) => ({ pattern, grant: granted(info, pattern, catalog, missing) }))
        .find(({ grant }) => grant !== undefined && !deniedEverywhere(info, grant.action, entry.resources, denies));
      if (hit === undefined || hit.grant === undefined) continue;
      const { action, entry: actionEntry } = hit.grant;
      const on = entry.resources === undefined || entry.resources.length === 0 ? '' : ` on ${entry.resources.join(', ')}`;
      const through =
        actionEntry === undefined
          ? 'its NotAction leaves it out of the exclusions'
          : actionEntry.text === action
            ? 'it names it'
            : `${JSON.stringify(actionEntry.text)} includes it`;
      const conditional = info.condition !== undefined ? ' (when its conditions hold)' : '';
      const where = actionEntry !== undefined ? inside(actionEntry.node) : inside(findProperty(info.node, 'NotAction')!.children![0]);
      findings.push(
        finding(
          'forbidden-grant',
          `This statement grants ${action}${on}${conditional}, which the repository's configuration lists under "neverGrant" (${hit.pattern}): ${through}. Remove it, name other resources, or deny it.`,
          ...where,
        ),
      );
    }
  }
  return findings;
}
