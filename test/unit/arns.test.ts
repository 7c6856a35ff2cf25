/**
 * The elements, actions, ARNs, variables outside conditions and redundancy: a case for every
 * Access Analyzer check of ours in these areas (written from AWS's documentation of the checks,
 * of the Resource element and of ARNs), what IAM rejects (each an Error with IAM's message),
 * what it takes (no false Error), and the quick fixes that are sure.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ACCESS_ANALYZER_CHECKS, type AccessAnalyzerCode } from 'iam-policy-engine/accessAnalyzer';
import { analyzeFully, type Analysis } from 'iam-policy-engine/analyze';
import {
  arnFormats,
  arnMatchesTemplate,
  arnSyntaxProblem,
  formatsMatching,
  IAM_RESOURCE_STARTS,
  parseArn,
  resourceCovers,
  S3_REGIONAL_STARTS,
} from 'iam-policy-engine/arn';
import type { Catalog } from 'iam-policy-engine/catalog';
import { applyEdits, fixesFor } from 'iam-policy-engine/fixes';
import type { PolicyKind } from 'iam-policy-engine/kinds';
import { RULES, type Code } from 'iam-policy-engine/rules';
import { createCatalog } from '../../server/src/catalogFiles';
import { seedFromEnvironment } from '../support/mutations';
import { Random } from '../support/random';

let catalog: Catalog;
before(async () => {
  catalog = await createCatalog();
});

/** A policy of statements, each given by its members. */
const policy = (...statements: string[]): string => `{"Version": "2012-10-17", "Statement": [${statements.map((members) => `{${members}}`).join(', ')}]}`;
/** One Allow statement of an action (JSON) on a resource (JSON). */
const allow = (action: string, resource: string, more = ''): string => policy(`"Effect": "Allow", "Action": ${action}, "Resource": ${resource}${more}`);
const onResource = (arn: string, action = '"s3:GetObject"'): string => allow(action, JSON.stringify(arn));

interface Seen {
  code: string;
  severity: string;
  at: string;
}

async function analysisOf(text: string, kind?: PolicyKind): Promise<Analysis> {
  return analyzeFully(text, { catalog, kind });
}

async function found(text: string, kind?: PolicyKind): Promise<Seen[]> {
  const analysis = await analysisOf(text, kind);
  return analysis.findings.map((item) => ({ code: item.code, severity: item.severity, at: text.slice(item.offset, item.offset + item.length) }));
}

const errors = async (text: string, kind?: PolicyKind): Promise<Array<[string, string]>> =>
  (await found(text, kind)).filter((item) => item.severity === 'error').map((item) => [item.code, item.at]);

/**
 * One case or more per Access Analyzer code: the document (and kind) and the findings it must
 * get (code and covered text). The mapping in accessAnalyzer.ts must name each rule expected.
 */
const CASES: Partial<Record<AccessAnalyzerCode, Array<{ text: string; kind?: PolicyKind; expect: Array<[Code, string]> }>>> = {
  ARN_ACCOUNT_NOT_ALLOWED: [{ text: onResource('arn:aws:s3::111122223333:amzn-s3-demo-bucket/*'), expect: [['invalid-arn', '111122223333']] }],
  ARN_REGION_NOT_ALLOWED: [
    { text: onResource('arn:aws:iam:us-east-1:111122223333:user/Bob', '"iam:GetUser"'), expect: [['malformed-arn', 'us-east-1']] },
    {
      text: onResource('arn:aws:cloudfront:us-east-1:111122223333:distribution/EDFDVBD6EXAMPLE', '"cloudfront:GetDistribution"'),
      expect: [['invalid-arn', 'us-east-1']],
    },
  ],
  DATA_TYPE_MISMATCH: [{ text: policy('"Effect": "Allow", "Action": 12, "Resource": "*"'), expect: [['invalid-element-value', '12']] }],
  INVALID_ACTION: [{ text: allow('"s3:GetObjekt"', '"*"'), expect: [['unknown-action', 'GetObjekt']] }],
  INVALID_ARN_ACCOUNT: [{ text: onResource('arn:aws:sqs:us-east-2:1234:queue1', '"sqs:SendMessage"'), expect: [['invalid-arn', '1234']] }],
  INVALID_ARN_PREFIX: [{ text: onResource('aws:s3:::amzn-s3-demo-bucket'), expect: [['invalid-resource', 'aws:s3:::amzn-s3-demo-bucket']] }],
  INVALID_ARN_REGION: [{ text: onResource('arn:aws:sqs:us-east-7:111122223333:queue1', '"sqs:SendMessage"'), expect: [['unknown-region', 'us-east-7']] }],
  INVALID_ARN_RESOURCE: [
    { text: onResource('arn:aws:dynamodb:us-east-2:111122223333:books_table', '"dynamodb:GetItem"'), expect: [['arn-format-mismatch', 'books_table']] },
  ],
  INVALID_ARN_SERVICE_CASE: [{ text: onResource('arn:aws:S3:::amzn-s3-demo-bucket/*'), expect: [['arn-service-case', 'S3']] }],
  INVALID_EFFECT: [{ text: policy('"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"'), expect: [['invalid-effect', '"Permit"']] }],
  INVALID_PARTITION: [{ text: onResource('arn:aws-gov:s3:::amzn-s3-demo-bucket/*'), expect: [['malformed-arn', 'aws-gov']] }],
  INVALID_POLICY_ELEMENT: [
    { text: policy('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condtion": {}'), expect: [['unknown-element', '"Condtion"']] },
  ],
  INVALID_SERVICE_IN_ACTION: [{ text: allow('"s4:GetObject"', '"*"'), expect: [['unknown-service', 's4']] }],
  INVALID_VERSION: [
    {
      text: '{"Version": "2012-10-18", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}',
      expect: [['invalid-version', '"2012-10-18"']],
    },
  ],
  JSON_SYNTAX_ERROR: [
    {
      text: '{"Version": "2012-10-17" "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}',
      expect: [['json-syntax', '"Statement"']],
    },
  ],
  MISSING_ACTION: [{ text: policy('"Effect": "Allow", "Resource": "*"'), expect: [['missing-action', '{']] }],
  MISSING_ARN_FIELD: [
    { text: onResource('arn:aws:s3::amzn-s3-demo-bucket'), expect: [['malformed-arn', 'arn:aws:s3::amzn-s3-demo-bucket']] },
    { text: onResource('arn:aws'), expect: [['malformed-arn', 'arn:aws']] },
    { text: onResource('arn:aws:s3'), expect: [['invalid-arn', 'arn:aws:s3']] },
  ],
  MISSING_ARN_REGION: [{ text: onResource('arn:aws:sqs::111122223333:queue1', '"sqs:SendMessage"'), expect: [['invalid-arn', '::']] }],
  MISSING_EFFECT: [{ text: policy('"Action": "s3:GetObject", "Resource": "*"'), expect: [['invalid-effect', '{']] }],
  MISSING_RESOURCE: [{ text: policy('"Effect": "Allow", "Action": "s3:GetObject"'), expect: [['missing-resource', '{']] }],
  MISSING_STATEMENT: [
    { text: '{"Version": "2012-10-17"}', expect: [['missing-statement', '{']] },
    { text: '{"Version": "2012-10-17", "Statement": []}', expect: [['empty-statement', '[]']] },
  ],
  UNSUPPORTED_ELEMENT_COMBINATION: [
    {
      text: policy('"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*"'),
      expect: [['conflicting-elements', '"NotAction"']],
    },
  ],
  UNSUPPORTED_SID: [
    { text: policy('"Sid": "Allow read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"'), expect: [['invalid-sid', 'Allow read']] },
    {
      text: policy('"Sid": "Public read", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"'),
      kind: 's3-bucket',
      expect: [['sid-characters', 'Public read']],
    },
  ],
  MISSING_BRACE_IN_VARIABLE: [
    { text: onResource('arn:aws:s3:::amzn-s3-demo-bucket/${aws:username/*'), expect: [['invalid-policy-variable', '${aws:username/*']] },
  ],
  MISSING_QUOTE_IN_VARIABLE: [
    {
      text: onResource('arn:aws:s3:::amzn-s3-demo-bucket-${aws:PrincipalTag/team, company-wide}'),
      expect: [['invalid-policy-variable', '${aws:PrincipalTag/team, company-wide}']],
    },
  ],
  UNSUPPORTED_SPACE_IN_VARIABLE: [
    { text: onResource('arn:aws:s3:::amzn-s3-demo-bucket/${ aws:username}/*'), expect: [['invalid-policy-variable', '${ aws:username}']] },
  ],
  EMPTY_VARIABLE: [{ text: onResource('arn:aws:s3:::amzn-s3-demo-bucket/${}/*'), expect: [['invalid-policy-variable', '${}']] }],
  VARIABLE_UNSUPPORTED_IN_ELEMENT: [
    // The variable's own colon makes it two: IAM rejects the action ("can contain only one colon").
    {
      text: allow('"s3:${aws:username}"', '"*"'),
      expect: [
        ['invalid-action', 's3:${aws:username}'],
        ['invalid-policy-variable', '${aws:username}'],
      ],
    },
    {
      text: policy(
        '"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/${aws:username}"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"',
      ),
      kind: 's3-bucket',
      expect: [['invalid-policy-variable', '${aws:username}']],
    },
  ],
  VARIABLE_UNSUPPORTED_IN_VERSION: [
    {
      text: '{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*"}]}',
      expect: [
        ['old-version', '"2008-10-17"'],
        ['invalid-policy-variable', '${aws:username}'],
      ],
    },
  ],
  MISSING_VERSION: [{ text: '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}', expect: [['missing-version', '{']] }],
  EMPTY_ARRAY_ACTION: [{ text: allow('[]', '"*"'), expect: [['missing-action', '[]']] }],
  EMPTY_ARRAY_RESOURCE: [{ text: allow('"s3:GetObject"', '[]'), expect: [['missing-resource', '[]']] }],
  EMPTY_SID_VALUE: [{ text: policy('"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"'), expect: [['empty-sid', '""']] }],
  REDUNDANT_ACTION: [{ text: allow('["iam:Get*", "iam:List*", "iam:GetCredentialReport"]', '"*"'), expect: [['redundant-action', 'iam:GetCredentialReport']] }],
  REDUNDANT_RESOURCE: [
    {
      text: allow(
        '"iam:PassRole"',
        '["arn:aws:iam::111122223333:role/jane-admin", "arn:aws:iam::111122223333:role/jane-s3only", "arn:aws:iam::111122223333:role/jane*"]',
      ),
      expect: [
        ['redundant-resource', 'arn:aws:iam::111122223333:role/jane-admin'],
        ['redundant-resource', 'arn:aws:iam::111122223333:role/jane-s3only'],
      ],
    },
  ],
  REDUNDANT_STATEMENT: [
    {
      text: policy(
        '"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"',
        '"Sid": "ReadAgain", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"',
      ),
      expect: [['redundant-statement', '"ReadAgain"']],
    },
  ],
  WILDCARD_IN_SERVICE_NAME: [{ text: onResource('arn:aws:*code*::111122223333:*', '"codecommit:GitPull"'), expect: [['malformed-arn', '*code*']] }],
};

describe("Access Analyzer's checks of elements, actions, ARNs, variables and redundancy, offline", () => {
  for (const [code, cases] of Object.entries(CASES)) {
    it(code, async () => {
      const check = ACCESS_ANALYZER_CHECKS[code as AccessAnalyzerCode] as { rules?: readonly string[] };
      for (const { text, kind, expect } of cases!) {
        const seen = await found(text, kind);
        for (const [rule, at] of expect) {
          assert.ok(check.rules?.includes(rule), `${code} is not mapped to ${rule}`);
          assert.ok(
            seen.some((item) => item.code === rule && item.at === at),
            `${rule} on ${JSON.stringify(at)} not in ${JSON.stringify(seen)} for ${text}`,
          );
        }
        // No Error but those expected: a false Error is as bad as a missed one.
        const unexpected = seen.filter((item) => item.severity === 'error' && !expect.some(([rule]) => rule === item.code));
        assert.deepEqual(unexpected, [], text);
        for (const [rule] of expect)
          if (RULES[rule].severity === 'error')
            assert.ok(
              seen.some((item) => item.code === rule && item.severity === 'error'),
              rule,
            );
      }
    });
  }

  it('covers every code of these areas', () => {
    for (const code of Object.keys(CASES)) assert.ok('rules' in ACCESS_ANALYZER_CHECKS[code as AccessAnalyzerCode], code);
    assert.equal(Object.values(ACCESS_ANALYZER_CHECKS).filter((check) => 'todo' in check).length, 0);
  });
});

describe("ARNs IAM cannot parse: Errors with IAM's message", () => {
  it("rejects an unknown or empty partition, with IAM's words", async () => {
    for (const [arn, at] of [
      ['arn:aws-gov:s3:::b', 'aws-gov'],
      ['arn::s3:::b', ':'],
      ['arn:${AWS::Partition}:s3:::b', '${AWS'],
    ] as const) {
      const problems = await errors(onResource(arn));
      assert.deepEqual(
        problems.map(([code]) => code),
        ['malformed-arn'],
        arn,
      );
      assert.ok(problems[0][1].startsWith(at), `${arn}: ${problems[0][1]}`);
    }
    assert.match(arnSyntaxProblem('arn:error:s3:::b')!.message, /Partition "error" is not valid/);
  });

  it('rejects an ARN without a service, with an empty one, or a wildcard in it', () => {
    assert.match(arnSyntaxProblem('arn:aws')!.message, /Resource vendor must be fully qualified/);
    assert.match(arnSyntaxProblem('arn:*')!.message, /Resource vendor must be fully qualified/);
    assert.match(arnSyntaxProblem('arn:aws::us-east-1:111122223333:x')!.message, /legacy parsing/);
    for (const arn of ['arn:aws:*:*:*:*fss-prod*', 'arn:aws:*:*:111122223333:*', 'arn:aws:s3*:::b', 'arn:aws:?3:::b']) {
      assert.match(arnSyntaxProblem(arn)?.message ?? '', /cannot contain regexes/, arn);
    }
  });

  it('rejects fewer than six parts with an empty one (legacy parsing), and only warns about fewer without', async () => {
    assert.match(arnSyntaxProblem('arn:aws:s3::example_bucket')!.message, /The policy failed legacy parsing/);
    assert.deepEqual(await errors(onResource('arn:aws:logs:*', '"logs:CreateLogGroup"')), []);
    assert.deepEqual(
      (await found(onResource('arn:aws:logs:*', '"logs:CreateLogGroup"'))).filter((item) => item.code === 'invalid-arn').map((item) => item.severity),
      ['warning'],
    );
  });

  it('rejects an IAM ARN whose path names no IAM resource type, or that has a Region', () => {
    assert.match(arnSyntaxProblem('arn:aws:iam:::example_bucket')!.message, /IAM resource path must either be "\*" or start with/);
    assert.match(arnSyntaxProblem('arn:aws:iam::111122223333:bucket/b')!.message, /names no IAM resource type/);
    assert.match(arnSyntaxProblem('arn:aws:iam::111122223333:')!.message, /names no IAM resource type/);
    assert.match(arnSyntaxProblem('arn:aws:iam::111122223333:ro')!.message, /names no IAM resource type/);
    assert.equal(arnSyntaxProblem('arn:aws:iam::111122223333:ro*'), undefined);
    assert.match(arnSyntaxProblem('arn:aws:iam:us-east-1:111122223333:role/admin')!.message, /cannot contain region information/);
    assert.match(arnSyntaxProblem('arn:aws:iam:*:111122223333:role/admin')!.message, /cannot contain region information/);
  });

  it("rejects a Region in an S3 bucket or object ARN, not in an access point's or a grant's", () => {
    assert.match(arnSyntaxProblem('arn:aws:s3:us-east-1::b')!.message, /can not contain region information/);
    assert.match(arnSyntaxProblem('arn:aws:s3:*::amzn-s3-demo-bucket/*')!.message, /can not contain region information/);
    for (const arn of [
      'arn:aws:s3:us-west-2:111122223333:accesspoint/reports',
      'arn:aws:s3:*:*:access-grants/default',
      'arn:aws:s3:us-west-2:111122223333:job/1',
      'arn:aws:s3:*:*:*',
    ]) {
      assert.equal(arnSyntaxProblem(arn), undefined, arn);
    }
  });

  it('knows every IAM resource type and every regional S3 type of the service reference', async () => {
    await catalog.load(['iam', 's3']);
    for (const type of catalog.service('iam')!.resourceTypes.values()) {
      const resource = parseArn(type.arn)!.resource;
      assert.ok(
        IAM_RESOURCE_STARTS.some((start) => resource.startsWith(start)),
        `IAM_RESOURCE_STARTS lacks ${type.arn}`,
      );
    }
    for (const type of catalog.service('s3')!.resourceTypes.values()) {
      const parsed = parseArn(type.arn)!;
      if (parsed.service !== 's3' || parsed.region === '') continue;
      assert.ok(
        S3_REGIONAL_STARTS.some((start) => parsed.resource.startsWith(start)),
        `S3_REGIONAL_STARTS lacks ${type.arn}`,
      );
    }
  });
});

describe('what IAM takes: no false Error', () => {
  it("takes the ARNs of AWS's own policies and documentation", async () => {
    const arns = [
      'arn:*:s3:::amzn-s3-demo-bucket',
      'arn:aws-cn:s3:::amzn-s3-demo-bucket',
      'arn:aws-us-gov:iam::111122223333:role/admin',
      'arn:aws:iam::111122223333:root',
      'arn:aws:iam::aws:contextProvider/IdentityCenter',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::111122223333:*',
      'arn:aws:iam::*:role/*',
      'arn:aws:iam::111122223333:assumed-role/admin/session',
      'arn:aws:s3:*:*:accesspoint/*',
      'arn:aws:s3:us-west-2:111122223333:access-grants/default',
      'arn:aws:ssm:*::document/AWS-RunShellScript',
      'arn:aws:ec2:${aws:RequestedRegion}:${aws:PrincipalAccount}:instance/*',
      'arn:aws:s3:::home/${aws:username}/*',
      'arn:aws:logs:*',
      'arn:aws:cloudfront:*',
    ];
    for (const arn of arns) assert.deepEqual(await errors(onResource(arn, '"*"')), [], arn);
  });

  it('takes action vendors with dots, an empty vendor and "*" (IAM stores them; they name no service)', async () => {
    for (const action of ['s3.amazonaws.com:GetObject', ':GetObject', '*:GetObject']) {
      const seen = await found(allow(JSON.stringify(action), '"*"'));
      assert.deepEqual(
        seen.filter((item) => item.severity === 'error'),
        [],
        action,
      );
      assert.ok(
        seen.some((item) => item.code === 'unknown-service' && item.severity === 'warning'),
        `${action}: ${JSON.stringify(seen)}`,
      );
    }
    // What IAM does reject: two colons, no colon, characters outside its set in the vendor.
    assert.deepEqual(await errors(allow('"s3:List:Bucket"', '"*"')), [['invalid-action', 's3:List:Bucket']]);
    assert.deepEqual(await errors(allow('"a a:ListBucket"', '"*"')), [['invalid-action', 'a a']]);
    assert.deepEqual(await errors(allow('"s3*:ListBucket"', '"*"')), [['invalid-action', 's3*']]);
  });

  it('takes the Sids other services write (SNS: __default_statement_ID), as information', async () => {
    const text = policy(
      '"Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SNS:Publish", "Resource": "arn:aws:sns:us-east-2:111122223333:orders"',
    );
    assert.deepEqual(
      (await found(text, 'sns-topic')).filter((item) => item.code.includes('sid')).map((item) => [item.code, item.severity]),
      [['sid-characters', 'info']],
    );
    assert.deepEqual(
      (await found(text, 'identity')).filter((item) => item.code.includes('sid')).map((item) => [item.code, item.severity]),
      [['invalid-sid', 'error']],
    );
  });

  it('says nothing of an ARN it cannot judge: a variable, a pattern matching a format', async () => {
    const quiet = (seen: Seen[]) =>
      seen.filter((item) => RULES[item.code as Code].family === 'resources' && item.code !== 'resource-type-mismatch' && item.code !== 'resource-star');
    assert.deepEqual(quiet(await found(onResource('arn:aws:dynamodb:us-*-1:111122223333:table/${aws:username}', '"dynamodb:GetItem"'))), []);
    assert.deepEqual(quiet(await found(onResource('arn:aws:sqs:*:111122223333:orders-*', '"sqs:SendMessage"'))), []);
  });
});

describe('Regions in ARNs', () => {
  it('warns about a Region that does not exist, with the closest as a fix, and about one of another partition', async () => {
    const text = onResource('arn:aws:sqs:eu-wset-1:111122223333:orders', '"sqs:SendMessage"');
    const analysis = await analysisOf(text);
    const item = analysis.findings.find((candidate) => candidate.code === 'unknown-region')!;
    assert.equal(item.severity, 'warning');
    assert.match(item.message, /did you mean arn:aws:sqs:eu-west-1:111122223333:orders/);
    assert.equal(JSON.parse(applyEdits(text, fixesFor(text, analysis, item)[0].edits)).Statement[0].Resource, 'arn:aws:sqs:eu-west-1:111122223333:orders');
    assert.deepEqual(
      (await found(onResource('arn:aws-cn:sqs:us-east-1:111122223333:orders', '"sqs:SendMessage"')))
        .filter((item) => item.code === 'unknown-region')
        .map((item) => item.at),
      ['us-east-1'],
    );
    assert.deepEqual(
      (await found(onResource('arn:aws:sqs:xx-*:111122223333:orders', '"sqs:SendMessage"')))
        .filter((item) => item.code === 'unknown-region')
        .map((item) => item.at),
      ['xx-*'],
    );
    assert.deepEqual(
      (await found(onResource('arn:aws:sqs:eu-*:111122223333:orders', '"sqs:SendMessage"'))).filter((item) => item.code === 'unknown-region'),
      [],
    );
  });
});

describe('a policy pattern against a template: the same answer as trying every short text', () => {
  // A pattern of n tokens and a template of m: when some text matches both, a shortest one has
  // at most one character per token that is not a run wildcard (a character both sides match
  // with a run can go), and a character only wildcards match can be an "a". So every text over
  // {a, b} up to that length settles it.
  const regex = (pattern: string, wildcards: boolean): RegExp =>
    new RegExp(
      `^${pattern
        .replace(/\$\{[^}]*\}/g, '\u0000')
        .replace(wildcards ? /[*?]/g : /(?!)/g, (char) => (char === '*' ? '\u0001' : '\u0002'))
        .replace(/\u0000|\u0001/g, '.*')
        .replace(/\u0002/g, '.')}$`,
      's',
    );
  const texts = (length: number): string[] => {
    const all = [''];
    for (let size = 1; size <= length; size++)
      for (let i = 0; i < 2 ** size; i++) all.push(i.toString(2).padStart(size, '0').replace(/0/g, 'a').replace(/1/g, 'b'));
    return all;
  };
  const someTextMatchesBoth = (pattern: string, template: string): boolean => {
    const policy = regex(pattern, true);
    const type = regex(template, false);
    const fixed = pattern.replace(/\$\{[^}]*\}|\*/g, '').length + template.replace(/\$\{[^}]*\}/g, '').length;
    return texts(fixed).some((text) => policy.test(text) && type.test(text));
  };

  it('over random patterns with *, ? and variables on both sides (seeded)', () => {
    const seed = seedFromEnvironment(4_211);
    const random = new Random(seed);
    const piece = (choices: readonly string[]): string => random.pick(choices);
    let both = 0;
    for (let round = 0; round < 3000; round++) {
      const pattern = Array.from({ length: 1 + random.int(5) }, () => piece(['a', 'b', 'a', 'b', '*', '?', '${aws:username}'])).join('');
      const template = Array.from({ length: 1 + random.int(5) }, () => piece(['a', 'b', 'a', 'b', '${Name}'])).join('');
      const expected = someTextMatchesBoth(pattern, template);
      if (expected) both++;
      assert.equal(
        arnMatchesTemplate(pattern, template),
        expected,
        `seed ${seed}, round ${round}: ${JSON.stringify(pattern)} against ${JSON.stringify(template)}`,
      );
    }
    // Both answers are common, or the check would prove little.
    assert.ok(both > 300 && both < 2700, `${both} of 3000 pairs intersect`);
  });
});

describe('ARN formats, compiled once per service', () => {
  it('finds the resource types an ARN can be, by its resource part', async () => {
    await catalog.load(['s3', 'dynamodb']);
    const s3 = arnFormats(catalog.service('s3')!);
    assert.strictEqual(arnFormats(catalog.service('s3')!), s3, 'compiled once');
    const keys = (service: string, resource: string) =>
      formatsMatching(s3, service, resource)
        .map((format) => format.template)
        .sort();
    assert.deepEqual(keys('s3', 'amzn-s3-demo-bucket'), ['arn:${Partition}:s3:::${BucketName}']);
    assert.deepEqual(keys('s3', 'amzn-s3-demo-bucket*'), ['arn:${Partition}:s3:::${BucketName}', 'arn:${Partition}:s3:::${BucketName}/${ObjectName}']);
    assert.ok(keys('s3', 'accesspoint/reports').length >= 2);
    assert.deepEqual(keys('s3-object-lambda', 'accesspoint/x'), ['arn:${Partition}:s3-object-lambda:${Region}:${Account}:accesspoint/${AccessPointName}']);
    const dynamodb = arnFormats(catalog.service('dynamodb')!);
    assert.deepEqual(formatsMatching(dynamodb, 'dynamodb', 'books_table'), []);
    assert.ok(formatsMatching(dynamodb, 'dynamodb', 'table/*').length > 1);
  });

  it("takes a format whose service is a variable for the service's own ARNs (AWS Backup's recovery points)", async () => {
    // The service reference: arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:${RecoveryPointId}.
    await catalog.load(['backup']);
    const backup = arnFormats(catalog.service('backup')!, 'backup');
    assert.ok(formatsMatching(backup, 'backup', 'recovery-point:*').some((format) => format.template.includes('${Vendor}')));
    const text = onResource('arn:aws:backup:*:*:recovery-point:*', '"backup:DescribeRecoveryPoint"');
    assert.deepEqual(
      (await found(text)).filter((item) => item.code === 'arn-format-mismatch' || item.code === 'invalid-arn'),
      [],
    );
    assert.deepEqual(
      (await found(onResource('arn:aws:backup:us-east-1:111122223333:recovery-points/1', '"backup:DescribeRecoveryPoint"')))
        .filter((item) => item.code === 'arn-format-mismatch')
        .map((item) => item.at),
      ['recovery-points/1'],
    );
  });
});

describe('redundant entries', () => {
  it('covers ARNs part by part, and never claims more than it knows', () => {
    assert.ok(resourceCovers('*', 'arn:aws:s3:::b'));
    assert.ok(resourceCovers('arn:aws:s3:::b/*', 'arn:aws:s3:::b/home/${aws:username}/*'));
    assert.ok(resourceCovers('arn:aws:iam::111122223333:role/jane*', 'arn:aws:iam::111122223333:role/jane-admin'));
    assert.ok(resourceCovers('arn:aws:s3:::b?', 'arn:aws:s3:::b1'));
    assert.ok(!resourceCovers('arn:aws:s3:::b?', 'arn:aws:s3:::b*'));
    assert.ok(!resourceCovers('arn:aws:s3:::b/?', 'arn:aws:s3:::b/${aws:username}'));
    assert.ok(!resourceCovers('arn:aws:s3:::b/*', 'arn:aws:s3:::c/*'));
    assert.ok(!resourceCovers('arn:aws:s3:::*', 'arn:aws:s3'));
    assert.ok(!resourceCovers('arn:aws:s3:::b', '*'));
  });

  it('reads incomplete ARNs as one string, and the escapes ${*} ${?} ${$} as the characters they stand for', () => {
    // "If the * wildcard is the last character of a resource ARN segment, it can expand to match
    // beyond the colon boundaries" (IAM User Guide, IAM JSON policy elements: Resource).
    assert.ok(resourceCovers('arn:*', 'arn:aws:s3:::b'));
    assert.ok(resourceCovers('arn:aws:s3:*', 'arn:aws:s3:::b/k'));
    assert.ok(!resourceCovers('arn:aws:s3:*', 'arn:aws:sqs:us-east-1:111122223333:q'));
    assert.ok(!resourceCovers('arn:aws:s3:::b', 'arn:*'));
    assert.ok(resourceCovers('arn:aws:s3:::b/?', 'arn:aws:s3:::b/${*}'));
    assert.ok(resourceCovers('arn:aws:s3:::b/${?}x*', 'arn:aws:s3:::b/${?}x1'));
    assert.ok(!resourceCovers('arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/k'), '${*} is the character *, not a wildcard');
    assert.ok(resourceCovers('arn:aws:s3:::b/*/${aws:username}', 'arn:aws:s3:::b/x/${AWS:UserName}'), 'variable names without case');
    assert.ok(resourceCovers('arn:*:*:*:*:*', '*'));
  });

  it('claims coverage only where every resource the one names matches the other, on 20,000 generated pairs', () => {
    // Sound by construction, checked from outside: for each pair said to cover, concrete ARNs are
    // made from the specific pattern (each * a run of characters, colons included, each ? one
    // character, each variable a value) and matched against the general one, read as IAM does:
    // part by part for a six-part ARN, one string (with * past colons) for an incomplete one.
    const random = new Random(1207);
    const part = {
      partition: ['aws', '*', 'aws-cn', 'a?s', 'aws*'],
      service: ['s3', '*', 's?', 'iam', 's*'],
      region: ['', '*', 'us-east-1', 'us-*', 'us-*-1', 'us-east-?', '*-1'],
      account: ['', '*', '123456789012', '1234*', '*9012', '12345678901?'],
      resource: [
        '*',
        'b',
        'b/*',
        'b/**',
        'b/*/*',
        'b/*/c',
        'b/?',
        'b/?/c',
        'b/k*',
        'b/*k',
        'b/kk',
        'b/k?',
        'b/kkk',
        'b/?k',
        'k?',
        'kk',
        'k*k',
        'b/k/c',
        'b/x/c',
        '*/c',
        'b?/c',
        'b/${aws:username}',
        'b/${AWS:UserName}',
        'b/${aws:username}/*',
        'b/${aws:userid}/*',
        'b/${*}',
        'b/${?}k',
        'b/k:c',
        'role/*',
      ],
    };
    const names = ['partition', 'service', 'region', 'account', 'resource'] as const;
    // Now and then an incomplete ARN: the first parts and a final *.
    const arn = (values: string[]): string => (random.int(8) === 0 ? `arn:${values.slice(0, 1 + random.int(3)).join(':')}:*` : `arn:${values.join(':')}`);
    const pair = (): [string, string] => {
      const specific = names.map((name) => random.pick(part[name]));
      const general = specific.map((value, index) => (random.int(2) === 0 ? value : random.pick(part[names[index]])));
      return [arn(general), arn(specific)];
    };
    const variableValues = ['alice', 'k', '*', 'a:b'];
    const splitParts = (text: string): string[] => {
      const found = text.split(':');
      return found.length < 6 ? found : [...found.slice(0, 5), found.slice(5).join(':')];
    };
    /** A concrete value of one part (colons only where they may be: the resource part, or an incomplete ARN). */
    const concrete = (pattern: string, colons: boolean): string =>
      pattern.replace(/\$\{([^}]*)\}|\*|\?/g, (token, variable: string | undefined) => {
        if (token === '${*}' || token === '${?}' || token === '${$}') return token[2];
        if (variable !== undefined) return random.pick(colons ? variableValues : ['alice', 'k', '*']);
        if (token === '?') return random.pick(colons ? ['k', 'x', ':', '/'] : ['k', 'x', '/']);
        return random.pick(colons ? ['', 'k', 'kk', 'x/c', ':', 'a:b/c', 'us-east-1', '9012'] : ['', 'k', 'kk', 'x/c', 'us-east-1', '9012']);
      });
    /** A concrete resource the pattern names. */
    const instance = (pattern: string): string => {
      const parts = splitParts(pattern);
      return parts.length < 6 ? concrete(pattern, true) : parts.map((value, index) => concrete(value, index === 5)).join(':');
    };
    /** IAM's reading of a pattern (without variables) as a regular expression over one part, or over the whole. */
    const expression = (pattern: string): string =>
      pattern
        .split(/(\$\{[*?$]\}|\*|\?)/)
        .map((piece) => (piece === '*' ? '.*' : piece === '?' ? '.' : piece.startsWith('${') ? `\\${piece[2]}` : piece.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
        .join('');
    const matches = (general: string, resource: string): boolean => {
      if (general === '*') return true;
      const parts = splitParts(general);
      if (parts.length < 6) return new RegExp(`^${expression(general)}$`, 's').test(resource);
      const values = splitParts(resource);
      return values.length === 6 && parts.every((value, index) => new RegExp(`^${expression(value)}$`, 's').test(values[index]));
    };
    let covered = 0;
    for (let index = 0; index < 20_000; index++) {
      const [general, specific] = pair();
      if (!resourceCovers(general, specific) || general === specific) continue;
      covered++;
      // Variables in the general pattern are covered only by the same variable: left out here.
      if (general.includes('${a') || general.includes('${A')) continue;
      for (let sample = 0; sample < 5; sample++) {
        const resource = instance(specific);
        assert.ok(matches(general, resource), `${general} is said to cover ${specific}, but not ${resource}`);
      }
    }
    assert.ok(covered > 1500, `only ${covered} pairs covered`);
  });

  it('reports the later of two entries that cover each other, and the same entry twice', async () => {
    const seen = (await found(allow('"s3:GetObject"', '["arn:aws:s3:::b/*", "arn:aws:s3:::b/**", "arn:aws:s3:::c", "arn:aws:s3:::c"]'))).filter(
      (item) => item.code === 'redundant-resource',
    );
    assert.deepEqual(
      seen.map((item) => item.at),
      ['arn:aws:s3:::b/**', 'arn:aws:s3:::c'],
    );
    const actions = (await found(allow('["s3:Get*", "s3:Get**"]', '"*"'))).filter((item) => item.code === 'redundant-action');
    assert.deepEqual(
      actions.map((item) => item.at),
      ['s3:Get**'],
    );
  });

  it('compares statements by what they say: not by Sid, order, repeats or a list of one', async () => {
    const same = await found(
      policy(
        '"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}',
        '"Sid": "B", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:GetObject"], "Resource": ["*"], "Condition": {"Bool": {"aws:SecureTransport": ["true"]}}',
      ),
    );
    assert.deepEqual(
      same.filter((item) => item.code === 'redundant-statement').map((item) => item.at),
      ['"B"'],
    );
    const other = await found(
      policy('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"', '"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"'),
    );
    assert.deepEqual(
      other.filter((item) => item.code === 'redundant-statement'),
      [],
    );
    // Equal lengths, equal sampled characters: the numbers meet, the statements do not.
    const near = await found(
      policy('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"', '"Effect": "Allow", "Action": "s3:SetObject", "Resource": "*"'),
    );
    assert.deepEqual(
      near.filter((item) => item.code === 'redundant-statement'),
      [],
    );
  });
});

describe('the quick fixes of ARN, action, Sid and statement findings', () => {
  /** The document after the first fix of the first finding of `code`. */
  async function fixed(text: string, code: Code): Promise<string> {
    const analysis = await analysisOf(text);
    const item = analysis.findings.find((candidate) => candidate.code === code);
    assert.ok(item !== undefined, `no ${code} in ${text}`);
    const fixes = fixesFor(text, analysis, item);
    assert.ok(fixes.length > 0, `no fix for ${code}: ${item.message}`);
    const result = applyEdits(text, fixes[0].edits);
    JSON.parse(result);
    return result;
  }
  const resourceOf = (text: string): unknown => (JSON.parse(text) as { Statement: Array<{ Resource?: unknown }> }).Statement[0].Resource;
  const actionOf = (text: string): unknown => (JSON.parse(text) as { Statement: Array<{ Action?: unknown }> }).Statement[0].Action;

  it('removes the Region from an S3 or IAM ARN, lower-cases a partition, a service, an IAM resource type', async () => {
    assert.equal(resourceOf(await fixed(onResource('arn:aws:s3:us-east-1::amzn-s3-demo-bucket/*'), 'malformed-arn')), 'arn:aws:s3:::amzn-s3-demo-bucket/*');
    assert.equal(
      resourceOf(await fixed(onResource('arn:aws:iam:us-east-1:111122223333:role/admin', '"iam:GetRole"'), 'malformed-arn')),
      'arn:aws:iam::111122223333:role/admin',
    );
    assert.equal(resourceOf(await fixed(onResource('arn:AWS:s3:::b'), 'malformed-arn')), 'arn:aws:s3:::b');
    assert.equal(resourceOf(await fixed(onResource('arn:aws:S3:::b'), 'arn-service-case')), 'arn:aws:s3:::b');
    assert.equal(
      resourceOf(await fixed(onResource('arn:aws:iam::111122223333:Role/admin', '"iam:GetRole"'), 'invalid-arn')),
      'arn:aws:iam::111122223333:role/admin',
    );
  });

  it('removes a redundant action, resource or statement, and an empty Sid', async () => {
    assert.deepEqual(actionOf(await fixed(allow('["iam:Get*", "iam:GetRole", "iam:ListRoles"]', '"*"'), 'redundant-action')), ['iam:Get*', 'iam:ListRoles']);
    assert.deepEqual(resourceOf(await fixed(allow('"s3:GetObject"', '["arn:aws:s3:::b/x", "arn:aws:s3:::b/*"]'), 'redundant-resource')), ['arn:aws:s3:::b/*']);
    const twice = policy('"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"', '"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"');
    assert.equal((JSON.parse(await fixed(twice, 'redundant-statement')) as { Statement: unknown[] }).Statement.length, 1);
    const sid = JSON.parse(await fixed(policy('"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"'), 'empty-sid')) as {
      Statement: Array<Record<string, unknown>>;
    };
    assert.ok(!('Sid' in sid.Statement[0]));
  });
});
