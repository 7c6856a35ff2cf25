/**
 * CloudFormation templates through the real server over stdio: the policies inside YAML and
 * JSON templates get diagnostics on the template's own text as it is typed, quick fixes where
 * the text maps one to one, hover and completion; YAML that is not a template is left alone;
 * incremental results equal a fresh open's; and no YAML, however broken, crashes the server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol/node';
import { LspTestClient, summarize } from '../support/lspClient';
import { applyEdit, seedFromEnvironment, withLineEnds } from '../support/mutations';
import { FIXTURES } from '../support/paths';
import { Random } from '../support/random';

const TEMPLATES = path.join(FIXTURES, 'templates');
const fixture = (name: string): string => fs.readFileSync(path.join(TEMPLATES, name), 'utf8');

/** A role whose policies break rules of every family, in block and flow style, plain and quoted scalars. */
const BROKEN = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: my role
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: reports
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: s3:GetObjekt
                Resource: !Sub arn:aws:s3:::\${BucketName}/\${aws:username}/*
              - Effect: Alow
                Action: !Ref SomeAction
                Resource: "arn:aws:s3:::reports\u2019"
              - Effect: Allow
                Action: [s3:ListBucket]
                Resource: arn:aws:s3:::reports\u2019
`;

describe('CloudFormation templates over LSP', () => {
  let client: LspTestClient;
  before(async () => {
    ({ client } = await LspTestClient.start({ settings: { maxNumberOfProblems: 100000 } }));
  });
  after(async () => {
    assert.ok(!client.hasExited, 'the server died');
    await client.stop();
    assert.equal(client.stderr, '');
    assert.deepEqual(
      client.logMessages.filter((message) => message.startsWith('Internal error')),
      [],
    );
  });

  it("places each policy's findings on the YAML text of the offending value", async () => {
    const uri = 'file:///templates/broken.yaml';
    await client.open(uri, BROKEN, 'yaml');
    const diagnostics = await client.settled(uri);
    assert.deepEqual(summarize(client, uri, diagnostics), [
      { code: 'invalid-resource-name', at: 'my role' },
      { code: 'unknown-action', at: 'GetObjekt' },
      { code: 'sub-policy-variable', at: '${aws:username}' },
      { code: 'invalid-effect', at: 'Alow' },
      { code: 'disallowed-character', at: '\u2019' },
      { code: 'disallowed-character', at: '\u2019' },
    ]);
    // Nothing rests on the unknown values: `!Ref SomeAction` is no missing or unknown action.
    assert.ok(diagnostics.every((diagnostic) => diagnostic.source === 'iam-policy'));
    await client.close(uri);
  });

  it('places a finding inside a literal or folded block on its characters', async () => {
    const uri = 'file:///templates/blocks.yaml';
    const text = BROKEN.replace(
      'Resource: "arn:aws:s3:::reports\u2019"',
      'Resource: |-\n                  arn:aws:s3:::reports/a\n                  arn:aws:s3:::reports\u2019',
    ).replace('Resource: arn:aws:s3:::reports\u2019', 'Resource: >-\n                  arn:aws:s3:::reports/\n                  b\u201c');
    await client.open(uri, text, 'yaml');
    const diagnostics = await client.settled(uri);
    const characters = diagnostics.filter((diagnostic) => diagnostic.code === 'disallowed-character');
    assert.deepEqual(
      characters.map((diagnostic) => client.document(uri).getText(diagnostic.range)),
      ['\u2019', '\u201c'],
    );
    assert.deepEqual(
      characters.map((diagnostic) => diagnostic.range.start.character),
      ['                  arn:aws:s3:::reports'.length, '                  b'.length],
    );
    await client.close(uri);
  });

  it('checks every policy of the YAML and the JSON fixture as its kind, and the same findings in both', async () => {
    const yaml = 'file:///templates/app.template.yaml';
    const json = 'file:///templates/app.template.json';
    await client.open(yaml, fixture('app.template.yaml'), 'yaml');
    await client.open(json, fixture('app.template.json'), 'json');
    const fromYaml = summarize(client, yaml, await client.settled(yaml));
    const fromJson = summarize(client, json, await client.settled(json));
    // The key policy's Sid has spaces: KMS takes it (its own default key policy has this very
    // Sid), IAM would not; Information, not an Error.
    assert.deepEqual(fromYaml, [{ code: 'sid-characters', at: 'Enable IAM User Permissions' }]);
    assert.deepEqual(fromJson, fromYaml);
    // A template has a kind per policy: the editor shows no single kind for it.
    assert.equal(await client.connection.sendRequest('iamPolicy/documentKind', { uri: yaml }), null);
    await client.close(yaml);
    await client.close(json);
  });

  it('leaves YAML and JSON that are not templates alone', async () => {
    const documents: Array<[string, string, string]> = [
      ['file:///other/workflow.yml', 'yaml', 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \u201cResources\u201d\n'],
      ['file:///other/compose.yaml', 'yaml', 'services:\n  web:\n    image: "AWS::\u2019"\n    Statement: [Effect: Alow]\n'],
      ['file:///other/broken.yaml', 'yaml', ': : :\n\t- [\n'],
      ['file:///other/notes.template', 'plaintext', 'Resources for the AWS::IAM::Role {\n'],
      ['file:///other/settings.json', 'json', '{"Resources": ["AWS::IAM::Role"]}'],
    ];
    for (const [uri, languageId, text] of documents) await client.open(uri, text, languageId);
    await client.settled();
    for (const [uri] of documents) {
      const published = client.published(uri)?.diagnostics ?? [];
      assert.deepEqual(published, [], `${uri} is not a template`);
      assert.equal(await client.hover(uri, { line: 0, character: 2 }), null);
      await client.close(uri);
    }
  });

  it('offers the quick fix of a curly quote in a plain scalar, and it mends the template', async () => {
    const uri = 'file:///templates/fix.yaml';
    await client.open(uri, BROKEN, 'yaml');
    const diagnostics = await client.settled(uri);
    const curly = diagnostics.filter((diagnostic) => diagnostic.code === 'disallowed-character');
    const last = curly[curly.length - 1];
    const actions = await client.codeActions(uri, last.range, [last], ['quickfix']);
    const fix = actions.find((action) => action.edit !== undefined && action.title.includes("'"));
    assert.ok(fix, `no fix among ${actions.map((action) => action.title).join(', ')}`);
    await client.applyEdit(fix.edit!);
    assert.ok(client.text(uri).includes("Resource: arn:aws:s3:::reports'\n"), client.text(uri));
    const after = await client.settled(uri);
    assert.equal(after.filter((diagnostic) => diagnostic.code === 'disallowed-character').length, 1);
    await client.close(uri);
  });

  it("hovers and completes inside a YAML and a JSON template's policy", async () => {
    const yaml = 'file:///templates/assist.yaml';
    await client.open(yaml, BROKEN.replace('Action: [s3:ListBucket]', 'Action: [s3:ListBuck]'), 'yaml');
    await client.settled(yaml);
    const document = client.document(yaml);
    const at = (needle: string, into = 2): { line: number; character: number } => document.positionAt(document.getText().indexOf(needle) + into);
    const hover = await client.hover(yaml, at('sts:AssumeRole', 6));
    assert.ok(hover !== null && JSON.stringify(hover.contents).includes('AssumeRole'), JSON.stringify(hover));
    assert.equal(document.getText(hover.range!), 'sts:AssumeRole');
    const list = await client.completion(yaml, at('s3:ListBuck', 's3:ListBuck'.length));
    const item = list.items.find((candidate) => candidate.label === 's3:ListBucket');
    assert.ok(item, `no s3:ListBucket among ${list.items.length} items`);
    const edit = item.textEdit as { range: Range; newText: string };
    assert.equal(document.getText(edit.range), 's3:ListBuck');
    // Nothing a plain scalar would misread, nor JSON snippets, is offered in YAML.
    assert.ok(list.items.every((candidate) => candidate.insertTextFormat !== 2 && !(candidate.textEdit as { newText: string }).newText.startsWith('*')));
    await client.close(yaml);

    const json = 'file:///templates/assist.json';
    await client.open(json, fixture('app.template.json'), 'json');
    await client.settled(json);
    const jsonDocument = client.document(json);
    const offset = jsonDocument.getText().indexOf('"s3:GetObject"') + 5;
    const jsonHover = await client.hover(json, jsonDocument.positionAt(offset));
    assert.ok(jsonHover !== null && JSON.stringify(jsonHover.contents).includes('GetObject'));
    // Outside any policy (a Description, a parameter) there is nothing to assist with.
    assert.equal(await client.hover(json, jsonDocument.positionAt(jsonDocument.getText().indexOf('AllowedValues'))), null);
    const outside = await client.completion(json, jsonDocument.positionAt(jsonDocument.getText().indexOf('"Parameters"') + 3));
    assert.equal(outside.items.length, 0);
    await client.close(json);
  });

  it('completes a YAML policy as it is typed: keys, values, actions in a block sequence, operators and condition keys', async () => {
    const uri = 'file:///templates/typing.yaml';
    const head =
      "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Policy:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: reports\n      Roles: [!Ref Role]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n";
    await client.open(uri, `${head}          - Eff`, 'yaml');
    const end = (): { line: number; character: number } => client.document(uri).positionAt(client.text(uri).length);
    const type = async (text: string): Promise<void> => {
      await client.change(uri, [{ range: { start: end(), end: end() }, text }]);
    };
    /** Completion at the end of the text, and the item chosen applied as the editor applies it. */
    const choose = async (label: string, replacing: string): Promise<void> => {
      const list = await client.completion(uri, end());
      const item = list.items.find((candidate) => candidate.label === label);
      assert.ok(
        item,
        `no ${label} among ${list.items
          .slice(0, 12)
          .map((candidate) => candidate.label)
          .join(', ')} at ${JSON.stringify(client.text(uri).slice(-40))}`,
      );
      const edit = item.textEdit as { range: Range; newText: string };
      assert.equal(client.document(uri).getText(edit.range), replacing);
      assert.ok(!edit.newText.includes('"') && !edit.newText.includes('\n'), `YAML, not JSON: ${edit.newText}`);
      await client.change(uri, [{ range: edit.range, text: edit.newText }]);
    };
    await choose('Effect', 'Eff');
    await choose('Allow', '');
    await type('\n            Act');
    await choose('Action', 'Act');
    await type('\n              - ');
    await choose('s3', '');
    await choose('s3:ListBucket', 's3:');
    await type('\n            ');
    await choose('Resource', '');
    await type('arn:aws:s3:::reports\n            Condition:\n              ');
    await choose('StringLike', '');
    await type('\n                s3:pre');
    await choose('s3:prefix', 's3:pre');
    await type('home/');
    assert.equal(
      client.text(uri),
      `${head}          - Effect: Allow\n            Action: \n              - s3:ListBucket\n            Resource: arn:aws:s3:::reports\n            Condition:\n              StringLike: \n                s3:prefix: home/`,
    );
    assert.deepEqual(await client.settled(uri), []);
    // A value that a plain scalar would read otherwise is quoted: `*` is an alias.
    await type('\n          - Effect: Deny\n            NotAction: iam:*\n            Resource: ');
    await choose('*', '');
    assert.ok(client.text(uri).endsWith("Resource: '*'"));
    assert.deepEqual(
      (await client.settled(uri)).map((diagnostic) => diagnostic.code),
      [],
    );
    await client.close(uri);
  });

  it('publishes after random edits what a fresh open of the same template does', async (t) => {
    const seed = seedFromEnvironment(9_516);
    t.diagnostic(`seed ${seed}`);
    const random = new Random(seed);
    const sources = [BROKEN, fixture('app.template.yaml'), fixture('app.template.json')];
    let withFindings = 0;
    for (let doc = 0; doc < 24; doc++) {
      const source = sources[doc % sources.length];
      const json = source.startsWith('{');
      const uri = `file:///incremental-templates/${doc}/template.${json ? 'json' : 'yaml'}`;
      await client.open(uri, withLineEnds(random, source), json ? 'json' : 'yaml');
      // Every line end style is read (LF, CRLF, a lone CR, a mix): each source has findings.
      assert.ok((await client.settled(uri)).length > 0, `document ${doc} before its edits: ${JSON.stringify(client.text(uri).slice(0, 80))}`);
      for (let step = 0; step < 10; step++) {
        const text = client.text(uri);
        const edit = templateEdit(random, text);
        const scratch = TextDocument.create(uri, 'yaml', 0, text);
        void client.change(uri, [{ range: { start: scratch.positionAt(edit.offset), end: scratch.positionAt(edit.offset + edit.length) }, text: edit.text }]);
      }
      // An edit may leave no template (nothing to publish): compare what stands published.
      await client.settled();
      const incremental = client.published(uri)?.diagnostics ?? [];
      const freshUri = `file:///fresh-templates/${doc}/template.${json ? 'json' : 'yaml'}`;
      await client.open(freshUri, client.text(uri), json ? 'json' : 'yaml');
      await client.settled();
      const fresh = client.published(freshUri)?.diagnostics ?? [];
      const alike = (diagnostics: Diagnostic[]): unknown[] =>
        diagnostics.map((diagnostic) => ({
          ...diagnostic,
          relatedInformation: diagnostic.relatedInformation?.map((info) => [info.location.range, info.message]),
        }));
      assert.deepEqual(alike(incremental), alike(fresh), `seed ${seed}, document ${doc}: ${JSON.stringify(client.text(uri))}`);
      if (incremental.length > 0) withFindings++;
      await client.close(uri);
      await client.close(freshUri);
    }
    // The comparison has something to compare: most edited templates still have findings.
    assert.ok(withFindings >= 12, `${withFindings} of 24 with findings`);
  });

  it('never crashes, hangs or answers outside the document on arbitrary YAML', async (t) => {
    const seed = seedFromEnvironment(9_616);
    t.diagnostic(`seed ${seed}`);
    const random = new Random(seed);
    const sources = [BROKEN, fixture('app.template.yaml'), fixture('app.template.json')];
    for (let doc = 0; doc < 40; doc++) {
      const uri = `file:///fuzz-templates/${doc}/t.${random.pick(['yaml', 'yml', 'json', 'template'])}`;
      let text = random.int(4) === 0 ? randomYaml(random) : withLineEnds(random, random.pick(sources));
      for (let n = random.int(8); n > 0; n--) text = applyEdit(text, templateEdit(random, text));
      await client.open(uri, text, random.pick(['yaml', 'json', 'plaintext']));
      for (let step = 0; step < 6; step++) {
        const current = client.text(uri);
        const edit = templateEdit(random, current);
        const scratch = TextDocument.create(uri, 'yaml', 0, current);
        void client.change(uri, [{ range: { start: scratch.positionAt(edit.offset), end: scratch.positionAt(edit.offset + edit.length) }, text: edit.text }]);
        const document = client.document(uri);
        const position = document.positionAt(random.int(document.getText().length + 1));
        const hover = await client.hover(uri, position);
        if (hover?.range !== undefined) inside(document, hover.range, 'hover');
        // Completion where the cursor falls and at the end of its line, where typing happens.
        const line = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } });
        const lineEnd = { line: position.line, character: line.replace(/\r?\n$|\r$/, '').length };
        for (const at of [position, lineEnd]) {
          const list = await client.completion(uri, at);
          for (const item of list.items) {
            if (item.textEdit === undefined || !('range' in item.textEdit)) continue;
            inside(document, item.textEdit.range, 'completion');
            const cursorOffset = document.offsetAt(at);
            assert.ok(
              document.offsetAt(item.textEdit.range.start) <= cursorOffset && cursorOffset <= document.offsetAt(item.textEdit.range.end),
              `completion at ${JSON.stringify(at)} in ${JSON.stringify(line)} replaces ${JSON.stringify(item.textEdit.range)}: ${item.label}`,
            );
          }
        }
        const end = document.positionAt(document.offsetAt(position) + random.int(40));
        for (const action of await client.codeActions(uri, { start: position, end })) {
          for (const edit of action.edit?.changes?.[uri] ?? []) inside(document, edit.range, `code action ${action.title}`);
        }
      }
      await client.settled();
      const document = client.document(uri);
      const diagnostics: Diagnostic[] = client.published(uri)?.diagnostics ?? [];
      for (const diagnostic of diagnostics) inside(document, diagnostic.range, `diagnostic ${String(diagnostic.code)}`);
      assert.ok(!client.hasExited, `the server died on document ${doc} (seed ${seed})`);
      assert.deepEqual(
        client.logMessages.filter((message) => message.startsWith('Internal error')),
        [],
        `document ${doc} (seed ${seed})`,
      );
      await client.close(uri);
      client.forgetDiagnostics(uri);
    }
  });
});

/** What YAML and CloudFormation make of text: indicators, tags, anchors, quoting, indentation, line ends. */
const YAML_PIECES = [
  '\n',
  '\r\n',
  '\r',
  '  ',
  '    ',
  '\t',
  '- ',
  ': ',
  ':',
  '? ',
  '|',
  '>-',
  '|+',
  '#',
  ' # c',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '&a ',
  '*a',
  '<<: *a',
  '!Sub ',
  '!Ref ',
  '!GetAtt ',
  '!If ',
  '!Join ',
  '!Select ',
  '!Split ',
  '!FindInMap ',
  '!ImportValue ',
  '!Base64 ',
  '!Cidr ',
  '!GetAZs ',
  '!!str ',
  '!Unknown ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '\\',
  '${',
  '}',
  '${!',
  '${AWS::Region}',
  '\u201c',
  '\u2019',
  '\u{1F600}',
  '\ud83d',
  '\u0000',
  '\ufeff',
  'Effect',
  'Allow',
  'Action',
  's3:GetObject',
  'Resource',
  '*',
  'Statement',
  'Version',
  "'2012-10-17'",
  'PolicyDocument',
  'Policies',
  'Properties',
  'Type',
  'AWS::IAM::Role',
  'AWS::S3::BucketPolicy',
  'Resources',
  'AWSTemplateFormatVersion',
  'Fn::Sub',
  'Ref',
  '{"Fn::If": [c, a, b]}',
  'null',
  '~',
  '0x1F',
  '1e3',
  'yes',
];

function randomYaml(random: Random): string {
  let text = random.int(2) === 0 ? "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" : '';
  for (let n = random.int(120); n > 0; n--) text += random.pick(YAML_PIECES);
  return text;
}

/** An edit as typing in a template makes: a character or a YAML piece, a deletion, a stretch replaced. */
function templateEdit(random: Random, text: string): { offset: number; length: number; text: string } {
  const offset = random.int(text.length + 1);
  const kind = random.int(6);
  const length = kind < 2 ? random.int(Math.min(4, text.length - offset) + 1) : kind === 2 ? random.int(Math.min(120, text.length - offset) + 1) : 0;
  const inserted = kind === 1 ? '' : random.int(3) === 0 ? random.pick(YAML_PIECES) + random.pick(YAML_PIECES) : random.pick(YAML_PIECES);
  return { offset, length, text: inserted };
}

function inside(document: TextDocument, range: Range, what: string): void {
  for (const position of [range.start, range.end]) {
    assert.ok(position.line >= 0 && position.line < document.lineCount && position.character >= 0, `${what} at ${JSON.stringify(range)}`);
    const canonical = document.positionAt(document.offsetAt(position));
    assert.deepEqual(canonical, position, `${what} at ${JSON.stringify(range)} is not a position of the document`);
  }
  assert.ok(document.offsetAt(range.start) <= document.offsetAt(range.end), `${what} ends before it starts`);
}
