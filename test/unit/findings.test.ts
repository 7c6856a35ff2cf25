import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from 'iam-policy-engine/findings';
import { applyRuleSettings, CODES, enabledCodes, ruleFinding as finding, RULES } from 'iam-policy-engine/rules';
import { readSettings } from '../../server/src/settings';

const sample = (): Finding[] => [
  finding('invalid-policy-file-name', 'file', 0, 1),
  finding('json-trailing-comma', 'comma', 5, 1),
  finding('invalid-sid', 'sid', 10, 3),
  finding('disallowed-character', 'char', 20, 1),
];

describe('rule settings', () => {
  it('every rule has a severity, a family and a summary', () => {
    for (const [code, rule] of Object.entries(RULES)) {
      assert.match(code, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(rule.summary.length > 10, code);
    }
  });

  it('overrides severities and turns rules off', () => {
    const result = applyRuleSettings(sample(), { rules: { 'json-trailing-comma': 'warning', 'invalid-policy-file-name': 'off' } });
    assert.deepEqual(
      result.map((item) => [item.code, item.severity]),
      [
        ['json-trailing-comma', 'warning'],
        ['invalid-sid', 'error'],
        ['disallowed-character', 'error'],
      ],
    );
  });

  it('caps the number of problems, keeping errors first, and says how many more', () => {
    const result = applyRuleSettings(sample(), { maxNumberOfProblems: 2 });
    assert.deepEqual(
      result.map((item) => item.code),
      ['json-trailing-comma', 'invalid-sid', 'too-many-problems'],
    );
    assert.equal(result[2].message, '2 more problems not shown (the iamPolicy.maxNumberOfProblems setting is 2).');
    assert.equal(result[2].offset, 0);
  });

  it('names where the cap came from when told, the editor setting by default', () => {
    const result = applyRuleSettings(sample(), { maxNumberOfProblems: 3 }, 'maxNumberOfProblems in /repo/.iam-policy.json');
    assert.deepEqual(
      result.map((item) => item.code),
      ['json-trailing-comma', 'invalid-sid', 'disallowed-character', 'too-many-problems'],
    );
    assert.equal(result[3].message, '1 more problem not shown (maxNumberOfProblems in /repo/.iam-policy.json is 3).');
    assert.equal(
      applyRuleSettings(sample(), { maxNumberOfProblems: 3 })[3].message,
      '1 more problem not shown (the iamPolicy.maxNumberOfProblems setting is 3).',
    );
  });

  it('lists the codes the settings leave on', () => {
    assert.deepEqual([...enabledCodes({})], CODES);
    const enabled = enabledCodes({ rules: { 'json-trailing-comma': 'off', 'invalid-sid': 'warning' } });
    assert.equal(enabled.size, CODES.length - 1);
    assert.ok(!enabled.has('json-trailing-comma') && enabled.has('invalid-sid'));
  });

  it('reads settings and ignores, with a reason, what it cannot use', () => {
    const { settings, ignored } = readSettings({
      enable: 'yes',
      maxNumberOfProblems: 0,
      rules: { 'no-such-rule': 'off', 'invalid-sid': 'loud', 'json-comment': 'warning' },
    });
    assert.deepEqual(settings, { enable: true, maxNumberOfProblems: 100, rules: { 'json-comment': 'warning' } });
    assert.equal(ignored.length, 4);
    assert.deepEqual(readSettings(undefined).settings, { enable: true, maxNumberOfProblems: 100, rules: {} });
  });
});
