/**
 * Helpers for the suite that runs inside VS Code. The workspace is a fresh copy of
 * test/vscode/workspace (made by the harness, or by scripts/test-vscode-electron.mjs), so
 * tests may edit, save and rename its files.
 */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'iam-policy-tools.iam-policy-language';
export const SOURCE = 'iam-policy';
export const LANGUAGE_ID = 'iam-policy';

/** The commands the extension registers (client/src/commands/index.ts). */
export const EXPECTED_COMMANDS = [
  'iamPolicy.pushToUser',
  'iamPolicy.pushToGroup',
  'iamPolicy.pushToRole',
  'iamPolicy.push',
  'iamPolicy.pushAgain',
  'iamPolicy.setUserPermissionsBoundary',
  'iamPolicy.selectProfile',
  'iamPolicy.diffAnswerYes',
  'iamPolicy.diffAnswerNo',
  'iamPolicy.explorer.refresh',
  'iamPolicy.explorer.filter',
  'iamPolicy.explorer.clearFilter',
  'iamPolicy.openPolicy',
  'iamPolicy.saveToFile',
  'iamPolicy.deleteInlinePolicy',
  'iamPolicy.detachPolicy',
  'iamPolicy.attachPolicy',
  'iamPolicy.createManagedPolicy',
  'iamPolicy.pushPolicyVersion',
  'iamPolicy.updateTrustPolicy',
  'iamPolicy.setRolePermissionsBoundary',
  'iamPolicy.removePermissionsBoundary',
];

/** The commands that need no AWS (client/src/grants): on in Restricted Mode too. */
export const OFFLINE_COMMANDS = ['iamPolicy.showPolicySummary', 'iamPolicy.simulate'];

/** How long the language server gets to answer (it validates on each change, no debounce). */
export const TIMEOUT_MS = 15_000;

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined) throw new Error('No workspace folder is open: the suite needs the copy of test/vscode/workspace.');
  return folder.uri;
}

export function fileUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(), name);
}

export async function open(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fileUri(name));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** The extension's diagnostics for a document (VS Code's own JSON checks are left out). */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SOURCE);
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

export function listDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics
    .map(
      (d) =>
        `${codeOf(d)} ${vscode.DiagnosticSeverity[d.severity]} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`,
    )
    .join('\n  ');
}

/**
 * Waits until `probe` returns something other than undefined or false, checking on every
 * diagnostics change and every 50 ms. On timeout the error says what was awaited and what
 * `explain` reports about the state at that point.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, explain: () => string = () => '', timeoutMs = TIMEOUT_MS): Promise<T> {
  const first = probe();
  if (first !== undefined && first !== false) return first;
  return new Promise<T>((resolve, reject) => {
    const check = (): void => {
      const value = probe();
      if (value !== undefined && value !== false) {
        finish();
        resolve(value);
      }
    };
    const subscription = vscode.languages.onDidChangeDiagnostics(check);
    const interval = setInterval(check, 50);
    const timer = setTimeout(() => {
      finish();
      const state = explain();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${state ? `\n  ${state}` : ''}`));
    }, timeoutMs);
    function finish(): void {
      subscription.dispose();
      clearInterval(interval);
      clearTimeout(timer);
    }
  });
}

/** Waits until the extension's diagnostics for `uri` satisfy `accept`, and returns them. */
export function waitForDiagnostics(uri: vscode.Uri, what: string, accept: (diagnostics: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} in ${vscode.workspace.asRelativePath(uri)}`,
    () => {
      const diagnostics = ours(uri);
      return accept(diagnostics) && diagnostics;
    },
    () => `its diagnostics: ${listDiagnostics(ours(uri))}`,
  );
}

/** Diagnostics with these codes, in any order (and no others). */
export function hasCodes(...codes: string[]): (diagnostics: vscode.Diagnostic[]) => boolean {
  const expected = [...codes].sort().join(',');
  return (diagnostics) => diagnostics.map(codeOf).sort().join(',') === expected;
}

export async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<Array<vscode.CodeAction | vscode.Command>>('vscode.executeCodeActionProvider', uri, range);
  return (actions ?? []).filter((action): action is vscode.CodeAction => !('command' in action && typeof action.command === 'string'));
}

/** Reopens a file's text as it is on disk, dropping unsaved edits of an earlier test. */
export async function revert(name: string): Promise<void> {
  const uri = fileUri(name);
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open?.isDirty) {
    await vscode.window.showTextDocument(open);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
}
