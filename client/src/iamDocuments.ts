/**
 * Read-only documents for the push diff: IAM's version of a policy and the editor's, as
 * compared. They live under their own URI scheme, so VS Code offers no save and the language
 * server (file and untitled documents only) does not check them.
 */
import * as vscode from 'vscode';

export const IAM_DOCUMENT_SCHEME = 'iam-policy-view';

export class IamDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private counter = 0;

  /** A new URI showing `text`; `folder` and `name` make the tab title (`.../IAM/ReadReports.iam.json`). */
  add(folder: string, name: string, text: string): vscode.Uri {
    this.counter += 1;
    // The query keeps two diffs of the same names apart; the path gives the tab its title and
    // the language (*.iam.json is iam-policy, so the grammar colours it).
    const uri = vscode.Uri.from({ scheme: IAM_DOCUMENT_SCHEME, path: `/${folder}/${name}`, query: String(this.counter) });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  remove(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '(This comparison is closed.)';
  }

  dispose(): void {
    this.texts.clear();
    this.changed.dispose();
  }
}
