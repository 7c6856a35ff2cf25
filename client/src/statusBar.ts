/**
 * The status bar item of the push commands: which AWS profile and account they would use.
 * Shown while a policy document is active; the account is asked of STS (GetCallerIdentity)
 * the first time the item shows for the current settings, not at activation, and again when
 * the settings change. Commands report the identity they saw, so the item follows them.
 * A failure shows as a warning on the item (its tooltip says why), never as a notification:
 * nobody asked for this lookup. Nothing is looked up in Restricted Mode, nor with an endpoint
 * or profile from the workspace's settings that the person has not allowed yet (that lookup
 * would send the credentials there); what is shown is statusView.ts's.
 */
import * as vscode from 'vscode';
import {
  IamCallError,
  getCallerIdentity,
  resolveConnectionFacts,
  type CallerIdentity,
  type IamConnection,
  type IamConnectionSettings,
  type IamProblem,
} from './aws';
import type { WorkspaceAwsSettings } from './commands/workspaceSettings';
import { statusView } from './statusView';

type State =
  | { readonly key: string; readonly status: 'loading' }
  | { readonly key: string; readonly status: 'known'; readonly identity: CallerIdentity }
  | { readonly key: string; readonly status: 'problem'; readonly problem: IamProblem };

export interface StatusBarSource {
  settings(): IamConnectionSettings;
  connect(settings: IamConnectionSettings): IamConnection;
  /** False in Restricted Mode. */
  isTrusted(): boolean;
  /** The endpoint and profile the workspace's settings set, if any. */
  workspaceSettings(): WorkspaceAwsSettings | undefined;
  /** Whether those were allowed already (never asks). */
  workspaceSettingsConfirmed(): boolean;
  /** Asks, if needed, whether they may be used. */
  confirmSettings(): Promise<boolean>;
}

/** Settings that lead to the same account compare equal. */
export function settingsKey(settings: IamConnectionSettings): string {
  const facts = resolveConnectionFacts(settings);
  return JSON.stringify([facts.profile ?? '', facts.region, facts.endpoint ?? '']);
}

export class AwsStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: State | undefined;
  private visible = false;
  /** The lookup under way, per settings: a second caller waits for the same answer. */
  private pending: { key: string; result: Promise<{ identity: CallerIdentity } | { problem: IamProblem }> } | undefined;

  constructor(private readonly source: StatusBarSource) {
    this.item = vscode.window.createStatusBarItem('iamPolicy.aws', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'IAM Policy: AWS Profile';
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (!visible) {
      this.item.hide();
      return;
    }
    this.lookUpUnlessKnown();
    this.render();
    this.item.show();
  }

  /** What a command learned about the settings it used. */
  note(settings: IamConnectionSettings, result: { identity: CallerIdentity } | { problem: IamProblem }): void {
    const key = settingsKey(settings);
    if (key !== settingsKey(this.source.settings())) return; // the settings changed meanwhile
    this.state = 'identity' in result ? { key, status: 'known', identity: result.identity } : { key, status: 'problem', problem: result.problem };
    this.render();
  }

  /** Forgets the account (the settings changed); looks it up again if the item is showing. */
  reset(): void {
    this.state = undefined;
    if (this.visible) this.lookUpUnlessKnown();
    this.render();
  }

  /** Shows again what is known (after a question about the workspace's settings was answered; the command's own lookup follows). */
  refresh(): void {
    this.render();
  }

  /**
   * Looks the account up now, whether shown or not, and returns what was found. Asks first
   * about an endpoint or profile from the workspace's settings, as a command would.
   */
  async lookUp(): Promise<{ identity: CallerIdentity } | { problem: IamProblem }> {
    if (!(await this.source.confirmSettings())) {
      this.render();
      return { problem: { kind: 'settings', message: 'Not checked: the AWS settings of this workspace were not allowed, so nothing was sent.' } };
    }
    return this.lookUpNow();
  }

  private lookUpNow(): Promise<{ identity: CallerIdentity } | { problem: IamProblem }> {
    const settings = this.source.settings();
    const key = settingsKey(settings);
    if (this.pending?.key === key) return this.pending.result;
    this.state = { key, status: 'loading' };
    this.render();
    const result = this.ask(settings);
    this.pending = { key, result };
    void result.finally(() => {
      if (this.pending?.result === result) this.pending = undefined;
    });
    return result;
  }

  private async ask(settings: IamConnectionSettings): Promise<{ identity: CallerIdentity } | { problem: IamProblem }> {
    let result: { identity: CallerIdentity } | { problem: IamProblem };
    let connection: IamConnection | undefined;
    try {
      connection = this.source.connect(settings);
      result = { identity: await getCallerIdentity(connection) };
    } catch (error) {
      result = {
        problem: error instanceof IamCallError ? error.problem : { kind: 'unexpected', message: error instanceof Error ? error.message : String(error) },
      };
    } finally {
      connection?.dispose();
    }
    this.note(settings, result);
    return result;
  }

  private lookUpUnlessKnown(): void {
    if (!this.source.isTrusted()) return;
    if (this.source.workspaceSettings() !== undefined && !this.source.workspaceSettingsConfirmed()) return;
    if (this.state !== undefined && this.state.key === settingsKey(this.source.settings())) return;
    void this.lookUpNow();
  }

  private render(): void {
    const settings = this.source.settings();
    const state = this.state?.key === settingsKey(settings) ? this.state : undefined;
    const fromWorkspace = this.source.workspaceSettings();
    const view = statusView({
      facts: resolveConnectionFacts(settings),
      ...(state !== undefined ? { state } : {}),
      restricted: !this.source.isTrusted(),
      ...(fromWorkspace !== undefined ? { fromWorkspace } : {}),
      workspaceConfirmed: fromWorkspace !== undefined && this.source.workspaceSettingsConfirmed(),
    });
    this.item.text = view.text;
    this.item.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = new vscode.MarkdownString(view.tooltip.join('\n\n'), true);
    this.item.command = { command: view.command, title: view.command === 'workbench.trust.manage' ? 'Manage Workspace Trust' : 'Select AWS Profile…' };
    this.item.accessibilityInformation = { label: view.accessibilityLabel };
  }

  dispose(): void {
    this.item.dispose();
  }
}
