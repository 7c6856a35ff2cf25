/**
 * What a policy grants, in VS Code: the CodeLens on each statement, Show Policy Summary (the
 * panel beside the editor, following edits), Simulate a Request… with its arguments given, and
 * the manifest entries of these commands, which work without AWS and so in Restricted Mode.
 * The UI test (test/vscode/ui.test.ts) clicks through the same in the workbench.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, OFFLINE_COMMANDS, open, revert, waitFor } from './helpers';

interface SummaryLike {
  version: number;
  totals: { actions: number; services: number };
  statements: Array<{ headline: string }>;
}

interface SimulationLike {
  decision: string;
  deciding: number[];
  summary: string;
}

function summaryTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('iamPolicy.summary'));
}

suite('What a policy grants', () => {
  test('each statement has a CodeLens that says what it grants and opens the summary there', async () => {
    const editor = await open('read-reports.iam.json');
    const uri = editor.document.uri;
    const lenses = await lensesOf(uri);
    assert.deepEqual(
      lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command, lens.command?.arguments]),
      [[3, 'Allows 2 actions in 1 service: List and Read only', 'iamPolicy.showPolicySummary', [uri.toString(), 0]]],
    );
  });

  test('Show Policy Summary opens the summary beside the editor, and it follows the text', async () => {
    const editor = await open('read-reports.iam.json');
    try {
      const first = await vscode.commands.executeCommand<SummaryLike>('iamPolicy.showPolicySummary', editor.document.uri);
      assert.deepEqual([first.totals.actions, first.totals.services], [2, 1]);
      // The tab reaches the extension host's model a moment after the panel is made.
      const tab = await waitFor(
        'the summary tab',
        () => summaryTabs()[0],
        () => `tabs: ${vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((each) => each.label)).join(', ')}`,
      );
      assert.equal(summaryTabs().length, 1);
      assert.equal(tab.label, 'Summary: read-reports.iam.json');
      const edit = new vscode.WorkspaceEdit();
      const text = editor.document.getText();
      const at = text.indexOf('"s3:ListBucket"') + '"s3:ListBucket"'.length;
      edit.insert(editor.document.uri, editor.document.positionAt(at), ', "iam:PassRole"');
      assert.ok(await vscode.workspace.applyEdit(edit));
      // Opening it again shows the same panel, with the text as it is now.
      const second = await vscode.commands.executeCommand<SummaryLike>('iamPolicy.showPolicySummary', editor.document.uri, 0);
      assert.equal(second.version, editor.document.version);
      assert.deepEqual([second.totals.actions, second.totals.services], [3, 2]);
      assert.equal(summaryTabs().length, 1, 'one summary panel');
    } finally {
      await revert('read-reports.iam.json');
      for (const tab of summaryTabs()) await vscode.window.tabGroups.close(tab);
    }
  });

  test('Simulate a Request… answers from the policy in the editor, naming the deciding statement', async () => {
    const editor = await open('read-reports.iam.json');
    const allowed = await vscode.commands.executeCommand<SimulationLike>('iamPolicy.simulate', {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::example-reports/q1.csv',
    });
    assert.deepEqual([allowed.decision, allowed.deciding], ['allowed', [0]]);
    assert.equal(allowed.summary, 'Allowed: statement 1 (ReadReports) allows s3:GetObject on arn:aws:s3:::example-reports/q1.csv.');
    const notAllowed = await vscode.commands.executeCommand<SimulationLike>('iamPolicy.simulate', {
      action: 's3:DeleteObject',
      resource: 'arn:aws:s3:::example-reports/q1.csv',
    });
    assert.equal(notAllowed.decision, 'implicit-deny');
    assert.equal(editor.document.isDirty, false, 'nothing was changed');
  });

  test('the summary and the simulator are in the palette and menus without needing a trusted workspace', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { menus: Record<string, Array<{ command?: string; when?: string; group?: string }>> };
    };
    const { menus } = manifest.contributes;
    for (const id of OFFLINE_COMMANDS) {
      assert.equal(
        menus.commandPalette.find((entry) => entry.command === id)?.when,
        'editorLangId == iam-policy || editorLangId == json || editorLangId == jsonc',
        id,
      );
      assert.ok(
        menus['iamPolicy.editorContext'].some((entry) => entry.command === id),
        `${id} in the IAM Policy submenu`,
      );
    }
    const button = menus['editor/title'].find((entry) => entry.command === 'iamPolicy.showPolicySummary' && entry.group?.startsWith('navigation'));
    assert.ok(button, 'a button in the editor title');
    // VS Code may reorder a when clause's terms, and quotes the scheme, when it reads the manifest back.
    assert.deepEqual(
      new Set(button.when?.split('&&').map((term) => term.trim().replace(/'/g, ''))),
      new Set(['iamPolicy.isPolicyDocument', 'resourceScheme != iam-policy-view']),
    );
  });
});

/** The document's CodeLenses once the server has answered with some. */
async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10)) ?? [];
    const ours = lenses.filter((lens) => lens.command?.command === 'iamPolicy.showPolicySummary');
    if (ours.length > 0) return ours;
    if (Date.now() > deadline) throw new Error('no CodeLens from the IAM policy server');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
