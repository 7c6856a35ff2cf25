/** Policy kinds and "Ignore this rule" through the server over stdio. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { DocumentKindRequest, SetKindNotification, type DocumentKind } from 'iam-policy-engine';
import { LspTestClient } from '../support/lspClient';

const folders: string[] = [];
after(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'iam-kinds-')));
  folders.push(root);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const SCP_LIKE = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] }, null, 2);

describe('policy kinds over LSP', () => {
  it('says which kind a document is checked as, and checks it as the kind the editor picks', async () => {
    const { client } = await LspTestClient.start({ settings: {} });
    try {
      const uri = 'file:///kinds/deny.json';
      await client.open(uri, SCP_LIKE);
      assert.deepEqual(await client.settled(uri), []);
      const kind = await client.connection.sendRequest<DocumentKind | null>(DocumentKindRequest.method, { uri });
      assert.deepEqual(kind, { kind: 's3-bucket', label: 'an S3 bucket policy', source: 'inferred' });

      client.forgetDiagnostics(uri);
      await client.connection.sendNotification(SetKindNotification.method, { uri, kind: 'scp' });
      assert.deepEqual(
        (await client.diagnostics(uri)).map((d) => d.code),
        ['principal-in-scp'],
      );
      assert.deepEqual(await client.connection.sendRequest(DocumentKindRequest.method, { uri }), {
        kind: 'scp',
        label: 'a service control policy',
        source: 'editor',
      });

      client.forgetDiagnostics(uri);
      await client.connection.sendNotification(SetKindNotification.method, { uri, kind: null });
      assert.deepEqual(await client.diagnostics(uri), []);
    } finally {
      await client.stop();
    }
  });

  it('takes the kind from the repository configuration', async () => {
    const root = workspace({ '.iam-policy.json': '{"kinds": {"org/*.json": "scp"}}', 'org/deny.json': SCP_LIKE });
    const { client } = await LspTestClient.start({ settings: {} });
    try {
      const uri = pathToFileURL(path.join(root, 'org', 'deny.json')).toString();
      await client.open(uri, SCP_LIKE);
      assert.deepEqual(
        (await client.settled(uri)).map((d) => d.code),
        ['principal-in-scp'],
      );
      assert.equal((await client.connection.sendRequest<DocumentKind>(DocumentKindRequest.method, { uri })).source, 'configuration');
    } finally {
      await client.stop();
    }
  });
});

describe('Ignore this rule', () => {
  const text = JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
        { Sid: 'Other', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
      ],
    },
    null,
    2,
  );

  it('writes an override for the statement into a new .iam-policy.json at the workspace folder, and the finding goes', async () => {
    const root = workspace({ 'roles/deploy.iam.json': text });
    const { client } = await LspTestClient.start({ settings: {}, workspaceFolders: [root] });
    try {
      const uri = pathToFileURL(path.join(root, 'roles', 'deploy.iam.json')).toString();
      await client.open(uri, text);
      const before = (await client.settled(uri)).filter((d) => d.code === 'passrole-wildcard');
      assert.equal(before.length, 2);
      const actions = await client.codeActions(uri, before[0].range, [before[0]]);
      const ignore = actions.find((action) => action.title === 'Ignore passrole-wildcard for statement "Pass" (in .iam-policy.json)');
      assert.ok(ignore?.command, JSON.stringify(actions.map((action) => action.title)));
      assert.ok(actions.some((action) => action.title === 'Ignore passrole-wildcard in this file (in .iam-policy.json)'));

      client.forgetDiagnostics(uri);
      await client.executeCommand(ignore.command);
      const after = (await client.diagnostics(uri)).filter((d) => d.code === 'passrole-wildcard');
      assert.equal(after.length, 1, 'only the statement "Other" keeps it');
      assert.ok(after[0].range.start.line > before[0].range.start.line);
      const config = JSON.parse(fs.readFileSync(path.join(root, '.iam-policy.json'), 'utf8')) as unknown;
      assert.deepEqual(config, { overrides: [{ files: ['roles/deploy.iam.json'], sids: ['Pass'], rules: { 'passrole-wildcard': 'off' } }] });
      // No temporary file left behind.
      assert.deepEqual(fs.readdirSync(root).sort(), ['.iam-policy.json', 'roles']);
    } finally {
      await client.stop();
    }
  });

  it('adds to the configuration file that applies, keeping what it says', async () => {
    const root = workspace({ 'p/.iam-policy.json': '{\n  "rules": {"invalid-sid": "warning"}\n}\n', 'p/x.iam.json': text });
    const { client } = await LspTestClient.start({ settings: {}, workspaceFolders: [root] });
    try {
      const uri = pathToFileURL(path.join(root, 'p', 'x.iam.json')).toString();
      await client.open(uri, text);
      const [first] = (await client.settled(uri)).filter((d) => d.code === 'passrole-wildcard');
      const actions = await client.codeActions(uri, first.range, [first]);
      const ignore = actions.find((action) => action.title.startsWith('Ignore passrole-wildcard in this file'))!;
      client.forgetDiagnostics(uri);
      await client.executeCommand(ignore.command!);
      assert.deepEqual(
        (await client.diagnostics(uri)).filter((d) => d.code === 'passrole-wildcard'),
        [],
      );
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, 'p', '.iam-policy.json'), 'utf8')), {
        rules: { 'invalid-sid': 'warning' },
        overrides: [{ files: ['x.iam.json'], rules: { 'passrole-wildcard': 'off' } }],
      });
    } finally {
      await client.stop();
    }
  });
});
