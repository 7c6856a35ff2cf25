/**
 * Condition blocks: a case for every Access Analyzer check of conditions that a rule of ours
 * covers (written from AWS's documentation of the checks and of the condition keys), the
 * quick fixes, and what IAM accepts there so that no Error is false.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, it } from 'node:test';
import { ACCESS_ANALYZER_CHECKS, type AccessAnalyzerCode } from 'iam-policy-engine/accessAnalyzer';
import { analyzeFully, type Analysis } from 'iam-policy-engine/analyze';
import type { Catalog } from 'iam-policy-engine/catalog';
import { parseOperator } from 'iam-policy-engine/conditions';
import { epochToIso, legacyParseFails } from 'iam-policy-engine/dates';
import { applyEdits, fixesFor } from 'iam-policy-engine/fixes';
import { hasHostBits, isPrivate, networkText, parseCidr } from 'iam-policy-engine/ip';
import { REGIONS } from 'iam-policy-engine/regions';
import { RULES, type Code } from 'iam-policy-engine/rules';
import { createCatalog } from '../../server/src/catalogFiles';

let catalog: Catalog;
before(async () => {
  catalog = await createCatalog();
});

/** A policy of one statement: effect, action (JSON), condition block (JSON). */
function policy(effect: string, action: string, condition: string, resource = '"Resource": "*", '): string {
  return `{"Version": "2012-10-17", "Statement": [{"Effect": "${effect}", "Action": ${action}, ${resource}"Condition": ${condition}}]}`;
}
const allow = (condition: string, action = '"s3:GetObject"') => policy('Allow', action, condition);

interface Seen {
  code: string;
  severity: string;
  at: string;
}

async function analysisOf(text: string): Promise<Analysis> {
  return analyzeFully(text, { catalog });
}

async function found(text: string): Promise<Seen[]> {
  const analysis = await analysisOf(text);
  return analysis.findings.map((item) => ({ code: item.code, severity: item.severity, at: text.slice(item.offset, item.offset + item.length) }));
}

/** The condition findings only (the family under test), as [code, covered text]. */
async function conditionFindings(text: string): Promise<Array<[string, string]>> {
  return (await found(text)).filter((item) => RULES[item.code as Code].family === 'conditions').map((item) => [item.code, item.at]);
}

/**
 * One case or more per Access Analyzer code: the document and findings it must get (code and
 * covered text). The mapping in accessAnalyzer.ts must name each code expected here.
 */
const CASES: Partial<Record<AccessAnalyzerCode, Array<{ text: string; expect: Array<[Code, string]> }>>> = {
  DUPLICATE_KEYS_WITH_DIFFERENT_CASE: [
    {
      text: allow('{"StringEquals": {"aws:PrincipalTag/team": "red", "aws:principaltag/TEAM": "blue"}}'),
      expect: [['duplicate-condition-key', 'aws:principaltag/TEAM']],
    },
  ],
  INVALID_CONDITION_DATA_TYPE: [
    { text: allow('{"Bool": {"aws:SecureTransport": ["true", false]}}'), expect: [['invalid-condition-value', '["true", false]']] },
  ],
  INVALID_CONDITION_KEY_FORMAT: [{ text: allow('{"StringEquals": {"PrincipalTag": "red"}}'), expect: [['invalid-condition-key', 'PrincipalTag']] }],
  INVALID_CONDITION_MULTIPLE_BOOLEAN: [
    { text: allow('{"Bool": {"aws:SecureTransport": ["true", "false"]}}'), expect: [['invalid-condition-value', '["true", "false"]']] },
  ],
  INVALID_CONDITION_OPERATOR: [{ text: allow('{"StringEqualsAny": {"aws:PrincipalTag/team": "red"}}'), expect: [['unknown-operator', 'StringEqualsAny']] }],
  INVALID_GLOBAL_CONDITION_KEY: [{ text: allow('{"StringEquals": {"aws:PrincipalTeam": "red"}}'), expect: [['unknown-condition-key', 'aws:PrincipalTeam']] }],
  INVALID_REGION: [{ text: allow('{"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-wset-2"]}}'), expect: [['unknown-region', 'eu-wset-2']] }],
  INVALID_SERVICE: [{ text: allow('{"StringEquals": {"kafk:Topic": "orders"}}'), expect: [['unknown-condition-key', 'kafk:Topic']] }],
  INVALID_SERVICE_CONDITION_KEY: [{ text: allow('{"StringEquals": {"s3:BucketColour": "red"}}'), expect: [['unknown-condition-key', 's3:BucketColour']] }],
  INVALID_VARIABLE_FOR_OPERATOR: [
    {
      text: allow('{"NumericLessThan": {"aws:MultiFactorAuthAge": "${aws:PrincipalTag/max-age}"}}'),
      expect: [['invalid-policy-variable', '${aws:PrincipalTag/max-age}']],
    },
    { text: allow('{"DateLessThan": {"aws:CurrentTime": "${aws:PrincipalTag/expires}"}}'), expect: [['malformed-date', '${aws:PrincipalTag/expires}']] },
  ],
  MISSING_QUALIFIER: [
    { text: allow('{"StringEquals": {"aws:TagKeys": "team"}}', '"s3:PutObjectTagging"'), expect: [['set-operator-mismatch', 'aws:TagKeys']] },
  ],
  NULL_WITH_IF_EXISTS: [{ text: allow('{"NullIfExists": {"aws:TokenIssueTime": "true"}}'), expect: [['null-if-exists', 'NullIfExists']] }],
  UNSUPPORTED_GLOBAL_CONDITION_KEY: [
    { text: allow('{"ArnLike": {"aws:ARN": "arn:aws:iam::111122223333:role/admin"}}'), expect: [['deprecated-condition-key', 'aws:ARN']] },
  ],
  DEPRECATED_GLOBAL_CONDITION_KEY: [
    { text: allow('{"ArnEquals": {"aws:arn": "arn:aws:iam::111122223333:user/jane"}}'), expect: [['deprecated-condition-key', 'aws:arn']] },
  ],
  PRIVATE_IP_ADDRESS: [
    {
      text: allow('{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.1.0/24"]}}'),
      expect: [
        ['private-source-ip', '10.0.0.0/8'],
        ['private-source-ip', '192.168.1.0/24'],
      ],
    },
  ],
  PRIVATE_NOT_IP_ADDRESS: [
    { text: policy('Deny', '"s3:*"', '{"NotIpAddress": {"aws:SourceIp": "172.16.0.0/12"}}'), expect: [['private-source-ip', '172.16.0.0/12']] },
  ],
  PRIVATE_IP_ADDRESS_SUBSET: [
    { text: allow('{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.1.0.0/16"]}}'), expect: [['private-source-ip', '10.1.0.0/16']] },
  ],
  PRIVATE_NOT_IP_ADDRESS_SUBSET: [
    { text: policy('Deny', '"s3:*"', '{"NotIpAddress": {"aws:SourceIp": ["198.51.100.0/24", "fd00::/8"]}}'), expect: [['private-source-ip', 'fd00::/8']] },
  ],
  MISSING_TAG_KEY_IN_CONDITION: [{ text: allow('{"StringEquals": {"aws:ResourceTag": "JaneDoe"}}'), expect: [['unknown-condition-key', 'aws:ResourceTag']] }],
  INVALID_VPC_FORMAT: [{ text: allow('{"StringEquals": {"aws:SourceVpc": "vpc-1234"}}'), expect: [['invalid-condition-value', 'vpc-1234']] }],
  INVALID_VPCE_FORMAT: [{ text: allow('{"StringEquals": {"aws:SourceVpce": "vpc-1a2b3c4d"}}'), expect: [['invalid-condition-value', 'vpc-1a2b3c4d']] }],
  UNSUPPORTED_ACTION_FOR_CONDITION_KEY: [
    {
      text: allow('{"StringLike": {"s3:prefix": "home/*"}}', '["s3:ListBucket", "s3:DeleteObject"]'),
      expect: [['condition-key-partly-supported', 's3:DeleteObject']],
    },
    {
      text: policy('Deny', '["s3:ListBucket", "s3:DeleteObject"]', '{"StringNotLike": {"s3:prefix": "home/*"}, "StringEquals": {"s3:delimiter": "/"}}'),
      expect: [['deny-condition-key-partly-supported', 's3:DeleteObject']],
    },
  ],
  TYPE_MISMATCH_IP_RANGE: [{ text: allow('{"IpAddress": {"aws:SourceIp": "203.0.113.0/33"}}'), expect: [['invalid-condition-value', '203.0.113.0/33']] }],
  MISSING_ACTION_FOR_CONDITION_KEY: [
    {
      text: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:SourceIdentity": "${aws:username}"}}}]}',
      expect: [['condition-key-needs-action', 'sts:SourceIdentity']],
    },
  ],
  INVALID_KMS_KEY_VALUE: [
    {
      text: allow('{"StringEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "alias/orders"}}', '"s3:PutObject"'),
      expect: [['invalid-condition-value', 'alias/orders']],
    },
  ],
  VARIABLE_USAGE_TOO_PERMISSIVE: [
    { text: allow('{"StringEquals": {"aws:PrincipalOrgID": "${aws:PrincipalOrgID}"}}'), expect: [['sensitive-key-wildcard', '${aws:PrincipalOrgID}']] },
  ],
  WILDCARD_USAGE_TOO_PERMISSIVE: [
    { text: allow('{"StringLike": {"aws:PrincipalOrgID": "o-*"}}'), expect: [['sensitive-key-wildcard', 'o-*']] },
    { text: allow('{"StringLike": {"aws:userid": "*"}}'), expect: [['sensitive-key-wildcard', '*']] },
  ],
  INVALID_DATE_VALUE: [{ text: allow('{"DateLessThan": {"aws:CurrentTime": "1798761599"}}'), expect: [['epoch-date', '1798761599']] }],
  WILDCARD_WITHOUT_LIKE_OPERATOR: [
    { text: allow('{"StringEquals": {"aws:PrincipalTag/job-category": "admin-*"}}'), expect: [['wildcard-without-like', 'admin-*']] },
  ],
  TYPE_MISMATCH: [
    { text: allow('{"StringEquals": {"aws:MultiFactorAuthPresent": "true"}}'), expect: [['operator-type-mismatch', 'aws:MultiFactorAuthPresent']] },
  ],
  TYPE_MISMATCH_BOOLEAN: [{ text: allow('{"Bool": {"aws:MultiFactorAuthPresent": "yes"}}'), expect: [['invalid-condition-value', 'yes']] }],
  TYPE_MISMATCH_DATE: [
    { text: allow('{"DateGreaterThan": {"aws:CurrentTime": "2026-7-4"}}'), expect: [['invalid-condition-value', '2026-7-4']] },
    { text: allow('{"DateGreaterThan": {"aws:CurrentTime": "next week"}}'), expect: [['malformed-date', 'next week']] },
  ],
  TYPE_MISMATCH_NUMBER: [{ text: allow('{"NumericLessThan": {"aws:MultiFactorAuthAge": "one hour"}}'), expect: [['invalid-condition-value', 'one hour']] }],
  TYPE_MISMATCH_STRING: [{ text: allow('{"BinaryEquals": {"aws:PrincipalTag/key": "not base-64!"}}'), expect: [['invalid-condition-value', 'not base-64!']] }],
  UNTRUSTWORTHY_CONDITION_KEY: [
    { text: allow('{"StringLike": {"aws:Referer": "https://www.example.com/*"}}'), expect: [['untrustworthy-condition-key', 'aws:Referer']] },
    { text: allow('{"StringEquals": {"aws:UserAgent": "orders-app/1.0"}}'), expect: [['untrustworthy-condition-key', 'aws:UserAgent']] },
  ],
  FORALLVALUES_WITH_SINGLE_VALUED_KEY: [
    { text: allow('{"ForAllValues:StringEquals": {"aws:PrincipalTag/team": "red"}}'), expect: [['set-operator-mismatch', 'aws:PrincipalTag/team']] },
  ],
  MISSING_PAIRED_CONDITION_KEYS: [
    { text: allow('{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}'), expect: [['missing-paired-condition-key', 'aws:VpcSourceIp']] },
    {
      text: allow('{"IpAddress": {"aws:Ec2InstanceSourcePrivateIPv4": "10.0.1.10"}}'),
      expect: [['missing-paired-condition-key', 'aws:Ec2InstanceSourcePrivateIPv4']],
    },
  ],
  DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: [
    {
      text: policy('Deny', '["ec2:DeleteVolume", "sts:GetCallerIdentity"]', '{"StringEquals": {"aws:ResourceTag/status": "Confidential"}}'),
      expect: [['deny-condition-key-partly-supported', 'sts:GetCallerIdentity']],
    },
  ],
  DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: [
    {
      text: '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/status": "Confidential"}}}]}',
      expect: [['deny-condition-key-partly-supported', 'aws:ResourceTag/status']],
    },
  ],
  STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS: [
    { text: allow('{"StringLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:*"}}'), expect: [['string-like-on-arn-key', 'aws:SourceArn']] },
  ],
  DYNAMODB_ATTRIBUTES_WITHOUT_SELECT: [
    {
      text: allow('{"ForAllValues:StringEquals": {"dynamodb:Attributes": ["UserId", "Score"]}}', '["dynamodb:Query", "dynamodb:Scan"]'),
      expect: [['dynamodb-attributes-without-select', 'dynamodb:Attributes']],
    },
  ],
  S3_PREFIX_IN_NEGATIVE_CONTEXT: [
    { text: policy('Deny', '"s3:ListBucket"', '{"StringLike": {"s3:prefix": "payroll/*"}}'), expect: [['prefix-key-absent', 's3:prefix']] },
    { text: allow('{"StringNotLike": {"s3:prefix": "payroll/*"}}', '"s3:ListBucket"'), expect: [['prefix-key-absent', 's3:prefix']] },
  ],
  EMPTY_ARRAY_CONDITION: [
    { text: allow('{"StringEquals": {"aws:PrincipalTag/team": []}}'), expect: [['invalid-condition-value', '[]']] },
    { text: allow('{"StringNotEquals": {"aws:PrincipalTag/team": []}}'), expect: [['empty-condition', '[]']] },
  ],
  EMPTY_ARRAY_CONDITION_FORALLVALUES: [
    { text: allow('{"ForAllValues:StringEquals": {"aws:TagKeys": []}}', '"s3:PutObjectTagging"'), expect: [['empty-condition', '[]']] },
  ],
  EMPTY_ARRAY_CONDITION_FORANYVALUE: [
    { text: allow('{"ForAnyValue:StringEquals": {"aws:TagKeys": []}}', '"s3:PutObjectTagging"'), expect: [['invalid-condition-value', '[]']] },
  ],
  EMPTY_ARRAY_CONDITION_IFEXISTS: [{ text: allow('{"StringEqualsIfExists": {"aws:PrincipalTag/team": []}}'), expect: [['empty-condition', '[]']] }],
  EMPTY_OBJECT_CONDITION: [{ text: allow('{}'), expect: [['empty-condition', '{}']] }],
  EQUIVALENT_TO_NULL_FALSE: [{ text: allow('{"StringLike": {"aws:PrincipalTag/team": "*"}}'), expect: [['wildcard-condition', '*']] }],
  EQUIVALENT_TO_NULL_TRUE: [{ text: allow('{"StringNotLike": {"aws:PrincipalTag/team": "*"}}'), expect: [['wildcard-condition', '*']] }],
  IMPROVE_IP_RANGE: [{ text: allow('{"IpAddress": {"aws:SourceIp": "203.0.113.77/24"}}'), expect: [['cidr-host-bits', '203.0.113.77/24']] }],
  NULL_WITH_QUALIFIER: [
    { text: allow('{"ForAllValues:Null": {"aws:TagKeys": "false"}}', '"s3:PutObjectTagging"'), expect: [['set-operator-mismatch', 'ForAllValues:Null']] },
  ],
  REDUNDANT_CONDITION_VALUE_NUM: [
    { text: allow('{"NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600"]}}'), expect: [['redundant-condition-value', '"2700"']] },
  ],
  ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: [
    {
      text: allow('{"StringEquals": {"aws:ResourceTag/team": "red"}}', '["ec2:StartInstances", "sts:GetCallerIdentity"]'),
      expect: [['condition-key-partly-supported', 'sts:GetCallerIdentity']],
    },
  ],
  ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: [
    {
      text: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "red"}}}]}',
      expect: [['condition-key-partly-supported', 'aws:ResourceTag/team']],
    },
  ],
  REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION: [
    { text: allow('{"StringLikeIfExists": {"aws:PrincipalTag/team": "*"}}'), expect: [['wildcard-condition', '*']] },
  ],
  REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION: [
    { text: allow('{"ForAnyValue:StringNotLike": {"aws:TagKeys": "*"}}', '"s3:PutObjectTagging"'), expect: [['wildcard-condition', '*']] },
  ],
};

describe("Access Analyzer's condition checks, offline", () => {
  for (const [code, cases] of Object.entries(CASES)) {
    it(code, async () => {
      const check = ACCESS_ANALYZER_CHECKS[code as AccessAnalyzerCode] as { rules?: readonly string[] };
      for (const { text, expect } of cases!) {
        const seen = await found(text);
        for (const [rule, at] of expect) {
          assert.ok(check.rules?.includes(rule), `${code} is not mapped to ${rule}`);
          assert.ok(
            seen.some((item) => item.code === rule && item.at === at),
            `${rule} on ${JSON.stringify(at)} not in ${JSON.stringify(seen)} for ${text}`,
          );
        }
        // No Error but those expected: IAM rejects only an unknown operator and a date it cannot read.
        const errors = seen.filter((item) => item.severity === 'error').map((item) => item.code);
        assert.deepEqual(
          errors,
          expect.map(([rule]) => rule).filter((rule) => RULES[rule].severity === 'error'),
          text,
        );
      }
    });
  }
});

describe('what IAM accepts and rejects in conditions', () => {
  it('rejects Date values its policy parser cannot read, and nothing it can', () => {
    for (const bad of [
      'someday',
      '2026-13-01',
      '2026-02-30T25:00:00Z',
      '2021-07-01T10:00:00.5+5',
      '2021-07-01T10:00:00.1234567891Z',
      '9300000000000000000',
      '12:30',
      '',
    ]) {
      assert.equal(legacyParseFails(bad), true, bad);
    }
    for (const good of [
      '2026',
      '2026-07',
      '2026-07-04',
      '2026-07-04T12:00:00Z',
      '2026-07-04T12:00:00.123456789+02:00',
      '2026-07-04T12:00:00-05:00',
      '2026-07-04T12:00Z',
      '1783166400',
      '0',
      '9223372036854775807',
      '4T',
      '-44',
    ]) {
      assert.equal(legacyParseFails(good), false, good);
    }
  });

  it('puts the Error on the value, and accepts the same key without a prefix (a Warning)', async () => {
    assert.deepEqual(
      (await found(allow('{"DateGreaterThan": {"aws:CurrentTime": "someday"}}'))).filter((item) => item.severity === 'error'),
      [{ code: 'malformed-date', severity: 'error', at: 'someday' }],
    );
    const bare = await found(allow('{"StringEqualsIfExists": {"team": "red"}, "DateGreaterThan": {"start": "2026-01-01"}}'));
    assert.deepEqual(
      bare.filter((item) => item.code === 'invalid-condition-key').map((item) => [item.severity, item.at]),
      [
        ['warning', 'team'],
        ['warning', 'start'],
      ],
    );
    assert.deepEqual(
      bare.filter((item) => item.severity === 'error'),
      [],
    );
  });

  it('accepts an unknown operator over an empty block, and says the block does nothing', async () => {
    assert.deepEqual(await conditionFindings(allow('{"StringEquals": {"aws:PrincipalTag/team": "red"}, "Whatever": {}}')), [['empty-condition', 'Whatever']]);
    assert.deepEqual(await conditionFindings(allow('{"Whatever": {"aws:PrincipalTag/team": "red"}}')), [['unknown-operator', 'Whatever']]);
  });

  it('takes one set prefix at most', () => {
    assert.match(parseOperator('ForAllValues:ForAnyValue:StringEquals').problem ?? '', /two set operator prefixes/);
    assert.equal(parseOperator('ForAnyValue:StringEqualsIfExists').problem, undefined);
    assert.equal(parseOperator('NullIfExists').nullIfExists, true);
  });
});

describe('conditions that say something else than they seem', () => {
  it("leaves StringEquals on ARN keys alone, as AWS's own examples use it", async () => {
    assert.deepEqual(
      await conditionFindings(
        allow('{"StringEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:orders", "aws:PrincipalArn": "arn:aws:iam::111122223333:role/admin"}}'),
      ),
      [],
    );
  });

  it('says an empty list under ForAllValues or IfExists is true when the key is absent, not "never true"', async () => {
    const texts = [
      allow('{"ForAllValues:StringEquals": {"aws:TagKeys": []}}', '"s3:PutObjectTagging"'),
      allow('{"StringEqualsIfExists": {"aws:PrincipalTag/team": []}}'),
    ];
    for (const text of texts) {
      const analysis = await analysisOf(text);
      const item = analysis.findings.find((candidate) => candidate.code === 'empty-condition')!;
      assert.match(item.message, /true only when the key is absent/);
      assert.ok(!analysis.findings.some((candidate) => /never be true/.test(candidate.message)), text);
    }
  });

  it('does not take cross-service keys for keys the actions lack', async () => {
    assert.deepEqual(
      await conditionFindings(allow('{"ArnEquals": {"ec2:SourceInstanceARN": "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0"}}')),
      [],
    );
  });

  it('says a key no action supports restricts nothing under IfExists, and denies nothing in a plain Deny', async () => {
    const ifExists = await analysisOf(allow('{"StringEqualsIfExists": {"s3:x-amz-storage-class": "STANDARD"}}', '"s3:ListBucket"'));
    assert.match(ifExists.findings.find((item) => item.code === 'condition-key-not-supported')!.message, /always true and restricts nothing/);
    const deny = await analysisOf(policy('Deny', '"s3:ListBucket"', '{"StringEquals": {"s3:x-amz-storage-class": "STANDARD"}}'));
    assert.match(deny.findings.find((item) => item.code === 'condition-key-not-supported')!.message, /the Deny never applies/);
  });

  it("knows identity providers' keys without calling their prefixes unknown", async () => {
    const trust =
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "oidc.example.com/tenant:sub": "x"}, "StringLike": {"saml:aud": "https://signin.aws.amazon.com/saml"}}}]}';
    assert.deepEqual(
      (await conditionFindings(trust)).filter(([code]) => code === 'unknown-condition-key'),
      [],
    );
  });

  it('checks aws:RequestedRegion patterns and ignores Regions in other case under IgnoreCase', async () => {
    assert.deepEqual(
      await conditionFindings(
        allow('{"StringLike": {"aws:RequestedRegion": ["eu-*", "xx-*"]}, "StringEqualsIgnoreCase": {"aws:RequestedRegion": "EU-WEST-1"}}'),
      ),
      [['unknown-region', 'xx-*']],
    );
  });

  it('knows private ranges and host bits', () => {
    assert.equal(isPrivate(parseCidr('10.20.0.0/16')!), true);
    assert.equal(isPrivate(parseCidr('10.0.0.0/7')!), false);
    assert.equal(isPrivate(parseCidr('fd12:3456::/48')!), true);
    assert.equal(isPrivate(parseCidr('2001:db8::/32')!), false);
    assert.equal(hasHostBits(parseCidr('2001:db8::1/64')!), true);
    assert.equal(networkText(parseCidr('2001:db8:0:0:8::1/64')!), '2001:db8::/64');
    assert.equal(networkText(parseCidr('198.51.100.200/25')!), '198.51.100.128/25');
    assert.equal(parseCidr('1:2:3:4:5:6:7:8:9'), undefined);
    assert.equal(parseCidr('::ffff:192.0.2.1')?.version, 6);
  });

  it('says which date epoch seconds are', () => {
    assert.equal(epochToIso('1798761599'), '2026-12-31T23:59:59Z');
    assert.equal(epochToIso('1798761599000'), undefined);
  });
});

describe('the quick fixes of condition findings', () => {
  /** The document after the first fix of the first finding of `code`. */
  async function fixed(text: string, code: Code, index = 0): Promise<string> {
    const analysis = await analysisOf(text);
    const item = analysis.findings.find((candidate) => candidate.code === code);
    assert.ok(item !== undefined, `no ${code} in ${text}`);
    const fixes = fixesFor(text, analysis, item);
    assert.ok(fixes.length > index, `no fix for ${code}: ${item.message}`);
    const result = applyEdits(text, fixes[index].edits);
    JSON.parse(result);
    return result;
  }
  const conditionOf = (text: string): string => JSON.stringify((JSON.parse(text) as { Statement: Array<{ Condition?: unknown }> }).Statement[0].Condition);

  it('moves a presence test to Null, joining a Null block there is', async () => {
    assert.equal(
      conditionOf(await fixed(allow('{"StringLike": {"aws:PrincipalTag/team": "*"}}'), 'wildcard-condition')),
      '{"Null":{"aws:PrincipalTag/team":"false"}}',
    );
    assert.equal(
      conditionOf(
        await fixed(
          allow('{"StringNotLike": {"aws:PrincipalTag/team": "*", "aws:PrincipalTag/unit": "a*"}, "Null": {"aws:TokenIssueTime": "false"}}'),
          'wildcard-condition',
        ),
      ),
      '{"StringNotLike":{"aws:PrincipalTag/unit":"a*"},"Null":{"aws:TokenIssueTime":"false","aws:PrincipalTag/team":"true"}}',
    );
    assert.equal(
      conditionOf(
        await fixed(
          allow('{"ForAllValues:StringEquals": {"aws:TagKeys": []}, "Bool": {"aws:SecureTransport": "true"}}', '"s3:PutObjectTagging"'),
          'empty-condition',
        ),
      ),
      '{"Null":{"aws:TagKeys":"true"},"Bool":{"aws:SecureTransport":"true"}}',
    );
  });

  it('gives no Null fix when the Null block already tests the key', async () => {
    const text = allow('{"StringLike": {"aws:PrincipalTag/team": "*"}, "Null": {"aws:PrincipalTag/team": "true"}}');
    const analysis = await analysisOf(text);
    const item = analysis.findings.find((candidate) => candidate.code === 'wildcard-condition')!;
    assert.deepEqual(fixesFor(text, analysis, item), []);
  });

  it('removes what restricts nothing: a key always true, an empty block, an empty Condition', async () => {
    assert.equal(
      conditionOf(await fixed(allow('{"StringLikeIfExists": {"aws:PrincipalTag/team": "*"}, "Bool": {"aws:SecureTransport": "true"}}'), 'wildcard-condition')),
      '{"Bool":{"aws:SecureTransport":"true"}}',
    );
    assert.equal(conditionOf(await fixed(allow('{"StringEquals": {}}'), 'empty-condition')), undefined);
    assert.equal(conditionOf(await fixed(allow('{}'), 'empty-condition')), undefined);
  });

  it('writes the network address, the ISO date, Null for NullIfExists, the Like operator', async () => {
    assert.equal(
      conditionOf(await fixed(allow('{"IpAddress": {"aws:SourceIp": "203.0.113.77/24"}}'), 'cidr-host-bits')),
      '{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}',
    );
    assert.equal(
      conditionOf(await fixed(allow('{"DateLessThan": {"aws:CurrentTime": "1798761599"}}'), 'epoch-date')),
      '{"DateLessThan":{"aws:CurrentTime":"2026-12-31T23:59:59Z"}}',
    );
    assert.equal(
      conditionOf(await fixed(allow('{"NullIfExists": {"aws:TokenIssueTime": "true"}}'), 'null-if-exists')),
      '{"Null":{"aws:TokenIssueTime":"true"}}',
    );
    assert.equal(
      conditionOf(await fixed(allow('{"StringEquals": {"aws:PrincipalTag/job": "admin-*"}}'), 'wildcard-without-like')),
      '{"StringLike":{"aws:PrincipalTag/job":"admin-*"}}',
    );
    assert.equal(
      conditionOf(await fixed(allow('{"StringEquals": {"aws:SourceArn": "arn:aws:sns:*:111122223333:orders"}}'), 'wildcard-without-like')),
      '{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:orders"}}',
    );
    assert.equal(
      conditionOf(await fixed(allow('{"StringLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}}'), 'string-like-on-arn-key')),
      '{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}}',
    );
    assert.equal(
      conditionOf(await fixed(allow('{"ForAnyValue:StringEquals": {"aws:PrincipalTag/team": "red"}}'), 'set-operator-mismatch')),
      '{"StringEquals":{"aws:PrincipalTag/team":"red"}}',
    );
    assert.equal(
      conditionOf(await fixed(allow('{"ForAnyValue:Null": {"aws:TagKeys": "true"}}', '"s3:PutObjectTagging"'), 'set-operator-mismatch')),
      '{"Null":{"aws:TagKeys":"true"}}',
    );
    assert.equal(
      conditionOf(await fixed(allow('{"StringEquals": {"kafk:Topic": "orders"}}', '"kafka:DescribeTopic"'), 'unknown-condition-key')),
      '{"StringEquals":{"kafka:Topic":"orders"}}',
    );
    assert.equal(
      conditionOf(await fixed(allow('{"StringEquals": {"aws:PrincipalTags/team": "red"}}'), 'unknown-condition-key')),
      '{"StringEquals":{"aws:PrincipalTag/team":"red"}}',
    );
  });

  it('renames no operator into one the Condition already has', async () => {
    const text = allow('{"StringEquals": {"aws:PrincipalTag/job": "admin-*"}, "StringLike": {"aws:PrincipalTag/unit": "a*"}}');
    const analysis = await analysisOf(text);
    const item = analysis.findings.find((candidate) => candidate.code === 'wildcard-without-like')!;
    assert.deepEqual(fixesFor(text, analysis, item), []);
  });

  it('removes a case-only duplicate with the same values, and a covered threshold', async () => {
    assert.equal(
      conditionOf(await fixed(allow('{"StringEquals": {"aws:PrincipalTag/team": "red", "aws:principaltag/team": "red"}}'), 'duplicate-condition-key')),
      '{"StringEquals":{"aws:PrincipalTag/team":"red"}}',
    );
    assert.equal(
      conditionOf(await fixed(allow('{"NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600", "900"]}}'), 'redundant-condition-value')),
      '{"NumericLessThan":{"aws:MultiFactorAuthAge":["3600","900"]}}',
    );
  });

  it('leaves no finding of the fixed kind behind', async () => {
    const cases: Array<[string, Code]> = [
      [allow('{"StringLike": {"aws:PrincipalTag/team": "*"}}'), 'wildcard-condition'],
      [allow('{"IpAddress": {"aws:SourceIp": "203.0.113.77/24"}}'), 'cidr-host-bits'],
      [allow('{"NullIfExists": {"aws:TokenIssueTime": "true"}}'), 'null-if-exists'],
      [allow('{"StringEquals": {"aws:PrincipalTag/job": "admin-*"}}'), 'wildcard-without-like'],
    ];
    for (const [text, code] of cases) {
      const after = await found(await fixed(text, code));
      assert.ok(!after.some((item) => item.code === code), `${code} still in ${JSON.stringify(after)}`);
    }
  });
});

describe('the Regions', () => {
  it("are those of the AWS SDK's partitions data, so a new Region there fails here until added", () => {
    // The SDK's endpoint partitions, as @aws-sdk/core ships them (a dependency of the push commands).
    const source = fs.readFileSync(require.resolve('@aws-sdk/core/client'), 'utf8');
    const start = source.indexOf('"partitions"');
    assert.ok(start > 0, 'no partitions data in @aws-sdk/core/client');
    const block = source.slice(start, source.indexOf('"version"', start));
    const sdk = [...block.matchAll(/"([a-z]+(?:-[a-z]+)+-\d+)": \{/g)].map((match) => match[1]).sort();
    assert.deepEqual([...REGIONS], sdk);
  });
});
