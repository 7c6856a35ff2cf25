import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  blocksPush,
  checkBoundaryUserName,
  checkInlinePolicyQuota,
  checkInlinePolicyTargetName,
  checkPermissionsBoundaryArn,
  checkPolicyName,
  decideOverwrite,
  lineAndColumn,
  localBlockers,
  preflightPolicy,
  sizeWithoutWhiteSpace,
} from '../../client/src/flows';
import { CODES } from 'iam-policy-engine/rules';
import { POLICY_DOCUMENT_MAX_LENGTH } from 'iam-policy-engine/limits';

const policy = (statement: object | object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statement }, null, 2);
const ALLOW_S3_READ = policy([{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }]);

/** The codes of the problems that block `text`. */
const blockingCodes = (text: string): string[] => preflightPolicy(text).problems.map((problem) => problem.code);

describe('target names per API', () => {
  it('allows 128 characters for the user of PutUserPolicy but 64 for PutUserPermissionsBoundary', () => {
    assert.equal(checkInlinePolicyTargetName('user', 'u'.repeat(128)), undefined);
    assert.match(checkInlinePolicyTargetName('user', 'u'.repeat(129)) ?? '', /129 characters long, 1 over/);
    assert.equal(checkBoundaryUserName('u'.repeat(64)), undefined);
    assert.match(checkBoundaryUserName('u'.repeat(65)) ?? '', /65 characters long, 1 over/);
  });
  it('allows 128 for a group and 64 for a role', () => {
    assert.equal(checkInlinePolicyTargetName('group', 'g'.repeat(128)), undefined);
    assert.match(checkInlinePolicyTargetName('group', 'g'.repeat(129)) ?? '', /over/);
    assert.equal(checkInlinePolicyTargetName('role', 'r'.repeat(64)), undefined);
    assert.match(checkInlinePolicyTargetName('role', 'r'.repeat(65)) ?? '', /role name is 65 characters long/);
  });
  it('applies the name pattern and the policy name rule', () => {
    assert.match(checkInlinePolicyTargetName('role', 'my role') ?? '', /U\+0020 SPACE at position 3/);
    assert.equal(checkInlinePolicyTargetName('user', 'a+b=c,d.e@f_g-h'), undefined);
    assert.equal(checkPolicyName('p'.repeat(128)), undefined);
    assert.match(checkPolicyName('') ?? '', /empty/);
  });
  it('collects every local problem of a push request', () => {
    const blockers = localBlockers({ target: { kind: 'role', name: 'r'.repeat(65) }, policyName: 'bad name', document: '' });
    assert.deepEqual(
      blockers.map((blocker) => blocker.code),
      ['target-name', 'policy-name', 'empty-document'],
    );
  });
});

describe('preflight', () => {
  it('lets a valid identity policy through', () => {
    const result = preflightPolicy(ALLOW_S3_READ, { fileName: 'read.iam.json' });
    assert.equal(result.canSend, true);
    assert.deepEqual(result.problems, []);
    assert.equal(result.summary, '');
  });

  it('blocks on each hard rule of IAM', () => {
    assert.deepEqual(blockingCodes(policy({ Sid: 'A', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::a\u2013b' })), ['disallowed-character']);
    assert.deepEqual(blockingCodes(''), ['empty-document']);
    assert.deepEqual(blockingCodes(' \n\t'), ['empty-document']);
    assert.deepEqual(blockingCodes('{"Version": "2012-10-17", "Statement": ['), ['json-syntax']);
    assert.deepEqual(blockingCodes('{"Version": "2012-10-17", // note\n "Statement": []}'), ['json-comment', 'empty-statement']);
    assert.deepEqual(blockingCodes('{"Version": "2012-10-17", "Statement": [],}'), ['empty-statement', 'json-trailing-comma']);
    assert.deepEqual(blockingCodes('{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": []}'), ['json-duplicate-key', 'empty-statement']);
    assert.deepEqual(blockingCodes('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}'), ['json-syntax']);
    assert.deepEqual(blockingCodes('{"Version": "2012-10-17", // note\n "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'), [
      'json-comment',
    ]);
    assert.deepEqual(blockingCodes('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],}'), [
      'json-trailing-comma',
    ]);
    assert.deepEqual(blockingCodes('{"Version": "2012-10-17", "Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}'), [
      'json-duplicate-key',
    ]);
    // IAM: "Syntax errors in policy." (see the rule's comment in server/src/policy/findings.ts).
    assert.deepEqual(blockingCodes('{"Version": "2012-10-17", "Statement": []}'), ['empty-statement']);
    assert.deepEqual(blockingCodes(policy({ Sid: 'read-all', Effect: 'Allow', Action: 's3:*', Resource: '*' })), ['invalid-sid']);
    assert.deepEqual(
      blockingCodes(
        policy([
          { Sid: 'A', Effect: 'Allow', Action: 's3:*', Resource: '*' },
          { Sid: 'A', Effect: 'Deny', Action: 'iam:*', Resource: '*' },
        ]),
      ),
      ['duplicate-sid'],
    );
  });

  it('blocks a document over 131,072 characters', () => {
    const padding = ' '.repeat(POLICY_DOCUMENT_MAX_LENGTH);
    assert.deepEqual(blockingCodes(`${ALLOW_S3_READ}${padding}`), ['document-too-large']);
  });

  it('blocks every error rule but those listed as not blocking, so new rules block by default', () => {
    const blocking = CODES.filter(blocksPush).sort();
    assert.deepEqual(blocking, [
      'conflicting-elements',
      'disallowed-character',
      'document-too-large',
      'duplicate-sid',
      'empty-document',
      'empty-statement',
      'invalid-action',
      'invalid-effect',
      'invalid-element-value',
      'invalid-principal',
      'invalid-resource',
      'invalid-resource-name',
      'invalid-sid',
      'invalid-version',
      'json-comment',
      'json-duplicate-key',
      'json-syntax',
      'json-trailing-comma',
      'malformed-arn',
      'malformed-date',
      'missing-action',
      'missing-principal',
      'missing-resource',
      'missing-statement',
      'principal-in-identity-policy',
      'principal-in-scp',
      'principal-wildcard-arn',
      'rcp-syntax',
      'resource-in-trust-policy',
      'sub-policy-variable',
      'template-syntax',
      'unknown-element',
      'unknown-operator',
    ]);
  });

  it('does not block on what IAM accepts: an impossible entity name in an ARN, a file name', () => {
    const text = policy({ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::123456789012:user/has space' });
    assert.equal(preflightPolicy(text, { fileName: 'my policy.iam.json' }).canSend, true);
  });

  it('refuses Principal and NotPrincipal: a resource or trust policy is not an identity policy', () => {
    const trust = policy([
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 's3:*', Resource: '*' },
    ]);
    const result = preflightPolicy(trust);
    assert.equal(result.canSend, false);
    // As an identity policy: each principal is an error, and so is the trust statement's missing Resource.
    assert.deepEqual(
      result.problems.map((problem) => problem.code),
      ['missing-resource', 'principal-in-identity-policy', 'principal-in-identity-policy'],
    );
    assert.match(result.problems[1].message, /^Principal in an identity policy: IAM rejects it \("Policy document should not specify a principal"\)/);
    assert.match(result.problems[2].message, /^NotPrincipal in an identity policy/);
    assert.equal(result.problems[1].line, 6);
    assert.match(result.summary, /^Not sent: the document has 3 problems IAM would reject\. Line \d+, column \d+: This statement has no Resource/);
  });

  it('counts lines and columns from 1', () => {
    assert.deepEqual(lineAndColumn('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepEqual(lineAndColumn('ab\ncd', 4), { line: 2, column: 2 });
  });
});

describe('overwrite decision', () => {
  it('creates when IAM has no policy of that name', () => {
    assert.deepEqual(decideOverwrite(undefined, ALLOW_S3_READ), { kind: 'create' });
  });
  it('sends nothing when IAM holds the same policy, whatever its formatting and key order', () => {
    const compact = '{"Statement":[{"Resource":"arn:aws:s3:::bucket/*","Action":"s3:GetObject","Effect":"Allow","Sid":"Read"}],"Version":"2012-10-17"}';
    assert.deepEqual(decideOverwrite(compact, ALLOW_S3_READ), { kind: 'unchanged' });
  });
  it('asks before replacing a different policy, with both texts pretty-printed', () => {
    const other = '{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}';
    const decision = decideOverwrite(other, ALLOW_S3_READ);
    assert.equal(decision.kind, 'replace');
    if (decision.kind !== 'replace') return;
    assert.equal(decision.existing, `${JSON.stringify(JSON.parse(other), null, 2)}\n`);
    assert.equal(decision.proposed, `${ALLOW_S3_READ}\n`);
  });
  it('treats a different order of array items as a different policy', () => {
    const a = '{"Statement":[{"Action":["s3:A","s3:B"]}]}';
    const b = '{"Statement":[{"Action":["s3:B","s3:A"]}]}';
    assert.equal(decideOverwrite(a, b).kind, 'replace');
  });
});

describe('inline policy quota', () => {
  const user = { kind: 'user', name: 'alice' } as const;
  /** A policy of exactly `size` characters without white space. */
  const policyOfSize = (size: number): string => {
    const skeleton = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::"}}';
    const text = skeleton.replace('arn:aws:s3:::', `arn:aws:s3:::${'b'.repeat(size - skeleton.length)}`);
    assert.equal(text.length, size);
    return JSON.stringify(JSON.parse(text), null, 4);
  };

  it('counts characters without the white space outside strings', () => {
    assert.equal(sizeWithoutWhiteSpace('{ "Sid" : "a b" }'), '{"Sid":"a b"}'.length);
    assert.equal(sizeWithoutWhiteSpace(policyOfSize(500)), 500);
  });

  it('adds the other inline policies and leaves out the one being replaced', () => {
    const existing = [
      { policyName: 'one', document: policyOfSize(600) },
      { policyName: 'two', document: policyOfSize(400) },
      { policyName: 'same', document: policyOfSize(1_900) },
    ];
    const check = checkInlinePolicyQuota(user, 'same', policyOfSize(1_048), existing);
    assert.equal(check.quota, 2_048);
    assert.equal(check.otherPoliciesSize, 1_000);
    assert.equal(check.otherPolicyCount, 2);
    assert.equal(check.total, 2_048);
    assert.equal(check.fits, true);
    assert.match(check.message, /1,048 characters without white space and the 2 other inline policies of the user "alice" take 1,000: 2,048 of the 2,048/);
  });

  it('refuses one character over, with the numbers', () => {
    const check = checkInlinePolicyQuota(user, 'new', policyOfSize(1_049), [{ policyName: 'one', document: policyOfSize(1_000) }]);
    assert.equal(check.fits, false);
    assert.equal(
      check.message,
      'Too large for IAM: this policy is 1,049 characters without white space and the other inline policy of the user "alice" takes 1,000, 2,049 in all, 1 over the 2,048 IAM allows for the inline policies of one user. Shorten it, remove another inline policy, or move statements into a managed policy.',
    );
  });

  it('uses the quota of groups and roles', () => {
    assert.equal(checkInlinePolicyQuota({ kind: 'group', name: 'g' }, 'p', policyOfSize(5_120), []).fits, true);
    assert.equal(checkInlinePolicyQuota({ kind: 'group', name: 'g' }, 'p', policyOfSize(5_121), []).fits, false);
    assert.equal(checkInlinePolicyQuota({ kind: 'role', name: 'r' }, 'p', policyOfSize(10_240), []).fits, true);
    assert.equal(checkInlinePolicyQuota({ kind: 'role', name: 'r' }, 'p', policyOfSize(10_241), []).fits, false);
  });
});

describe('permissions boundary ARN', () => {
  it('accepts managed policy ARNs of AWS and of an account, with paths and in other partitions', () => {
    for (const arn of [
      'arn:aws:iam::aws:policy/PowerUserAccess',
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
      'arn:aws:iam::123456789012:policy/Boundary',
      'arn:aws:iam::123456789012:policy/team/a/Boundary+v2',
      'arn:aws-cn:iam::123456789012:policy/Boundary',
      'arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess',
    ]) {
      assert.equal(checkPermissionsBoundaryArn(arn), undefined, arn);
    }
  });
  it('gives the length range of the API', () => {
    assert.match(checkPermissionsBoundaryArn('arn:aws:iam::aws:p') ?? '', /20 to 2,048 characters; this is 18/);
    const long = `arn:aws:iam::123456789012:policy/${'p/'.repeat(1_010)}x`;
    assert.match(checkPermissionsBoundaryArn(long) ?? '', /this is 2,054/);
  });
  it('says what is wrong with an ARN that is not a managed policy', () => {
    const cases: [string, RegExp][] = [
      ['PowerUserAccess-not-an-arn', /is not an ARN/],
      ['arn:aws:s3:::bucket/PowerUserAccess', /the service "s3", not of an IAM managed policy/],
      ['arn:aws:iam:us-east-1:123456789012:policy/B', /IAM ARNs have no region/],
      ['arn:aws:iam::12345678901:policy/Boundary', /must be 12 digits, or "aws"/],
      ['arn:aws:iam::123456789012:role/Boundary', /names a role, not a managed policy/],
      ['arn:aws:iam::123456789012:policy/my boundary', /U\+0020 SPACE at position 3/],
      ['arn:aws:iam::123456789012:policy/', /policy name is empty/],
      [`arn:aws:iam::123456789012:policy/${'p'.repeat(129)}`, /129 characters long/],
      ['arn:aws:iam::123456789012:policy/a b/Boundary', /path of this policy ARN has U\+0020 SPACE/],
      ['arn:amazon:iam::123456789012:policy/Boundary', /partition "amazon"/],
    ];
    for (const [arn, expected] of cases) assert.match(checkPermissionsBoundaryArn(arn) ?? '(accepted)', expected, arn);
  });
});
