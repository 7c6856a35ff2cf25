/** The policy grammar (no catalog needed): elements, values, kinds of policy. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from 'iam-policy-engine/analyze';
import { findings as allFindings, type TestOptions } from '../support/engine';

const grammar: TestOptions = { families: ['elements', 'actions', 'resources', 'conditions'] };
const findings = (text: string) => allFindings(text, grammar);
const statement = (members: string, head = '"Version": "2012-10-17", '): string => `{${head}"Statement": [{${members}}]}`;
const ok = '"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"';

describe('elements', () => {
  it('accepts a complete identity policy, with Statement as an object or an array', () => {
    assert.deepEqual(findings(statement(ok)), []);
    assert.deepEqual(findings(`{"Version": "2012-10-17", "Id": "x", "Statement": {${ok}}}`), []);
  });

  it('reports unknown elements, with the right case or the closest name', () => {
    assert.deepEqual(
      findings(statement(`${ok}, "effect": "Allow"`)).map((f) => f.code),
      ['unknown-element'],
    );
    assert.deepEqual(findings(`{"Version": "2012-10-17", "Statment": [], "Statement": [{${ok}}]}`), [{ code: 'unknown-element', at: '"Statment"' }]);
    const [message] = analyze(statement(`${ok}, "Efect": "Allow"`))
      .findings.filter((f) => f.code === 'unknown-element')
      .map((f) => f.message);
    assert.match(message, /"Efect" is not an element of a statement \(did you mean "Effect"\?\)/);
  });

  it('checks Version', () => {
    assert.deepEqual(findings(statement(ok, '"Version": "2012-10-18", ')), [{ code: 'invalid-version', at: '"2012-10-18"' }]);
    assert.deepEqual(findings(statement(ok, '"Version": 2012, ')), [{ code: 'invalid-version', at: '2012' }]);
    assert.deepEqual(findings(statement(ok, '"Version": "2008-10-17", ')), [{ code: 'old-version', at: '"2008-10-17"' }]);
    assert.deepEqual(findings(statement(ok, '')), [{ code: 'missing-version', at: '{' }]);
  });

  it('requires Statement, and warns about an empty one', () => {
    assert.deepEqual(findings('{"Version": "2012-10-17"}'), [{ code: 'missing-statement', at: '{' }]);
    assert.deepEqual(findings('{"Version": "2012-10-17", "Statement": []}'), [{ code: 'empty-statement', at: '[]' }]);
    assert.deepEqual(findings('{"Version": "2012-10-17", "Statement": "x"}'), [{ code: 'invalid-element-value', at: '"x"' }]);
    assert.deepEqual(findings('{"Version": "2012-10-17", "Statement": [1]}'), [{ code: 'invalid-element-value', at: '1' }]);
  });

  it('requires Effect exactly Allow or Deny', () => {
    assert.deepEqual(findings(statement('"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"')), [{ code: 'invalid-effect', at: '"allow"' }]);
    assert.deepEqual(findings(statement('"Action": "s3:GetObject", "Resource": "*"')), [{ code: 'invalid-effect', at: '{' }]);
  });

  it('requires exactly one of Action/NotAction and of Resource/NotResource', () => {
    assert.deepEqual(findings(statement('"Effect": "Allow", "Resource": "*"')), [{ code: 'missing-action', at: '{' }]);
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": [], "Resource": "*"')), [{ code: 'missing-action', at: '[]' }]);
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "s3:GetObject"')), [{ code: 'missing-resource', at: '{' }]);
    assert.deepEqual(findings(statement(`${ok}, "NotAction": "s3:PutObject"`)), [{ code: 'conflicting-elements', at: '"NotAction"' }]);
    assert.deepEqual(findings(statement(`${ok}, "NotResource": "*"`)), [{ code: 'conflicting-elements', at: '"NotResource"' }]);
  });

  it('checks value types', () => {
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": 5, "Resource": "*"')), [{ code: 'invalid-element-value', at: '5' }]);
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["*", {"Fn::Sub": "x"}]')), [
      { code: 'invalid-element-value', at: '{"Fn::Sub": "x"}' },
    ]);
    assert.deepEqual(findings(statement(`${ok}, "Condition": "x"`)), [{ code: 'invalid-element-value', at: '"x"' }]);
    assert.deepEqual(findings(statement(`${ok}, "Sid": 1`)), [{ code: 'invalid-element-value', at: '1' }]);
  });
});

describe('kinds of policy', () => {
  it('rejects Principal in an identity policy', () => {
    const text = `{"Version": "2012-10-17", "Statement": [{${ok}}, {${ok}, "Principal": "*"}]}`;
    assert.deepEqual(findings(text), [{ code: 'principal-in-identity-policy', at: '"Principal"' }]);
    assert.equal(analyze(text).kind, 'identity');
  });

  it('takes a document whose statements all name principals as a resource-based policy', () => {
    const text = statement(
      '"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "123456789012"]}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"',
    );
    assert.deepEqual(findings(text), []);
    // Of one service, S3: a bucket policy, whose statements need a Resource.
    assert.equal(analyze(text).kind, 's3-bucket');
    assert.deepEqual(findings(statement('"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"')), [{ code: 'missing-resource', at: '{' }]);
    // Of several services, or one without a kind of its own: a resource-based policy, and nothing
    // said about a missing Resource, which some services' policies never carry.
    assert.equal(analyze(statement('"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "sqs:SendMessage"], "Resource": "*"')).kind, 'resource');
    assert.deepEqual(
      findings(statement('"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]')),
      [],
    );
  });

  it('takes a role trust policy without Resource, and requires its Principal', () => {
    const trust = statement('"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"');
    assert.deepEqual(findings(trust), []);
    assert.equal(analyze(trust).kind, 'trust');
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "sts:AssumeRole"')), [{ code: 'missing-principal', at: '{' }]);
  });

  it('checks principals', () => {
    const principal = (value: string) => statement(`"Effect": "Allow", "Principal": ${value}, "Action": "sts:AssumeRole"`);
    assert.deepEqual(findings(principal('{"AWS": "arn:aws::iam::123456789012:root"}')), [
      { code: 'invalid-principal', at: '"arn:aws::iam::123456789012:root"' },
    ]);
    assert.deepEqual(findings(principal('{"Aws": "*"}')), [{ code: 'invalid-principal', at: '"Aws"' }]);
    assert.deepEqual(findings(principal('"arn:aws:iam::123456789012:root"')), [{ code: 'invalid-principal', at: '"arn:aws:iam::123456789012:root"' }]);
    assert.deepEqual(findings(principal('{"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1"}')), []);
    // Cognito identity pools assume roles with sts:AssumeRoleWithWebIdentity, pinned to the pool.
    const cognito = statement(
      '"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:12345678-1234-1234-1234-123456789012"}}',
    );
    assert.deepEqual(findings(cognito), []);
    assert.deepEqual(
      findings(principal('{"Federated": "cognito-identity.amazonaws.com"}')).map((item) => item.code),
      ['federated-action-mismatch'],
    );
  });
});

describe('actions, resources and conditions without the catalog', () => {
  it('requires the vendor:Action shape', () => {
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "GetObject", "Resource": "*"')), [{ code: 'invalid-action', at: 'GetObject' }]);
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "s3:Get:Object", "Resource": "*"')), [{ code: 'invalid-action', at: 's3:Get:Object' }]);
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "s 3:GetObject", "Resource": "*"')), [{ code: 'invalid-action', at: 's 3' }]);
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "ec2:* ", "Resource": "*"')), [{ code: 'unknown-action', at: 'ec2:* ' }]);
  });

  it('requires "*" or an ARN for resources, and checks ARN parts and variables', () => {
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": " *"')), [{ code: 'invalid-resource', at: ' *' }]);
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3"')), [{ code: 'invalid-arn', at: 'arn:aws:s3' }]);
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:awz:s3:::b"')), [{ code: 'malformed-arn', at: 'awz' }]); // IAM: Partition "awz" is not valid (issue 12)
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"')), []);
    assert.deepEqual(findings(statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username/*"')), [
      { code: 'invalid-policy-variable', at: '${aws:username/*' },
    ]);
    assert.deepEqual(
      findings(statement('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"', '')).map((f) => f.code),
      ['missing-version', 'invalid-policy-variable'],
    );
  });

  it('checks operators, keys and values', () => {
    const condition = (block: string) => statement(`${ok}, "Condition": ${block}`);
    assert.deepEqual(findings(condition('{"StringEqualz": {"aws:username": "a"}}')), [{ code: 'unknown-operator', at: 'StringEqualz' }]);
    assert.deepEqual(findings(condition('{"NullIfExists": {"aws:username": "true"}}')), [{ code: 'null-if-exists', at: 'NullIfExists' }]);
    assert.deepEqual(findings(condition('{"ForAnyValues:StringEquals": {"aws:TagKeys": "a"}}')), [
      { code: 'unknown-operator', at: 'ForAnyValues:StringEquals' },
    ]);
    assert.deepEqual(findings(condition('{"StringEquals": {"username": "a"}}')), [{ code: 'invalid-condition-key', at: 'username' }]);
    assert.deepEqual(
      findings(
        condition(
          '{"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}, "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}, "Bool": {"aws:SecureTransport": true}, "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}',
        ),
      ),
      [],
    );
    assert.deepEqual(findings(condition('{"DateGreaterThan": {"aws:CurrentTime": "yesterday"}}')), [{ code: 'malformed-date', at: 'yesterday' }]);
    assert.deepEqual(findings(condition('{"IpAddress": {"aws:SourceIp": "203.0.113.300"}}')), [{ code: 'invalid-condition-value', at: '203.0.113.300' }]);
    assert.deepEqual(findings(condition('{"Bool": {"aws:SecureTransport": "yes"}}')), [{ code: 'invalid-condition-value', at: 'yes' }]);
    assert.deepEqual(findings(condition('{"StringEquals": {"aws:username": {"a": 1}}}')), [{ code: 'invalid-element-value', at: '{"a": 1}' }]);
    assert.deepEqual(findings(condition('{"StringLike": {"s3:prefix": "home/${aws:username}/"}}')), []);
    assert.deepEqual(findings(condition('{"StringLike": {"s3:prefix": "home/${}/"}}')), [{ code: 'invalid-policy-variable', at: '${}' }]);
  });
});
