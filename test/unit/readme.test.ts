/** The README documents every rule, its list made from the rule table, so the links diagnostics carry always land. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { it } from 'node:test';
import { CODES, docsAnchor, RULES, type Rule } from 'iam-policy-engine/rules';
import { REPO_ROOT } from '../support/paths';

const readme = (): string => fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

it('has a section and a table row for every diagnostic code', () => {
  const text = readme();
  const missing = CODES.filter((code) => !text.includes(`\n### ${docsAnchor(code)}\n`) || !text.includes(`[\`${code}\`](#${docsAnchor(code)})`));
  assert.deepEqual(missing, []);
});

it('lists the rules as the rule table has them (npm run docs:rules)', async () => {
  const script = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'rules-table.mjs')).href)) as {
    withRuleTable: (readme: string, rules: typeof RULES) => string;
  };
  const text = readme();
  assert.equal(script.withRuleTable(text, RULES), text, 'README.md is out of step with the rule table: run npm run docs:rules');
});

it('describes the quick fix of every rule that has one, and only those', () => {
  for (const code of CODES) {
    const rule: Rule = RULES[code];
    assert.equal(rule.fixSummary !== undefined, rule.fixes !== undefined, code);
  }
});
