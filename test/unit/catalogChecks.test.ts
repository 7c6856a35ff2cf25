/** Actions, resources, condition keys and security checks against the service catalog. */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeFully } from 'iam-policy-engine/analyze';
import type { Catalog } from 'iam-policy-engine/catalog';
import { editDistance, closest } from 'iam-policy-engine/similar';
import { arnMatchesTemplate, parseArn } from 'iam-policy-engine/arn';
import { createCatalog } from '../../server/src/catalogFiles';

let catalog: Catalog;
before(async () => {
  catalog = await createCatalog();
});

/** Findings other than the hard rules, as code + covered text. */
async function check(members: string | string[]): Promise<Array<{ code: string; at: string }>> {
  const statements = (Array.isArray(members) ? members : [members]).map((item) => `{${item}}`).join(', ');
  const text = `{"Version": "2012-10-17", "Statement": [${statements}]}`;
  const analysis = await analyzeFully(text, { catalog });
  return analysis.findings.map((item) => ({ code: item.code, at: text.slice(item.offset, item.offset + item.length) }));
}

describe('the catalog', () => {
  it('knows services, loads them on demand, and never asks for an unknown one', async () => {
    assert.ok(catalog.hasService('s3') && catalog.hasService('S3'));
    assert.equal(catalog.hasService('../etc'), false);
    await catalog.load(['../etc', 'nope', 's3']);
    assert.equal(catalog.service('../etc'), undefined);
    assert.equal(catalog.service('s3')?.actions.get('getobject')?.name, 'GetObject');
    assert.equal(catalog.failed.size, 0);
  });

  it('finds condition keys with variable parts, case-insensitively', async () => {
    await catalog.load(['s3']);
    assert.equal(catalog.conditionKey('aws:ResourceTag/team/sub')?.type, 'String');
    assert.equal(catalog.conditionKey('S3:ExistingObjectTag/Owner')?.key, 's3:ExistingObjectTag/<key>');
    assert.equal(catalog.conditionKey('aws:sourceip')?.key, 'aws:SourceIp');
    assert.equal(catalog.conditionKey('s3:nothing'), undefined);
  });
});

describe('actions', () => {
  it('accepts known actions and wildcards that match', async () => {
    assert.deepEqual(await check('"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*", "ec2:Describe?nstances", "*"], "Resource": "*"'), [
      { code: 'redundant-action', at: 's3:GetObject' },
      { code: 'redundant-action', at: 's3:Get*' },
      { code: 'redundant-action', at: 'ec2:Describe?nstances' },
      // "*" on "*" includes passing and creating any role (issue 12: these were missed).
      { code: 'passrole-wildcard', at: '*' },
      { code: 'create-slr-wildcard', at: '*' },
    ]);
  });

  it('warns about unknown services and actions, with the closest as a suggestion', async () => {
    const found = await check('"Effect": "Allow", "Action": ["kafk:*", "sns:SendMessage", "s3:Nothing*"], "Resource": "*"');
    assert.deepEqual(found, [
      { code: 'unknown-service', at: 'kafk' },
      { code: 'unknown-action', at: 'SendMessage' },
      { code: 'wildcard-matches-nothing', at: 'Nothing*' },
    ]);
  });

  it('hints at the canonical case and at duplicates', async () => {
    assert.deepEqual(await check('"Effect": "Allow", "Action": ["s3:getobject", "S3:GETOBJECT"], "Resource": "*"'), [
      { code: 'action-case', at: 'getobject' },
      { code: 'redundant-action', at: 'S3:GETOBJECT' },
      { code: 'action-case', at: 'GETOBJECT' },
    ]);
  });
});

describe('resources', () => {
  it('accepts resources the actions apply to, with wildcards and variables', async () => {
    assert.deepEqual(
      await check('"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/${aws:username}/*"]'),
      [],
    );
    assert.deepEqual(await check('"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-*"'), []);
  });

  it('warns about a resource of a service none of the actions belongs to', async () => {
    assert.deepEqual(await check('"Effect": "Allow", "Action": "cloudformation:CreateStack", "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:x"'), [
      { code: 'action-matches-no-resource', at: 'cloudformation:CreateStack' },
      { code: 'resource-matches-no-action', at: 'arn:aws:logs:us-east-1:123456789012:log-group:x' },
    ]);
  });

  it('tells, as information, when the reference says an action takes other resource types or only "*"', async () => {
    assert.deepEqual(await check('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket"'), [
      { code: 'resource-type-mismatch', at: 's3:GetObject' },
    ]);
    assert.deepEqual(await check('"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "arn:aws:ec2:us-east-1:123456789012:instance/i-1"'), [
      { code: 'resource-type-mismatch', at: 'ec2:DescribeInstances' },
    ]);
  });

  it('checks the parts of an ARN against the service', async () => {
    assert.deepEqual(await check('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:us-east-1::b/*"'), [
      { code: 'resource-type-mismatch', at: 's3:GetObject' },
      // IAM rejects a Region in an S3 bucket or object ARN ("can not contain region information"): issue 12.
      { code: 'malformed-arn', at: 'us-east-1' },
    ]);
    assert.deepEqual(await check('"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "arn:aws:ec2:*:ACCOUNT-ID:instance/*"'), [
      { code: 'invalid-arn', at: 'ACCOUNT-ID' },
    ]);
    assert.deepEqual(
      await check('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s4:::b/*"').then((found) => found.map((item) => item.code)),
      ['unknown-service'],
    );
  });

  it('matches ARN patterns against templates with wildcards on both sides', () => {
    assert.equal(arnMatchesTemplate('arn:aws:s3:::*', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}'), true);
    assert.equal(arnMatchesTemplate('arn:aws:s3:::b', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}'), false);
    assert.equal(arnMatchesTemplate('arn:aws:s3:::b?/x', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}'), true);
    assert.equal(arnMatchesTemplate('arn:*:ec2:*:*:instance/*', 'arn:${Partition}:ec2:${Region}:${Account}:volume/${VolumeId}'), false);
    assert.deepEqual(parseArn('arn:aws:iam::123:role/${aws:username}:x'), {
      partition: 'aws',
      service: 'iam',
      region: '',
      account: '123',
      resource: 'role/${aws:username}:x',
      offsets: { partition: 4, service: 8, region: 12, account: 13, resource: 17 },
    });
  });
});

describe('conditions', () => {
  const condition = (block: string, action = 's3:ListBucket') => check(`"Effect": "Allow", "Action": "${action}", "Resource": "*", "Condition": ${block}`);

  it('accepts keys the actions support, with operators of their type', async () => {
    assert.deepEqual(
      await condition(
        '{"StringLike": {"s3:prefix": "home/*"}, "Bool": {"aws:SecureTransport": "true"}, "ForAnyValue:StringEquals": {"aws:CalledVia": ["athena.amazonaws.com"]}}',
      ),
      [],
    );
  });

  it('warns about unknown keys and keys the actions do not support', async () => {
    assert.deepEqual(await condition('{"StringEquals": {"s3:x": "a"}}'), [{ code: 'unknown-condition-key', at: 's3:x' }]);
    assert.deepEqual(await condition('{"StringEquals": {"aws:Nope": "a"}}'), [{ code: 'unknown-condition-key', at: 'aws:Nope' }]);
    assert.deepEqual(await condition('{"StringEquals": {"s3:x-amz-storage-class": "a"}}'), [
      { code: 'condition-key-not-supported', at: 's3:x-amz-storage-class' },
    ]);
    assert.deepEqual(await condition('{"StringEquals": {"iam:ResourceTag/x": "a"}}', 'ec2:*'), [
      { code: 'condition-key-not-supported', at: 'iam:ResourceTag/x' },
    ]);
  });

  it('warns about operators of the wrong type and set operators', async () => {
    assert.deepEqual(await condition('{"NumericEquals": {"s3:prefix": "1"}}'), [{ code: 'operator-type-mismatch', at: 's3:prefix' }]);
    assert.deepEqual(await condition('{"StringEquals": {"aws:SecureTransport": "true"}}'), [{ code: 'operator-type-mismatch', at: 'aws:SecureTransport' }]);
    assert.deepEqual(await condition('{"ForAnyValue:StringEquals": {"aws:username": "a"}}'), [{ code: 'set-operator-mismatch', at: 'aws:username' }]);
    assert.deepEqual(await condition('{"StringEquals": {"aws:CalledVia": "athena.amazonaws.com"}}'), [{ code: 'set-operator-mismatch', at: 'aws:CalledVia' }]);
    // ARN operators on string keys are fine: tags and the like hold ARNs.
    assert.deepEqual(await condition('{"ArnLike": {"aws:PrincipalTag/team": "arn:aws:iam::*:role/x"}}'), []);
  });

  it('names the actions a condition key never lets an Allow apply to', async () => {
    assert.deepEqual(
      await check('"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": "*", "Condition": {"StringLike": {"s3:prefix": "a"}}'),
      [{ code: 'condition-key-partly-supported', at: 's3:GetObject' }],
    );
  });

  it('checks aws:CalledVia values and the MFA pattern', async () => {
    assert.deepEqual(await condition('{"ForAnyValue:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com", "a.b.amazonaws.com"]}}'), [
      { code: 'invalid-condition-value', at: 'a.b.amazonaws.com' },
    ]);
    assert.deepEqual(await condition('{"Bool": {"aws:MultiFactorAuthPresent": "false"}}'), [
      { code: 'mfa-condition-pattern', at: 'aws:MultiFactorAuthPresent' },
    ]);
    assert.deepEqual(await condition('{"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}'), []);
  });
});

describe('security', () => {
  it('warns about passing any role, Allow with NotAction/NotResource, and permissions management on "*"', async () => {
    assert.deepEqual(await check('"Effect": "Allow", "Action": "iam:Pass*", "Resource": "*"'), [{ code: 'passrole-wildcard', at: 'iam:Pass*' }]);
    assert.deepEqual(await check('"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"'), [{ code: 'broad-not-action', at: 'NotAction' }]);
    assert.deepEqual(await check('"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"'), [
      { code: 'broad-not-action', at: 'NotResource' },
    ]);
    assert.deepEqual(await check('"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "*"'), [
      { code: 'permissions-management-wildcard', at: 's3:PutBucketPolicy' },
    ]);
    assert.deepEqual(await check('"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"'), []);
  });
});

describe('did you mean', () => {
  it('counts a transposition as one edit and suggests within a third of the word', () => {
    assert.equal(editDistance('kafak', 'kafka'), 1);
    assert.equal(closest('cldoufront', ['cloudfront', 'cloudwatch']), 'cloudfront');
    assert.equal(closest('xyz', ['cloudfront']), undefined);
  });
});
