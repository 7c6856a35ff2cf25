/**
 * The service catalog through the real binary: actions, resources and condition keys that no
 * AWS service has are reported (warnings by default, so they fail a run only when asked).
 */
import * as assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CLEAN, lint, parseJsonOutput, removeTrees, tree } from './support';

after(removeTrees);

/** CLEAN with a misspelled action, line 4: `"Action": "s3:GetObjectt"`. */
const UNKNOWN_ACTION = CLEAN.replace('"s3:GetObject"', '"s3:GetObjectt"');
/** CLEAN with a misspelled service prefix, line 4: `"Action": "s33:GetObject"`. */
const UNKNOWN_SERVICE = CLEAN.replace('"s3:GetObject"', '"s33:GetObject"');

const UNKNOWN_ACTION_LINE =
  'p.iam.json:4:40 warning unknown-action Amazon S3 has no action "GetObjectt" (did you mean "s3:GetObject"?): IAM accepts the entry, but it grants nothing.\n';

describe('catalog findings', () => {
  it('reports an unknown action as a warning: exit 0 at the default --severity error', () => {
    const root = tree({ 'p.iam.json': UNKNOWN_ACTION });
    const run = lint(['p.iam.json'], { cwd: root });
    assert.deepEqual(run, { code: 0, stdout: UNKNOWN_ACTION_LINE + '1 problem (0 errors, 1 warning) in 1 of 1 policy file\n', stderr: '' });
  });

  it('fails on it with --severity warning, and with --max-warnings 0', () => {
    const root = tree({ 'p.iam.json': UNKNOWN_ACTION });
    const run = lint(['--severity', 'warning', 'p.iam.json'], { cwd: root });
    assert.deepEqual(run, { code: 1, stdout: UNKNOWN_ACTION_LINE + '1 problem (0 errors, 1 warning) in 1 of 1 policy file\n', stderr: '' });
    assert.equal(lint(['--max-warnings', '0', 'p.iam.json'], { cwd: root }).code, 1);
    // --quiet drops warnings, so nothing is left to fail on.
    assert.deepEqual(lint(['--quiet', '--severity', 'warning', 'p.iam.json'], { cwd: root }), { code: 0, stdout: '', stderr: '' });
  });

  it('reports a misspelled service prefix as unknown-service', () => {
    const root = tree({ 'p.iam.json': UNKNOWN_SERVICE });
    const run = lint(['-f', 'json', 'p.iam.json'], { cwd: root });
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
    const offset = UNKNOWN_SERVICE.indexOf('s33');
    assert.deepEqual(parseJsonOutput(run).files[0].findings, [
      {
        code: 'unknown-service',
        severity: 'warning',
        message: 'No AWS service has the prefix "s33" (did you mean "s3"?): "s33:GetObject" grants nothing.',
        line: 4,
        column: 37,
        endLine: 4,
        endColumn: 40,
        offset,
        length: 3,
      },
    ]);
    assert.equal(lint(['--severity', 'warning', 'p.iam.json'], { cwd: root }).code, 1);
  });

  it('checks resources and condition keys against the services the policy names', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::my-bucket', Condition: { StringEquals: { 's3:prefx': 'home/' } } },
        { Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*', Condition: { IpAddress: { 'aws:SourceIpp': '10.0.0.0/8' } } },
      ],
    });
    const run = lint(['-f', 'json', '--severity', 'info', '-'], { cwd: tree({}), input: policy });
    assert.equal(run.code, 1);
    assert.deepEqual(
      parseJsonOutput(run).files[0].findings.map((item) => [item.code, item.severity, policy.slice(item.offset, item.offset + item.length)]),
      [
        // On the action: s3:GetObject takes objects, and the resource is a bucket.
        ['resource-type-mismatch', 'info', 's3:GetObject'],
        ['unknown-condition-key', 'warning', 's3:prefx'],
        ['unknown-condition-key', 'warning', 'aws:SourceIpp'],
      ],
    );
  });

  it('applies the configuration to catalog rules like any other', () => {
    const raised = tree({ '.iam-policy.json': '{"rules": {"unknown-action": "error"}}', 'p.iam.json': UNKNOWN_ACTION });
    const run = lint(['p.iam.json'], { cwd: raised });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, UNKNOWN_ACTION_LINE.replace(' warning ', ' error ') + '1 problem (1 error, 0 warnings) in 1 of 1 policy file\n');
    const off = tree({ '.iam-policy.json': '{"rules": {"unknown-action": "off"}}', 'p.iam.json': UNKNOWN_ACTION });
    assert.deepEqual(lint(['--severity', 'warning', 'p.iam.json'], { cwd: off }), { code: 0, stdout: '', stderr: '' });
  });

  it('checks standard input against the catalog too', () => {
    const run = lint(['--stdin-filename', 'p.iam.json', '-'], { cwd: tree({}), input: UNKNOWN_ACTION });
    assert.deepEqual(run, { code: 0, stdout: UNKNOWN_ACTION_LINE + '1 problem (0 errors, 1 warning) in 1 of 1 policy file\n', stderr: '' });
  });
});
