/**
 * The status bar item of the push commands: which AWS profile and account they would use.
 * Shown while a policy document is active; the account is asked of STS (GetCallerIdentity)
 * the first time the item shows for the current settings, not at activation, and again when
 * the settings change. Commands report the identity they saw, so the item follows them.
 * A failure shows as a warning on the item (its tooltip says why), never as a notification:
 * nobody asked for this lookup.
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

type State =
  | { readonly key: string; readonly status: 'loading' }
  | { readonly key: string; readonly status: 'known'; readonly identity: CallerIdentity }
  | { readonly key: string; readonly status: 'problem'; readonly problem: IamProblem };

export interface StatusBarSource {
  settings(): IamConnectionSettings;
  connect(settings: IamConnectionSettings): IamConnection;
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
    this.item.command = { command: 'iamPolicy.selectProfile', title: 'Select AWS Profile…' };
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

  /** Looks the account up now, whether shown or not, and returns what was found. */
  lookUp(): Promise<{ identity: CallerIdentity } | { problem: IamProblem }> {
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
      result = { problem: error instanceof IamCallError ? error.problem : { kind: 'unexpected', message: error instanceof Error ? error.message : String(error) } };
    } finally {
      connection?.dispose();
    }
    this.note(settings, result);
    return result;
  }

  private lookUpUnlessKnown(): void {
    if (this.state !== undefined && this.state.key === settingsKey(this.source.settings())) return;
    void this.lookUp();
  }

  private render(): void {
    const settings = this.source.settings();
    const facts = resolveConnectionFacts(settings);
    const profile = facts.profile ?? 'default';
    const endpointHost = facts.endpoint !== undefined ? hostOf(facts.endpoint) : undefined;
    const state = this.state?.key === settingsKey(settings) ? this.state : undefined;
    const parts = [profile];
    if (state?.status === 'known' && state.identity.account !== '') parts.push(state.identity.account);
    if (endpointHost !== undefined) parts.push(endpointHost);
    const icon = state?.status === 'loading' ? '$(sync~spin)' : state?.status === 'problem' ? '$(warning)' : '$(cloud)';
    this.item.text = `${icon} ${parts.join(' · ')}`;
    this.item.backgroundColor = state?.status === 'problem' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;

    const lines = [
      '**AWS for the IAM Policy push commands**',
      `Profile: ${facts.profile !== undefined ? `\`${facts.profile}\`` : "the SDK's default credentials (environment, `default` profile, SSO, instance role)"}`,
      `Region: \`${facts.region}\``,
      `Endpoint: ${facts.endpoint !== undefined ? `\`${facts.endpoint}\` (not AWS)` : 'AWS'}`,
    ];
    if (state?.status === 'known') lines.push(`Account: \`${state.identity.account}\``, `Identity: \`${state.identity.arn}\``);
    if (state?.status === 'loading') lines.push('Account: asking STS…');
    if (state?.status === 'problem') lines.push(`$(warning) ${state.problem.message}`);
    lines.push('Click to select the AWS profile.');
    const tooltip = new vscode.MarkdownString(lines.join('\n\n'), true);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `AWS profile ${profile}${state?.status === 'known' ? `, account ${state.identity.account}` : ''}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
