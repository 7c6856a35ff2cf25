/**
 * A diagnostic's code leads to that rule's documentation, rendered, in the editor: the code's
 * link (what the Problems panel and the hover open) is the extension's command, and the command
 * shows the packaged README in the Markdown preview at the rule's section. The UI test clicks
 * the link in the Problems panel and checks the preview is scrolled to the section.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, hasCodes, open, waitFor, waitForDiagnostics } from './helpers';

const COMMAND = 'iamPolicy.showRuleDocumentation';

/** The tab of the Markdown preview, when one is open. */
function previewTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('markdown.preview'));
}

suite('Rule documentation', () => {
  test("a diagnostic's code links to the command that shows its documentation", async () => {
    // (trailing-comma.iam.json is fixed by the quick fix tests before this file's.)
    const editor = await open('duplicate-key.iam.json');
    const diagnostics = await waitForDiagnostics(editor.document.uri, 'json-duplicate-key', hasCodes('json-duplicate-key'));
    const code = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'json-duplicate-key')?.code;
    assert.ok(typeof code === 'object' && code !== null, 'the code has a link');
    assert.equal(code.value, 'json-duplicate-key');
    assert.equal(code.target.scheme, 'command');
    assert.equal(code.target.path, COMMAND);
    assert.deepEqual(JSON.parse(decodeURIComponent(code.target.query)), ['json-duplicate-key']);
  });

  test('the command opens the README in the Markdown preview; the document it shows has every section and no image', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(COMMAND, 'json-trailing-comma');
    const tab = await waitFor('the Markdown preview', () => previewTab());
    assert.equal(tab.label, 'Preview IAM Policy documentation.md');
    // What the preview renders (the Markdown extension may run in another extension host): the
    // document of the extension's own scheme, from the packaged README.
    const text = (await vscode.workspace.openTextDocument(vscode.Uri.parse('iam-policy-docs:/IAM%20Policy%20documentation.md'))).getText();
    for (const heading of ['## Diagnostics', '### json-trailing-comma', '### disallowed-character', '### resource-star']) {
      assert.ok(text.split('\n').includes(heading), `${heading} is in it`);
    }
    assert.doesNotMatch(text, /!\[[^\]]*\]\(/, 'no image: their relative paths lead nowhere there');
    // Not the README file itself: opening that gets VS Code's warnings for extension READMEs.
    assert.ok(!vscode.workspace.textDocuments.some((document) => /\/readme\.md$/i.test(document.uri.path)), 'the README file was not opened');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
