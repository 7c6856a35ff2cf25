/**
 * The policy summary in the shape of the IAM console's: services, each with its access (Full,
 * or Limited to some levels), resources and conditions; opened, its access levels and their
 * actions, each naming the statements that allow (and deny) it. Plain data, for the editor's
 * summary view, the CodeLens and the command line alike.
 *
 * A policy that allows "*" grants some 22,000 actions: the summary lists the services (a few
 * hundred rows) and the actions only of the services asked for (`expand`) or those a search
 * finds (`filter`), so what travels on each keystroke stays small.
 */
import {
  ACCESS_LEVELS,
  describeCondition,
  describeScope,
  emptyCounts,
  isEveryResourceScope,
  meaningOf,
  serviceLevelTotals,
  statementHeadline,
  type AccessLevel,
  type ActionGrant,
  type Denial,
  type LevelCounts,
  type PolicyGrants,
} from './grants';
import type { PolicyKind } from './kinds';

export interface SummaryStatement {
  index: number;
  sid?: string;
  /** Where the statement is in the document (offsets in UTF-16 code units). */
  offset: number;
  length: number;
  effect: 'Allow' | 'Deny' | null;
  /** "Allows 143 actions in 3 services: 12 Write, 2 Permissions management". */
  headline: string;
  /** Its resources in words: `*`, the patterns, `every resource but …`, `this resource`. */
  resources: string;
  /** Its conditions, one line each: `StringEquals aws:PrincipalTag/team dev`. */
  conditions: string[];
  notAction: boolean;
  /** Entries that name no action of the catalog. */
  unresolved: string[];
  /** Actions it names, counted per access level (before any Deny). */
  counts: LevelCounts;
}

export interface ServiceRow {
  prefix: string;
  name: string;
  /** As the IAM console says it: "Full access", or "Limited: Write, Read". */
  access: string;
  /** Actions allowed per level (those every grant of which a Deny takes away are not counted). */
  counts: LevelCounts;
  /** The service's actions per level. */
  totals: LevelCounts;
  allowed: number;
  total: number;
  /** Actions allowed that a Deny takes away entirely. */
  denied: number;
  /** "All resources", one pattern, or "Multiple". */
  resources: string;
  /** "None" when some grant has no condition, else "Multiple" or the one condition. */
  conditions: string;
  /** The Allow statements that grant its actions. */
  statements: number[];
}

export interface ActionRow {
  /** The canonical name (`PassRole`). */
  name: string;
  level: AccessLevel;
  description: string;
  allowedBy: readonly number[];
  deniedBy: readonly number[];
  denial: Denial;
}

export interface ServiceDetail {
  prefix: string;
  levels: Array<{ level: AccessLevel; total: number; actions: ActionRow[] }>;
}

export interface PolicySummary {
  kind: PolicyKind;
  /** What the summary stands for, for this kind of policy. */
  meaning: string;
  /** False while services the document needs are still loading. */
  complete: boolean;
  statements: SummaryStatement[];
  /** Services with an allowed action, by name. */
  services: ServiceRow[];
  totals: { actions: number; services: number; counts: LevelCounts; denied: number };
  /** The actions of the services asked for, or of those a search matched. */
  details: ServiceDetail[];
  /** The search, as given. */
  filter?: string;
  /** Actions a search matched beyond those listed. */
  truncated?: number;
}

export interface SummaryOptions {
  /** Service prefixes whose actions to list. */
  expand?: readonly string[];
  /** A search over `service:Action`, service names and descriptions (case-insensitive). */
  filter?: string;
  /** The most actions a search lists (default 500). */
  limit?: number;
}

export function summarize(grants: PolicyGrants, options: SummaryOptions = {}): PolicySummary {
  const statements: SummaryStatement[] = grants.statements.map((statement) => ({
    index: statement.index,
    ...(statement.sid !== undefined ? { sid: statement.sid } : {}),
    offset: statement.offset,
    length: statement.length,
    effect: statement.effect ?? null,
    headline: statementHeadline(statement),
    resources: describeScope(statement.resources),
    conditions: statement.conditions.map(describeCondition),
    notAction: statement.notAction,
    unresolved: statement.unresolved,
    counts: statement.counts,
  }));

  const totals = { actions: 0, services: 0, counts: emptyCounts(), denied: 0 };
  const services: ServiceRow[] = [];
  for (const row of grants.services) {
    const serviceTotals = serviceLevelTotals(row.service);
    services.push({
      prefix: row.prefix,
      name: row.service.name,
      access: accessWords(row.counts, serviceTotals),
      counts: row.counts,
      totals: serviceTotals,
      allowed: row.allowed,
      total: row.service.actions.size,
      denied: row.denied,
      resources: resourceWords(grants, statements, row.allowedBy),
      conditions: conditionWords(statements, row.allowedBy),
      statements: row.allowedBy,
    });
    if (row.allowed > 0) totals.services++;
    totals.actions += row.allowed;
    totals.denied += row.denied;
    for (const level of ACCESS_LEVELS) totals.counts[level] += row.counts[level];
  }
  const sortName = (row: ServiceRow): string => row.name.toLowerCase();
  services.sort((a, b) => (sortName(a) < sortName(b) ? -1 : sortName(a) > sortName(b) ? 1 : a.prefix < b.prefix ? -1 : 1));

  const summary: PolicySummary = {
    kind: grants.kind,
    meaning: meaningOf(grants.kind),
    complete: grants.complete,
    statements,
    services,
    totals,
    details: [],
  };

  const filter = options.filter?.trim().toLowerCase();
  if (filter !== undefined && filter !== '') {
    summary.filter = options.filter;
    const limit = options.limit ?? 500;
    let listed = 0;
    let more = 0;
    for (const row of services) {
      const serviceMatches = row.prefix.includes(filter) || row.name.toLowerCase().includes(filter);
      const matching = grants
        .actionsOf(row.prefix)
        .filter(
          (grant) =>
            serviceMatches ||
            `${grant.action.service}:${grant.action.name}`.toLowerCase().includes(filter) ||
            grant.action.description.toLowerCase().includes(filter),
        );
      if (matching.length === 0) continue;
      const room = Math.max(0, limit - listed);
      more += Math.max(0, matching.length - room);
      if (room === 0) continue;
      const shown = matching.slice(0, room);
      listed += shown.length;
      summary.details.push(detailOf(row.prefix, shown, row.totals));
    }
    if (more > 0) summary.truncated = more;
  } else {
    for (const prefix of options.expand ?? []) {
      const row = services.find((candidate) => candidate.prefix === prefix.toLowerCase());
      if (row !== undefined) summary.details.push(detailOf(row.prefix, grants.actionsOf(row.prefix), row.totals));
    }
  }
  return summary;
}

function detailOf(prefix: string, grants: readonly ActionGrant[], totals: LevelCounts): ServiceDetail {
  const levels: ServiceDetail['levels'] = [];
  for (const level of ACCESS_LEVELS) {
    const actions = grants
      .filter((grant) => grant.level === level)
      .map((grant): ActionRow => ({
        name: grant.action.name,
        level,
        description: grant.action.description,
        allowedBy: grant.allowedBy,
        deniedBy: grant.deniedBy,
        denial: grant.denial,
      }));
    if (actions.length > 0) levels.push({ level, total: totals[level], actions });
  }
  return { prefix, levels };
}

/** "Full access", "Full: Read, List", "Limited: Write, Read": the console's words. */
function accessWords(counts: LevelCounts, totals: LevelCounts): string {
  const present = ACCESS_LEVELS.filter((level) => totals[level] > 0);
  if (present.length > 0 && present.every((level) => counts[level] === totals[level])) return 'Full access';
  const full = ACCESS_LEVELS.filter((level) => counts[level] > 0 && counts[level] === totals[level]);
  const limited = ACCESS_LEVELS.filter((level) => counts[level] > 0 && counts[level] < totals[level]);
  const parts: string[] = [];
  if (full.length > 0) parts.push(`Full: ${full.join(', ')}`);
  if (limited.length > 0) parts.push(`Limited: ${limited.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'None (denied)';
}

function resourceWords(grants: PolicyGrants, statements: readonly SummaryStatement[], indexes: readonly number[]): string {
  if (indexes.every((index) => isEveryResourceScope(grants.statements[index].resources))) return 'All resources';
  const first = statements[indexes[0]]?.resources;
  return indexes.every((index) => statements[index].resources === first) ? (first ?? '') : 'Multiple';
}

function conditionWords(statements: readonly SummaryStatement[], indexes: readonly number[]): string {
  if (indexes.some((index) => statements[index].conditions.length === 0)) return 'None';
  const first = statements[indexes[0]]?.conditions.join('; ');
  return indexes.every((index) => statements[index].conditions.join('; ') === first) ? (first ?? '') : 'Multiple';
}
