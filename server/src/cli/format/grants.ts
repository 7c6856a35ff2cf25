/**
 * The semantic diff as text (for people), JSON (for tools) and Markdown (for a pull request's
 * comment): what the new version grants that the old one does not, and what it stops granting,
 * per access level, the most sensitive first.
 */
import { ACCESS_LEVELS, describeGroup, diffHeadline, groupChanges, type GrantChange, type GrantsDiff } from 'iam-policy-engine';
import { sanitize, type Style } from './human';

export interface DiffReport {
  before: string;
  after: string;
  diff: GrantsDiff;
  /** Additions --allow-new accepts. */
  accepted: GrantChange[];
  /** Additions it does not: any makes the run fail. */
  newAccess: GrantChange[];
}

const NOT_IN_CATALOG = 'Not in the service catalog';

/** The changes by access level (most sensitive first), grouped by action and conditions. */
function byLevel(changes: readonly GrantChange[]): Array<{ level: string; lines: string[] }> {
  const levels = new Map<string, string[]>();
  for (const group of groupChanges(changes)) {
    const level = group.level ?? NOT_IN_CATALOG;
    levels.set(level, [...(levels.get(level) ?? []), describeGroup(group)]);
  }
  return [...ACCESS_LEVELS, NOT_IN_CATALOG].filter((level) => levels.has(level)).map((level) => ({ level, lines: levels.get(level)! }));
}

export function diffText(report: DiffReport, style: Style): string {
  const { diff } = report;
  const lines: string[] = [];
  const verdict =
    report.newAccess.length > 0
      ? style.severity('error', `${sanitize(report.after)} grants access ${sanitize(report.before)} does not.`)
      : diff.added.length > 0
        ? `${sanitize(report.after)} grants nothing new beyond what --allow-new accepts.`
        : `${sanitize(report.after)} grants nothing ${sanitize(report.before)} does not.`;
  lines.push(verdict, diffHeadline(diff));
  const section = (title: string, changes: readonly GrantChange[]): void => {
    if (changes.length === 0) return;
    lines.push('', style.bold(title));
    for (const { level, lines: described } of byLevel(changes)) {
      lines.push(`  ${level}`);
      for (const line of described) lines.push(`    ${sanitize(line)}`);
    }
  };
  section('Adds', report.newAccess);
  section('Adds, accepted by --allow-new', report.accepted);
  section('Removes', diff.removed);
  if (!diff.complete) lines.push('', style.dim('Some services could not be read from the service catalog: the diff may miss their actions.'));
  return `${lines.join('\n')}\n`;
}

export function diffJson(report: DiffReport): string {
  const change = (item: GrantChange) => ({
    action: item.action,
    accessLevel: item.level ?? null,
    resource: item.resource,
    ...(item.scope.not ? { notResource: item.scope.patterns } : item.scope.implied ? {} : { resources: item.scope.patterns }),
    conditions: item.conditions,
  });
  return `${JSON.stringify(
    {
      before: report.before,
      after: report.after,
      newAccess: report.newAccess.length > 0,
      summary: diffHeadline(report.diff),
      added: report.newAccess.map(change),
      accepted: report.accepted.map(change),
      removed: report.diff.removed.map(change),
      complete: report.diff.complete,
    },
    null,
    2,
  )}\n`;
}

/** A cell of a Markdown table: pipes escaped, code spans where it helps. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function code(text: string): string {
  return text === '' ? '' : `\`${text.replace(/`/g, "'")}\``;
}

export function diffMarkdown(report: DiffReport): string {
  const { diff } = report;
  const lines: string[] = [`### What \`${cell(report.after)}\` grants compared with \`${cell(report.before)}\``, ''];
  lines.push(report.newAccess.length > 0 ? `**New access.** ${diffHeadline(diff)}` : diffHeadline(diff));
  const rows: string[] = [];
  const add = (what: string, changes: readonly GrantChange[]): void => {
    for (const item of changes) {
      rows.push(
        `| ${what} | ${item.level ?? NOT_IN_CATALOG} | ${code(cell(item.action))} | ${code(cell(item.resource))} | ${cell(item.conditions.join('; '))} |`,
      );
    }
  };
  add('added', report.newAccess);
  add('added, accepted', report.accepted);
  add('removed', diff.removed);
  if (rows.length > 0) lines.push('', '| change | access level | action | resources | conditions |', '| --- | --- | --- | --- | --- |', ...rows);
  if (!diff.complete) lines.push('', '_Some services could not be read from the service catalog: the diff may miss their actions._');
  return `${lines.join('\n')}\n`;
}
