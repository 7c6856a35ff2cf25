/**
 * The offline simulator against IAM's documented evaluation logic: the User Guide's own
 * examples ("Policy evaluation logic": Carlos's policy, AllowGetList/DenyReports), then a table
 * of cases written from the User Guide's pages on NotAction, NotResource, condition operators,
 * IfExists, the set operators and policy variables. Each case names the page it follows.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate, type Decision, type SimulationRequest } from 'iam-policy-engine/evaluate';
import { parseJson } from 'iam-policy-engine/json';
import { viewPolicy } from 'iam-policy-engine/model';
import { addressInRange } from 'iam-policy-engine/ip';

function policy(statements: object[], version = '2012-10-17'): string {
  return JSON.stringify({ Version: version, Statement: statements }, null, 2);
}

function decide(text: string, request: SimulationRequest): { decision: Decision; deciding: string[]; summary: string } {
  const result = simulate(viewPolicy(parseJson(text).root), request);
  return { decision: result.decision, deciding: result.deciding.map((index) => result.statements[index].sid ?? `#${index + 1}`), summary: result.summary };
}

describe("the User Guide's examples of policy evaluation", () => {
  // "Example identity-based and resource-based policy evaluation": the identity policy of the
  // user carlossalazar. Saving to carlossalazar-logs is denied by DenyS3Logs; to his own bucket
  // it is allowed by AllowS3Self.
  const carlos = policy([
    {
      Sid: 'AllowS3ListRead',
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:GetAccountPublicAccessBlock', 's3:ListAccessPoints', 's3:ListAllMyBuckets'],
      Resource: 'arn:aws:s3:::*',
    },
    { Sid: 'AllowS3Self', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] },
    { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
  ]);

  it('Carlos saving a file to carlossalazar-logs: denied explicitly by DenyS3Logs', () => {
    const result = decide(carlos, { action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar-logs/notes.txt' });
    assert.deepEqual([result.decision, result.deciding], ['explicit-deny', ['DenyS3Logs']]);
    assert.equal(result.summary, 'Denied explicitly: statement 3 (DenyS3Logs) denies s3:PutObject on arn:aws:s3:::carlossalazar-logs/notes.txt.');
  });

  it('Carlos saving a file to carlossalazar: allowed by AllowS3Self', () => {
    const result = decide(carlos, { action: 's3:PutObject', resource: 'arn:aws:s3:::carlossalazar/notes.txt' });
    assert.deepEqual([result.decision, result.deciding], ['allowed', ['AllowS3Self']]);
  });

  it('Carlos listing his buckets: allowed by AllowS3ListRead', () => {
    assert.deepEqual(decide(carlos, { action: 's3:ListAllMyBuckets', resource: 'arn:aws:s3:::anything' }).deciding, ['AllowS3ListRead']);
  });

  // "The difference between explicit and implicit denies": Get* and List* of IAM allowed,
  // iam:CreatePolicy implicitly denied, the *Report actions explicitly denied.
  const reports = policy([
    { Sid: 'AllowGetList', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
    { Sid: 'DenyReports', Effect: 'Deny', Action: 'iam:*Report', Resource: '*' },
  ]);

  it('AllowGetList allows iam:GetUser', () => {
    assert.deepEqual(decide(reports, { action: 'iam:GetUser', resource: 'arn:aws:iam::111122223333:user/alice' }), {
      decision: 'allowed',
      deciding: ['AllowGetList'],
      summary: 'Allowed: statement 1 (AllowGetList) allows iam:GetUser on arn:aws:iam::111122223333:user/alice.',
    });
  });

  it('iam:CreatePolicy is implicitly denied', () => {
    const result = decide(reports, { action: 'iam:CreatePolicy', resource: '*' });
    assert.deepEqual([result.decision, result.deciding], ['implicit-deny', []]);
    assert.equal(result.summary, 'Not allowed: no statement allows iam:CreatePolicy on *, so IAM denies it implicitly.');
  });

  it('iam:GetOrganizationsAccessReport is explicitly denied by DenyReports, though AllowGetList allows it', () => {
    const result = decide(reports, { action: 'iam:GetOrganizationsAccessReport', resource: '*' });
    assert.deepEqual([result.decision, result.deciding], ['explicit-deny', ['DenyReports']]);
    assert.match(result.summary, /although statement 1 \(AllowGetList\) allows it\.$/);
  });
});

interface Case {
  /** The case, and the User Guide page it follows. */
  name: string;
  statements: object[];
  version?: string;
  request: SimulationRequest;
  decision: Decision;
}

const S3_OBJECT = 'arn:aws:s3:::amzn-s3-demo-bucket/reports/q1.csv';

const CASES: Case[] = [
  // IAM JSON policy elements: Action (action names are case-insensitive, wildcards match).
  {
    name: 'Action: case-insensitive',
    statements: [{ Effect: 'Allow', Action: 'S3:getobject', Resource: '*' }],
    request: { action: 's3:GetObject', resource: S3_OBJECT },
    decision: 'allowed',
  },
  {
    name: 'Action: a wildcard',
    statements: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }],
    request: { action: 's3:GetObjectAcl', resource: S3_OBJECT },
    decision: 'allowed',
  },
  {
    name: 'Action: ? is one character',
    statements: [{ Effect: 'Allow', Action: 'iam:?etUser', Resource: '*' }],
    request: { action: 'iam:GetUser', resource: '*' },
    decision: 'allowed',
  },
  {
    name: 'Action: another service is not matched',
    statements: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    request: { action: 's3-object-lambda:GetObject', resource: '*' },
    decision: 'implicit-deny',
  },

  // IAM JSON policy elements: NotAction. "Allow ... NotAction iam:* ... Resource *" allows
  // every action of every service but IAM's; a Deny with NotAction denies all but those listed.
  {
    name: 'NotAction with Allow: another service is allowed',
    statements: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
    request: { action: 's3:ListAllMyBuckets', resource: '*' },
    decision: 'allowed',
  },
  {
    name: 'NotAction with Allow: the listed service is not',
    statements: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
    request: { action: 'iam:CreateUser', resource: '*' },
    decision: 'implicit-deny',
  },
  {
    name: 'NotAction with Deny (the MFA example): without MFA everything but IAM is denied',
    statements: [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      {
        Sid: 'DenyAllUsersNotUsingMFA',
        Effect: 'Deny',
        NotAction: 'iam:*',
        Resource: '*',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      },
    ],
    request: { action: 'ec2:RunInstances', resource: '*' },
    decision: 'explicit-deny',
  },
  {
    name: 'NotAction with Deny (the MFA example): IAM actions stay allowed without MFA',
    statements: [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
    ],
    request: { action: 'iam:ChangePassword', resource: '*' },
    decision: 'allowed',
  },
  {
    name: 'NotAction with Deny (the MFA example): with MFA nothing is denied',
    statements: [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
    ],
    request: { action: 'ec2:RunInstances', resource: '*', context: { 'aws:MultiFactorAuthPresent': 'true' } },
    decision: 'allowed',
  },

  // IAM JSON policy elements: NotResource. Allow s3:* on everything but the Payroll folder.
  {
    name: 'NotResource with Allow: a resource outside the list is allowed',
    statements: [{ Effect: 'Allow', Action: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'] }],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::HRBucket/Benefits/plan.pdf' },
    decision: 'allowed',
  },
  {
    name: 'NotResource with Allow: a listed resource is not',
    statements: [{ Effect: 'Allow', Action: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'] }],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::HRBucket/Payroll/june.csv' },
    decision: 'implicit-deny',
  },
  {
    name: 'NotResource with Deny: denies everything but the listed resource',
    statements: [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::shared/*' },
    ],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::private/secret.txt' },
    decision: 'explicit-deny',
  },

  // IAM JSON policy elements: Resource. A wildcard stays inside its segment.
  {
    name: 'Resource: a wildcard in the account segment',
    statements: [{ Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-2:*:queue1' }],
    request: { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-east-2:111122223333:queue1' },
    decision: 'allowed',
  },
  {
    name: 'Resource: another region does not match',
    statements: [{ Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:aws:sqs:us-east-2:*:queue1' }],
    request: { action: 'sqs:SendMessage', resource: 'arn:aws:sqs:us-west-2:111122223333:queue1' },
    decision: 'implicit-deny',
  },
  {
    name: 'Resource: ARNs are case-sensitive',
    statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::Reports/*' }],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::reports/a.csv' },
    decision: 'implicit-deny',
  },
  {
    name: 'Resource: an action without resources is asked on *',
    statements: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::*' }],
    request: { action: 's3:ListAllMyBuckets', resource: '*' },
    decision: 'implicit-deny',
  },

  // Policy evaluation logic: an explicit Deny overrides any Allow; without either, implicit deny.
  {
    name: 'Deny precedence: an Allow listed first does not win',
    statements: [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
    ],
    request: { action: 's3:DeleteBucket', resource: 'arn:aws:s3:::prod' },
    decision: 'explicit-deny',
  },
  {
    name: 'Deny precedence: a Deny alone does not allow anything else',
    statements: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }],
    request: { action: 's3:GetObject', resource: S3_OBJECT },
    decision: 'implicit-deny',
  },

  // Condition operators: a key absent from the request makes the condition false, but true for a
  // negated operator ("the right key is not present"), for ...IfExists, and per Null.
  {
    name: 'a missing key: StringEquals is false',
    statements: [{ Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringEquals: { 'ec2:InstanceType': 't3.micro' } } }],
    request: { action: 'ec2:RunInstances', resource: '*' },
    decision: 'implicit-deny',
  },
  {
    name: 'a missing key: StringNotEquals is true',
    statements: [{ Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringNotEquals: { 'ec2:InstanceType': 'p4d.24xlarge' } } }],
    request: { action: 'ec2:RunInstances', resource: '*' },
    decision: 'allowed',
  },
  // The ...IfExists example: StringLikeIfExists ec2:InstanceType ["t1.*", "t2.*", "m3.*"].
  {
    name: 'IfExists on a missing key: true',
    statements: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } } }],
    request: { action: 'ec2:DescribeInstances', resource: '*' },
    decision: 'allowed',
  },
  {
    name: 'IfExists on a present key: compared',
    statements: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } } }],
    request: { action: 'ec2:RunInstances', resource: '*', context: { 'ec2:InstanceType': 'm5.large' } },
    decision: 'implicit-deny',
  },
  {
    name: 'IfExists on a present key that matches',
    statements: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } } }],
    request: { action: 'ec2:RunInstances', resource: '*', context: { 'ec2:InstanceType': 't2.micro' } },
    decision: 'allowed',
  },
  {
    name: 'Null true: the key is absent',
    statements: [
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Null: { 'aws:TokenIssueTime': 'true' } } },
      { Effect: 'Allow', Action: '*', Resource: '*' },
    ],
    request: { action: 's3:GetObject', resource: S3_OBJECT },
    decision: 'explicit-deny',
  },
  {
    name: 'Null true: the key is present',
    statements: [
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Null: { 'aws:TokenIssueTime': 'true' } } },
      { Effect: 'Allow', Action: '*', Resource: '*' },
    ],
    request: { action: 's3:GetObject', resource: S3_OBJECT, context: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' } },
    decision: 'allowed',
  },

  // Condition element: several values of a key are ORed, several keys and operators ANDed; a
  // negated operator's values NORed.
  {
    name: 'values are ORed',
    statements: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': ['dev', 'ops'] } } }],
    request: { action: 's3:GetObject', resource: S3_OBJECT, context: { 'aws:PrincipalTag/team': 'ops' } },
    decision: 'allowed',
  },
  {
    name: 'keys are ANDed',
    statements: [
      { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'dev', 'aws:RequestedRegion': 'eu-west-1' } } },
    ],
    request: { action: 's3:GetObject', resource: S3_OBJECT, context: { 'aws:PrincipalTag/team': 'dev', 'aws:RequestedRegion': 'us-east-1' } },
    decision: 'implicit-deny',
  },
  {
    name: "a negated operator's values are NORed",
    statements: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } } }],
    request: { action: 's3:GetObject', resource: S3_OBJECT, context: { 'aws:RequestedRegion': 'eu-central-1' } },
    decision: 'implicit-deny',
  },
  {
    name: 'key names are case-insensitive',
    statements: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'AWS:SourceVpc': 'vpc-111bbb22' } } }],
    request: { action: 's3:GetObject', resource: S3_OBJECT, context: { 'aws:sourcevpc': 'vpc-111bbb22' } },
    decision: 'allowed',
  },
  {
    name: 'StringEquals is case-sensitive',
    statements: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:username': 'johndoe' } } }],
    request: { action: 's3:GetObject', resource: S3_OBJECT, context: { 'aws:username': 'JohnDoe' } },
    decision: 'implicit-deny',
  },
  {
    name: 'StringEqualsIgnoreCase is not',
    statements: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualsIgnoreCase: { 'aws:username': 'johndoe' } } }],
    request: { action: 's3:GetObject', resource: S3_OBJECT, context: { 'aws:username': 'JohnDoe' } },
    decision: 'allowed',
  },
  {
    name: 'StringEquals takes * literally',
    statements: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 's3:prefix': 'home/*' } } }],
    request: { action: 's3:ListBucket', resource: 'arn:aws:s3:::b', context: { 's3:prefix': 'home/alice' } },
    decision: 'implicit-deny',
  },
  {
    name: 'StringLike matches * and ?',
    statements: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringLike: { 's3:prefix': 'home/?lice/*' } } }],
    request: { action: 's3:ListBucket', resource: 'arn:aws:s3:::b', context: { 's3:prefix': 'home/alice/notes' } },
    decision: 'allowed',
  },
  {
    name: 'NumericLessThanEquals',
    statements: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { NumericLessThanEquals: { 's3:max-keys': '10' } } }],
    request: { action: 's3:ListBucket', resource: 'arn:aws:s3:::b', context: { 's3:max-keys': '11' } },
    decision: 'implicit-deny',
  },
  {
    name: 'DateLessThan on aws:CurrentTime',
    statements: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2026-06-30T00:00:00Z' } } }],
    request: { action: 'iam:GetUser', resource: '*', context: { 'aws:CurrentTime': '2026-05-01T12:00:00Z' } },
    decision: 'allowed',
  },
  {
    name: 'DateGreaterThan with epoch seconds',
    statements: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:EpochTime': '1700000000' } } }],
    request: { action: 'iam:GetUser', resource: '*', context: { 'aws:EpochTime': '1600000000' } },
    decision: 'implicit-deny',
  },
  {
    name: 'Bool aws:SecureTransport false denies plain HTTP',
    statements: [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
    request: { action: 's3:GetObject', resource: S3_OBJECT, context: { 'aws:SecureTransport': 'false' } },
    decision: 'explicit-deny',
  },
  {
    name: 'IpAddress in a CIDR range',
    statements: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } } }],
    request: { action: 's3:GetObject', resource: S3_OBJECT, context: { 'aws:SourceIp': '2001:db8:1234:5678::42' } },
    decision: 'allowed',
  },
  {
    name: 'NotIpAddress outside the range denies',
    statements: [
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
    ],
    request: { action: 's3:GetObject', resource: S3_OBJECT, context: { 'aws:SourceIp': '198.51.100.7' } },
    decision: 'explicit-deny',
  },
  {
    name: 'ArnLike on aws:SourceArn, segment by segment',
    statements: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:*:*:amzn-s3-demo-*' } } }],
    request: { action: 'sns:Publish', resource: 'arn:aws:sns:us-east-1:111122223333:topic', context: { 'aws:SourceArn': 'arn:aws:s3:::amzn-s3-demo-bucket' } },
    decision: 'allowed',
  },

  // Multivalued context keys: ForAllValues is true when every request value is listed, and when
  // the key is absent (an empty set); ForAnyValue when one is, and false when absent.
  {
    name: 'ForAllValues: every tag key listed',
    statements: [
      {
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: '*',
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } },
      },
    ],
    request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': ['environment'] } },
    decision: 'allowed',
  },
  {
    name: 'ForAllValues: one tag key not listed',
    statements: [
      {
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: '*',
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } },
      },
    ],
    request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': ['environment', 'owner'] } },
    decision: 'implicit-deny',
  },
  {
    name: 'ForAllValues on an empty set: true',
    statements: [
      {
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: '*',
        Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } },
      },
    ],
    request: { action: 'ec2:CreateTags', resource: '*' },
    decision: 'allowed',
  },
  {
    name: 'ForAnyValue on an empty set: false',
    statements: [{ Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment'] } } }],
    request: { action: 'ec2:CreateTags', resource: '*' },
    decision: 'implicit-deny',
  },
  {
    name: 'ForAnyValue with Deny (the DynamoDB example): one forbidden attribute denies',
    statements: [
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '*' },
      { Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'dynamodb:Attributes': ['ID', 'PostDateTime'] } } },
    ],
    request: {
      action: 'dynamodb:PutItem',
      resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/Thread',
      context: { 'dynamodb:Attributes': ['UserName', 'Message', 'PostDateTime'] },
    },
    decision: 'explicit-deny',
  },
  {
    name: 'ForAllValues with a negated operator: no request value may be listed',
    statements: [{ Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*', Condition: { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['owner'] } } }],
    request: { action: 'ec2:CreateTags', resource: '*', context: { 'aws:TagKeys': ['environment', 'owner'] } },
    decision: 'implicit-deny',
  },

  // IAM policy elements: Variables and tags. Put in place from the request in Resource (after
  // the fifth colon) and in string conditions; "not present" makes the match fail; a default
  // stands in; ${*} is a literal *. Under Version 2008-10-17 they are plain text.
  {
    name: 'a variable in Resource',
    statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mybucket/${aws:username}/*' }],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::mybucket/David/notes.txt', context: { 'aws:username': 'David' } },
    decision: 'allowed',
  },
  {
    name: 'a variable in Resource, another user',
    statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mybucket/${aws:username}/*' }],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::mybucket/David/notes.txt', context: { 'aws:username': 'Adele' } },
    decision: 'implicit-deny',
  },
  {
    name: 'a variable with no value: the statement does not apply',
    statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mybucket/${aws:username}/*' }],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::mybucket/David/notes.txt' },
    decision: 'implicit-deny',
  },
  {
    name: "a variable's default value",
    statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: "arn:aws:s3:::mybucket/${aws:userid, 'anonymous'}/*" }],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::mybucket/anonymous/a.txt' },
    decision: 'allowed',
  },
  {
    name: 'a variable in a condition value',
    statements: [
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::mybucket', Condition: { StringLike: { 's3:prefix': ['${aws:username}/*'] } } },
    ],
    request: { action: 's3:ListBucket', resource: 'arn:aws:s3:::mybucket', context: { 'aws:username': 'David', 's3:prefix': 'David/photos' } },
    decision: 'allowed',
  },
  {
    name: 'a variable with no value in a negated condition: matches',
    statements: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringNotLike: { 's3:prefix': ['${aws:username}/*'] } } }],
    request: { action: 's3:ListBucket', resource: 'arn:aws:s3:::mybucket', context: { 's3:prefix': 'David/photos' } },
    decision: 'allowed',
  },
  {
    name: 'a tag as a variable',
    statements: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::bucket/${aws:PrincipalTag/department}/*' }],
    request: { action: 's3:PutObject', resource: 'arn:aws:s3:::bucket/hr/file', context: { 'aws:PrincipalTag/department': 'hr' } },
    decision: 'allowed',
  },
  {
    name: '${*} is a literal asterisk',
    statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/${*}' }],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/anything' },
    decision: 'implicit-deny',
  },
  {
    name: '${*} matches an asterisk',
    statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/${*}' }],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/*' },
    decision: 'allowed',
  },
  {
    name: 'Version 2008-10-17: a variable is plain text',
    version: '2008-10-17',
    statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mybucket/${aws:username}/*' }],
    request: { action: 's3:GetObject', resource: 'arn:aws:s3:::mybucket/David/notes.txt', context: { 'aws:username': 'David' } },
    decision: 'implicit-deny',
  },
];

describe('cases written from the IAM User Guide', () => {
  for (const item of CASES) {
    it(`${item.name}: ${item.decision}`, () => {
      assert.equal(decide(policy(item.statements, item.version), item.request).decision, item.decision);
    });
  }
});

describe('what the answer says', () => {
  it('names why each statement does or does not apply, and what it leaves out', () => {
    const text = policy([
      { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' },
      { Sid: 'Office', Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
    ]);
    const result = simulate(viewPolicy(parseJson(text).root), {
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::reports/a',
      context: { 'aws:SourceIp': '198.51.100.1' },
    });
    assert.deepEqual(
      result.statements.map((verdict) => verdict.reason),
      ['Its Action does not match s3:PutObject.', 'Its condition IpAddress aws:SourceIp "203.0.113.0/24" does not hold for this request.'],
    );
    assert.deepEqual(result.notes, ['This policy alone: other policies, permissions boundaries, SCPs, RCPs and session policies are not taken into account.']);
  });

  it('says principals are not matched when statements name them, and that variables are text under an old Version', () => {
    const text = policy(
      [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}' }],
      '2008-10-17',
    );
    const notes = simulate(viewPolicy(parseJson(text).root), { action: 's3:GetObject', resource: 'arn:aws:s3:::b/x' }).notes;
    assert.equal(notes.length, 3);
    assert.match(notes[0], /^Principals are not matched/);
    assert.match(notes[1], /policy variables are plain text/);
  });
});

describe('IP ranges', () => {
  it('IPv4 and IPv6, with and without a prefix length; malformed is false', () => {
    assert.equal(addressInRange('10.1.2.3', '10.0.0.0/8'), true);
    assert.equal(addressInRange('11.1.2.3', '10.0.0.0/8'), false);
    assert.equal(addressInRange('203.0.113.7', '203.0.113.7'), true);
    assert.equal(addressInRange('2001:db8::1', '2001:DB8::/32'), true);
    assert.equal(addressInRange('2001:db9::1', '2001:DB8::/32'), false);
    assert.equal(addressInRange('::ffff:192.0.2.1', '::ffff:192.0.2.0/120'), true);
    assert.equal(addressInRange('10.1.2.3', '2001:DB8::/32'), false);
    assert.equal(addressInRange('10.1.2', '10.0.0.0/8'), false);
    assert.equal(addressInRange('10.1.2.3', '10.0.0.0/33'), false);
  });
});
