import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXPECTED_COMMANDS, EXTENSION_ID, fileUri, LANGUAGE_ID, listDiagnostics, open, ours, waitFor, waitForDiagnostics } from './helpers';

suite('Activation', () => {
  test('a *.iam.json file gets the iam-policy language and activates the extension', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    // The runner checks this line: the code under test is the copy it installed.
    console.log(`Extension under test: ${extension.extensionUri.fsPath} (${extension.packageJSON.version})`);
    // When this fails, what was open says which document woke the extension (onLanguage:json).
    const open_ = vscode.workspace.textDocuments.map((document) => `${document.uri.toString()} (${document.languageId})`);
    assert.equal(extension.isActive, false, `active before any policy was opened; documents open: ${open_.join(', ') || 'none'}`);
    const editor = await open('read-reports.iam.json');
    assert.equal(editor.document.languageId, LANGUAGE_ID);
    await waitFor(`${EXTENSION_ID} to activate`, () => extension.isActive);
  });

  test('a valid policy has no problems, and a broken one opened after it has', async () => {
    // The server answers documents in the order they open: once the second one's diagnostics
    // are there, the first one has been checked too.
    await open('read-reports.iam.json');
    const broken = (await open('trailing-comma.iam.json')).document.uri;
    await waitForDiagnostics(broken, 'json-trailing-comma', (d) => d.length > 0);
    assert.equal(listDiagnostics(ours(fileUri('read-reports.iam.json'))), '(none)');
  });

  test('plain JSON is checked only when it has a Statement key', async () => {
    const other = await open('app-config.json');
    const policy = await open('bucket-policy.json');
    assert.equal(policy.document.languageId, 'json');
    await waitForDiagnostics(policy.document.uri, 'json-trailing-comma', (d) => d.length === 1);
    assert.equal(listDiagnostics(ours(other.document.uri)), '(none)', 'app-config.json has no Statement: not a policy');
  });

  test('the push, boundary and profile commands are registered once the extension is active', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      EXPECTED_COMMANDS.filter((id) => !registered.has(id)),
      [],
      'not registered',
    );
  });

  test('every command the manifest contributes is registered', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const contributed = ((extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? []).map(
      (c) => c.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed but not registered',
    );
  });
});
