/**
 * Access Analyzer's codes of the service-linked-role, PassRole and resource control policy
 * checks, a case each (written from AWS's documentation of Access Analyzer's policy checks and of
 * resource control policies), and the rule that every code mapped to a rule of ours has a case
 * in some test of this folder.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ACCESS_ANALYZER_CHECKS, type AccessAnalyzerCode } from 'iam-policy-engine/accessAnalyzer';
import { analyzeFully } from 'iam-policy-engine/analyze';
import type { Catalog } from 'iam-policy-engine/catalog';
import type { PolicyKind } from 'iam-policy-engine/kinds';
import type { Code } from 'iam-policy-engine/rules';
import { createCatalog } from '../../server/src/catalogFiles';
import { REPO_ROOT } from '../support/paths';

let catalog: Catalog;
before(async () => {
  catalog = await createCatalog();
});

/** A policy of statements, each given by its members. */
const policy = (...statements: string[]): string => `{"Version": "2012-10-17", "Statement": [${statements.map((members) => `{${members}}`).join(', ')}]}`;
const ROLE = '"arn:aws:iam::111122223333:role/app"';
/** An RCP statement: a Deny on every principal, as resource control policies are written. */
const rcpDeny = (members: string): string => policy(`"Effect": "Deny", "Principal": "*", ${members}`);

/** Organization ids enough to take an RCP past its 5,120 characters. */
const MANY_ORGS = Array.from({ length: 400 }, (_, index) => `"o-${String(index).padStart(10, 'a')}"`).join(', ');

const CASES: Partial<Record<AccessAnalyzerCode, { text: string; kind?: PolicyKind; expect: [Code, string] }>> = {
  // Resource control policies: only Deny on "*" by "*", no NotAction (Organizations refuses the rest).
  RCP_SYNTAX_ERROR_ALLOW: {
    kind: 'rcp',
    text: rcpDeny('"Action": "s3:GetObject", "Resource": "*"').replace('"Deny"', '"Allow"'),
    expect: ['rcp-syntax', '"Allow"'],
  },
  RCP_SYNTAX_ERROR_NOTACTION: { kind: 'rcp', text: rcpDeny('"NotAction": "s3:GetObject", "Resource": "*"'), expect: ['rcp-syntax', '"NotAction"'] },
  POLICY_SIZE_EXCEEDS_RCP_QUOTA: {
    kind: 'rcp',
    text: rcpDeny(
      `"Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": [${MANY_ORGS}]}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}`,
    ),
    expect: ['policy-size-quota', '{'],
  },
  // A principal key in an RCP's Deny also denies AWS services, which carry none.
  RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY: {
    kind: 'rcp',
    text: rcpDeny('"Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abcdefghij"}}'),
    expect: ['rcp-condition-pattern', 'aws:PrincipalOrgID'],
  },
  // A source key is about services calling on your behalf: the statement should judge only them.
  RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY: {
    kind: 'rcp',
    text: rcpDeny('"Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-abcdefghij"}}'),
    expect: ['rcp-condition-pattern', 'aws:SourceOrgID'],
  },
  // iam:CreateServiceLinkedRole wider than the service-linked roles it should create.
  CREATE_SLR_WITH_NOT_RESOURCE: {
    text: policy(`"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "NotResource": ${ROLE}`),
    expect: ['create-slr-wildcard', 'iam:CreateServiceLinkedRole'],
  },
  CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE: {
    text: policy(`"Effect": "Allow", "Action": "iam:Create*", "NotResource": ${ROLE}`),
    expect: ['create-slr-wildcard', 'iam:Create*'],
  },
  CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE: {
    text: policy('"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::amzn-s3-demo-bucket"'),
    expect: ['broad-not-action', 'NotResource'],
  },
  CREATE_SLR_WITH_STAR_IN_RESOURCE: {
    text: policy('"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"'),
    expect: ['create-slr-wildcard', 'iam:CreateServiceLinkedRole'],
  },
  CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE: {
    text: policy('"Effect": "Allow", "Action": "iam:Create*", "Resource": "*"'),
    expect: ['create-slr-wildcard', 'iam:Create*'],
  },
  CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION: {
    text: policy('"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"'),
    expect: ['broad-not-action', 'NotAction'],
  },
  // iam:PassRole on any role lets the holder hand any role to a service.
  PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE: {
    text: policy(`"Effect": "Allow", "Action": "iam:Pass*", "NotResource": ${ROLE}`),
    expect: ['passrole-wildcard', 'iam:Pass*'],
  },
  PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE: { text: policy('"Effect": "Allow", "Action": "iam:*", "Resource": "*"'), expect: ['passrole-wildcard', 'iam:*'] },
  PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION: {
    text: policy('"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"'),
    expect: ['broad-not-action', 'NotAction'],
  },
};

describe("Access Analyzer's service-linked-role, PassRole and RCP checks, offline", () => {
  for (const [code, { text, kind, expect }] of Object.entries(CASES)) {
    it(code, async () => {
      const check = ACCESS_ANALYZER_CHECKS[code as AccessAnalyzerCode] as { rules?: readonly string[] };
      const [rule, at] = expect;
      assert.ok(check.rules?.includes(rule), `${code} is not mapped to ${rule}`);
      const seen = (await analyzeFully(text, { catalog, kind })).findings.map((item) => ({
        code: item.code,
        at: text.slice(item.offset, item.offset + item.length),
      }));
      assert.ok(
        seen.some((item) => item.code === rule && item.at === at),
        `${rule} on ${JSON.stringify(at)} not in ${JSON.stringify(seen)}`,
      );
    });
  }
});

describe('every Access Analyzer code covered by a rule has a test case', () => {
  it('names each such code in a test of test/unit', () => {
    const folder = path.join(REPO_ROOT, 'test', 'unit');
    const sources = fs
      .readdirSync(folder)
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => fs.readFileSync(path.join(folder, name), 'utf8'))
      .join('\n');
    const untested = Object.entries(ACCESS_ANALYZER_CHECKS)
      .filter(([code, check]) => 'rules' in check && !new RegExp(`\\b${code}\\b`).test(sources))
      .map(([code]) => code);
    assert.deepEqual(untested, []);
  });
});
