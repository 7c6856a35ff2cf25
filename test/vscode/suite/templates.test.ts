/**
 * CloudFormation templates in VS Code: a YAML template opened in the editor gets diagnostics on
 * its policies' text through the language client; YAML that is not a template gets none.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, fileUri, hasCodes, listDiagnostics, open, ours, waitForDiagnostics } from './helpers';

suite('CloudFormation templates', () => {
  test("a YAML template's policy gets its diagnostics on the template's text", async () => {
    const editor = await open('infra/stack.yaml');
    assert.equal(editor.document.languageId, 'yaml');
    const diagnostics = await waitForDiagnostics(editor.document.uri, 'invalid-sid', hasCodes('invalid-sid'));
    const sid = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'invalid-sid')!;
    assert.equal(editor.document.getText(sid.range), 'Read Reports');
    assert.equal(sid.severity, vscode.DiagnosticSeverity.Error);
    // The !Sub's unknown bucket is no finding.
    assert.equal(diagnostics.length, 1, listDiagnostics(diagnostics));
  });

  test('YAML that is not a template is left alone', async () => {
    const other = await open('infra/values.yaml');
    assert.equal(other.document.languageId, 'yaml');
    // The server answers documents in the order they open: once a template opened after it
    // has its diagnostics, this one has been seen too.
    const later = fileUri('generated/later.yaml');
    const text = (await vscode.workspace.fs.readFile(fileUri('infra/stack.yaml'))).toString();
    await vscode.workspace.fs.writeFile(
      later,
      new TextEncoder().encode(text.replace('Effect: Allow\n                Action: s3:GetObject', 'Effect: Alow\n                Action: s3:GetObject')),
    );
    const template = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(later));
    await waitForDiagnostics(template.document.uri, 'invalid-sid + invalid-effect', hasCodes('invalid-sid', 'invalid-effect'));
    assert.equal(listDiagnostics(ours(other.document.uri)), '(none)');
  });
});
