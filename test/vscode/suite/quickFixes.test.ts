/**
 * Quick fixes as VS Code asks for them (vscode.executeCodeActionProvider) and applies them
 * (workspace.applyEdit): the edit lands and the diagnostic goes away.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, fileUri, hasCodes, open, ours, quickFixes, waitForDiagnostics } from './helpers';

async function fixFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic, title: string): Promise<vscode.CodeAction> {
  const actions = await quickFixes(uri, diagnostic.range);
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(action, `no fix titled ${JSON.stringify(title)}; offered: ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(action.edit, 'the fix carries its edit');
  return action;
}

suite('Quick fixes', () => {
  test('the curly quote fix replaces “ with " and its diagnostic goes away', async () => {
    const editor = await open('curly-quotes.iam.json');
    const uri = editor.document.uri;
    const before = await waitForDiagnostics(uri, 'the curly quotes', (d) => d.some((item) => item.message.includes('U+201C')));
    const left = before.find((item) => item.message.includes('U+201C'))!;

    const fix = await fixFor(uri, left, 'Replace U+201C LEFT DOUBLE QUOTATION MARK with "');
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.equal(fix.isPreferred, true);
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);

    assert.equal(editor.document.lineAt(5).text, '      "Effect": "Allow”,');
    await waitForDiagnostics(
      uri,
      'U+201C gone, U+201D left',
      (d) => !d.some((item) => item.message.includes('U+201C')) && d.some((item) => item.message.includes('U+201D')),
    );

    const right = ours(uri).find((item) => item.message.includes('U+201D'))!;
    assert.equal(await vscode.workspace.applyEdit((await fixFor(uri, right, 'Replace U+201D RIGHT DOUBLE QUOTATION MARK with "')).edit!), true);
    assert.equal(editor.document.lineAt(5).text, '      "Effect": "Allow",');
    await waitForDiagnostics(uri, 'no problem left (the JSON error went with the quotes)', (d) => d.length === 0);
  });

  test('the trailing comma fix removes it', async () => {
    const editor = await open('trailing-comma.iam.json');
    const uri = editor.document.uri;
    const [comma] = await waitForDiagnostics(uri, 'the trailing comma', hasCodes('json-trailing-comma'));
    assert.equal(await vscode.workspace.applyEdit((await fixFor(uri, comma, 'Remove the trailing comma')).edit!), true);
    assert.equal(editor.document.lineAt(6).text, '      "Resource": "arn:aws:s3:::example-reports/*"');
    await waitForDiagnostics(uri, 'no problem left', (d) => d.length === 0);
    await editor.document.save();
  });

  test('the Sid fixes make Sids valid and unique', async () => {
    const editor = await open('sids.iam.json');
    const uri = editor.document.uri;
    const before = await waitForDiagnostics(uri, 'the Sid problems', hasCodes('invalid-sid', 'duplicate-sid', 'invalid-arn-entity-name'));
    const invalid = before.find((d) => codeOf(d) === 'invalid-sid')!;
    assert.equal(await vscode.workspace.applyEdit((await fixFor(uri, invalid, 'Change the Sid to "AllowS3"')).edit!), true);
    const afterFirst = await waitForDiagnostics(uri, 'invalid-sid gone', hasCodes('duplicate-sid', 'invalid-arn-entity-name'));
    const duplicate = afterFirst.find((d) => codeOf(d) === 'duplicate-sid')!;
    assert.equal(await vscode.workspace.applyEdit((await fixFor(uri, duplicate, 'Change the Sid to "Read2"')).edit!), true);
    await waitForDiagnostics(uri, 'duplicate-sid gone', hasCodes('invalid-arn-entity-name'));
  });

  test('the file name fix renames "bad name.iam.json" to "bad-name.iam.json" (a rename only the editor can do)', async () => {
    const editor = await open('bad name.iam.json');
    const uri = editor.document.uri;
    const [diagnostic] = await waitForDiagnostics(uri, 'invalid-policy-file-name', hasCodes('invalid-policy-file-name'));
    const fix = await fixFor(uri, diagnostic, 'Rename the file to bad-name.iam.json');
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    const renamed = fileUri('bad-name.iam.json');
    await vscode.workspace.fs.stat(renamed); // throws if it is not there
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(uri)), 'the old name is gone');
    const reopened = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(renamed));
    assert.equal(reopened.document.languageId, 'iam-policy');
    // An empty list proves nothing (it is also what a document never checked has): add a
    // problem, and the server's answer shows whether it still complains about the name.
    const end = reopened.document.lineAt(reopened.document.lineCount - 1).range.end;
    await reopened.edit((builder) => builder.insert(end, '// note'));
    await waitForDiagnostics(renamed, 'json-comment alone: the new name is fine', hasCodes('json-comment'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForDiagnostics(renamed, 'no problem', (d) => d.length === 0);
  });
});
