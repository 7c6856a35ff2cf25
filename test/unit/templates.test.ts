/**
 * The policies inside CloudFormation templates, in the engine: which documents are templates,
 * which resources hold policies and of which kind, what the intrinsic functions make of a
 * value (literal parts kept, unknown parts never the ground of a finding, both branches of an
 * `!If`), the rules on the JSON CloudFormation sends (characters, size), the names, and the
 * fixes written into the template. Cases written from the CloudFormation documentation's
 * resource reference and its intrinsic function reference.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { createCatalog } from '../../server/src/catalogFiles';
import type { Catalog } from 'iam-policy-engine/catalog';
import { analyzeTemplateDocument, analyzeTemplateFully } from 'iam-policy-engine/cfn/document';
import { TemplateCache } from 'iam-policy-engine/cfn/analyzeTemplate';
import { render, resolve, sourceRange } from 'iam-policy-engine/cfn/render';
import { findDocuments } from 'iam-policy-engine/cfn/resources';
import { yamlTemplate } from 'iam-policy-engine/cfn/template';
import { applyEdits, fixAll, fixesFor } from 'iam-policy-engine/fixes';
import { POLICY_DOCUMENT_MAX_LENGTH } from 'iam-policy-engine/limits';
import { FIXTURES } from '../support/paths';
import { largeJsonTemplate, largeYamlTemplate } from '../support/templates';

let catalog: Catalog;

const HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n";

/** A template with one AWS::IAM::Policy whose statements are the given YAML lines (indented for the list). */
function identity(statements: string, properties = '      PolicyName: p\n'): string {
  return `${HEAD}  Policy:\n    Type: AWS::IAM::Policy\n    Properties:\n${properties}      Roles: [!Ref Role]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n${statements}`;
}

/** The findings of a template, as code and covered text; with every service loaded. */
async function seen(text: string, fileName = 'template.yaml'): Promise<Array<{ code: string; at: string }>> {
  const analysis = await analyzeTemplateFully(text, { fileName, catalog });
  assert.ok(analysis, 'not read as a template');
  return analysis.findings.map((item) => ({ code: item.code, at: text.slice(item.offset, item.offset + item.length) }));
}

const codes = async (text: string, fileName?: string): Promise<string[]> => (await seen(text, fileName)).map((item) => item.code);

describe('CloudFormation templates in the engine', () => {
  before(async () => {
    catalog = await createCatalog();
  });

  describe('which documents are templates', () => {
    it('reads YAML and JSON with Resources and a format version or an AWS:: type, and nothing else', () => {
      assert.ok(analyzeTemplateDocument(identity("          - {Effect: Allow, Action: 's3:*', Resource: '*'}\n"), { fileName: 't.yaml' }));
      assert.ok(analyzeTemplateDocument('Resources:\n  Q:\n    Type: AWS::SQS::Queue\n', { fileName: 't.yml' }), 'typed resources without a version');
      assert.ok(analyzeTemplateDocument('{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}', { fileName: 't.json' }));
      assert.ok(analyzeTemplateDocument('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}', { fileName: 'x.template' }), 'JSON in a *.template');
      assert.equal(analyzeTemplateDocument('name: build\non: push\njobs: {}\n', { fileName: 'ci.yml' }), undefined);
      assert.equal(analyzeTemplateDocument('Resources:\n  - AWS docs\n', { fileName: 'notes.yaml' }), undefined, 'Resources without a template around it');
      assert.equal(
        analyzeTemplateDocument(
          '{"Version": "2012-10-17", "Statement": [{"Sid": "Resources", "Effect": "Allow", "Action": "cloudformation:*", "Resource": "arn:aws:cloudformation:*:*:stack/AWS::*"}]}',
          { fileName: 'p.json' },
        ),
        undefined,
        'a policy that names the words',
      );
    });

    it('reads a lone carriage return as a line end, as YAML does (and the editor)', async () => {
      const text = identity('          - Effect: Alow\n            Action: s3:GetObject\n            Resource: arn:aws:s3:::b/*\n');
      for (const ends of ['\r\n', '\r']) {
        assert.deepEqual(await seen(text.replace(/\n/g, ends)), [{ code: 'invalid-effect', at: 'Alow' }], JSON.stringify(ends));
      }
    });

    it('finds the policies of every resource type the issue lists, each as its kind, and none in a Lambda permission', async () => {
      const text = fs.readFileSync(path.join(FIXTURES, 'templates', 'app.template.yaml'), 'utf8');
      const analysis = await analyzeTemplateFully(text, { fileName: 'app.template.yaml', catalog });
      const policies = analysis!.template!.pieces.flatMap((piece) =>
        piece.result.policies.map((policy) => `${policy.logicalId} ${policy.where} ${policy.kind}${policy.conditional ? ' (conditional)' : ''}`),
      );
      assert.deepEqual(policies, [
        'AppRole AssumeRolePolicyDocument trust',
        'AppRole Policies[0] identity',
        'AppRole Policies[1] identity (conditional)',
        'BucketPolicy PolicyDocument s3-bucket',
        'QueuePolicy PolicyDocument sqs-queue',
        'TopicPolicy PolicyDocument sns-topic',
        'Key KeyPolicy kms-key',
        'SecretPolicy ResourcePolicy secretsmanager-secret',
        'Repository RepositoryPolicyText ecr-repository',
        'Deployers Policies[0] identity',
        'Ci Policies[0] identity',
        'ManagedReadOnly PolicyDocument identity',
      ]);
    });

    it('checks each policy as its kind', async () => {
      const trust = `${HEAD}  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {Service: ec2.amazonaws.com}\n            Action: sts:AssumeRole\n            Resource: arn:aws:iam::123456789012:role/app\n`;
      assert.deepEqual(await seen(trust), [{ code: 'resource-in-trust-policy', at: 'Resource' }]);
      assert.deepEqual(
        await seen(
          identity("          - Effect: Allow\n            Principal: '*'\n            Action: s3:GetObject\n            Resource: arn:aws:s3:::b/*\n"),
        ),
        [{ code: 'principal-in-identity-policy', at: 'Principal' }],
      );
      const bucket = `${HEAD}  BucketPolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref B\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub arn:aws:s3:::\${B}/*\n`;
      assert.deepEqual(await codes(bucket), ['missing-principal']);
    });
  });

  describe('intrinsic functions', () => {
    it('draws no finding from a value known only at deployment', async () => {
      assert.deepEqual(await seen(identity('          - Effect: Allow\n            Action: !Ref Actions\n            Resource: !GetAtt Bucket.Arn\n')), []);
      assert.deepEqual(
        await seen(
          identity(
            '          - Sid: !Ref StatementId\n            Effect: Allow\n            Action: s3:GetObject\n            Resource: !ImportValue SharedBucketArn\n',
          ),
        ),
        [],
      );
      assert.deepEqual(
        await seen(
          identity('          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !FindInMap [Buckets, !Ref AWS::Region, Arn]\n'),
        ),
        [],
      );
      assert.deepEqual(
        await seen(
          identity("          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub 'arn:${AWS::Partition}:s3:::${BucketName}/*'\n"),
        ),
        [],
      );
      // The whole statement, or the whole document, from a parameter.
      assert.deepEqual(await seen(identity('          - !Ref Statement\n')), []);
      assert.deepEqual(await seen(`${HEAD}  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: !Ref Document\n`), []);
    });

    it('keeps the literal parts: a !Sub, a !Join and a !Select of literals are checked', async () => {
      assert.deepEqual(await seen(identity("          - Effect: Allow\n            Action: !Join ['', ['s3:', 'GetObjekt']]\n            Resource: '*'\n")), [
        { code: 'unknown-action', at: 'GetObjekt' },
      ]);
      assert.deepEqual(
        await seen(identity("          - Effect: Allow\n            Action: !Select [1, [s3:GetObject, s3:GetObjekt]]\n            Resource: '*'\n")),
        [{ code: 'unknown-action', at: 'GetObjekt' }],
      );
      assert.deepEqual(await seen(identity("          - Effect: Allow\n            Action: !Sub 's3:GetObjekt'\n            Resource: '*'\n")), [
        { code: 'unknown-action', at: 'GetObjekt' },
      ]);
      assert.deepEqual(
        await seen(
          identity("          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub 'arn:aws:s3:::${BucketName}/reports\u2019/*'\n"),
        ),
        [{ code: 'disallowed-character', at: '\u2019' }],
      );
    });

    it('judges ARNs and redundancy only on what is known: the literal parts of an ARN, no entry or statement an unknown could differ from', async () => {
      // A Region in an IAM ARN is refused whatever the account turns out to be.
      assert.deepEqual(
        await seen(
          identity(
            "          - Effect: Allow\n            Action: iam:GetRole\n            Resource: !Sub 'arn:aws:iam:us-east-1:${AWS::AccountId}:role/app'\n",
          ),
        ),
        [{ code: 'malformed-arn', at: 'us-east-1' }],
      );
      // The !Sub renders as arn:aws:s3:::*/*, which would cover the literal entry: not known.
      assert.deepEqual(
        await seen(
          identity(
            "          - Effect: Allow\n            Action: s3:GetObject\n            Resource: [!Sub 'arn:aws:s3:::${BucketName}/*', 'arn:aws:s3:::reports/2024']\n",
          ),
        ),
        [],
      );
      assert.deepEqual(
        await seen(
          identity(
            "          - Effect: Allow\n            Action: s3:GetObject\n            Resource: ['arn:aws:s3:::reports/*', 'arn:aws:s3:::reports/2024']\n",
          ),
        ),
        [{ code: 'redundant-resource', at: 'arn:aws:s3:::reports/2024' }],
      );
      // Two statements on two parameters both render with *: they need not say the same.
      const two =
        "          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Ref First\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n";
      assert.deepEqual(
        (await codes(identity(two))).filter((code) => code === 'redundant-statement'),
        [],
      );
      const same =
        "          - Effect: Allow\n            Action: s3:GetObject\n            Resource: 'arn:aws:s3:::reports/*'\n          - Sid: Again\n            Effect: Allow\n            Action: s3:GetObject\n            Resource: 'arn:aws:s3:::reports/*'\n";
      assert.deepEqual(
        (await codes(identity(same))).filter((code) => code === 'redundant-statement'),
        ['redundant-statement'],
      );
    });

    it('checks both branches of an !If', async () => {
      assert.deepEqual(await seen(identity("          - Effect: !If [IsProd, Allow, Alow]\n            Action: s3:GetObject\n            Resource: '*'\n")), [
        { code: 'invalid-effect', at: 'Alow' },
      ]);
      assert.deepEqual(await seen(identity("          - Effect: !If [IsProd, Alow, Allow]\n            Action: s3:GetObject\n            Resource: '*'\n")), [
        { code: 'invalid-effect', at: 'Alow' },
      ]);
      // !Ref AWS::NoValue removes the value: the branch without a Resource is an identity policy's error.
      assert.deepEqual(
        await codes(identity("          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !If [HasBucket, '*', !Ref AWS::NoValue]\n")),
        ['missing-resource'],
      );
    });

    it('reads the long forms of JSON as the short forms of YAML', async () => {
      const json = JSON.stringify(
        {
          Resources: {
            Policy: {
              Type: 'AWS::IAM::Policy',
              Properties: {
                PolicyName: 'p',
                PolicyDocument: {
                  Version: '2012-10-17',
                  Statement: [
                    {
                      Effect: { 'Fn::If': ['C', 'Allow', 'Alow'] },
                      Action: { 'Fn::Join': ['', ['s3:', 'GetObjekt']] },
                      Resource: { 'Fn::Sub': 'arn:aws:s3:::${B}/*' },
                    },
                    { Effect: 'Allow', Action: { Ref: 'Actions' }, Resource: { 'Fn::GetAtt': ['Bucket', 'Arn'] } },
                  ],
                },
              },
            },
          },
        },
        null,
        2,
      );
      assert.deepEqual(await seen(json, 'template.json'), [
        { code: 'invalid-effect', at: '"Alow"' },
        { code: 'unknown-action', at: 'GetObjekt' },
      ]);
    });

    it('says that a policy variable in !Sub is read as a reference, and its fix writes ${!…}', async () => {
      const text = identity(
        '          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub arn:aws:s3:::${BucketName}/home/${aws:username}/*\n',
      );
      const analysis = (await analyzeTemplateFully(text, { fileName: 't.yaml', catalog }))!;
      const item = analysis.findings.find((candidate) => candidate.code === 'sub-policy-variable');
      assert.ok(item);
      assert.equal(text.slice(item.offset, item.offset + item.length), '${aws:username}');
      assert.equal(item.severity, 'error');
      const [fix] = fixesFor(text, analysis, item);
      const fixed = applyEdits(text, fix.edits);
      assert.ok(fixed.includes('/home/${!aws:username}/*'), fixed);
      assert.deepEqual(await seen(fixed), []);
      // ${!…} and ${AWS::…} are fine as they are.
      assert.deepEqual(
        await seen(
          identity(
            '          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub arn:${AWS::Partition}:s3:::${BucketName}/home/${!aws:username}/*\n',
          ),
        ),
        [],
      );
    });
  });

  describe('what IAM receives', () => {
    it("finds a character outside IAM's set in every kind of scalar, on its text", async () => {
      const resource = (value: string): string => identity(`          - Effect: Allow\n            Action: s3:GetObject\n            Resource: ${value}\n`);
      assert.deepEqual(await seen(resource('arn:aws:s3:::b/x\u2019')), [{ code: 'disallowed-character', at: '\u2019' }]);
      assert.deepEqual(await seen(resource("'arn:aws:s3:::b/x\u2019'")), [{ code: 'disallowed-character', at: '\u2019' }]);
      // An escape in a double-quoted scalar is the character IAM gets: the escape is marked.
      const escaped = await seen(resource('"arn:aws:s3:::b/x\\u2019"'));
      assert.deepEqual(
        escaped.map((item) => item.code),
        ['disallowed-character'],
      );
      assert.ok(escaped[0].at.includes('\\u2019'), escaped[0].at);
      // A folded block scalar: its lines stand one to one in the value, the character is marked.
      assert.deepEqual(await seen(resource('>-\n              arn:aws:s3:::b/x\u2019\n')), [{ code: 'disallowed-character', at: '\u2019' }]);
    });

    it('puts a finding in a block scalar on its exact characters, line by line, and on the whole value where there are none', async () => {
      const resource = (value: string): string => identity(`          - Effect: Allow\n            Action: s3:GetObject\n            Resource: ${value}\n`);
      /** Where each finding is, as line and column of the template. */
      const where = async (text: string): Promise<Array<{ code: string; at: string; line: number; column: number }>> => {
        const analysis = (await analyzeTemplateFully(text, { fileName: 't.yaml', catalog }))!;
        return analysis.findings.map((item) => {
          const before = text.slice(0, item.offset).split('\n');
          return { code: item.code, at: text.slice(item.offset, item.offset + item.length), line: before.length - 1, column: before[before.length - 1].length };
        });
      };
      // A literal block: each line maps to its line of the value; a quote before the character
      // (an escape in the JSON) does not move it.
      const literal = resource('|-\n              arn:aws:s3:::b/first\n              arn:aws:s3:::b/"x\u2019');
      const line = literal.split('\n').findIndex((text) => text.includes('\u2019'));
      assert.deepEqual(await where(literal), [{ code: 'disallowed-character', at: '\u2019', line, column: '              arn:aws:s3:::b/"x'.length }]);
      // Folded, a more indented line and an empty one kept as line breaks: still exact.
      const folded = resource('>\n              arn:aws:s3:::b/\n                more\n\n              x\u201c');
      assert.deepEqual(
        (await where(folded)).map((item) => item.at),
        ['\u201c'],
      );
      // In an !Sub over a literal block, a policy variable CloudFormation would read is marked,
      // and its fix writes the `!` in place.
      const sub = resource('!Sub |-\n              arn:aws:s3:::${Bucket}/home/${aws:username}/*');
      assert.deepEqual(await seen(sub), [{ code: 'sub-policy-variable', at: '${aws:username}' }]);
      const analysis = (await analyzeTemplateFully(sub, { fileName: 't.yaml', catalog }))!;
      const [fix] = fixesFor(sub, analysis, analysis.findings[0]);
      assert.deepEqual(await seen(applyEdits(sub, fix.edits)), []);
      assert.ok(applyEdits(sub, fix.edits).includes('/home/${!aws:username}/*'));
      // A stretch of the rendering with no one-to-one place (a literal block's line break is
      // `\n` in the JSON) goes to the whole value; the ends of a stretch across lines map each.
      const shape = yamlTemplate(literal)!;
      const content = shape.pieces[0].read();
      const document = findDocuments(content.resources[0].value)[0].entry.value;
      const rendering = render(resolve(document, 0, { sawIf: false, subIssues: [] })!);
      const base = shape.pieces[0].offset;
      const cut = (span: { start: number; end: number }): string => literal.slice(base + span.start, base + span.end);
      const newline = rendering.text.indexOf('first\\n') + 'first'.length;
      const value = '|-\n              arn:aws:s3:::b/first\n              arn:aws:s3:::b/"x\u2019';
      assert.equal(cut(sourceRange(rendering, newline, 2, () => undefined)), value);
      assert.equal(cut(sourceRange(rendering, newline - 5, 5, () => undefined)), 'first');
      assert.equal(cut(sourceRange(rendering, newline - 5, 5 + 2 + 3, () => undefined)), 'first\n              arn');
    });

    it('counts the size of the compact JSON CloudFormation sends, and says when it cannot be known', async () => {
      const long = 'a'.repeat(POLICY_DOCUMENT_MAX_LENGTH);
      const over = identity(`          - Effect: Allow\n            Action: s3:GetObject\n            Resource: arn:aws:s3:::b/${long}\n`);
      assert.deepEqual(await codes(over), ['document-too-large']);
      // Indentation is YAML's, not IAM's: a policy well under the limit once rendered is fine,
      // however deep its text is indented.
      const keys = Array.from({ length: 200 }, (_, i) => `              - arn:aws:s3:::b/key${i}\n`).join('');
      const deep = identity(`          - Effect: Allow\n            Action: s3:GetObject\n            Resource:\n${keys}`);
      assert.deepEqual(await codes(deep), []);
      // With an unknown part, the known text alone is over: at least that long.
      const unknown = identity(`          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub arn:aws:s3:::\${B}${long}\n`);
      const analysis = (await analyzeTemplateFully(unknown, { fileName: 't.yaml', catalog }))!;
      assert.deepEqual(
        analysis.findings.map((item) => item.code),
        ['document-too-large'],
      );
      assert.match(analysis.findings[0].message, /at least .* before the 1 value CloudFormation resolves only when it deploys the stack/);
      // Under the limit with an unknown part: nothing to say.
      assert.deepEqual(
        await codes(identity('          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub arn:aws:s3:::${B}/x\n')),
        [],
      );
    });

    it('gives the managed policy quota to a managed policy only', async () => {
      const actions = Array.from({ length: 400 }, (_, i) => `              - s3:GetObject${'Version'.repeat(i % 2)}\n`).join('');
      const statements = `          - Effect: Allow\n            Action:\n${actions}            Resource: '*'\n`;
      const managed = `${HEAD}  Policy:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n${statements}`;
      assert.ok((await codes(managed)).includes('managed-policy-size'));
      assert.ok(!(await codes(identity(statements))).includes('managed-policy-size'));
    });
  });

  describe('names', () => {
    it("checks the names a template gives IAM by the API's rules, literal parts of a !Sub too", async () => {
      const role = (name: string): string =>
        `${HEAD}  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: ${name}\n      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}\n`;
      assert.deepEqual(await seen(role('my role')), [{ code: 'invalid-resource-name', at: 'my role' }]);
      assert.deepEqual(await codes(role('r'.repeat(65))), ['invalid-resource-name']);
      assert.deepEqual(await codes(role('r'.repeat(64))), []);
      assert.deepEqual(await seen(role("!Sub 'app role-${AWS::Region}'")), [{ code: 'invalid-resource-name', at: ' ' }]);
      assert.deepEqual(await codes(role('!Sub ${AWS::StackName}-app-role')), []);
      assert.deepEqual(await codes(role('!Ref RoleNameParameter')), []);
      assert.deepEqual(await seen(identity("          - {Effect: Allow, Action: 's3:*', Resource: '*'}\n", '      PolicyName: read/all\n')), [
        { code: 'invalid-resource-name', at: 'read/all' },
      ]);
      const group = `${HEAD}  G:\n    Type: AWS::IAM::Group\n    Properties:\n      GroupName: ops\u2013team\n      Policies:\n        - PolicyName: read all\n          PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]}\n`;
      assert.deepEqual(await seen(group), [
        { code: 'invalid-resource-name', at: 'ops\u2013team' },
        { code: 'invalid-resource-name', at: 'read all' },
      ]);
    });
  });

  describe('fixes in the template', () => {
    it('fixes a curly quote in a plain scalar in place, and offers nothing in a folded one', async () => {
      const plain = identity('          - Effect: Allow\n            Action: s3:GetObject\n            Resource: arn:aws:s3:::reports\u2019\n');
      const analysis = (await analyzeTemplateFully(plain, { fileName: 't.yaml', catalog }))!;
      const edits = fixAll(plain, analysis);
      assert.equal(applyEdits(plain, edits), plain.replace('\u2019', "'"));
      const folded = identity(
        '          - Effect: Allow\n            Action: s3:GetObject\n            Resource: >-\n              arn:aws:s3:::reports\u2019\n',
      );
      const foldedAnalysis = (await analyzeTemplateFully(folded, { fileName: 't.yaml', catalog }))!;
      assert.deepEqual(fixAll(folded, foldedAnalysis), []);
    });

    it('fixes a Sid in place', async () => {
      // A Sid with a space in the role's identity policy: IAM rejects it. (The key policy's Sid
      // with spaces is KMS's own default, which KMS takes: Information, with no fix.)
      const original = fs.readFileSync(path.join(FIXTURES, 'templates', 'app.template.yaml'), 'utf8');
      const text = original.replace('Sid: ReadObjects', 'Sid: Read Objects');
      const analysis = (await analyzeTemplateFully(text, { fileName: 'app.template.yaml', catalog }))!;
      const item = analysis.findings.find((candidate) => candidate.code === 'invalid-sid')!;
      const [fix] = fixesFor(text, analysis, item);
      assert.equal(fix.title, 'Change the Sid to "ReadObjects"');
      const fixed = applyEdits(text, fix.edits);
      assert.equal(fixed, original);
      assert.deepEqual(await seen(fixed, 'app.template.yaml'), [{ code: 'sid-characters', at: 'Enable IAM User Permissions' }]);
    });

    it("writes a fix in the scalar's own quoting", async () => {
      const single = identity("          - Effect: Allow\n            Action: s3:GetObject\n            Resource: 'arn:aws:s3:::it\u2019s'\n");
      const analysis = (await analyzeTemplateFully(single, { fileName: 't.yaml', catalog }))!;
      assert.equal(applyEdits(single, fixAll(single, analysis)), single.replace('\u2019', "''"));
    });
  });

  describe('large templates', () => {
    it('checks the 200 resources of a template, YAML and JSON alike, and a keystroke re-reads one', async () => {
      for (const [text, fileName] of [
        [largeYamlTemplate(200), 't.yaml'],
        [largeJsonTemplate(200), 't.json'],
      ] as const) {
        const cache = new TemplateCache();
        const analysis = (await analyzeTemplateFully(text, { fileName, catalog, cache }))!;
        const policies = analysis.template!.pieces.reduce((sum, piece) => sum + piece.result.policies.length, 0);
        assert.equal(policies, fileName === 't.yaml' ? 300 : 400, fileName);
        assert.deepEqual(analysis.findings, [], fileName);
        // Type one character in the last policy: only its resource is read again.
        const at = text.lastIndexOf('s3:GetObject') + 's3:GetObjec'.length;
        const typed = `${text.slice(0, at)}x${text.slice(at)}`;
        const after = analyzeTemplateDocument(typed, { fileName, catalog, cache })!;
        const reread = after.template!.pieces.filter((piece, index) => piece.result !== analysis.template!.pieces[index].result);
        assert.equal(reread.length, 1, fileName);
        assert.deepEqual(
          after.findings.map((item) => [item.code, typed.slice(item.offset, item.offset + item.length)]),
          [['unknown-action', 'GetObjecxt']],
        );
        assert.deepEqual(after.findings, analyzeTemplateDocument(typed, { fileName, catalog })!.findings, 'the same as a fresh check');
      }
    });
  });
});
