/**
 * The corpus in test/fixtures/corpus (copied from the team's shared corpus; origins and
 * licences in its SOURCES.md): 1,594 AWS managed policies, all accepted by IAM; 60 problem
 * policies with the expected finding in words; 21 valid controls.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze, analyzeFully } from 'iam-policy-engine/analyze';
import type { Catalog } from 'iam-policy-engine/catalog';
import { type Code } from 'iam-policy-engine/findings';
import { RULES } from 'iam-policy-engine/rules';
import { LspTestClient } from '../support/lspClient';
import { FIXTURES } from '../support/paths';
import { createCatalog } from '../../server/src/catalogFiles';

const CORPUS = path.join(FIXTURES, 'corpus');

function read(set: string): Array<{ name: string; file: string; text: string }> {
  const dir = path.join(CORPUS, set);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, file: path.join(dir, name), text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

/** The two managed policies whose files are over 131,072 characters (AWS stores them compact). */
const OVERSIZED = new Set(['AWSSupportServiceRolePolicy.json', 'ReadOnlyAccess.json']);

/**
 * Every problem case with the findings it must get (the code and the text it covers, or the
 * start of that text), reviewed against each case's expected.txt. Hints other than the two
 * lint cases, and the spelling hints (action-case), are left out of the table.
 */
const EXPECTED: Record<string, Array<[string, string]>> = {
  'aa-managed-invalid-action-cloud9.json': [['unknown-action', 'ValidateEnvironmentName']],
  'aa-managed-invalid-action-memorydb.json': [['unknown-action', 'ReplicateMultiRegionClusterData']],
  'aa-managed-invalid-actions-cloudhsm-classic.json': [
    ['unknown-action', 'CreateLunaClient'],
    ['unknown-action', 'DeleteLunaClient'],
    ['unknown-action', 'DescribeHapg'],
    ['unknown-action', 'DescribeLunaClient'],
    ['unknown-action', 'GetConfig'],
    ['unknown-action', 'ModifyHapg'],
    ['unknown-action', 'ModifyLunaClient'],
  ],
  'aa-managed-invalid-actions-in-notaction.json': [
    ['unknown-action', 'ImportDocumentToQApp'],
    ['unknown-action', 'ImportDocumentToQAppSession'],
  ],
  'aa-managed-invalid-service-condition-key.json': [['unknown-condition-key', 'lakeformation:GlueARN']],
  'aa-managed-invalid-service-in-action.json': [['unknown-service', 'elastic-inference']],
  'aa-managed-invalid-service-in-resource.json': [['unknown-service', 'elastic-inference']],
  'aa-managed-invalid-service-principal-format.json': [['invalid-condition-value', 'application-signals.cloudwatch.amazonaws.com']],
  'aa-managed-missing-set-qualifier.json': [['set-operator-mismatch', 'events:detail-type']],
  'aa-managed-passrole-star.json': [['passrole-wildcard', 'iam:*']],
  'aa-managed-redundant-action.json': [['redundant-action', 'ecs:DescribeClusters']],
  'aa-managed-string-like-on-arn-key.json': [['string-like-on-arn-key', 'iam:AssociatedResourceARN']],
  'aa-managed-tag-key-unsupported-by-service.json': [['condition-key-partly-supported', 'app-integrations:ListDataIntegrationAssociations']],
  'aa-managed-type-mismatch-bool-key.json': [['operator-type-mismatch', 'aws:ViaAWSService']],
  'cfnlint-action-and-notaction.json': [['conflicting-elements', '"Action"']],
  'cfnlint-action-requires-star-resource.json': [['resource-type-mismatch', 'cloudformation:CreateStackSet']],
  'cfnlint-bad-version-extra-key-string-statement.json': [
    ['invalid-version', '"blah"'],
    ['unknown-element', '"BadProperty"'],
    ['invalid-element-value', '"Test"'],
  ],
  'cfnlint-effect-notallow-object-resources.json': [
    ['invalid-effect', '"NotAllow"'],
    ['invalid-element-value', '{\n                    "Fn::Sub": [\n                        "'],
    ['invalid-element-value', '{\n                    "NotValid": [\n                        '],
  ],
  'cfnlint-invalid-version-no-statement.json': [
    ['missing-statement', '{'],
    ['invalid-version', '"2012-10-18"'],
  ],
  'cfnlint-notallow-principal-in-identity-policy.json': [
    ['invalid-version', '"blah"'],
    ['missing-action', '{'],
    ['invalid-effect', '"NotAllow"'],
    ['principal-in-identity-policy', '"Principal"'],
    ['invalid-element-value', '[\n                123456789012\n            ]'],
    ['invalid-element-value', '{\n                    "Effect": "Allow"\n                }'],
    ['invalid-element-value', '{\n                    "Effect": "Allow",\n                   '],
  ],
  'cfnlint-old-version-2008.json': [['old-version', '"2008-10-17"']],
  'cfnlint-resource-arn-wrong-service.json': [
    ['action-matches-no-resource', 'cloudformation:CreateStack'],
    ['resource-matches-no-action', 'arn:aws:logs:us-east-1:123456789012:stack/dne/*'],
  ],
  'cfnlint-sid-space-and-duplicate.json': [
    ['invalid-sid', 'invalid regex'],
    ['duplicate-sid', '"Sid1"'],
  ],
  'cfnlint-trust-missing-principal.json': [['missing-principal', '{']],
  'cfnlint-trust-principal-arn-double-colon.json': [['invalid-principal', '"arn:aws::iam::123456789012:root"']],
  'cfnlint-unknown-service-and-action.json': [
    ['unknown-service', 'kafk'],
    ['unknown-action', 'SendMessage'],
  ],
  'cfnlint-unknown-service-cldoufront.json': [['unknown-service', 'cldoufront']],
  'docs-action-without-applicable-resource.json': [
    ['resource-type-mismatch', 'ec2:Describe*'],
    ['invalid-arn', 'ACCOUNT-ID'],
  ],
  'docs-condition-key-not-applicable.json': [['condition-key-not-supported', 's3:VersionId']],
  'docs-duplicate-effect-key.json': [
    ['json-duplicate-key', '"Effect"'],
    ['unknown-action', 'ec2:* '],
  ],
  'docs-duplicate-resource-key.json': [['json-duplicate-key', '"Resource"']],
  'docs-duplicate-statement-key.json': [['json-duplicate-key', '"Statement"']],
  'docs-efect-typo-in-fix.json': [
    ['invalid-effect', '{'],
    ['unknown-element', '"Efect"'],
    ['unknown-action', 'ec2:* '],
  ],
  'docs-missing-version-with-variable.json': [
    ['missing-version', '{'],
    ['invalid-policy-variable', '${aws:username}'],
  ],
  'docs-resource-leading-space.json': [['invalid-resource', ' *']],
  'docs-resource-without-applicable-action.json': [
    ['invalid-arn', 'arn:aws:cloudfront:*'],
    ['resource-matches-no-action', 'arn:aws:s3:::examplebucket'],
  ],
  'docs-two-policy-objects.json': [['json-syntax', '{ \n      "Statement": {\n         "Effect": "Allow",\n        ']],
  'parliament-action-and-notaction.json': [['conflicting-elements', '"NotAction"']],
  'parliament-bad-mfa-pattern.json': [['mfa-condition-pattern', 'aws:MultiFactorAuthPresent']],
  'parliament-condition-key-bad.json': [['invalid-condition-key', 'bad']],
  'parliament-condition-key-not-for-action.json': [['condition-key-not-supported', 's3:x-amz-storage-class']],
  'parliament-condition-key-wrong-service.json': [['condition-key-not-supported', 'iam:ResourceTag/status']],
  'parliament-date-operator-bad-value.json': [
    ['malformed-date', 'bad'],
    ['wildcard-without-like', 'home/${aws:username}/*'],
  ],
  'parliament-duplicate-sid.json': [['duplicate-sid', '"stmt"']],
  'parliament-missing-action.json': [['missing-action', '{']],
  'parliament-missing-statement.json': [['missing-statement', '{']],
  'parliament-not-json.json': [['json-syntax', 'not']],
  'parliament-numeric-key-string-operator.json': [['operator-type-mismatch', 's3:signatureage']],
  'parliament-numeric-operator-string-key.json': [['operator-type-mismatch', 's3:prefix']],
  'parliament-privesc-putbucketpolicy.json': [['permissions-management-wildcard', 's3:PutBucketPolicy']],
  'parliament-resource-effectively-star.json': [['resource-star', 'arn:*:cloudtrail:*:*:trail/*']],
  'parliament-resource-element-object.json': [['invalid-element-value', '{"Fn::Sub": "arn:aws:ssm:*:${AWS::AccountId}:*"}']],
  'parliament-resource-mismatch.json': [
    ['resource-type-mismatch', 's3:*Bucket*'],
    ['resource-type-mismatch', 's3:*Object*'],
  ],
  'parliament-resource-not-arn.json': [['invalid-resource', 's3']],
  'parliament-resource-star-lint.json': [['resource-star', '*']],
  'parliament-sid-not-alphanumeric.json': [['invalid-sid', 'Statement With Spaces And Special Chars!?']],
  // StringEquals on an ARN key compares the whole ARN, as AWS's own examples do: Access
  // Analyzer only flags the wildcard operators there (issue 12). What is left is the "*".
  'parliament-string-operator-on-arn-key.json': [['resource-star', '*']],
  'parliament-unknown-action-iam-list.json': [['unknown-action', 'list']],
  'parliament-unknown-condition-key-s3-x.json': [['unknown-condition-key', 's3:x']],
  'parliament-unknown-operator.json': [['unknown-operator', 'bad']],
};

/** The full catalog, loaded once for the tests below (errors never depend on it; this proves it). */
let fullCatalog: Catalog | undefined;
before(async () => {
  fullCatalog = await createCatalog();
  await fullCatalog.loadAll();
});

const errorsOf = (text: string, fileName: string) => analyze(text, { fileName, catalog: fullCatalog }).findings.filter((item) => item.severity === 'error');

describe('corpus: AWS managed policies', () => {
  const managed = read('managed');

  it('has the 1,594 policies', () => {
    assert.equal(managed.length, 1594);
  });

  it('gives no Error on any, except the size Error on the two files truly over 131,072 characters', () => {
    const wrong: string[] = [];
    for (const { name, text } of managed) {
      const errors = errorsOf(text, name).map((item) => item.code);
      const expected = OVERSIZED.has(name) ? ['document-too-large'] : [];
      if (JSON.stringify(errors) !== JSON.stringify(expected)) wrong.push(`${name}: ${errors.join(', ') || 'none'}`);
    }
    assert.deepEqual(wrong, []);
    for (const name of OVERSIZED) assert.ok(fs.statSync(path.join(CORPUS, 'managed', name)).size > 131_072);
  });
});

describe('corpus: problem policies', () => {
  const invalid = read('invalid');
  let catalog: Catalog;
  before(async () => {
    catalog = await createCatalog();
  });

  it('has the 60 cases, each with its expectation in words and in the table', () => {
    assert.equal(invalid.length, 60);
    for (const { name, file } of invalid) {
      assert.ok(fs.existsSync(file.replace(/\.json$/, '.expected.txt')), file);
      assert.ok(name in EXPECTED, `${name} has no row in EXPECTED`);
    }
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${[...new Set(expected.map(([code]) => code))].join(', ')}`, async () => {
      const { text } = invalid.find((item) => item.name === name)!;
      const analysis = await analyzeFully(text, { fileName: name, catalog });
      const found = analysis.findings.map((item) => ({ code: item.code, severity: item.severity, at: text.slice(item.offset, item.offset + item.length) }));
      for (const [code, at] of expected) {
        assert.ok(
          found.some((other) => other.code === code && other.at.startsWith(at)),
          `${code} on ${JSON.stringify(at)} not in ${JSON.stringify(found)}`,
        );
      }
      // And no Error beyond those expected: a false Error is as bad as a missed one.
      const expectedErrors = expected.filter(([code]) => RULES[code as Code].severity === 'error').length;
      assert.equal(found.filter((item) => item.severity === 'error').length, expectedErrors, JSON.stringify(found));
    });
  }
});

describe('corpus: valid controls', () => {
  it('gives no Error to any of the 21', () => {
    const valid = read('valid');
    assert.equal(valid.length, 21);
    const wrong = valid.flatMap(({ name, text }) => errorsOf(text, name).map((item) => `${name}: ${item.code} ${item.message}`));
    assert.deepEqual(wrong, []);
  });
});

describe('corpus: each kind of policy', () => {
  it('gives no Error to the managed policies opened as identity policies, as inferred or named', () => {
    const wrong: string[] = [];
    for (const { name, text } of read('managed')) {
      if (OVERSIZED.has(name)) continue;
      const errors = analyze(text, { fileName: name, kind: 'identity', catalog: fullCatalog }).findings.filter((item) => item.severity === 'error');
      if (errors.length > 0) wrong.push(`${name}: ${errors.map((item) => item.code).join(', ')}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('gives no Error, and no Warning, to a valid policy of each kind, named by its file name', () => {
    const folder = path.join(FIXTURES, 'kinds');
    const files = fs.readdirSync(folder).filter((name) => name.endsWith('.json'));
    const kinds = new Set<string>();
    const wrong: string[] = [];
    for (const name of files) {
      const analysis = analyze(fs.readFileSync(path.join(folder, name), 'utf8'), { fileName: name, catalog: fullCatalog });
      kinds.add(analysis.kind);
      assert.equal(analysis.kindSource, 'file name', name);
      for (const item of analysis.findings) if (item.severity === 'error' || item.severity === 'warning') wrong.push(`${name}: ${item.code} ${item.message}`);
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual([...kinds].sort(), [
      'ecr-repository',
      'kms-key',
      'lambda-function',
      'rcp',
      's3-bucket',
      'scp',
      'secretsmanager-secret',
      'sns-topic',
      'sqs-queue',
      'trust',
    ]);
  });

  it('gives no Error to the valid controls opened as every kind their shape fits', () => {
    const wrong: string[] = [];
    for (const { name, text } of read('valid')) {
      const inferred = analyze(text, { fileName: name, catalog: fullCatalog }).kind;
      const errors = analyze(text, { fileName: name, kind: inferred, catalog: fullCatalog }).findings.filter((item) => item.severity === 'error');
      if (errors.length > 0) wrong.push(`${name} as ${inferred}: ${errors.map((item) => item.code).join(', ')}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('corpus through the language server', () => {
  let client: LspTestClient;
  before(async () => {
    ({ client } = await LspTestClient.start({ settings: {} }));
  });
  after(() => client.stop());

  /** Opens a corpus file, waits for its settled diagnostics, each with the text it covers, and closes it. */
  async function published(kind: string, name: string, text: string): Promise<Array<{ code: string; severity?: number; at: string }>> {
    const uri = `file:///corpus/${kind}/${name}`;
    await client.open(uri, text);
    const document = client.document(uri);
    const found = (await client.settled(uri)).map((d) => ({ code: String(d.code), severity: d.severity, at: document.getText(d.range) }));
    await client.close(uri);
    return found;
  }

  it("publishes every problem case's findings on the right element, and no other Error", async () => {
    const wrong: string[] = [];
    for (const { name, text } of read('invalid')) {
      const found = await published('invalid', name, text);
      for (const [code, at] of EXPECTED[name]) {
        if (!found.some((item) => item.code === code && item.at.startsWith(at))) wrong.push(`${name}: no ${code} on ${JSON.stringify(at)}`);
      }
      const expectedErrors = EXPECTED[name].filter(([code]) => RULES[code as Code].severity === 'error').length;
      const errors = found.filter((item) => item.severity === 1).length;
      if (errors !== expectedErrors) wrong.push(`${name}: ${errors} Errors, ${expectedErrors} expected`);
    }
    assert.deepEqual(wrong, []);
  });

  it('publishes no Error for any valid control', async () => {
    const wrong: string[] = [];
    for (const { name, text } of read('valid')) {
      for (const d of await published('valid', name, text)) if (d.severity === 1) wrong.push(`${name}: ${d.code}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('publishes no Error for any managed policy but the two oversized ones', async () => {
    const wrong: string[] = [];
    for (const { name, text } of read('managed')) {
      const errors = (await published('managed', name, text)).filter((d) => d.severity === 1).map((d) => d.code);
      const expected = OVERSIZED.has(name) ? ['document-too-large'] : [];
      if (JSON.stringify(errors) !== JSON.stringify(expected)) wrong.push(`${name}: ${errors.join(', ') || 'none'}`);
    }
    assert.deepEqual(wrong, []);
  });
});
