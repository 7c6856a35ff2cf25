/**
 * The policy summary beside the editor: what the policy in the active editor grants, in the
 * shape of the IAM console's summary, live as you type. It follows the active editor while that
 * shows a policy; a click on a statement link selects that statement in the editor; a CodeLens
 * opens it at its statement. The server computes it (iamPolicy/summary); this keeps one request
 * in flight and asks again for the latest text when it answers.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SummaryRequest, type SummaryParams, type SummaryResult } from 'iam-policy-engine';
import { mayBePolicyLanguage } from '../policyDocument';
import { renderSummary, STATEMENTS_SECTION, webviewPage } from './render';
import { nonce, PAGE_SCRIPT, type PageMessage, type RenderMessage } from './webview';

export const SUMMARY_VIEW_TYPE = 'iamPolicy.summary';

const NOT_A_POLICY = 'No policy to summarize: this document is not one IAM policy (the policies inside a CloudFormation template are not summarized).';

export class PolicySummaryPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  /** The document shown. */
  private document: vscode.TextDocument | undefined;
  private readonly expanded = new Set<string>();
  private filter = '';
  private focus: number | undefined;
  private inFlight = false;
  private again = false;
  /** Whether the page's script runs: messages posted before it would be lost. */
  private ready = false;
  /** The last summary rendered (tests read it through the show command's result). */
  last: SummaryResult | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rendered = new vscode.EventEmitter<SummaryResult>();
  /** Fires after each render. */
  readonly onDidRender = this.rendered.event;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.disposables.push(
      this.rendered,
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.panel !== undefined && event.document === this.document && event.contentChanges.length > 0) this.refresh();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        const document = editor?.document;
        if (this.panel === undefined || document === undefined || document === this.document || !mayBePolicyLanguage(document.languageId)) return;
        this.follow(document);
      }),
      // Services finished loading, the kind changed: the server checked the document again.
      vscode.languages.onDidChangeDiagnostics((event) => {
        const shown = this.document?.uri.toString();
        if (this.panel !== undefined && shown !== undefined && event.uris.some((uri) => uri.toString() === shown)) this.refresh();
      }),
    );
  }

  /** Shows the summary of a document beside its editor, at a statement when given. */
  async show(document: vscode.TextDocument, statement?: number): Promise<SummaryResult | undefined> {
    this.focus = statement;
    if (this.panel === undefined) {
      this.ready = false;
      this.panel = vscode.window.createWebviewPanel(
        SUMMARY_VIEW_TYPE,
        this.title(document),
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [] },
      );
      const key = nonce();
      this.panel.webview.html = webviewPage({
        nonce: key,
        cspSource: this.panel.webview.cspSource,
        title: 'Policy summary',
        body: '<div class="muted">Reading the policy…</div>',
        search: true,
        script: PAGE_SCRIPT,
      });
      this.panel.webview.onDidReceiveMessage((message: PageMessage) => void this.received(message), undefined, this.disposables);
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.document = undefined;
      });
    } else {
      this.panel.reveal(undefined, true);
    }
    if (this.document !== document) {
      this.document = document;
      this.expanded.clear();
      this.filter = '';
    }
    // A search from another document would hide the statement asked for.
    if (statement !== undefined) this.filter = '';
    this.panel.title = this.title(document);
    return this.update();
  }

  private title(document: vscode.TextDocument): string {
    return `Summary: ${document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1)}`;
  }

  private follow(document: vscode.TextDocument): void {
    this.document = document;
    this.expanded.clear();
    this.focus = undefined;
    if (this.panel !== undefined) this.panel.title = this.title(document);
    this.refresh();
  }

  private async received(message: PageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.refresh();
        return;
      case 'reveal':
        await this.reveal(message.index);
        return;
      case 'toggle':
        // While searching every matching service is open: that is not the person's choice.
        if (this.filter !== '') return;
        if (message.open === this.expanded.has(message.prefix)) return;
        if (message.open) this.expanded.add(message.prefix);
        else this.expanded.delete(message.prefix);
        this.refresh();
        return;
      case 'search':
        this.filter = message.filter;
        this.refresh();
        return;
    }
  }

  /** Asks for the summary again; one request at a time, the latest text last. */
  refresh(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    void this.update();
  }

  private async update(): Promise<SummaryResult | undefined> {
    const client = this.client();
    const document = this.document;
    if (client === undefined || document === undefined || this.panel === undefined) return undefined;
    this.inFlight = true;
    try {
      const expand = [...this.expanded].filter((prefix) => prefix !== STATEMENTS_SECTION);
      const params: SummaryParams = { uri: document.uri.toString(), expand, ...(this.filter !== '' ? { filter: this.filter } : {}) };
      const summary = await client.sendRequest<SummaryResult | null>(SummaryRequest.method, params).catch(() => null);
      if (this.panel === undefined || document !== this.document) return undefined;
      if (summary === null) {
        // Not one policy (a CloudFormation template, JSON without a Statement), or no server.
        if (this.ready) await this.panel.webview.postMessage({ type: 'render', html: `<div class="muted">${NOT_A_POLICY}</div>` } satisfies RenderMessage);
        return undefined;
      }
      this.last = summary;
      // Rendered once the page can take it ('ready' asks again).
      if (!this.ready) return summary;
      const message: RenderMessage = {
        type: 'render',
        html: renderSummary(summary, { expanded: this.expanded, ...(this.focus !== undefined ? { focus: this.focus } : {}) }),
        filter: this.filter,
        ...(this.focus !== undefined ? { focus: `statement-${this.focus}` } : {}),
      };
      // The statements stay open after a CodeLens opened them at one.
      if (this.focus !== undefined) this.expanded.add(STATEMENTS_SECTION);
      this.focus = undefined;
      await this.panel.webview.postMessage(message);
      this.rendered.fire(summary);
      return summary;
    } finally {
      this.inFlight = false;
      if (this.again) {
        this.again = false;
        void this.update();
      }
    }
  }

  /** Selects a statement in the editor, from the latest summary's places. */
  private async reveal(index: number): Promise<void> {
    const document = this.document;
    if (document === undefined) return;
    // Offsets are those of the text the summary was made from: ask again if it changed since.
    let summary = this.last;
    if (summary === undefined || summary.version !== document.version) summary = await this.update();
    const statement = summary?.statements[index];
    if (statement === undefined) return;
    const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === document);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    const range = new vscode.Range(document.positionAt(statement.offset), document.positionAt(statement.offset + statement.length));
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}
