/**
 * Policy kinds: how a document's kind is named or inferred, and the checks and quotas that
 * follow it. Each case is written from AWS's documentation of that kind of policy (the IAM
 * User Guide's role trust policies, the S3, SQS, KMS and ECR guides' policy examples, AWS
 * Organizations' SCP and RCP syntax), and names the Access Analyzer check it stands for.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyze, analyzeFully, type AnalyzeOptions } from 'iam-policy-engine/analyze';
import type { Catalog } from 'iam-policy-engine/catalog';
import { inferKind, kindFromFileName, type PolicyKind } from 'iam-policy-engine/kinds';
import { createCatalog } from '../../server/src/catalogFiles';

let catalog: Catalog;
before(async () => {
  catalog = await createCatalog();
});

const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

async function found(text: string, kind?: PolicyKind, options: AnalyzeOptions = {}): Promise<Array<[string, string]>> {
  const analysis = await analyzeFully(text, { ...options, ...(kind !== undefined ? { kind } : {}), catalog });
  return analysis.findings.map((item) => [item.code, text.slice(item.offset, item.offset + item.length)]);
}

const codes = async (text: string, kind?: PolicyKind): Promise<string[]> => (await found(text, kind)).map(([code]) => code);

describe('naming and inferring the kind', () => {
  it('reads the kind from the file suffix', () => {
    assert.equal(kindFromFileName('/repo/org/deny-leaving.scp.json'), 'scp');
    assert.equal(kindFromFileName('C:\\repo\\site.bucket-policy.jsonc'), 's3-bucket');
    assert.equal(kindFromFileName('lambda.trust.json'), 'trust');
    assert.equal(kindFromFileName('read.iam.json'), undefined);
    assert.equal(kindFromFileName('.scp.json'), undefined, 'a suffix alone names no file');
  });

  it('infers a trust policy, also one that allows "*" (no false Error on its missing Resource)', () => {
    const trust = policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: '*' });
    assert.equal(analyze(trust).kind, 'trust');
    assert.deepEqual(
      analyze(trust).findings.filter((item) => item.severity === 'error'),
      [],
    );
  });

  it('infers a resource-based policy of one service from its actions, and generic for several', () => {
    const queue = policy({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: 'arn:aws:sqs:us-east-1:123456789012:queue',
    });
    assert.equal(analyze(queue).kind, 'sqs-queue');
    // ECR repository policies carry no Resource: no false Error (the ECR User Guide's examples).
    const repository = policy({
      Sid: 'AllowPull',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    });
    assert.equal(analyze(repository).kind, 'ecr-repository');
    assert.deepEqual(analyze(repository).findings, []);
  });

  it('takes the majority: one statement with a Principal in an identity policy is the mistake', () => {
    const view = analyze(
      policy(
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' },
      ),
    ).policy;
    assert.equal(inferKind(view), 'identity');
  });

  it('says how the kind was decided', () => {
    const text = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
    assert.equal(analyze(text).kindSource, 'inferred');
    assert.equal(analyze(text, { fileName: 'x.scp.json' }).kindSource, 'file name');
    assert.equal(analyze(text, { kind: 'rcp', kindSource: 'configuration' }).kindSource, 'configuration');
  });
});

describe('trust policies', () => {
  it('refuses Resource in a trust policy (ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE), with a fix that removes it', async () => {
    const text = policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' });
    assert.deepEqual(
      (await found(text, 'trust')).filter(([code]) => code === 'resource-in-trust-policy'),
      [['resource-in-trust-policy', '"Resource"']],
    );
    assert.deepEqual(
      analyze(text, { kind: 'trust' })
        .findings.filter((item) => item.severity === 'error')
        .map((item) => item.code),
      ['resource-in-trust-policy'],
    );
  });

  it('requires a Principal (MISSING_PRINCIPAL)', async () => {
    assert.deepEqual(await codes(policy({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'trust'), ['missing-principal']);
  });

  it('warns over 2,048 characters without white space (POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA)', async () => {
    const accounts = Array.from({ length: 70 }, (_, i) => `arn:aws:iam::${String(100000000000 + i)}:root`);
    const text = policy({ Effect: 'Allow', Principal: { AWS: accounts }, Action: 'sts:AssumeRole' });
    const analysis = await analyzeFully(text, { kind: 'trust', catalog });
    const quota = analysis.findings.find((item) => item.code === 'policy-size-quota');
    assert.ok(quota !== undefined && quota.severity === 'warning');
    assert.match(quota.message, /over the 2,048 allowed for a role trust policy/);
  });
});

describe('identity policies', () => {
  it('refuses a Principal (UNSUPPORTED_PRINCIPAL) and requires Resource (MISSING_RESOURCE)', async () => {
    assert.deepEqual(await codes(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }), 'identity'), [
      'missing-resource',
      'principal-in-identity-policy',
    ]);
  });

  it('says when it is too large for a managed policy (POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA), as Information', async () => {
    const actions = Array.from({ length: 400 }, (_, i) => `s3:GetObject${i}`);
    const text = policy({ Effect: 'Allow', Action: actions, Resource: '*' });
    const analysis = analyze(text, { kind: 'identity' });
    const size = analysis.findings.find((item) => item.code === 'managed-policy-size');
    assert.equal(size?.severity, 'info');
    assert.match(size?.message ?? '', /characters without white space, [\d,]+ over the 6,144 allowed for a managed policy/);
  });

  it('refuses duplicate Sids (UNIQUE_SIDS_REQUIRED); other kinds only warn (UNIQUE_SIDS_RECOMMENDED)', async () => {
    const statement = { Sid: 'Same', Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
    assert.ok(
      (
        await codes(
          policy(
            { Sid: 'Same', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
            { Sid: 'Same', Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
          ),
          'identity',
        )
      ).includes('duplicate-sid'),
    );
    const bucket = await analyzeFully(policy(statement, { ...statement, Action: 's3:PutObject' }), { kind: 's3-bucket', catalog });
    assert.deepEqual(
      bucket.findings.map((item) => [item.code, item.severity]),
      [['sid-not-unique', 'warning']],
    );
  });
});

describe('resource-based policies of one service', () => {
  const bucket = (extra: object): string =>
    policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*', ...extra });

  it('names actions of other services (UNSUPPORTED_ACTION_IN_POLICY)', async () => {
    const items = await found(bucket({ Action: ['s3:GetObject', 'ec2:StartInstances'] }), 's3-bucket');
    assert.deepEqual(
      items.filter(([code]) => code === 'action-outside-policy-service'),
      [['action-outside-policy-service', 'ec2:StartInstances']],
    );
  });

  it('names ARNs of other services (UNSUPPORTED_RESOURCE_ARN_IN_POLICY)', async () => {
    const items = await found(bucket({ Resource: ['arn:aws:s3:::reports/*', 'arn:aws:sqs:us-east-1:123456789012:q'] }), 's3-bucket');
    assert.deepEqual(
      items.filter(([code]) => code === 'resource-outside-policy-service'),
      [['resource-outside-policy-service', 'arn:aws:sqs:us-east-1:123456789012:q']],
    );
  });

  it('hints at keys that say nothing there (IRRELEVANT_CONDITION_KEY_IN_POLICY)', async () => {
    const items = await found(bucket({ Condition: { StringEquals: { 's3:ResourceAccount': '123456789012' } } }), 's3-bucket');
    assert.deepEqual(
      items.filter(([code]) => code === 'irrelevant-condition-key'),
      [['irrelevant-condition-key', 's3:ResourceAccount']],
    );
  });

  it('requires Resource in a bucket policy and a key policy, not in a queue policy', async () => {
    const statement = { Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 's3:GetObject' };
    assert.deepEqual(await codes(policy(statement), 's3-bucket'), ['missing-resource']);
    assert.deepEqual(await codes(policy({ ...statement, Action: 'kms:Decrypt' }), 'kms-key'), ['missing-resource']);
    assert.deepEqual(await codes(policy({ ...statement, Action: 'sqs:SendMessage' }), 'sqs-queue'), []);
  });

  it("warns over the service's size (POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA)", async () => {
    const arns = Array.from({ length: 400 }, (_, i) => `arn:aws:sqs:us-east-1:123456789012:queue-number-${i}`);
    const text = policy({ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sqs:SendMessage', Resource: arns });
    const analysis = analyze(text, { kind: 'sqs-queue' });
    assert.match(analysis.findings.find((item) => item.code === 'policy-size-quota')?.message ?? '', /over the 8,192 allowed for an SQS queue policy/);
  });
});

describe('service control policies', () => {
  it('refuses Principal (SCP_SYNTAX_ERROR_PRINCIPAL)', async () => {
    assert.deepEqual(await found(policy({ Effect: 'Deny', Principal: '*', Action: 'organizations:LeaveOrganization', Resource: '*' }), 'scp'), [
      ['principal-in-scp', '"Principal"'],
    ]);
  });

  it('warns about a wildcard inside an action name (SCP_SYNTAX_ERROR_ACTION_WILDCARD)', async () => {
    assert.deepEqual(await found(policy({ Effect: 'Deny', Action: ['ec2:*Instances', 'ec2:Describe*'], Resource: '*' }), 'scp'), [
      ['scp-action-wildcard', 'ec2:*Instances'],
    ]);
  });

  it('warns over 5,120 characters (POLICY_SIZE_EXCEEDS_SCP_QUOTA), and needs no Resource or Principal otherwise', async () => {
    const actions = Array.from({ length: 300 }, (_, i) => `ec2:Action${i}`);
    const analysis = analyze(policy({ Effect: 'Deny', Action: actions, Resource: '*' }), { kind: 'scp' });
    assert.deepEqual(analysis.findings.filter((item) => item.code === 'policy-size-quota').length, 1);
  });
});

describe('resource control policies', () => {
  const deny = (extra: object): string => policy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', ...extra });

  it('takes the RCP syntax (RCP_SYNTAX_ERROR_PRINCIPAL, _NOTACTION, _ALLOW)', async () => {
    assert.deepEqual(
      (await found(deny({ Principal: { AWS: '123456789012' } }), 'rcp')).map(([code, at]) => [code, at.replace(/\s+/g, '')]),
      [['rcp-syntax', '{"AWS":"123456789012"}']],
    );
    assert.deepEqual(await codes(policy({ Effect: 'Deny', Principal: '*', NotAction: 's3:GetObject', Resource: '*' }), 'rcp'), ['rcp-syntax']);
    assert.deepEqual(await codes(policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }), 'rcp'), ['rcp-syntax']);
    // The full-access Allow that Organizations attaches by default (RCPFullAWSAccess) is fine.
    assert.deepEqual(await codes(policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }), 'rcp'), []);
  });

  it('names actions of services RCPs do not apply to (RCP_SYNTAX_ERROR_ACTION)', async () => {
    assert.deepEqual(await found(deny({ Action: ['s3:GetObject', 'ec2:RunInstances'] }), 'rcp'), [['rcp-unsupported-action', 'ec2:RunInstances']]);
  });

  it('asks the condition patterns of RCPs (RCP_MISSING_RELATED_*_CONDITION_KEY, RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK)', async () => {
    const principal = await found(deny({ Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123def4' } } }), 'rcp');
    assert.deepEqual(principal, [['rcp-condition-pattern', 'aws:PrincipalOrgID']]);
    const service = await found(deny({ Condition: { StringNotEqualsIfExists: { 'aws:SourceOrgID': 'o-abc123def4' } } }), 'rcp');
    assert.deepEqual(
      service.map(([code]) => code),
      ['rcp-condition-pattern', 'rcp-condition-pattern'],
    );
    // AWS's example RCP that keeps S3 within the organization, with both guards: nothing to say.
    const guarded = deny({
      Condition: {
        StringNotEqualsIfExists: { 'aws:SourceOrgID': 'o-abc123def4' },
        Null: { 'aws:SourceAccount': 'false' },
        Bool: { 'aws:PrincipalIsAWSService': 'true' },
      },
    });
    assert.deepEqual(await codes(guarded, 'rcp'), []);
  });
});
