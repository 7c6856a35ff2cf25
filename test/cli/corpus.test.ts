/** The whole managed-policy corpus through the real binary, at Error level. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lint, MANAGED_CORPUS, parseJsonOutput } from './support';

/** Over IAM's 131,072 characters as AWS stores them (pretty-printed): the size error is right. */
const OVERSIZED = ['AWSSupportServiceRolePolicy.json', 'ReadOnlyAccess.json'];

describe('managed corpus', () => {
  const names = fs
    .readdirSync(MANAGED_CORPUS)
    .filter((name) => name.endsWith('.json'))
    .sort();

  it('has the 1,594 managed policies', () => {
    assert.equal(names.length, 1594);
  });

  it('fails exactly the two oversized policies, with document-too-large only', () => {
    const run = lint(['--format', 'json', '--severity', 'error', MANAGED_CORPUS]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, '', 'no progress line and no errors when stderr is not a terminal');
    const output = parseJsonOutput(run);
    assert.equal(output.files.length, 1594);
    assert.equal(output.summary.skipped, 0);
    const failing = output.files.filter((file) => file.findings.some((item) => item.severity === 'error'));
    assert.deepEqual(
      failing.map((file) => path.basename(file.path)),
      OVERSIZED,
    );
    for (const file of failing)
      assert.deepEqual(
        file.findings.filter((item) => item.severity === 'error').map((item) => item.code),
        ['document-too-large'],
      );
  });

  it('lints every other managed policy with exit 0', () => {
    const files = names.filter((name) => !OVERSIZED.includes(name));
    const run = lint(['--severity', 'error', ...files], { cwd: MANAGED_CORPUS });
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0, run.stdout.slice(0, 2000));
  });
});
