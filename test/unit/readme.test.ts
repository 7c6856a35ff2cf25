/** The README documents every rule, its list made from the rule table, so the links diagnostics carry always land. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { it } from 'node:test';
import { ACCESS_ANALYZER_CHECKS } from 'iam-policy-engine/accessAnalyzer';
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
    withRuleTable: (readme: string, rules: typeof RULES, checks: typeof ACCESS_ANALYZER_CHECKS) => string;
  };
  const text = readme();
  assert.equal(script.withRuleTable(text, RULES, ACCESS_ANALYZER_CHECKS), text, 'README.md is out of step with the rule table: run npm run docs:rules');
});

it('describes the quick fix of every rule that has one, and only those', () => {
  for (const code of CODES) {
    const rule: Rule = RULES[code];
    assert.equal(rule.fixSummary !== undefined, rule.fixes !== undefined, code);
  }
});

it("names only rules that exist for Access Analyzer's checks, and a reason where none covers one", () => {
  for (const [code, check] of Object.entries(ACCESS_ANALYZER_CHECKS) as Array<[string, { rules?: readonly string[]; reason?: string; todo?: true }]>) {
    for (const rule of check.rules ?? []) assert.ok((CODES as string[]).includes(rule), `${code}: no rule ${rule}`);
    // Issue 12 is done when no code is left undecided: each has rules or a reason.
    assert.notEqual(check.todo, true, `${code}: still todo`);
    assert.ok((check.rules?.length ?? 0) > 0 || (check.reason?.length ?? 0) > 0, `${code}: neither a rule nor a reason`);
  }
});
