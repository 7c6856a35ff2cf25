/**
 * Completion in a YAML template's policy, in the engine, in the style of ./assist.test.ts: the
 * template with a `|` where the cursor is. Each place is checked against the policy file's own
 * completion at the same place of the same policy written as JSON (the items must be the
 * same), and the item chosen is inserted to see the template read as meant: keys with their
 * `: `, values plain unless a plain scalar would read them otherwise.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { complete, servicesAt, type CompletionResult } from 'iam-policy-engine/assist';
import type { Catalog } from 'iam-policy-engine/catalog';
import { completionInTemplate, templateCompletionSpotAt } from 'iam-policy-engine/cfn/assist';
import { plainScalarReads } from 'iam-policy-engine/cfn/yamlCompletion';
import { analyzeTemplateFully } from 'iam-policy-engine/cfn/document';
import { parseJson } from 'iam-policy-engine/json';
import { createCatalog } from '../../server/src/catalogFiles';

let catalog: Catalog;

before(async () => {
  catalog = await createCatalog();
});

/** The text without its `|`, and the cursor's offset. */
function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0 && marked.indexOf('|', offset + 1) < 0, 'one | marks the cursor');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

type Completed = CompletionResult & { text: string };

/** Completion at the `|` of a YAML template as the server answers it, services loaded first; undefined for none. */
async function completeAt(marked: string): Promise<Completed | undefined> {
  const { text, offset } = cursor(marked);
  const analysis = await analyzeTemplateFully(text, { fileName: 'template.yaml', catalog });
  assert.ok(analysis?.template, 'not read as a template');
  const first = templateCompletionSpotAt(text, analysis.template, offset);
  if (first === undefined) return undefined;
  await catalog.load(servicesAt(first.text, first.parsed, first.offset));
  const spot = templateCompletionSpotAt(text, analysis.template, offset)!;
  const result = completionInTemplate(spot, complete(spot.text, spot.parsed, spot.offset, catalog));
  return result === undefined ? undefined : { ...result, text };
}

/** The policy file's completion at the `|` of a JSON policy. */
async function completeJson(marked: string): Promise<CompletionResult> {
  const { text, offset } = cursor(marked);
  const parsed = parseJson(text);
  await catalog.load(servicesAt(text, parsed, offset));
  return complete(text, parsed, offset, catalog);
}

const labels = (result: CompletionResult | undefined): string[] => (result?.items ?? []).map((item) => item.label);
const replaced = (result: Completed): string => result.text.slice(result.offset, result.offset + result.length);

/** The template with an item inserted in place of the range. */
function insert(result: Completed, label: string): string {
  const item = result.items.find((candidate) => candidate.label === label);
  assert.ok(item, `no ${label} among ${labels(result).slice(0, 20).join(', ')}`);
  return result.text.slice(0, result.offset) + item.insertText + result.text.slice(result.offset + result.length);
}

const HEAD =
  "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Policy:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: p\n      Roles: [!Ref Role]\n      PolicyDocument:\n";

/** A template whose one policy's document is these lines (indented 8). */
const template = (document: string): string => HEAD + document;

/** The findings of a template, as codes. */
async function codes(text: string): Promise<string[]> {
  return (await analyzeTemplateFully(text, { fileName: 'template.yaml', catalog }))!.findings.map((item) => item.code);
}

describe("completion in a YAML template's policy, as in a policy file", () => {
  it("a key typed alone on its line: the statement's elements not yet present, and the key inserted with its colon", async () => {
    const result = (await completeAt(
      template("        Version: '2012-10-17'\n        Statement:\n          - Sid: Read\n            Effect: Allow\n            Act|\n"),
    ))!;
    assert.deepEqual(labels(result), labels(await completeJson('{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Act|"}]}')));
    assert.ok(labels(result).includes('Action') && !labels(result).includes('Effect') && !labels(result).includes('Sid'), labels(result).join());
    assert.equal(replaced(result), 'Act');
    assert.ok(insert(result, 'Action').endsWith('            Effect: Allow\n            Action: \n'));
  });

  it("a new line with nothing typed, at a statement's indentation: its elements", async () => {
    const result = (await completeAt(template('        Statement:\n          - Effect: Allow\n            |\n')))!;
    assert.deepEqual(labels(result), labels(await completeJson('{"Statement": [{"Effect": "Allow", "|"}]}')));
    assert.ok(labels(result).includes('Action') && !labels(result).includes('Effect'));
    assert.equal(result.length, 0);
  });

  it('a new statement after `- `: its elements', async () => {
    const result = (await completeAt(
      template("        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n          - Eff|\n"),
    ))!;
    assert.deepEqual(labels(result), labels(await completeJson('{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Eff|"}]}')));
    assert.ok(insert(result, 'Effect').endsWith('          - Effect: \n'));
  });

  it('the top level of a policy document: Version, Statement, Id', async () => {
    const result = (await completeAt(template('        |\n')))!;
    assert.deepEqual(labels(result), labels(await completeJson('{"|"}')));
    assert.deepEqual(labels(result).sort(), ['Id', 'Statement', 'Version']);
    const version = (await completeAt(template('        Version: |\n')))!;
    assert.deepEqual(labels(version), ['2012-10-17', '2008-10-17']);
    // A plain 2012-10-17 is a date to a YAML 1.1 reader: quoted, as CloudFormation's documentation writes it.
    assert.ok(insert(version, '2012-10-17').endsWith("        Version: '2012-10-17'\n"));
  });

  it("Effect's values after `Effect: `, written plain", async () => {
    const result = (await completeAt(template('        Statement:\n          - Effect: |\n')))!;
    assert.deepEqual(labels(result), ['Allow', 'Deny']);
    assert.ok(insert(result, 'Deny').endsWith('          - Effect: Deny\n'));
    const typed = (await completeAt(template('        Statement:\n          - Effect: Al|\n')))!;
    assert.equal(replaced(typed), 'Al');
    assert.ok(insert(typed, 'Allow').endsWith('          - Effect: Allow\n'));
  });

  it("actions in a block sequence: the services, then a service's actions after its prefix", async () => {
    const services = (await completeAt(template('        Statement:\n          - Effect: Allow\n            Action:\n              - |\n')))!;
    assert.ok(labels(services).includes('s3') && labels(services).includes('iam'), labels(services).slice(0, 5).join());
    // The prefix goes in as typed, and completion is asked again on it.
    const s3 = services.items.find((item) => item.label === 's3')!;
    assert.equal(s3.insertText, 's3:');
    assert.equal(s3.retrigger, true);
    const afterPrefix = (await completeAt(template('        Statement:\n          - Effect: Allow\n            Action:\n              - s3:|\n')))!;
    assert.ok(labels(afterPrefix).includes('s3:GetObject'));
    assert.equal(replaced(afterPrefix), 's3:');
    const typed = (await completeAt(
      template(
        "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action:\n              - s3:GetObject\n              - s3:Get|\n            Resource: '*'\n",
      ),
    ))!;
    assert.deepEqual(labels(typed), labels(await completeJson('{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get|"], "Resource": "*"}]}')));
    assert.equal(replaced(typed), 's3:Get');
    const done = insert(typed, 's3:GetObjectTagging');
    assert.ok(done.includes('              - s3:GetObjectTagging\n'));
    assert.deepEqual(await codes(done), []);
  });

  it('an action after `Action: ` and in a flow sequence', async () => {
    const block = (await completeAt(template('        Statement:\n          - Effect: Allow\n            Action: s3:|\n')))!;
    assert.ok(labels(block).includes('s3:PutObject'));
    const flow = (await completeAt(template('        Statement:\n          - Effect: Allow\n            Action: [s3:GetObject, s3:Put|]\n')))!;
    assert.equal(replaced(flow), 's3:Put');
    assert.ok(insert(flow, 's3:PutObject').includes('Action: [s3:GetObject, s3:PutObject]\n'));
    const wildcard = insert(flow, 's3:*');
    assert.ok(wildcard.includes('Action: [s3:GetObject, s3:*]\n'), 'a plain s3:* reads as itself');
  });

  it('a key of a flow mapping', async () => {
    const result = (await completeAt(template('        Statement:\n          - {Effect: Allow, Act|}\n')))!;
    assert.ok(labels(result).includes('Action'));
    assert.ok(insert(result, 'Action').endsWith('          - {Effect: Allow, Action: }\n'));
  });

  it('a key whose colon is there already: the name only', async () => {
    const result = (await completeAt(
      template("        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resourc|: '*'\n"),
    ))!;
    assert.equal(replaced(result), 'Resourc');
    assert.ok(insert(result, 'Resource').endsWith("            Resource: '*'\n"));
  });

  it('condition operators under Condition, and condition keys under an operator', async () => {
    const statement =
      '        Statement:\n          - Effect: Allow\n            Action: s3:ListBucket\n            Resource: arn:aws:s3:::reports\n            Condition:\n';
    const operators = (await completeAt(template(`${statement}              |\n`)))!;
    assert.deepEqual(
      labels(operators),
      labels(await completeJson('{"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports", "Condition": {"|"}}]}')),
    );
    assert.ok(insert(operators, 'ForAnyValue:StringLike').endsWith('              ForAnyValue:StringLike: \n'));
    const keys = (await completeAt(template(`${statement}              StringEquals:\n                s3:pre|\n`)))!;
    assert.deepEqual(
      labels(keys),
      labels(
        await completeJson(
          '{"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports", "Condition": {"StringEquals": {"s3:pre|"}}}]}',
        ),
      ),
    );
    assert.equal(replaced(keys), 's3:pre');
    const done = insert(keys, 's3:prefix');
    assert.ok(done.endsWith('                s3:prefix: \n'), done.slice(-60));
    const global = (await completeAt(template(`${statement}              Bool:\n                |\n`)))!;
    assert.ok(labels(global).includes('aws:SecureTransport'));
  });

  it('principal types under Principal', async () => {
    const result = (await completeAt(template('        Statement:\n          - Effect: Allow\n            Principal:\n              |\n')))!;
    assert.deepEqual(labels(result), ['AWS', 'Service', 'Federated', 'CanonicalUser']);
  });

  it('resources: `*` quoted (a plain * is an alias), ARN snippets plain, in block and flow style alike', async () => {
    const block = (await completeAt(template('        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: |\n')))!;
    assert.ok(insert(block, '*').endsWith("            Resource: '*'\n"));
    const arn = block.items.find((item) => item.kind === 'arn' && item.label.includes(':s3:::'))!;
    assert.equal(arn.snippet, true);
    assert.ok(!arn.insertText.startsWith("'"), arn.insertText);
    // In a flow collection too: the placeholders' text is plain (`arn:aws:s3:::BucketName/ObjectName`).
    const flow = (await completeAt(template('        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: [|]\n')))!;
    assert.equal(flow.items.find((item) => item.label === arn.label)!.insertText, arn.insertText);
    // What a plain scalar reads as itself: `,[]{}` only outside flow collections; nothing YAML 1.1 or 1.2 takes for another type.
    assert.ok(plainScalarReads('aws:PrincipalTag/${TagKey}', false));
    assert.ok(!plainScalarReads('aws:PrincipalTag/${TagKey}', true));
    for (const other of [
      '*',
      'true',
      'Yes',
      'off',
      '~',
      'null',
      '0x1F',
      '1e3',
      '1_000',
      '1:30',
      '.inf',
      '2012',
      '2012-10-17',
      '<<',
      '- a',
      '? a',
      'a: b',
      'a #b',
      'a:',
      ' a',
      'a ',
      "'a",
      '!Ref',
      '&a',
      '|',
      '>',
      '%a',
      '@a',
      '`a',
      '',
    ]) {
      assert.ok(!plainScalarReads(other, false), JSON.stringify(other));
    }
    for (const same of ['s3:GetObject', 's3:*', 'arn:aws:s3:::b/*', 'Allow', 'ForAnyValue:StringLike', 'aws:SourceIp', '2012-10', 'a#b', 'a:b']) {
      assert.ok(plainScalarReads(same, true), same);
    }
  });

  it('inside an !If branch, with CRLF line ends, and at the end of a text with no final line break', async () => {
    const last = (await completeAt(template('        Statement:\n          - Eff|')))!;
    assert.ok(insert(last, 'Effect').endsWith('          - Effect: '));
    const conditional = template(
      "        Statement:\n          - !If\n            - IsProd\n            - Effect: Deny\n              Action: s3:*\n              Resource: '*'\n            - Effect: Allow\n              Act|\n",
    );
    assert.ok(labels(await completeAt(conditional)).includes('Action'));
    const crlf = template('        Statement:\n          - Effect: Allow\n            Act|\n').replace(/\n/g, '\r\n');
    const result = (await completeAt(crlf))!;
    assert.ok(labels(result).includes('Action'));
    assert.ok(insert(result, 'Action').endsWith('            Action: \r\n'));
  });

  it('inside quotes, completion stays within the scalar, in its quoting', async () => {
    const result = (await completeAt(template("        Statement:\n          - Effect: Allow\n            Action: 's3:GetObj|'\n")))!;
    assert.equal(replaced(result), 's3:GetObj');
    assert.ok(insert(result, 's3:GetObject').includes("Action: 's3:GetObject'\n"));
  });

  it('nothing outside a policy, in a comment, or on a tag', async () => {
    const text = (document: string): string => `${HEAD.replace('      PolicyName: p\n', '      PolicyName: |\n')}${document}`;
    assert.deepEqual(labels(await completeAt(text('        Statement: []\n'))), []);
    assert.deepEqual(labels(await completeAt(template('        Statement:\n          - Effect: Allow # Act|\n'))), []);
    assert.deepEqual(labels(await completeAt(template('        Statement:\n          - Effect: Allow\n            Action: !Ref |\n'))), []);
    assert.deepEqual(labels(await completeAt(`${HEAD}        Statement: []\n  Other:\n    Type: AWS::SQS::Queue\n    Properties:\n      Que|\n`)), []);
  });

  it('never throws, and every range lies in the template, at any offset of a template being typed', async () => {
    const text = template(
      "        Version: '2012-10-17'\n        Statement:\n          - Sid: A\n            Effect: Allow\n            Action: [s3:GetObject, 's3:Put*']\n            Resource: !Sub 'arn:aws:s3:::${Bucket}/*'\n            Condition: {StringEquals: {s3:prefix: [a, \"b\"]}}\n          - Effect: Deny\n            NotAction:\n              - iam:\n              - s3:Get\n            Resource: >-\n              arn:aws:s3:::x\n            Condition:\n              Bool:\n                aws:\n",
    );
    const analysis = (await analyzeTemplateFully(text, { fileName: 'template.yaml', catalog }))!;
    let answered = 0;
    for (let offset = 0; offset <= text.length; offset++) {
      const spot = templateCompletionSpotAt(text, analysis.template!, offset);
      if (spot === undefined) continue;
      const result = completionInTemplate(spot, complete(spot.text, spot.parsed, spot.offset, catalog));
      if (result === undefined) continue;
      assert.ok(
        result.offset >= 0 && result.offset <= offset && offset <= result.offset + result.length && result.offset + result.length <= text.length,
        `offset ${offset}`,
      );
      if (result.items.length > 0) answered++;
    }
    assert.ok(answered > 100, `${answered} offsets answered`);
  });
});
