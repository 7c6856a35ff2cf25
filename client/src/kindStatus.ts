/**
 * The policy kind of the active document, in the status bar: which kind the server checks it
 * as (identity, trust, an S3 bucket policy, an SCP…) and how that was decided (picked here,
 * the file's suffix, the repository's configuration, or inferred from the content). Clicking it
 * picks another kind for that file; the choice is kept in the workspace's state and given to
 * the server whenever the document opens.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DocumentKindRequest, KINDS, POLICY_KINDS, SetKindNotification, type DocumentKind, type PolicyKind } from 'iam-policy-engine';

const STATE_KEY = 'iamPolicy.kinds';
export const SELECT_KIND_COMMAND = 'iamPolicy.selectPolicyKind';

const SOURCE_WORDS: Record<DocumentKind['source'], string> = {
  inferred: 'inferred from the content',
  'file name': 'named by the file name',
  configuration: 'named by .iam-policy.json',
  editor: 'picked in the editor',
  caller: 'given',
};

/** "S3 bucket policy" from "an S3 bucket policy". */
const title = (label: string): string => label.replace(/^(a|an) /, '').replace(/^./, (first) => first.toUpperCase());

export class PolicyKindStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private refreshing = 0;

  constructor(
    private readonly client: LanguageClient,
    private readonly state: vscode.Memento,
  ) {
    this.item = vscode.window.createStatusBarItem('iamPolicy.kind', vscode.StatusBarAlignment.Right, 99);
    this.item.name = 'IAM Policy Kind';
    this.item.command = SELECT_KIND_COMMAND;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.languages.onDidChangeDiagnostics((event) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active !== undefined && event.uris.some((uri) => uri.toString() === active)) void this.refresh();
      }),
      vscode.workspace.onDidOpenTextDocument((document) => this.sendChoice(document.uri)),
    );
    for (const document of vscode.workspace.textDocuments) this.sendChoice(document.uri);
    void this.refresh();
  }

  private choices(): Record<string, PolicyKind> {
    return this.state.get<Record<string, PolicyKind>>(STATE_KEY) ?? {};
  }

  private sendChoice(uri: vscode.Uri): void {
    const kind = this.choices()[uri.toString()];
    if (kind !== undefined) void this.client.sendNotification(SetKindNotification.method, { uri: uri.toString(), kind });
  }

  /** Asks the server which kind the active document is checked as, and shows it. */
  async refresh(): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    const ticket = ++this.refreshing;
    if (document === undefined || !this.client.isRunning()) {
      this.item.hide();
      return;
    }
    // A server that cannot answer (stopping, say) shows no kind rather than a stale one.
    const kind = await this.client.sendRequest<DocumentKind | null>(DocumentKindRequest.method, { uri: document.uri.toString() }).catch(() => null);
    if (ticket !== this.refreshing) return; // a newer refresh is on its way
    if (kind === null) {
      this.item.hide();
      return;
    }
    this.item.text = `$(symbol-namespace) ${title(kind.label)}${kind.source === 'inferred' ? ' (inferred)' : ''}`;
    this.item.tooltip = `Checked as ${kind.label}, ${SOURCE_WORDS[kind.source]}. Click to pick another kind.`;
    this.item.show();
  }

  /** Lets the user pick the kind of a document (or go back to the name, configuration or content). */
  async pick(document: vscode.TextDocument | undefined): Promise<PolicyKind | undefined | 'automatic'> {
    if (document === undefined) return undefined;
    const uri = document.uri.toString();
    const current = this.choices()[uri];
    type KindItem = vscode.QuickPickItem & { value: PolicyKind | 'automatic' };
    const items: KindItem[] = [
      { label: 'Automatic', description: 'the file name, .iam-policy.json, or the content decides', value: 'automatic', picked: current === undefined },
      ...POLICY_KINDS.map((kind): KindItem => ({ label: title(KINDS[kind].label), description: kind, value: kind, picked: kind === current })),
    ];
    const chosen = await vscode.window.showQuickPick(items, {
      title: 'Check this document as…',
      placeHolder: current === undefined ? 'Automatic' : title(KINDS[current].label),
    });
    if (chosen === undefined) return undefined;
    const choices = { ...this.choices() };
    if (chosen.value === 'automatic') delete choices[uri];
    else choices[uri] = chosen.value;
    await this.state.update(STATE_KEY, choices);
    await this.client.sendNotification(SetKindNotification.method, { uri, kind: chosen.value === 'automatic' ? null : chosen.value });
    await this.refresh();
    return chosen.value;
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
