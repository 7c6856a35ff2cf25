/**
 * The language client follows settings without a restart: iamPolicy.rules turns a code off,
 * changes its severity and turns it back on, and the server keeps answering edits throughout.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, hasCodes, open, waitForDiagnostics } from './helpers';

suite('Settings', () => {
  const rules = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('iamPolicy');

  teardown(async () => {
    await rules().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('iamPolicy.rules: off removes a diagnostic, a severity changes it, removing the setting brings it back', async () => {
    const editor = await open('bucket-policy.json');
    const uri = editor.document.uri;
    await waitForDiagnostics(
      uri,
      'json-trailing-comma as an error',
      (d) => hasCodes('json-trailing-comma')(d) && d[0].severity === vscode.DiagnosticSeverity.Error,
    );

    await rules().update('rules', { 'json-trailing-comma': 'off' }, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri, 'json-trailing-comma turned off', (d) => d.length === 0);

    // Still listening: an edit that adds another kind of problem is reported.
    await editor.edit((builder) => builder.insert(new vscode.Position(2, 0), '  // checked\n'));
    await waitForDiagnostics(uri, 'the new comment, the comma still off', hasCodes('json-comment'));

    await rules().update('rules', { 'json-trailing-comma': 'warning' }, vscode.ConfigurationTarget.Workspace);
    const warned = await waitForDiagnostics(
      uri,
      'json-trailing-comma as a warning',
      (d) =>
        hasCodes('json-comment', 'json-trailing-comma')(d) &&
        d.some((item) => codeOf(item) === 'json-trailing-comma' && item.severity === vscode.DiagnosticSeverity.Warning),
    );
    assert.equal(warned.find((item) => codeOf(item) === 'json-comment')?.severity, vscode.DiagnosticSeverity.Error);

    await rules().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(
      uri,
      'json-trailing-comma back as an error',
      (d) => hasCodes('json-comment', 'json-trailing-comma')(d) && d.every((item) => item.severity === vscode.DiagnosticSeverity.Error),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
