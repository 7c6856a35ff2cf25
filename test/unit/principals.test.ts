/**
 * Principals, trust policies and the actions that hand out roles, one case per Access Analyzer
 * check, written from the IAM User Guide's pages on the Principal element, role trust
 * policies, web identity and GitHub OIDC federation, IAM Roles Anywhere and the confused deputy.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from 'iam-policy-engine/analyze';
import type { PolicyKind } from 'iam-policy-engine/kinds';

const policy = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** [code, covered text] of the findings of these codes. */
function found(text: string, kind: PolicyKind, ...codes: string[]): Array<[string, string]> {
  return analyze(text, { kind })
    .findings.filter((item) => codes.length === 0 || codes.includes(item.code))
    .map((item) => [item.code, text.slice(item.offset, item.offset + item.length)]);
}

const trust = (principal: object, extra: object = {}): string => policy({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });
const GITHUB = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';

describe('principals', () => {
  it('refuses a wildcard inside a principal ARN (UNSUPPORTED_WILDCARD_IN_PRINCIPAL), as an Error', () => {
    const text = trust({ AWS: 'arn:aws:iam::111122223333:role/deploy-*' });
    assert.deepEqual(found(text, 'trust', 'principal-wildcard-arn'), [['principal-wildcard-arn', 'arn:aws:iam::111122223333:role/deploy-*']]);
    assert.equal(analyze(text, { kind: 'trust' }).findings.find((item) => item.code === 'principal-wildcard-arn')?.severity, 'error');
  });

  it('names an empty principal object or list (EMPTY_OBJECT_PRINCIPAL, EMPTY_ARRAY_PRINCIPAL) as a Warning', () => {
    assert.deepEqual(found(trust({}), 'trust', 'empty-principal', 'invalid-principal'), [['empty-principal', '{}']]);
    assert.deepEqual(found(trust({ AWS: [] }), 'trust', 'empty-principal', 'invalid-principal'), [['empty-principal', '[]']]);
  });

  it("names a deleted principal's unique id (INVALID_ROLE_REFERENCE, INVALID_USER_REFERENCE), not as an Error", () => {
    const text = trust({ AWS: ['AROAEXAMPLEROLEID12345', 'AIDAEXAMPLEUSERID12345'] });
    assert.deepEqual(
      found(text, 'trust', 'principal-unique-id', 'invalid-principal').map(([code]) => code),
      ['principal-unique-id', 'principal-unique-id'],
    );
  });

  it('suggests the principal type in its case (INVALID_PRINCIPAL_KEY), and refuses a string principal (INVALID_PRINCIPAL_FORMAT)', () => {
    const item = analyze(trust({ aws: '111122223333' }), { kind: 'trust' }).findings.find((candidate) => candidate.code === 'invalid-principal');
    assert.deepEqual(item?.data?.suggestions, ['AWS']);
    assert.deepEqual(found(policy({ Effect: 'Allow', Principal: '111122223333', Action: 'sts:AssumeRole' }), 'trust', 'invalid-principal').length, 1);
  });

  it('names Allow with NotPrincipal (ALLOW_WITH_NOT_PRINCIPAL)', () => {
    const text = policy({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    assert.deepEqual(found(text, 's3-bucket', 'allow-with-not-principal'), [['allow-with-not-principal', '"NotPrincipal"']]);
  });

  it('checks the format of service principals (INVALID_SERVICE_PRINCIPAL_FORMAT)', () => {
    assert.deepEqual(found(trust({ Service: 'lambda' }), 'trust', 'service-principal-format'), [['service-principal-format', 'lambda']]);
    assert.deepEqual(found(trust({ Service: ['lambda.amazonaws.com', 'ec2.amazonaws.com.cn'] }), 'trust', 'service-principal-format'), []);
  });
});

describe('role trust policies', () => {
  it('refuses NotPrincipal in a trust policy (ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL)', () => {
    const text = policy({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' });
    assert.deepEqual(found(text, 'trust', 'not-principal-in-trust-policy'), [['not-principal-in-trust-policy', '"NotPrincipal"']]);
  });

  it('warns when anyone may assume the role (ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL), not when a condition narrows it', () => {
    assert.deepEqual(found(trust({ AWS: '*' }), 'trust', 'trust-principal-wildcard').length, 1);
    assert.deepEqual(
      found(trust({ AWS: '*' }, { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1' } } }), 'trust', 'trust-principal-wildcard'),
      [],
    );
  });

  it('checks federated principals and their actions (INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY, MISMATCHED_ACTION_FOR_PRINCIPAL)', () => {
    assert.deepEqual(found(trust({ Federated: 'my-idp' }), 'trust', 'federated-principal-format'), [['federated-principal-format', 'my-idp']]);
    const saml = policy({
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/Okta' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
    });
    assert.deepEqual(found(saml, 'trust', 'federated-action-mismatch').length, 1);
    const good = policy({
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:saml-provider/Okta' },
      Action: 'sts:AssumeRoleWithSAML',
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
    });
    assert.deepEqual(found(good, 'trust'), []);
  });

  it('names a Federated principal outside a trust policy (FEDERATED_PRINCIPAL_NOT_SUPPORTED)', () => {
    const text = policy({ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    assert.deepEqual(found(text, 's3-bucket', 'federated-principal-outside-trust'), [['federated-principal-outside-trust', 'cognito-identity.amazonaws.com']]);
  });

  it("asks for conditions on an OIDC provider's claims (MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL)", () => {
    const text = policy({
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE' },
      Action: 'sts:AssumeRoleWithWebIdentity',
    });
    assert.deepEqual(found(text, 'trust', 'oidc-trust-condition').length, 1);
  });

  it('asks GitHub trust policies for a repository and branch (MISSING_GITHUB_REPO_CONDITION_KEY, SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED)', () => {
    const github = (condition: object): string =>
      policy({ Effect: 'Allow', Principal: { Federated: GITHUB }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition });
    const audienceOnly = github({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } });
    assert.match(
      analyze(audienceOnly, { kind: 'trust' }).findings.find((item) => item.code === 'oidc-trust-condition')?.message ?? '',
      /any repository's workflow/,
    );
    const anyBranch = github({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:example-org/*' },
    });
    assert.deepEqual(found(anyBranch, 'trust', 'oidc-trust-condition'), [['oidc-trust-condition', 'repo:example-org/*']]);
    const pinned = github({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': 'repo:example-org/app:ref:refs/heads/main',
      },
    });
    assert.deepEqual(found(pinned, 'trust'), []);
  });

  it('names a set operator on the audience claim (FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE, CONFIRM_AUDIENCE_CLAIM_TYPE)', () => {
    const text = policy({
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { 'ForAnyValue:StringEquals': { 'cognito-identity.amazonaws.com:aud': 'us-east-1:12345678-1234-1234-1234-123456789012' } },
    });
    assert.deepEqual(found(text, 'trust', 'audience-set-operator'), [['audience-set-operator', 'cognito-identity.amazonaws.com:aud']]);
  });

  it('asks IAM Roles Anywhere trust policies for its three actions (MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY)', () => {
    const text = trust({ Service: 'rolesanywhere.amazonaws.com' });
    assert.match(
      analyze(text, { kind: 'trust' }).findings.find((item) => item.code === 'roles-anywhere-trust-actions')?.message ?? '',
      /allow sts:SetSourceIdentity and sts:TagSession too/,
    );
    assert.deepEqual(
      found(
        policy({
          Effect: 'Allow',
          Principal: { Service: 'rolesanywhere.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
        }),
        'trust',
        'roles-anywhere-trust-actions',
      ),
      [],
    );
  });

  it('hints at a session next to its role (REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY)', () => {
    const text = trust({ AWS: ['arn:aws:iam::111122223333:role/ops', 'arn:aws:sts::111122223333:assumed-role/ops/alice'] });
    assert.deepEqual(found(text, 'trust', 'redundant-trust-principal'), [['redundant-trust-principal', 'arn:aws:sts::111122223333:assumed-role/ops/alice']]);
  });
});

describe('service principals in resource policies', () => {
  const topic = (condition?: object): string =>
    policy({
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: 'arn:aws:sns:us-east-1:111122223333:uploads',
      ...(condition ? { Condition: condition } : {}),
    });

  it('asks for aws:SourceArn or aws:SourceAccount (RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL)', () => {
    assert.deepEqual(found(topic(), 'sns-topic', 'service-principal-without-source'), [['service-principal-without-source', 's3.amazonaws.com']]);
    assert.deepEqual(found(topic({ ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::example-uploads' } }), 'sns-topic', 'service-principal-without-source'), []);
  });

  it('says aws:Referer is no defence (RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL)', () => {
    assert.match(
      analyze(topic({ StringEquals: { 'aws:Referer': 'x' } }), { kind: 'sns-topic' }).findings.find((item) => item.code === 'service-principal-without-source')
        ?.message ?? '',
      /aws:Referer can be set by anyone/,
    );
  });

  it('names principal keys a service principal never has (UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL)', () => {
    const text = topic({ StringEquals: { 'aws:PrincipalOrgID': 'o-exampleorg1', 'aws:SourceAccount': '111122223333' } });
    assert.deepEqual(found(text, 'sns-topic', 'principal-key-with-service-principal'), [['principal-key-with-service-principal', 'aws:PrincipalOrgID']]);
  });
});

describe('passing and creating roles', () => {
  const allow = (members: object): string => policy({ Effect: 'Allow', ...members });

  it('names iam:PassRole on every role, also as role/* and through "*" (PASS_ROLE_WITH_STAR_IN_RESOURCE, _STAR_IN_ACTION_AND_RESOURCE)', () => {
    for (const [action, resource] of [
      ['iam:PassRole', '*'],
      ['iam:PassRole', 'arn:aws:iam::111122223333:role/*'],
      ['iam:PassRole', 'arn:aws:iam::*:role/*'],
      ['iam:*', '*'],
      ['*', '*'],
    ]) {
      assert.deepEqual(
        found(allow({ Action: action, Resource: resource }), 'identity', 'passrole-wildcard').map(([code]) => code),
        ['passrole-wildcard'],
        `${action} on ${resource}`,
      );
    }
    assert.deepEqual(found(allow({ Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/app-*' }), 'identity', 'passrole-wildcard'), []);
  });

  it('is quiet when iam:PassedToService names the services, as its message recommends', () => {
    const text = allow({ Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } });
    assert.deepEqual(found(text, 'identity', 'passrole-wildcard'), []);
  });

  it('names iam:PassRole with NotResource (PASS_ROLE_WITH_NOT_RESOURCE, _STAR_IN_ACTION_AND_NOT_RESOURCE)', () => {
    assert.deepEqual(found(allow({ Action: 'iam:PassRole', NotResource: 'arn:aws:iam::111122223333:role/admin' }), 'identity', 'passrole-wildcard').length, 1);
    assert.deepEqual(found(allow({ Action: 'iam:*', NotResource: 'arn:aws:iam::111122223333:role/admin' }), 'identity', 'passrole-wildcard').length, 1);
  });

  it('leaves Allow with NotAction to broad-not-action (PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE, _STAR_IN_RESOURCE_AND_NOT_ACTION)', () => {
    const items = found(allow({ NotAction: 's3:*', Resource: '*' }), 'identity', 'passrole-wildcard', 'broad-not-action');
    assert.deepEqual(
      items.map(([code]) => code),
      ['broad-not-action'],
    );
  });

  it('names iam:CreateServiceLinkedRole on every role without iam:AWSServiceName (CREATE_SLR_*)', () => {
    assert.deepEqual(found(allow({ Action: 'iam:CreateServiceLinkedRole', Resource: '*' }), 'identity', 'create-slr-wildcard').length, 1);
    assert.deepEqual(found(allow({ Action: 'iam:Create*', NotResource: 'arn:aws:iam::111122223333:role/x' }), 'identity', 'create-slr-wildcard').length, 1);
    assert.deepEqual(
      found(
        allow({
          Action: 'iam:CreateServiceLinkedRole',
          Resource: '*',
          Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticbeanstalk.amazonaws.com' } },
        }),
        'identity',
        'create-slr-wildcard',
      ),
      [],
    );
  });

  it('does not judge what a resource control policy or a bucket policy lets others do this way', () => {
    assert.deepEqual(found(policy({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }), 'rcp', 'passrole-wildcard', 'create-slr-wildcard'), []);
  });
});
