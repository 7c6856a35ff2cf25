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
import { WorkspaceSettingsApprovals, confirmWorkspaceAwsSettings, workspaceAwsSettings, type WorkspaceAwsSettings } from './commands/workspaceSettings';
import { IamExplorer } from './explorer/treeView';
import { IAM_DOCUMENT_SCHEME, IamDocumentProvider } from './iamDocuments';
import { OpenedPolicyDocuments } from './openedDocuments';
import { isPolicyDocument } from './policyDocument';
import type { PolicyKindStatus } from './kindStatus';
import type { PolicySummaryPanel } from './grants/summaryPanel';
import type { GrantsDiff } from 'iam-policy-engine';
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
  /** The policy kind's status bar item, once the language server runs. */
  kinds: PolicyKindStatus | undefined;
  /** The policy summary beside the editor (see ./grants). */
  summary: PolicySummaryPanel | undefined;
  /** What one version of a policy grants beyond another, asked of the language server (see ./grants). */
  grantsDiff: ((before: string, after: string) => Promise<GrantsDiff | undefined>) | undefined;
  /** The endpoints and profiles of workspace settings the person allowed, per workspace. */
  readonly approvals: WorkspaceSettingsApprovals;
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
    this.approvals = new WorkspaceSettingsApprovals(extension.workspaceState);
    this.statusBar = new AwsStatusBar({
      settings: () => this.settings(),
      connect: (settings) => this.connect(settings),
      isTrusted: () => vscode.workspace.isTrusted,
      workspaceSettings: () => this.workspaceSettings(),
      workspaceSettingsConfirmed: () => {
        const values = this.workspaceSettings();
        return values !== undefined && this.approvals.isApproved(values);
      },
      confirmSettings: () => this.confirmSettings(this.ui()),
    });
    this.explorer = new IamExplorer({
      settings: () => this.settings(),
      connect: (settings) => this.connect(settings),
      isTrusted: () => vscode.workspace.isTrusted,
      confirmSettings: () => this.confirmSettings(this.ui()),
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
      // Trusted now: the workspace's AWS settings apply, and the item and the view may look the account up.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.statusBar.reset();
        this.explorer.refresh();
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

  /** The endpoint and profile set by the workspace's settings rather than the user's (VS Code ignores them in Restricted Mode). */
  workspaceSettings(): WorkspaceAwsSettings | undefined {
    if (!vscode.workspace.isTrusted) return undefined;
    const config = vscode.workspace.getConfiguration(AWS_SECTION);
    return workspaceAwsSettings(config.inspect('endpoint'), config.inspect('profile'));
  }

  /** Asks once per workspace and value before using an endpoint or profile from the workspace's settings. */
  async confirmSettings(ui: VscodeUi): Promise<boolean> {
    const confirmed = await confirmWorkspaceAwsSettings(ui, this.approvals, this.workspaceSettings());
    this.statusBar.refresh();
    return confirmed;
  }

  /** A new connection: each command gets its own, so renewed credentials are read again. */
  connect(settings: IamConnectionSettings): IamConnection {
    return createIamConnection(settings, { log: this.iamLog });
  }

  /** The editor's side of a command run; `documentUri` is the document it works on, if any. */
  private ui(documentUri?: vscode.Uri): VscodeUi {
    return new VscodeUi({ documents: this.documents, output: this.output, opened: this.opened, ...(documentUri !== undefined ? { documentUri } : {}) });
  }

  /** What a command run needs; `documentUri` is the document it works on, if any. */
  env(documentUri?: vscode.Uri): CommandEnv {
    const ui = this.ui(documentUri);
    return {
      ui,
      settings: () => this.settings(),
      confirmSettings: () => this.confirmSettings(ui),
      connect: (settings) => this.connect(settings),
      memory: this.memory,
      log: (line) => this.output.info(line),
      noteIdentity: (settings, result) => this.statusBar.note(settings, result),
      grantChanges: (before, after) => this.grantsDiff?.(before, after) ?? Promise.resolve(undefined),
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
      document =
        vscode.workspace.textDocuments.find((open) => open.uri.toString() === resource.toString()) ?? (await vscode.workspace.openTextDocument(resource));
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
