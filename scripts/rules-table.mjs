#!/usr/bin/env node
// The README's list of rules, made from the rule table (engine/src/rules.ts), and its table of
// Access Analyzer's checks (engine/src/accessAnalyzer.ts), each between its markers
// (<!-- rules:start --> … <!-- rules:end -->, <!-- access-analyzer:start --> … end -->).
// test/unit/readme.test.ts keeps the README in step; after changing a rule, run
// `npm run docs:rules`.
//
// Usage: node scripts/rules-table.mjs [--check]   (after `npm run build`)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';
const AA_START = '<!-- access-analyzer:start -->';
const AA_END = '<!-- access-analyzer:end -->';

const FAMILY_TITLES = {
  characters: "IAM's hard rules",
  size: "IAM's hard rules",
  quota: 'Size quotas of each kind',
  names: "IAM's hard rules",
  json: "IAM's hard rules",
  elements: 'The policy grammar',
  actions: 'Actions',
  resources: 'Resources',
  conditions: 'Conditions',
  security: 'Security',
  template: 'CloudFormation templates',
  meta: 'The report itself',
};
const SEVERITY_NAMES = { error: 'Error', warning: 'Warning', info: 'Information', hint: 'Hint' };

/** The markdown table of every rule, grouped by family in the table's order. */
export function ruleTable(rules) {
  const lines = ['| code | severity | what | quick fix |', '| --- | --- | --- | --- |'];
  let heading;
  for (const [code, rule] of Object.entries(rules)) {
    const title = FAMILY_TITLES[rule.family] ?? rule.family;
    if (title !== heading) {
      lines.push(`| **${title}** | | | |`);
      heading = title;
    }
    const anchor = rule.docs ?? code;
    lines.push(`| [\`${code}\`](#${anchor}) | ${SEVERITY_NAMES[rule.severity]} | ${rule.summary.replace(/\|/g, '\\|')} | ${rule.fixSummary ?? ''} |`);
  }
  return lines.join('\n');
}

/** The markdown table of Access Analyzer's checks and the rule that covers each, or why none does. */
export function accessAnalyzerTable(checks) {
  const lines = ['| Access Analyzer code | its type | covered by | |', '| --- | --- | --- | --- |'];
  for (const [code, check] of Object.entries(checks)) {
    const covered =
      check.rules !== undefined && check.rules.length > 0
        ? check.rules.map((rule) => `[\`${rule}\`](#${rule})`).join(', ')
        : check.todo
          ? 'not covered yet'
          : 'not covered';
    lines.push(`| \`${code}\` | ${check.type.toLowerCase().replace('_', ' ')} | ${covered} | ${(check.reason ?? check.meaning).replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n');
}

export function loadTables() {
  const require = createRequire(import.meta.url);
  const engine = path.join(root, 'engine', 'out');
  return { rules: require(path.join(engine, 'rules.js')).RULES, checks: require(path.join(engine, 'accessAnalyzer.js')).ACCESS_ANALYZER_CHECKS };
}

function replaceBetween(text, start, end, body) {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** The README with its rule list (and, given the checks, its Access Analyzer table) made anew. */
export function withRuleTable(readme, rules, checks) {
  const withRules = replaceBetween(readme, START, END, ruleTable(rules));
  return checks === undefined ? withRules : replaceBetween(withRules, AA_START, AA_END, accessAnalyzerTable(checks));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = path.join(root, 'README.md');
  const readme = fs.readFileSync(file, 'utf8');
  const { rules, checks } = loadTables();
  const updated = withRuleTable(readme, rules, checks);
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error("README.md: the rule list is not the rule table's; run npm run docs:rules");
      process.exit(1);
    }
  } else if (updated !== readme) {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, updated);
    fs.renameSync(temporary, file);
    console.log('README.md: rule list updated');
  }
}
