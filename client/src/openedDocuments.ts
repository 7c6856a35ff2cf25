/**
 * Policies opened from the IAM view, as editable documents: unsaved (untitled) documents named
 * after the policy (`ReadReports.iam.json`), so the language server checks them as you type
 * and nothing is written to disk until the person saves. Their path is in the workspace folder:
 * Save (Ctrl+S) puts the local copy there, Save As anywhere; a name taken by a file there is
 * skipped, since VS Code refuses an untitled document over an existing file.
 *
 * Opening the same policy again shows the document already open, edits and all.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { OpenDocumentOptions } from './commands/ui';

export class OpenedPolicyDocuments {
  private readonly byOrigin = new Map<string, string>();

  async open(options: OpenDocumentOptions): Promise<{ document: vscode.TextDocument; reused: boolean }> {
    const known = this.byOrigin.get(options.origin);
    const open = known !== undefined ? vscode.workspace.textDocuments.find((document) => document.uri.toString() === known && !document.isClosed) : undefined;
    if (open !== undefined) {
      await vscode.window.showTextDocument(open, { preview: false });
      return { document: open, reused: true };
    }
    const uri = await this.freeUntitledUri(options.names);
    const document = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), options.text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`Could not put the policy's text into ${uri.path}.`);
    await vscode.window.showTextDocument(document, { preview: false });
    this.byOrigin.set(options.origin, uri.toString());
    return { document, reused: false };
  }

  /** The untitled document's key for a saved file of the same path, if one was opened here. */
  untitledKeyOf(file: vscode.Uri): string | undefined {
    const key = vscode.Uri.from({ scheme: 'untitled', path: file.path }).toString();
    return [...this.byOrigin.values()].includes(key) ? key : undefined;
  }

  /** Follows a document to where it was saved: opening its origin again shows the file. */
  moved(from: string, to: string): void {
    for (const [origin, key] of this.byOrigin) if (key === from) this.byOrigin.set(origin, to);
  }

  private async freeUntitledUri(names: readonly string[]): Promise<vscode.Uri> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const numbered = (name: string, n: number): string => name.replace(/(\.iam\.json)?$/, `-${n}$1`);
    const candidates = [...names, ...Array.from({ length: 50 }, (_, i) => numbered(names[names.length - 1] ?? 'policy.iam.json', i + 2))];
    for (const name of candidates) {
      const file = vscode.Uri.joinPath(folder, name);
      const untitled = vscode.Uri.from({ scheme: 'untitled', path: file.path });
      if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === untitled.toString() || document.uri.toString() === file.toString()))
        continue;
      if (await exists(file)) continue;
      return untitled;
    }
    throw new Error(`No free name for the policy in ${folder.path}: ${names.join(', ')} and 50 more are taken.`);
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
