/**
 * The HTML of the policy summary and of the grant changes before an overwrite, as plain
 * functions of the server's answers (no `vscode` import: tested without an editor). The
 * webviews only swap this HTML in and send clicks back (./webview.ts), so everything shown is
 * made here, escaped here.
 *
 * The summary follows the IAM console's policy summary: a row per service with its access
 * (Full, or Limited to some levels), resources and conditions; opened, its access levels and
 * their actions, each linking to the statements that allow or deny it. Permissions management
 * and write access are marked.
 */
import {
  ACCESS_LEVELS,
  diffHeadline,
  groupChanges,
  type ActionRow,
  type GroupedChange,
  type GrantsDiff,
  type ServiceDetail,
  type ServiceRow,
  type SummaryResult,
  type SummaryStatement,
} from 'iam-policy-engine';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** A link to a statement: `#3 ReadReports`. */
function statementLink(statements: readonly SummaryStatement[], index: number): string {
  const statement = statements[index];
  const label = `#${index + 1}${statement?.sid !== undefined ? ` ${statement.sid}` : ''}`;
  const title = statement === undefined ? '' : ` title="${escapeHtml(statement.headline)}"`;
  return `<a href="#" class="statement-link" data-statement="${index}"${title}>${escapeHtml(label)}</a>`;
}

/** The class that marks sensitive access: permissions management and write. */
function levelClass(level: string): string {
  return level === 'Permissions management' ? 'level-pm' : level === 'Write' || level === 'Tagging' ? 'level-write' : 'level-read';
}

function levelBadge(level: string, text = level): string {
  return `<span class="badge ${levelClass(level)}">${escapeHtml(text)}</span>`;
}

/** The key of the statements' section in `expanded`, beside the services' prefixes. */
export const STATEMENTS_SECTION = '#statements';

export interface SummaryViewState {
  /** Services whose actions are shown (and STATEMENTS_SECTION when the statements are). */
  expanded: ReadonlySet<string>;
  /** The statement to bring into view (a CodeLens was clicked). */
  focus?: number;
}

function statementRow(statement: SummaryStatement, focused: boolean): string {
  const effect = statement.effect ?? 'no Effect';
  const conditions = statement.conditions.length > 0 ? `<div class="muted">when ${statement.conditions.map(escapeHtml).join(' and ')}</div>` : '';
  const unresolved = statement.unresolved.length > 0 ? `<div class="warning">Matches no action: ${statement.unresolved.map(escapeHtml).join(', ')}</div>` : '';
  return (
    `<li id="statement-${statement.index}" class="statement effect-${escapeHtml(effect.toLowerCase())}${focused ? ' focus' : ''}">` +
    `<a href="#" data-statement="${statement.index}" class="statement-link">#${statement.index + 1}${statement.sid !== undefined ? ` ${escapeHtml(statement.sid)}` : ''}</a> ` +
    `<span class="headline">${escapeHtml(statement.headline)}</span>` +
    `<div class="muted">on ${escapeHtml(statement.resources)}</div>${conditions}${unresolved}</li>`
  );
}

function actionRow(action: ActionRow, prefix: string, statements: readonly SummaryStatement[]): string {
  const allowed = action.allowedBy.map((index) => statementLink(statements, index)).join(' ');
  const denied =
    action.deniedBy.length === 0
      ? ''
      : ` <span class="denial denial-${action.denial}">${action.denial === 'all' ? 'denied' : action.denial === 'partly' ? 'partly denied' : 'denied under conditions'} by ${action.deniedBy.map((index) => statementLink(statements, index)).join(' ')}</span>`;
  return (
    `<li class="action${action.denial === 'all' ? ' removed' : ''}" title="${escapeHtml(action.description)}">` +
    `<span class="action-name">${escapeHtml(`${prefix}:${action.name}`)}</span> <span class="muted">allowed by</span> ${allowed}${denied}</li>`
  );
}

function serviceDetail(detail: ServiceDetail | undefined, statements: readonly SummaryStatement[]): string {
  if (detail === undefined) return '<div class="muted loading">Loading the actions…</div>';
  return detail.levels
    .map(
      (level) =>
        `<div class="level">${levelBadge(level.level)} <span class="muted">${formatCount(level.actions.length)} of ${formatCount(level.total)}</span>` +
        `<ul class="actions">${level.actions.map((action) => actionRow(action, detail.prefix, statements)).join('')}</ul></div>`,
    )
    .join('');
}

function serviceRow(row: ServiceRow, open: boolean, detail: ServiceDetail | undefined, statements: readonly SummaryStatement[]): string {
  const levels = ACCESS_LEVELS.filter((level) => row.counts[level] > 0)
    .map((level) => levelBadge(level, `${formatCount(row.counts[level])} ${level}`))
    .join(' ');
  const denied = row.denied > 0 ? ` <span class="denial denial-all">${plural(row.denied, 'action')} denied</span>` : '';
  return (
    `<details class="service" data-service="${escapeHtml(row.prefix)}"${open ? ' open' : ''}>` +
    `<summary><span class="service-name">${escapeHtml(row.name)}</span> <span class="muted">(${escapeHtml(row.prefix)})</span>` +
    `<span class="cells"><span class="cell access">${escapeHtml(row.access)} <span class="muted">${formatCount(row.allowed)} of ${formatCount(row.total)}</span></span>` +
    `<span class="cell">${levels}${denied}</span>` +
    `<span class="cell">Resource: ${escapeHtml(row.resources)}</span>` +
    `<span class="cell">Condition: ${escapeHtml(row.conditions)}</span>` +
    `<span class="cell">${row.statements.map((index) => statementLink(statements, index)).join(' ')}</span></span></summary>` +
    `${open ? serviceDetail(detail, statements) : ''}</details>`
  );
}

/** The summary's HTML (what goes under the search box). */
export function renderSummary(summary: SummaryResult, state: SummaryViewState): string {
  const { totals } = summary;
  const parts: string[] = [];
  const levels = ACCESS_LEVELS.filter((level) => totals.counts[level] > 0)
    .map((level) => levelBadge(level, `${formatCount(totals.counts[level])} ${level}`))
    .join(' ');
  parts.push(
    `<header><div class="totals">Allows ${plural(totals.actions, 'action')} in ${plural(totals.services, 'service')} ${levels}` +
      `${totals.denied > 0 ? ` <span class="denial denial-all">${plural(totals.denied, 'action')} denied</span>` : ''}</div>` +
      `<div class="muted">${escapeHtml(summary.meaning)}</div>` +
      `${summary.complete ? '' : '<div class="warning">Some services are still loading: the counts may grow.</div>'}</header>`,
  );
  parts.push(
    `<details class="statements" data-service="${STATEMENTS_SECTION}"${state.focus !== undefined || state.expanded.has(STATEMENTS_SECTION) ? ' open' : ''}><summary>Statements (${summary.statements.length})</summary><ol>` +
      summary.statements.map((statement) => statementRow(statement, statement.index === state.focus)).join('') +
      '</ol></details>',
  );
  const filtered = summary.filter !== undefined && summary.filter.trim() !== '';
  const details = new Map(summary.details.map((detail) => [detail.prefix, detail]));
  const rows = filtered ? summary.services.filter((row) => details.has(row.prefix)) : summary.services;
  if (filtered) {
    const found = summary.details.reduce((n, detail) => n + detail.levels.reduce((m, level) => m + level.actions.length, 0), 0);
    parts.push(
      `<div class="muted search-result">${found === 0 ? 'No allowed action matches' : `${plural(found, 'action')} match${found === 1 ? 'es' : ''}`} “${escapeHtml(summary.filter ?? '')}”${summary.truncated !== undefined ? `, and ${formatCount(summary.truncated)} more` : ''}.</div>`,
    );
  }
  parts.push(
    `<div class="services">${rows.map((row) => serviceRow(row, filtered || state.expanded.has(row.prefix), details.get(row.prefix), summary.statements)).join('')}</div>`,
  );
  if (rows.length === 0 && !filtered) parts.push('<div class="muted">This policy allows no action of the service catalog.</div>');
  return parts.join('');
}

function changeItem(change: GroupedChange): string {
  const conditions = change.conditions.length > 0 ? ` <span class="muted">when ${change.conditions.map(escapeHtml).join(' and ')}</span>` : '';
  const resources = change.resources.map((resource) => `<code>${escapeHtml(resource)}</code>`).join(', ');
  return `<li>${levelBadge(change.level ?? 'Unknown', change.level ?? 'not in the catalog')} <span class="action-name">${escapeHtml(change.action)}</span> on ${resources}${conditions}</li>`;
}

/** The grant changes before an overwrite: what the editor's version adds and removes, permissions management first. */
export function renderChanges(diff: GrantsDiff, before: string, after: string): string {
  const parts = [
    `<header><div class="totals">${escapeHtml(diffHeadline(diff))}</div><div class="muted">What ${escapeHtml(after)} grants compared with ${escapeHtml(before)}.</div></header>`,
  ];
  if (diff.added.length > 0) parts.push(`<h3 class="added">Adds</h3><ul class="changes">${groupChanges(diff.added).map(changeItem).join('')}</ul>`);
  if (diff.removed.length > 0)
    parts.push(`<h3 class="removed-heading">Removes</h3><ul class="changes">${groupChanges(diff.removed).map(changeItem).join('')}</ul>`);
  if (!diff.complete) parts.push('<div class="warning">Some services could not be read from the service catalog: this may miss their actions.</div>');
  return parts.join('');
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 12px 24px; }
input.search { width: 100%; box-sizing: border-box; padding: 4px 6px; margin: 10px 0; color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); }
header { margin: 8px 0 12px; }
.totals { font-size: 1.1em; font-weight: 600; margin-bottom: 4px; }
.muted { color: var(--vscode-descriptionForeground); }
.warning { color: var(--vscode-editorWarning-foreground); }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 0.85em; margin-right: 2px; border: 1px solid transparent; }
.level-pm { color: var(--vscode-errorForeground); border-color: var(--vscode-errorForeground); font-weight: 600; }
.level-write { color: var(--vscode-editorWarning-foreground); border-color: var(--vscode-editorWarning-foreground); }
.level-read { color: var(--vscode-descriptionForeground); border-color: var(--vscode-panel-border, #8884); }
details.service { border-top: 1px solid var(--vscode-panel-border, #8884); padding: 4px 0; }
details.service > summary { cursor: pointer; }
.service-name { font-weight: 600; }
.cells { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 2px 0 0 16px; }
.level { margin: 6px 0 0 16px; }
ul.actions, ul.changes { list-style: none; margin: 4px 0 0 12px; padding: 0; }
li.action { margin: 2px 0; }
li.action.removed .action-name { text-decoration: line-through; }
.action-name { font-family: var(--vscode-editor-font-family); }
.denial { color: var(--vscode-errorForeground); }
a.statement-link { color: var(--vscode-textLink-foreground); text-decoration: none; margin-right: 4px; }
a.statement-link:hover { text-decoration: underline; }
details.statements { margin-bottom: 8px; }
details.statements ol { list-style: none; padding-left: 8px; }
li.statement { margin: 4px 0; padding: 2px 4px; }
li.statement.focus, li.focus { outline: 1px solid var(--vscode-focusBorder); }
h3.added { color: var(--vscode-editorWarning-foreground); }
code { font-family: var(--vscode-editor-font-family); }
`;

/**
 * A webview page: the style, the root the HTML goes into, and the script that swaps it in and
 * sends clicks back. `search` adds the search box (the summary has one; the changes do not).
 */
export function webviewPage(options: { nonce: string; cspSource: string; title: string; body: string; search: boolean; script: string }): string {
  const { nonce } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${options.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
${options.search ? '<input class="search" id="search" type="search" placeholder="Search actions and services (iam:Pass, delete, s3)" aria-label="Search actions and services">' : ''}
<div id="root">${options.body}</div>
<script nonce="${nonce}">${options.script}</script>
</body>
</html>`;
}
