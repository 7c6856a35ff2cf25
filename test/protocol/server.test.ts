/**
 * The built server, spawned over stdio and driven with real LSP messages.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspTestClient, summarize } from '../support/lspClient';
import { REPO_ROOT, SERVER_BIN } from '../support/paths';

const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadBucket",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"]
    }
  ]
}
`;

/**
 * Over the 16,384 characters from which the first diagnostics are the hard rules' alone: 300
 * statements, then one with an Effect IAM rejects and an em dash in its ARN.
 */
function largePolicy(): string {
  const statements = Array.from(
    { length: 300 },
    (_, index) => `{"Sid": "Read${index}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-${index}/*"}`,
  );
  statements.push('{"Sid": "Odd", "Effect": "Permit", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs\u2014archive/*"}');
  return `{"Version": "2012-10-17", "Statement": [${statements.join(',\n')}]}`;
}

let uriCounter = 0;
const nextUri = (name = 'policy.iam.json'): string => `file:///work/space${++uriCounter}/${name}`;

describe('language server over stdio', () => {
  let client: LspTestClient;
  let initializeResult: Awaited<ReturnType<typeof LspTestClient.start>>['initialize'];

  before(async () => {
    ({ client, initialize: initializeResult } = await LspTestClient.start({ settings: {} }));
  });
  after(async () => {
    await client.stop();
    assert.equal(client.stderr, '', 'the server wrote to stderr');
  });

  it('announces incremental sync and its code action kinds', () => {
    const capabilities = initializeResult.capabilities;
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.iamPolicy'], resolveProvider: false });
    assert.equal(initializeResult.serverInfo?.name, 'iam-policy-language-server');
  });

  it("shows a large policy's hard rules at once, and every other check a moment later", async () => {
    const uri = nextUri();
    const text = largePolicy();
    assert.ok(text.length > 16_384 && text.includes('\u2014'));
    client.forgetDiagnostics(uri);
    const first = client.diagnostics(uri);
    await client.open(uri, text);
    assert.deepEqual(
      (await first).map((d: Diagnostic) => d.code),
      ['disallowed-character'],
      'the first diagnostics wait for no statement check',
    );
    const settled = (await client.settled(uri)).map((d: Diagnostic) => d.code);
    assert.ok(settled.includes('disallowed-character') && settled.includes('invalid-effect'), settled.join(', '));
    const { incremental, fresh } = await client.againstFresh(uri);
    assert.deepEqual(incremental, fresh);
  });

  it('shows the hard rules first on a server just started, and then the edits made meanwhile', async () => {
    // A server that is still loading its catalog, as when an editor starts with a large
    // policy open: the catalog's arrival must not hold back the first diagnostics, and an edit
    // made while they are written is what the full check then publishes.
    const { client: starting } = await LspTestClient.start({ settings: {} });
    try {
      const uri = nextUri();
      const text = largePolicy();
      // The first diagnostics of either version: the edit may come before the settings do.
      const first = starting.diagnostics(uri, () => true);
      await starting.open(uri, text);
      const at = text.indexOf('bucket-0');
      void starting.edit(uri, at, at + 'bucket-0'.length, 'bucket-x');
      assert.deepEqual(
        (await first).map((d: Diagnostic) => d.code),
        ['disallowed-character'],
        'the first diagnostics wait for no statement check',
      );
      const { incremental, fresh } = await starting.againstFresh(uri);
      assert.deepEqual(incremental, fresh);
      assert.deepEqual(incremental.map((d: Diagnostic) => d.code).sort(), ['disallowed-character', 'invalid-effect', 'managed-policy-size']);
      assert.equal(starting.published(uri)?.version, 2);
    } finally {
      await starting.stop();
    }
  });

  it('checks a large policy on a server just started with the service catalog the first time, not twice', async () => {
    const { client: starting } = await LspTestClient.start({ settings: {} });
    try {
      const uri = nextUri();
      const text = largePolicy().replace(
        '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-7/*"',
        '"Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::bucket-7/*"',
      );
      assert.ok(text.includes('GetObjekt'));
      const publishes: string[][] = [];
      const second = starting.diagnostics(uri, (params) => publishes.push(params.diagnostics.map((d) => String(d.code)).sort()) === 2);
      await starting.open(uri, text);
      await second;
      await starting.settled(uri);
      const last = starting.published(uri);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await starting.hover(uri, { line: 0, character: 0 });
      assert.deepEqual(publishes, [['disallowed-character'], ['disallowed-character', 'invalid-effect', 'managed-policy-size', 'unknown-action']]);
      assert.equal(starting.published(uri), last, 'nothing published after the second');
    } finally {
      await starting.stop();
    }
  });

  it('publishes nothing but an empty list for a valid policy', async () => {
    const uri = nextUri();
    await client.open(uri, POLICY);
    assert.deepEqual(await client.settled(uri), []);
  });

  it('reports each family with code, source, severity, exact range and documentation link', async () => {
    const uri = nextUri('bad name.iam.json');
    const text = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read only", "Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::123456789012:user/a b"},
    {"Sid": "Dup", "Effect": \u201cAllow", "Action": "s3:GetObject", "Resource": "*",},
    {"Sid": "Dup", "Effect": "Allow", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
  ]
}`;
    await client.open(uri, text);
    const diagnostics = await client.settled(uri);
    assert.deepEqual(summarize(client, uri, diagnostics), [
      { code: 'invalid-policy-file-name', at: '{' },
      { code: 'invalid-sid', at: 'Read only' },
      { code: 'invalid-arn-entity-name', at: ' ' },
      { code: 'disallowed-character', at: '\u201c' },
      { code: 'json-trailing-comma', at: ',' },
      { code: 'duplicate-sid', at: '"Dup"' },
      { code: 'json-duplicate-key', at: '"Effect"' },
    ]);
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.source, 'iam-policy');
      assert.match(diagnostic.codeDescription?.href ?? '', new RegExp(`^file://.*/README\\.md#${diagnostic.code}$`));
    }
    const severityOf = (code: string): DiagnosticSeverity | undefined => diagnostics.find((d) => d.code === code)?.severity;
    assert.equal(severityOf('invalid-policy-file-name'), DiagnosticSeverity.Information);
    assert.equal(severityOf('invalid-sid'), DiagnosticSeverity.Error);
    const duplicate = diagnostics.find((d) => d.code === 'duplicate-sid')!;
    assert.equal(duplicate.relatedInformation?.[0].location.range.start.line, 4);
  });

  it('follows incremental changes and clears diagnostics on close', async () => {
    const uri = nextUri();
    await client.open(uri, POLICY);
    assert.deepEqual(await client.settled(uri), []);
    const at = POLICY.indexOf('example-bucket/*');
    await client.edit(uri, at, at, '\u2013');
    assert.deepEqual(summarize(client, uri, await client.diagnostics(uri)), [{ code: 'disallowed-character', at: '\u2013' }]);
    await client.edit(uri, at, at + 1, '');
    assert.deepEqual(await client.diagnostics(uri), []);
    // Break the JSON, then mend it, in several changes of one notification.
    const document = client.document(uri);
    await client.change(uri, [
      { range: { start: document.positionAt(POLICY.length - 2), end: document.positionAt(POLICY.length - 1) }, text: '' },
      { range: { start: document.positionAt(0), end: document.positionAt(0) }, text: ' ' },
    ]);
    assert.deepEqual(
      (await client.diagnostics(uri)).map((d) => d.code),
      ['json-syntax'],
    );
    await client.edit(uri, 0, client.text(uri).length, POLICY);
    assert.deepEqual(await client.diagnostics(uri), []);
    await client.edit(uri, at, at, '\u2013');
    assert.equal((await client.diagnostics(uri)).length, 1);
    await client.close(uri);
    assert.deepEqual(await client.diagnostics(uri, (params) => params.diagnostics.length === 0), []);
  });

  it('checks JSON files only when their top-level object has a Statement key', async () => {
    const plain = nextUri('package.json');
    const policy = nextUri('bucket-policy.json');
    await client.open(plain, '{"name": "x", // comment\n}', 'jsonc');
    await client.open(policy, '{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}, // comment\n}', 'jsonc');
    assert.deepEqual(
      (await client.settled(policy)).map((d) => d.code),
      ['json-trailing-comma', 'json-comment'],
    );
    // Messages arrive in order: had the server published for package.json, it would be here.
    assert.equal(client.published(plain), undefined);
    // Becoming a policy, and ceasing to be one.
    await client.edit(plain, 1, 1, '"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}, ');
    assert.deepEqual(
      (await client.settled(plain)).map((d) => d.code),
      ['unknown-element', 'json-trailing-comma', 'json-comment'],
    );
    const text = client.text(plain);
    await client.edit(plain, text.indexOf('"Statement"'), text.indexOf('"Statement"') + 11, '"Other"');
    assert.deepEqual(await client.diagnostics(plain), []);
  });

  it('quick-fixes a curly quote, and the document is then clean', async () => {
    const uri = nextUri();
    const text = POLICY.replace('"Allow"', '\u201cAllow\u201d');
    await client.open(uri, text);
    const diagnostics = await client.diagnostics(uri);
    const charDiagnostic = diagnostics.find((d) => d.code === 'disallowed-character')!;
    const actions = await client.codeActions(uri, charDiagnostic.range, [charDiagnostic]);
    const preferred = actions.find((action) => action.isPreferred)!;
    assert.equal(preferred.title, 'Replace U+201C LEFT DOUBLE QUOTATION MARK with "');
    assert.deepEqual(preferred.diagnostics, [charDiagnostic]);
    const fixAllInList = actions.find((action) => action.title === 'Fix all disallowed characters with ASCII equivalents')!;
    await client.applyEdit(fixAllInList.edit!);
    assert.equal(client.text(uri), POLICY);
    assert.deepEqual(await client.settled(uri), []);
  });

  it('offers source.fixAll.iamPolicy for fix-on-save', async () => {
    const uri = nextUri();
    await client.open(uri, POLICY.replace('"s3:ListBucket"]', '"s3:ListBucket",]').replace('ReadBucket', 'Read\u200bBucket'));
    assert.deepEqual(
      (await client.settled(uri)).map((d) => d.code),
      ['invalid-sid', 'disallowed-character', 'json-trailing-comma'],
    );
    const whole = { start: { line: 0, character: 0 }, end: client.document(uri).positionAt(client.text(uri).length) };
    const actions = await client.codeActions(uri, whole, [], ['source.fixAll']);
    assert.deepEqual(
      actions.map((action) => [action.kind, action.title]),
      [['source.fixAll.iamPolicy', 'Fix all safely fixable IAM policy problems']],
    );
    await client.applyEdit(actions[0].edit!);
    assert.equal(client.text(uri), POLICY);
    assert.deepEqual(await client.settled(uri), []);
    const none = await client.codeActions(uri, whole, [], ['source.fixAll']);
    assert.deepEqual(none, []);
  });

  it('fixes a Sid, a comment, a trailing comma and an oversized document', async () => {
    const uri = nextUri();
    await client.open(uri, POLICY.replace('"ReadBucket"', '"Read bucket!"').replace('{\n  "Version"', '{\n  // mine\n  "Version"'));
    const diagnostics = await client.settled(uri);
    for (const code of ['invalid-sid', 'json-comment']) {
      const current = await client.diagnostics(uri);
      const diagnostic = current.find((d) => d.code === code)!;
      const [action] = (await client.codeActions(uri, diagnostic.range, [diagnostic])).filter((a) => a.isPreferred);
      await client.applyEdit(action.edit!);
    }
    assert.equal(diagnostics.length, 2);
    assert.equal(client.text(uri), POLICY.replace('"ReadBucket"', '"Readbucket"'));
    assert.deepEqual(await client.settled(uri), []);

    const big = nextUri();
    // 1,600 statements, each on its own object (the same statement twice is redundant-statement).
    const statements = Array.from(
      { length: 1600 },
      (_, i) => `    {\n      "Effect": "Allow",\n      "Action": "s3:GetObject",\n      "Resource": "arn:aws:s3:::b/${i}"\n    }`,
    );
    const text = `{\n  "Version": "2012-10-17",\n  "Statement": [\n${statements.join(',\n')}\n  ]\n}\n`;
    await client.open(big, text);
    const [size] = await client.settled(big);
    assert.equal(size.code, 'document-too-large');
    assert.equal(size.range.end.line, client.document(big).positionAt(text.length).line);
    const [minify] = await client.codeActions(big, size.range, [size]);
    assert.match(minify.title, /^Minify the document/);
    await client.applyEdit(minify.edit!);
    assert.ok(client.text(big).length < 131_072);
    // Within IAM's limit now; still far over what a managed policy holds, which is Information.
    assert.deepEqual(
      (await client.settled(big)).map((d) => [d.code, d.severity]),
      [['managed-policy-size', 3]],
    );
  });

  it('renames a file whose name is not a valid policy name', async () => {
    const uri = nextUri('read%20only%20(s3).iam.json');
    await client.open(uri, POLICY);
    const [diagnostic] = await client.settled(uri);
    assert.equal(diagnostic.code, 'invalid-policy-file-name');
    const [action] = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    assert.equal(action.title, 'Rename the file to read-only-s3.iam.json');
    assert.deepEqual(action.edit?.documentChanges, [
      {
        kind: 'rename',
        oldUri: uri,
        newUri: uri.replace('read%20only%20(s3).iam.json', 'read-only-s3.iam.json'),
        options: { overwrite: false, ignoreIfExists: false },
      },
    ]);
  });
});

describe('settings', () => {
  const text = POLICY.replace('"ReadBucket"', '"Read bucket"').replace('"s3:ListBucket"]', '"s3:ListBucket",]');

  it('reads workspace/configuration and applies changes without a restart', async () => {
    const { client } = await LspTestClient.start({ settings: { rules: { 'json-trailing-comma': 'warning' } } });
    try {
      const uri = nextUri();
      await client.open(uri, text);
      const first = await client.settled(uri);
      assert.deepEqual(
        first.map((d: Diagnostic) => [d.code, d.severity]),
        [
          ['invalid-sid', 1],
          ['json-trailing-comma', 2],
        ],
      );
      assert.ok(client.configurationRequests.length >= 1);

      client.forgetDiagnostics(uri);
      await client.changeSettings({ rules: { 'invalid-sid': 'off', 'json-trailing-comma': 'info' } });
      const second = await client.diagnostics(uri);
      assert.deepEqual(
        second.map((d: Diagnostic) => [d.code, d.severity]),
        [['json-trailing-comma', 3]],
      );

      client.forgetDiagnostics(uri);
      await client.changeSettings({ maxNumberOfProblems: 1 });
      const third = await client.diagnostics(uri);
      assert.deepEqual(
        third.map((d: Diagnostic) => d.code),
        ['invalid-sid', 'too-many-problems'],
      );
      assert.equal(third[1].message, '1 more problem not shown (the iamPolicy.maxNumberOfProblems setting is 1).');

      client.forgetDiagnostics(uri);
      await client.changeSettings({ enable: false });
      assert.deepEqual(await client.diagnostics(uri), []);
      // While disabled, edits publish nothing.
      await client.edit(uri, 0, 0, ' ');
      client.forgetDiagnostics(uri);
      await client.changeSettings({ enable: true, rules: { 'not-a-rule': 'off' } });
      assert.equal((await client.diagnostics(uri)).length, 2);
      assert.ok(client.logMessages.some((message) => message.includes('unknown rule code "not-a-rule"')));
    } finally {
      await client.stop();
    }
  });

  it('asks for the settings once per directory and language, and again after they change', async () => {
    const { client } = await LspTestClient.start({ settings: { rules: { 'invalid-sid': 'warning' } } });
    try {
      const broken = POLICY.replace('"ReadBucket"', '"a b"');
      const open = async (uri: string, languageId = 'iam-policy'): Promise<Array<[unknown, unknown]>> => {
        await client.open(uri, broken, languageId);
        return (await client.settled(uri)).map((d: Diagnostic) => [d.code, d.severity]);
      };
      const scopes = (): string[] => client.configurationRequests.map((request) => (request as { items: Array<{ scopeUri: string }> }).items[0].scopeUri);
      assert.deepEqual(await open('file:///settings/one/a.iam.json'), [['invalid-sid', 2]]);
      assert.deepEqual(await open('file:///settings/one/b.iam.json'), [['invalid-sid', 2]]);
      assert.deepEqual(scopes(), ['file:///settings/one/a.iam.json']);
      // Another directory, another language in the same one, a document that is no file: each asked for.
      await open('file:///settings/two/c.iam.json');
      await open('file:///settings/one/d.json', 'json');
      await open('untitled:Untitled-1', 'iam-policy');
      await open('untitled:Untitled-2', 'iam-policy');
      assert.deepEqual(scopes(), [
        'file:///settings/one/a.iam.json',
        'file:///settings/two/c.iam.json',
        'file:///settings/one/d.json',
        'untitled:Untitled-1',
        'untitled:Untitled-2',
      ]);
      // Changed settings are asked for again, once for the directory.
      client.configurationRequests.length = 0;
      client.forgetDiagnostics('file:///settings/one/a.iam.json');
      client.forgetDiagnostics('file:///settings/one/b.iam.json');
      await client.changeSettings({ rules: { 'invalid-sid': 'info' } });
      for (const uri of ['file:///settings/one/a.iam.json', 'file:///settings/one/b.iam.json'])
        assert.deepEqual(
          (await client.diagnostics(uri)).map((d: Diagnostic) => [d.code, d.severity]),
          [['invalid-sid', 3]],
        );
      assert.equal(scopes().filter((scope) => scope.startsWith('file:///settings/one/') && scope.endsWith('.iam.json')).length, 1);
    } finally {
      await client.stop();
    }
  });

  it('takes settings from didChangeConfiguration and initializationOptions when the client cannot be asked', async () => {
    const { client } = await LspTestClient.start({
      noConfigurationCapability: true,
      initializationOptions: { settings: { rules: { 'invalid-sid': 'warning' } } },
    });
    try {
      const uri = nextUri();
      await client.open(uri, text);
      assert.deepEqual(
        (await client.settled(uri)).map((d: Diagnostic) => [d.code, d.severity]),
        [
          ['invalid-sid', 2],
          ['json-trailing-comma', 1],
        ],
      );
      assert.equal(client.configurationRequests.length, 0);
      client.forgetDiagnostics(uri);
      await client.changeSettings({ rules: { 'json-trailing-comma': 'off' } });
      assert.deepEqual(
        (await client.diagnostics(uri)).map((d: Diagnostic) => d.code),
        ['invalid-sid'],
      );
    } finally {
      await client.stop();
    }
  });
});

describe('the repository configuration file', () => {
  it('applies the nearest .iam-policy.json, under the editor settings, and follows its changes', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-policy-config-'));
    const nested = path.join(folder, 'policies', 'team');
    fs.mkdirSync(nested, { recursive: true });
    const config = path.join(folder, '.iam-policy.json');
    fs.writeFileSync(config, JSON.stringify({ rules: { 'invalid-sid': 'off', 'json-trailing-comma': 'warning' } }));
    const { client } = await LspTestClient.start({ settings: { rules: { 'json-trailing-comma': 'info' } } });
    try {
      const uri = pathToFileURL(path.join(nested, 'read.iam.json')).toString();
      await client.open(uri, POLICY.replace('"ReadBucket"', '"Read bucket"').replace('"s3:ListBucket"]', '"s3:ListBucket",]'));
      // invalid-sid is off by the file; the trailing comma is the editor's "info" over the file's "warning".
      assert.deepEqual(
        (await client.settled(uri)).map((d: Diagnostic) => [d.code, d.severity]),
        [['json-trailing-comma', 3]],
      );

      fs.writeFileSync(config, JSON.stringify({ rules: {}, maxNumberOfProblems: 1 }));
      client.forgetDiagnostics(uri);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).toString(), type: 2 }] });
      assert.deepEqual(
        (await client.settled(uri)).map((d: Diagnostic) => d.code),
        ['invalid-sid', 'too-many-problems'],
      );

      fs.writeFileSync(config, '{"rules": {"no-such-rule": "off"}}');
      client.forgetDiagnostics(uri);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).toString(), type: 2 }] });
      assert.equal((await client.settled(uri)).length, 2);
      assert.ok(
        client.logMessages.some((message) => message.includes('no-such-rule')),
        client.logMessages.join('\n'),
      );
      // This client does not answer window/showMessageRequest (it replies with an error), as
      // some editors do not: the warning goes to the log, and the server stays up.
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(!client.hasExited, `the server died: ${client.stderr}`);
      assert.equal(await client.connection.sendRequest('shutdown'), null, 'the server still answers');
      assert.equal(client.stderr, '');
    } finally {
      await client.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the iam-policy-language-server command', () => {
  it('prints usage and version', () => {
    const help = spawnSync(process.execPath, [SERVER_BIN, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: iam-policy-language-server \[--stdio/);
    const version = spawnSync(process.execPath, [SERVER_BIN, '--version'], { encoding: 'utf8' });
    assert.equal(version.stdout.trim(), (JSON.parse(fs.readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as { version: string }).version);
  });

  it('ends when the editor closes its standard input: exit code 1 without a shutdown first, 0 after one', async () => {
    const exitCode = (client: LspTestClient): Promise<number | null> =>
      new Promise((resolve) => (client.hasExited ? resolve(client.process.exitCode) : client.process.once('exit', (code) => resolve(code))));
    const abandoned = (await LspTestClient.start()).client;
    abandoned.process.stdin!.end();
    assert.equal(await exitCode(abandoned), 1);
    const orderly = (await LspTestClient.start()).client;
    await orderly.connection.sendRequest('shutdown');
    orderly.process.stdin!.end();
    assert.equal(await exitCode(orderly), 0);
    assert.equal(abandoned.stderr + orderly.stderr, '');
  });

  it('talks LSP on stdio when started without a transport flag', async () => {
    const { client } = await LspTestClient.start({ args: [] });
    try {
      const uri = nextUri();
      await client.open(uri, POLICY.replace('"ReadBucket"', '"a b"'));
      assert.deepEqual(
        (await client.settled(uri)).map((d: Diagnostic) => d.code),
        ['invalid-sid'],
      );
    } finally {
      await client.stop();
    }
  });
});
