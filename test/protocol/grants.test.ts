/**
 * What a policy grants, through the built server over stdio: a CodeLens per statement, the
 * summary (following edits), the simulator, the semantic diff, and the repository's
 * "neverGrant" as a diagnostic.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import {
  GrantsDiffRequest,
  SHOW_SUMMARY_COMMAND,
  SimulateRequest,
  SummaryRequest,
  type GrantsDiff,
  type SimulationResult,
  type SummaryResult,
} from 'iam-policy-engine';
import { LspTestClient } from '../support/lspClient';

const folders: string[] = [];
after(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

const POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadReports', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::reports', 'arn:aws:s3:::reports/*'] },
      { Sid: 'PassAppRoles', Effect: 'Allow', Action: ['iam:PassRole', 'iam:AttachRolePolicy'], Resource: 'arn:aws:iam::111122223333:role/app-*' },
      { Sid: 'KeepLogs', Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::reports/logs/*' },
    ],
  },
  null,
  2,
);

describe('grants over LSP', () => {
  it('a CloudFormation template gets no CodeLens, summary or simulation of its own text (its policies are not summarized yet)', async () => {
    const { client } = await LspTestClient.start({ settings: {} });
    try {
      const uri = 'file:///grants/stack.yaml';
      const template = [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Resources:',
        '  Reader:',
        '    Type: AWS::IAM::ManagedPolicy',
        '    Properties:',
        '      PolicyDocument:',
        '        Version: "2012-10-17"',
        '        Statement:',
        '          - Effect: Allow',
        '            Action: s3:GetObject',
        '            Resource: "*"',
        '',
      ].join('\n');
      await client.open(uri, template, 'yaml');
      await client.settled(uri);
      assert.deepEqual(await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), []);
      assert.equal(await client.connection.sendRequest<SummaryResult | null>(SummaryRequest.method, { uri }), null);
      assert.equal(await client.connection.sendRequest<SimulationResult | null>(SimulateRequest.method, { uri, action: 's3:GetObject', resource: '*' }), null);
    } finally {
      await client.stop();
    }
  });

  it('a CodeLens on each statement says what it grants and opens the summary there', async () => {
    const { client, initialize } = await LspTestClient.start({ settings: {} });
    try {
      assert.deepEqual(initialize.capabilities.codeLensProvider, { resolveProvider: false });
      const uri = 'file:///grants/lens.iam.json';
      await client.open(uri, POLICY);
      await client.settled(uri);
      const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
      // Each on the line of its statement's opening brace.
      const line = (sid: string): number => client.document(uri).positionAt(POLICY.lastIndexOf('{', POLICY.indexOf(`"Sid": "${sid}"`))).line;
      assert.deepEqual(
        lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command, lens.command?.arguments]),
        [
          [line('ReadReports'), 'Allows 2 actions in 1 service: List and Read only', SHOW_SUMMARY_COMMAND, [uri, 0]],
          [line('PassAppRoles'), 'Allows 2 actions in 1 service: 1 Write, 1 Permissions management', SHOW_SUMMARY_COMMAND, [uri, 1]],
          [line('KeepLogs'), 'Denies 1 action in 1 service: 1 Write', SHOW_SUMMARY_COMMAND, [uri, 2]],
        ],
      );
    } finally {
      await client.stop();
    }
  });

  it('the summary follows the document as it is edited', async () => {
    const { client } = await LspTestClient.start({ settings: {} });
    try {
      const uri = 'file:///grants/live.iam.json';
      await client.open(uri, POLICY);
      await client.settled(uri);
      const first = await client.connection.sendRequest<SummaryResult>(SummaryRequest.method, { uri, expand: ['iam'] });
      assert.equal(first.version, 1);
      // By service name: Amazon S3, then AWS Identity and Access Management.
      assert.deepEqual(
        first.services.map((row) => [row.prefix, row.access]),
        [
          ['s3', 'Limited: Read, List'],
          ['iam', 'Limited: Permissions management, Write'],
        ],
      );
      assert.deepEqual(
        first.details[0].levels.map((level) => level.actions.map((action) => action.name)),
        [['AttachRolePolicy'], ['PassRole']],
      );

      // An edit: s3:GetObject becomes s3:Get*.
      const at = client.text(uri).indexOf('"s3:GetObject"') + '"s3:Get'.length;
      const version = await client.edit(uri, at, at + 'Object'.length, '*');
      const second = await client.connection.sendRequest<SummaryResult>(SummaryRequest.method, { uri });
      assert.equal(second.version, version);
      const s3 = second.services.find((row) => row.prefix === 's3')!;
      assert.ok(s3.allowed > 60, `s3:Get* and ListBucket: ${s3.allowed}`);
      assert.equal(second.statements[0].headline.startsWith('Allows 64 actions in 1 service'), true, second.statements[0].headline);

      const searched = await client.connection.sendRequest<SummaryResult>(SummaryRequest.method, { uri, filter: 'passrole' });
      assert.deepEqual(
        searched.details.map((detail) => detail.prefix),
        ['iam'],
      );

      await client.open('file:///grants/other.json', '{"name": "not a policy"}', 'json');
      assert.equal(await client.connection.sendRequest(SummaryRequest.method, { uri: 'file:///grants/other.json' }), null);
    } finally {
      await client.stop();
    }
  });

  it('simulates a request against the open document', async () => {
    const { client } = await LspTestClient.start({ settings: {} });
    try {
      const uri = 'file:///grants/simulate.iam.json';
      await client.open(uri, POLICY);
      await client.settled(uri);
      const ask = (action: string, resource: string) =>
        client.connection.sendRequest<SimulationResult & { version: number }>(SimulateRequest.method, { uri, action, resource, context: {} });
      const allowed = await ask('s3:GetObject', 'arn:aws:s3:::reports/q1.csv');
      assert.deepEqual([allowed.decision, allowed.deciding, allowed.version], ['allowed', [0], 1]);
      const denied = await ask('s3:DeleteObject', 'arn:aws:s3:::reports/logs/a');
      assert.deepEqual([denied.decision, denied.deciding], ['explicit-deny', [2]]);
      const typo = await ask('s3:GetObjekt', 'arn:aws:s3:::reports/q1.csv');
      assert.equal(typo.decision, 'implicit-deny');
      assert.equal(typo.notes[0], 's3:GetObjekt is not an action of the service catalog: check its spelling.');
    } finally {
      await client.stop();
    }
  });

  it('works out what one text grants beyond another', async () => {
    const { client } = await LspTestClient.start({ settings: {} });
    try {
      const after = POLICY.replace('"s3:ListBucket"', '"s3:ListBucket", "s3:PutBucketPolicy"');
      const diff = await client.connection.sendRequest<GrantsDiff>(GrantsDiffRequest.method, { before: POLICY, after, kind: 'identity' });
      assert.deepEqual(
        diff.added.map((change) => [change.action, change.level, change.resource]),
        [
          ['s3:PutBucketPolicy', 'Permissions management', 'arn:aws:s3:::reports'],
          ['s3:PutBucketPolicy', 'Permissions management', 'arn:aws:s3:::reports/*'],
        ],
      );
      assert.deepEqual([diff.removed, diff.complete], [[], true]);
    } finally {
      await client.stop();
    }
  });

  it('a statement that grants what .iam-policy.json lists under neverGrant gets a Warning', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'iam-grants-')));
    folders.push(root);
    fs.writeFileSync(path.join(root, '.iam-policy.json'), JSON.stringify({ neverGrant: [{ actions: ['iam:AttachRolePolicy'] }] }));
    const { client } = await LspTestClient.start({ settings: {} });
    try {
      const uri = pathToFileURL(path.join(root, 'app.iam.json')).toString();
      await client.open(uri, POLICY);
      const found = (await client.settled(uri)).filter((diagnostic) => diagnostic.code === 'forbidden-grant');
      assert.equal(found.length, 1);
      assert.equal(found[0].severity, 2);
      assert.equal(client.document(uri).getText(found[0].range), 'iam:AttachRolePolicy');
    } finally {
      await client.stop();
    }
  });
});
