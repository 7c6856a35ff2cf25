/**
 * What the extension holds while it is active (rust-analyzer style): the output channel, the
 * memory of push targets, the diff documents, the status bar item, and the disposables of
 * all of them. Commands get a CommandEnv from it, one per run.
 */
import * as vscode from 'vscode';
import { createIamConnection, formatIamCall, type IamConnection, type IamConnectionSettings, type IamLog } from './aws';
import { PushMemory } from './commands/pushMemory';
import type { CommandEnv, PolicyDocumentRef } from './commands/ui';
import { VscodeUi } from './commands/vscodeUi';
import { IamExplorer } from './explorer/treeView';
import { IAM_DOCUMENT_SCHEME, IamDocumentProvider } from './iamDocuments';
import { OpenedPolicyDocuments } from './openedDocuments';
import { isPolicyDocument } from './policyDocument';
import { AwsStatusBar } from './statusBar';

/** The settings of the connection to AWS. */
export const AWS_SECTION = 'iamPolicy.aws';
/** Set while the active editor holds a policy document: the editor title button follows it. */
export const IS_POLICY_CONTEXT = 'iamPolicy.isPolicyDocument';

export class Ctx implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly documents = new IamDocumentProvider();
  /** Policies opened from the IAM view, by what they are in IAM. */
  readonly opened = new OpenedPolicyDocuments();
  readonly memory: PushMemory;
  readonly statusBar: AwsStatusBar;
  /** The IAM view; it reads IAM only while it is visible. */
  readonly explorer: IamExplorer;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly iamLog: IamLog;
  private recheck: NodeJS.Timeout | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('IAM Policy', { log: true });
    // One line per request: operation, target, policy name, result, request id. Never the
    // request itself, so neither policy text nor credentials (see aws/log.ts).
    this.iamLog = {
      record: (entry) => (entry.result === 'ok' ? this.output.info(formatIamCall(entry)) : this.output.warn(formatIamCall(entry))),
    };
    this.memory = new PushMemory(extension.workspaceState);
    this.statusBar = new AwsStatusBar({ settings: () => this.settings(), connect: (settings) => this.connect(settings) });
    this.explorer = new IamExplorer({
      settings: () => this.settings(),
      connect: (settings) => this.connect(settings),
      noteIdentity: (settings, result) => this.statusBar.note(settings, result),
    });
    this.disposables.push(
      this.explorer,
      this.output,
      this.documents,
      this.statusBar,
      vscode.workspace.registerTextDocumentContentProvider(IAM_DOCUMENT_SCHEME, this.documents),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(AWS_SECTION)) {
          this.statusBar.reset();
          this.explorer.refresh();
        }
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.followActiveEditor()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        // A JSON file becomes a policy when a Statement key is typed into it: look again, later.
        if (event.document === vscode.window.activeTextEditor?.document && event.document.languageId !== 'iam-policy') {
          clearTimeout(this.recheck);
          this.recheck = setTimeout(() => this.followActiveEditor(), 500);
        }
      }),
      vscode.workspace.onDidRenameFiles(async (event) => {
        for (const file of event.files) await this.memory.rename(file.oldUri.toString(), file.newUri.toString());
      }),
      // A policy opened from IAM and saved with Ctrl+S becomes the file of the same path: it
      // keeps where it came from, so Push Policy Again still sends it back there.
      vscode.workspace.onDidSaveTextDocument(async (document) => {
        const untitled = this.opened.untitledKeyOf(document.uri);
        if (untitled === undefined) return;
        this.opened.moved(untitled, document.uri.toString());
        await this.memory.rename(untitled, document.uri.toString());
      }),
      { dispose: () => clearTimeout(this.recheck) },
    );
    this.followActiveEditor();
  }

  subscribe(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  settings(): IamConnectionSettings {
    const config = vscode.workspace.getConfiguration(AWS_SECTION);
    return {
      profile: config.get<string>('profile') ?? '',
      region: config.get<string>('region') ?? '',
      endpoint: config.get<string>('endpoint') ?? '',
    };
  }

  /** A new connection: each command gets its own, so renewed credentials are read again. */
  connect(settings: IamConnectionSettings): IamConnection {
    return createIamConnection(settings, { log: this.iamLog });
  }

  /** What a command run needs; `documentUri` is the document it works on, if any. */
  env(documentUri?: vscode.Uri): CommandEnv {
    return {
      ui: new VscodeUi({ documents: this.documents, output: this.output, opened: this.opened, ...(documentUri !== undefined ? { documentUri } : {}) }),
      settings: () => this.settings(),
      connect: (settings) => this.connect(settings),
      memory: this.memory,
      log: (line) => this.output.info(line),
      noteIdentity: (settings, result) => this.statusBar.note(settings, result),
    };
  }

  /**
   * The document a command works on: the one a menu passed (editor title and context menus
   * pass its URI), else the active editor's. The diff's read-only documents are not policies
   * to push.
   */
  async policyDocument(resource: unknown): Promise<vscode.TextDocument | undefined> {
    let document: vscode.TextDocument | undefined;
    if (resource instanceof vscode.Uri) {
      document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === resource.toString()) ?? (await vscode.workspace.openTextDocument(resource));
    } else {
      document = vscode.window.activeTextEditor?.document;
    }
    if (document === undefined || document.uri.scheme === IAM_DOCUMENT_SCHEME || document.uri.scheme === 'output') return undefined;
    return document;
  }

  private followActiveEditor(): void {
    const document = vscode.window.activeTextEditor?.document;
    // The push diff is part of a push: the item stays as it was (while the diff opens there
    // may be no active text editor for a moment, only its tab).
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (document?.uri.scheme === IAM_DOCUMENT_SCHEME || (tab instanceof vscode.TabInputTextDiff && tab.original.scheme === IAM_DOCUMENT_SCHEME)) return;
    const isPolicy = document !== undefined && isPolicyDocument(document.languageId, document.getText());
    void vscode.commands.executeCommand('setContext', IS_POLICY_CONTEXT, isPolicy);
    this.statusBar.setVisible(isPolicy);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      try {
        disposable.dispose();
      } catch {
        // Disposing the rest matters more.
      }
    }
  }
}

/** The editor's document as the command logic sees it: its text is read when needed, saved or not. */
export function documentRef(document: vscode.TextDocument): PolicyDocumentRef {
  return { key: document.uri.toString(), fileName: document.fileName, getText: () => document.getText() };
}
