/**
 * The rule table and what findings carry for their fixes: the message names the check's
 * suggestion, and the quick fix applies exactly that, so the two can never disagree again.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyzeFully } from 'iam-policy-engine/analyze';
import type { Catalog } from 'iam-policy-engine/catalog';
import { applyEdits, fixesFor } from 'iam-policy-engine/fixes';
import { CODES, RULES, type Rule } from 'iam-policy-engine/rules';
import { FIXTURES } from '../support/paths';
import { createCatalog } from '../../server/src/catalogFiles';

let catalog: Catalog;
before(async () => {
  catalog = await createCatalog();
});

const statement = (members: string, version = '"Version": "2012-10-17", '): string => `{${version}"Statement": [{${members}}]}`;

/** Documents with the misspellings people make, one or more per rule that suggests. */
const MISTAKES = [
  statement('"Effect": "Allow", "Action": "s3:GetObjet", "Resource": "*"'),
  statement('"Effect": "Allow", "Action": "s3:getobject", "Resource": "*"'),
  statement('"Effect": "Allow", "Action": "cldoufront:CreateDistribution", "Resource": "*"'),
  statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s33:::bucket/*"'),
  statement('"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"'),
  statement('"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"'),
  statement('"effect": "Allow", "Action": "s3:GetObject", "Resource": "*"'),
  statement('"Efect": "Allow", "Action": "s3:GetObject", "Resource": "*"'),
  '{"Versoin": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}',
  statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"', '"Version": "2008-10-17", '),
  statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ArnNotLikee": {"aws:SourceArn": "arn:aws:sns:*:*:t"}}'),
  statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"stringequals": {"aws:username": "a"}}'),
  statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAllValue:StringEquals": {"aws:TagKeys": "a"}}'),
  statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAnyValue:StringEqulas": {"aws:TagKeys": "a"}}'),
  statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"DateGreaterThanEqual": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}'),
];

/** The problem cases of the corpus too: real mistakes, collected from many places. */
function corpusDocuments(): string[] {
  const folder = path.join(FIXTURES, 'corpus', 'invalid');
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .map((name) => fs.readFileSync(path.join(folder, name), 'utf8'));
}

describe('the rule table', () => {
  it('has a severity, a family and a summary for every code, and fixes only as functions', () => {
    for (const code of CODES) {
      const rule: Rule = RULES[code];
      assert.ok(['error', 'warning', 'info', 'hint'].includes(rule.severity), code);
      assert.ok(rule.summary.length > 10, code);
      if (rule.fixes !== undefined) assert.equal(typeof rule.fixes, 'function', code);
      if (rule.fixAll !== undefined) assert.equal(typeof rule.fixAll, 'function', code);
    }
  });

  it('gives fix-all only to rules whose fix needs no review', () => {
    const safe = CODES.filter((code) => (RULES[code] as Rule).fixAll !== undefined);
    assert.deepEqual(safe, ['disallowed-character', 'json-trailing-comma']);
  });
});

describe('suggestions', () => {
  it('the message names what the quick fix puts in, for every finding that suggests something', async () => {
    let checked = 0;
    for (const text of [...MISTAKES, ...corpusDocuments()]) {
      const analysis = await analyzeFully(text, { catalog });
      for (const item of analysis.findings) {
        const suggestions = item.data?.suggestions ?? [];
        if (suggestions.length === 0) continue;
        const where = `${item.code} in ${text.slice(0, 200)}`;
        for (const suggestion of suggestions) assert.ok(item.message.includes(suggestion), `${where}: "${item.message}" does not name ${suggestion}`);
        const fixes = fixesFor(text, analysis, item);
        assert.equal(fixes.length, suggestions.length, where);
        fixes.forEach((fix, index) => {
          const target = item.data?.target ?? item;
          const fixed = applyEdits(text, fix.edits);
          const written = fixed.slice(target.offset, fixed.length - (text.length - target.offset - target.length));
          assert.ok(written === suggestions[index] || written === JSON.stringify(suggestions[index]), `${where}: wrote ${written} for ${suggestions[index]}`);
          assert.ok(fix.title.includes(suggestions[index]) || item.code === 'old-version', `${where}: title "${fix.title}"`);
        });
        checked++;
      }
    }
    assert.ok(checked >= MISTAKES.length, `${checked} findings with suggestions checked`);
  });

  it('a misspelled operator is corrected to the same operator in the message and the fix', async () => {
    const text = MISTAKES[10];
    const analysis = await analyzeFully(text, { catalog });
    const item = analysis.findings.find((candidate) => candidate.code === 'unknown-operator')!;
    assert.match(item.message, /Did you mean ArnNotLike\?$/);
    const [fix] = fixesFor(text, analysis, item);
    assert.equal(fix.title, 'Change to ArnNotLike');
    assert.equal(applyEdits(text, fix.edits), text.replace('ArnNotLikee', 'ArnNotLike'));
  });

  it('keeps the set prefix, and prefers the sure case correction', async () => {
    const set = await analyzeFully(MISTAKES[13], { catalog });
    const guess = set.findings.find((candidate) => candidate.code === 'unknown-operator')!;
    assert.deepEqual(guess.data?.suggestions, ['ForAnyValue:StringEquals']);
    assert.notEqual(fixesFor(MISTAKES[13], set, guess)[0].isPreferred, true);
    const cased = await analyzeFully(MISTAKES[11], { catalog });
    const sure = cased.findings.find((candidate) => candidate.code === 'unknown-operator')!;
    assert.equal(fixesFor(MISTAKES[11], cased, sure)[0].isPreferred, true);
  });
});
