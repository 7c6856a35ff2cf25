/** Policy kinds and overrides in the command-line linter: named by suffix, by configuration, by --kind. */
import * as assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { lint, parseJsonOutput, removeTrees, tree } from './support';

after(removeTrees);

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
/** Reads like an identity policy: checked as a trust policy, its Resource is refused. */
const TRUST_WITH_RESOURCE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }],
});
const SCP = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenyLeaving', Effect: 'Deny', Principal: '*', Action: 'organizations:LeaveOrganization', Resource: '*' }],
});

const codesOf = (run: ReturnType<typeof lint>): Record<string, string[]> =>
  Object.fromEntries(parseJsonOutput(run).files.map((file) => [file.path, file.findings.map((item) => item.code)]));

describe('policy kinds', () => {
  it('takes the kind from the file name', () => {
    const root = tree({ 'deny-leaving.scp.json': SCP, 'lambda.trust.json': TRUST_WITH_RESOURCE });
    assert.deepEqual(codesOf(lint(['-f', 'json', 'deny-leaving.scp.json', 'lambda.trust.json'], { cwd: root })), {
      'deny-leaving.scp.json': ['principal-in-scp'],
      'lambda.trust.json': ['resource-in-trust-policy'],
    });
  });

  it('takes the kind from "kinds" in .iam-policy.json, by glob', () => {
    const root = tree({
      '.iam-policy.json': JSON.stringify({ kinds: { 'org/*.json': 'scp', 'roles/**/trust.json': 'trust' } }),
      'org/deny-leaving.json': SCP,
      'roles/app/trust.json': TRUST_WITH_RESOURCE,
      'elsewhere/deny-leaving.json': SCP,
    });
    assert.deepEqual(codesOf(lint(['-f', 'json', 'org/deny-leaving.json', 'roles/app/trust.json', 'elsewhere/deny-leaving.json'], { cwd: root })), {
      'org/deny-leaving.json': ['principal-in-scp'],
      'roles/app/trust.json': ['resource-in-trust-policy'],
      // Not named: it names a principal, so it is taken for a resource-based policy.
      'elsewhere/deny-leaving.json': [],
    });
  });

  it('checks every file as the kind --kind names', () => {
    const root = tree({ 'p.json': TRUST });
    assert.deepEqual(codesOf(lint(['-f', 'json', '--kind', 'identity', 'p.json'], { cwd: root })), {
      'p.json': ['missing-resource', 'principal-in-identity-policy'],
    });
    const wrong = lint(['--kind', 'bucket', 'p.json'], { cwd: root });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--kind must be one of identity, trust, .* not "bucket"/);
  });

  it('says which kinds there are when the configuration names another', () => {
    const root = tree({ '.iam-policy.json': '{"kinds": {"*.json": "bucket"}}', 'p.json': TRUST });
    const run = lint(['p.json'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /kinds\.\*\.json: "bucket" is not a policy kind \(did you mean "s3-bucket"\?\)|kinds\.\*\.json: "bucket" is not a policy kind;/);
  });
});

describe('overrides', () => {
  const twoBadSids = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Old-Admin', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Sid: 'New-Admin', Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
    ],
  });

  it('sets severities for the files a glob matches, and for the statements a Sid names', () => {
    const root = tree({
      '.iam-policy.json': JSON.stringify({
        overrides: [
          { files: ['legacy/**'], rules: { 'invalid-sid': 'warning' } },
          { files: ['legacy/**'], sids: ['Old-Admin'], rules: { 'invalid-sid': 'off' } },
        ],
      }),
      'legacy/a.iam.json': twoBadSids,
      'current/a.iam.json': twoBadSids,
    });
    const output = parseJsonOutput(lint(['-f', 'json', '.'], { cwd: root }));
    const seen = Object.fromEntries(output.files.map((file) => [file.path, file.findings.map((item) => `${item.code}:${item.severity}`)]));
    assert.deepEqual(seen, {
      'current/a.iam.json': ['invalid-sid:error', 'invalid-sid:error'],
      'legacy/a.iam.json': ['invalid-sid:warning'],
    });
  });

  it('names what is wrong in an override', () => {
    const root = tree({ '.iam-policy.json': JSON.stringify({ overrides: [{ file: ['x'], rules: { 'no-such-rule': 'off' } }, 'x'] }), 'p.iam.json': TRUST });
    const run = lint(['p.iam.json'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /overrides\[0\]: unknown key "file" \(did you mean "files"\?\)/);
    assert.match(run.stderr, /overrides\[0\]\.rules: unknown rule code "no-such-rule"/);
    assert.match(run.stderr, /overrides\[1\] must be an object/);
  });
});
