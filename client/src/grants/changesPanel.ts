/**
 * The grant changes before an overwrite, beside the text diff: what the editor's version grants
 * that IAM's does not, and what it stops granting (permissions management first). Opened and
 * closed with the diff (see VscodeUi.showDiff).
 */
import * as vscode from 'vscode';
import type { GrantsDiff } from 'iam-policy-engine';
import { renderChanges, webviewPage } from './render';
import { nonce } from './webview';

export const CHANGES_VIEW_TYPE = 'iamPolicy.grantChanges';

export function showGrantChanges(diff: GrantsDiff, before: string, after: string): vscode.Disposable {
  const panel = vscode.window.createWebviewPanel(
    CHANGES_VIEW_TYPE,
    `What changes: ${after}`,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { enableScripts: false, localResourceRoots: [] },
  );
  panel.webview.html = webviewPage({
    nonce: nonce(),
    cspSource: panel.webview.cspSource,
    title: 'What changes',
    body: renderChanges(diff, before, after),
    search: false,
    script: '',
  });
  return { dispose: () => panel.dispose() };
}
