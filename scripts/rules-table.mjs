#!/usr/bin/env node
// The README's list of rules, made from the rule table (server/src/policy/rules.ts), between
// the markers <!-- rules:start --> and <!-- rules:end -->. test/unit/readme.test.ts keeps the
// README in step with the table; after changing a rule, run `npm run docs:rules`.
//
// Usage: node scripts/rules-table.mjs [--check]   (after `npm run build`)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

const FAMILY_TITLES = {
  characters: "IAM's hard rules",
  size: "IAM's hard rules",
  names: "IAM's hard rules",
  json: "IAM's hard rules",
  elements: 'The policy grammar',
  actions: 'Actions',
  resources: 'Resources',
  conditions: 'Conditions',
  security: 'Security',
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

export function loadRules() {
  const require = createRequire(import.meta.url);
  return require(path.join(root, 'out', 'server', 'src', 'policy', 'rules.js')).RULES;
}

/** The README with its rule list made anew. */
export function withRuleTable(readme, rules) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${ruleTable(rules)}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = path.join(root, 'README.md');
  const readme = fs.readFileSync(file, 'utf8');
  const updated = withRuleTable(readme, loadRules());
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      console.error('README.md: the rule list is not the rule table\'s; run npm run docs:rules');
      process.exit(1);
    }
  } else if (updated !== readme) {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, updated);
    fs.renameSync(temporary, file);
    console.log('README.md: rule list updated');
  }
}
