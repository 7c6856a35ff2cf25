/**
 * AWS settings that come from a workspace's settings (`.vscode/settings.json`, a
 * `.code-workspace` file) rather than the user's. Once a folder is trusted, such a file can
 * point `iamPolicy.aws.endpoint` at any server, which then receives the access key id, the
 * session token and every policy pushed; or choose another profile. So before the first call
 * with such values the person is asked, once per workspace and per value, and the status bar
 * says where they come from. Empty values are not asked about: they mean AWS itself and the
 * default credentials. No `vscode` import: ctx.ts reads the settings and keeps the answers.
 */
import { createHash } from 'node:crypto';
import { redactUrl } from '../aws';
import type { StateStore } from './pushMemory';
import type { CommandUi } from './ui';

/** The values of `iamPolicy.aws.endpoint` and `.profile` that the workspace's settings set. */
export interface WorkspaceAwsSettings {
  readonly endpoint?: string;
  readonly profile?: string;
}

/** What VS Code's `inspect()` says of one setting (the parts read here). */
export interface InspectedSetting {
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/**
 * The endpoint and profile the workspace sets (a folder's value wins over the workspace
 * file's, as in VS Code), or undefined when neither comes from the workspace.
 */
export function workspaceAwsSettings(endpoint: InspectedSetting | undefined, profile: InspectedSetting | undefined): WorkspaceAwsSettings | undefined {
  const valueOf = (inspected: InspectedSetting | undefined): string | undefined => {
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const values = { endpoint: valueOf(endpoint), profile: valueOf(profile) };
  if (values.endpoint === undefined && values.profile === undefined) return undefined;
  return {
    ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
  };
}

/** `the endpoint http://… and the AWS profile "dev"`, passwords blanked. */
export function describeWorkspaceAwsSettings(values: WorkspaceAwsSettings): string {
  const parts = [
    values.endpoint !== undefined ? `the endpoint ${redactUrl(values.endpoint)}` : undefined,
    values.profile !== undefined ? `the AWS profile "${values.profile}"` : undefined,
  ].filter((part) => part !== undefined);
  return parts.join(' and ');
}

/** The answers given in this workspace (its workspaceState), by value. */
export class WorkspaceSettingsApprovals {
  static readonly KEY = 'iamPolicy.approvedWorkspaceAwsSettings';
  /** Old answers beyond this are dropped, so the state cannot grow without bound. */
  static readonly LIMIT = 50;

  constructor(private readonly store: StateStore) {}

  isApproved(values: WorkspaceAwsSettings): boolean {
    return this.approved().includes(approvalKey(values));
  }

  async approve(values: WorkspaceAwsSettings): Promise<void> {
    const key = approvalKey(values);
    await this.store.update(
      WorkspaceSettingsApprovals.KEY,
      [key, ...this.approved().filter((entry) => entry !== key)].slice(0, WorkspaceSettingsApprovals.LIMIT),
    );
  }

  private approved(): string[] {
    const raw = this.store.get<unknown>(WorkspaceSettingsApprovals.KEY);
    return Array.isArray(raw) ? raw.filter((entry): entry is string => typeof entry === 'string') : [];
  }
}

/**
 * The same values, the same key: a changed endpoint or profile is asked about again. A hash,
 * so a password in the endpoint URL is not copied into the workspace's stored state.
 */
function approvalKey(values: WorkspaceAwsSettings): string {
  return createHash('sha256')
    .update(JSON.stringify([values.endpoint ?? null, values.profile ?? null]))
    .digest('hex');
}

/**
 * After the person chose a profile with "Select AWS Profile…" and it was written into the
 * workspace's settings (where the setting was already defined), the new values need no
 * question: the person picked them. Unless an endpoint from the workspace is still waiting to
 * be allowed: that one was not the person's choice, so it is still asked about.
 * @param before the workspace's values before the choice was written
 * @param after the workspace's values after
 */
export async function approveOwnChoice(
  approvals: WorkspaceSettingsApprovals,
  before: WorkspaceAwsSettings | undefined,
  after: WorkspaceAwsSettings | undefined,
): Promise<void> {
  if (after === undefined) return;
  const endpointWasAllowed = after.endpoint === undefined || (before !== undefined && before.endpoint === after.endpoint && approvals.isApproved(before));
  if (endpointWasAllowed) await approvals.approve(after);
}

export const USE_WORKSPACE_SETTINGS = 'Use Workspace Settings';

/**
 * True when the AWS settings may be used: none come from the workspace, or they were allowed
 * before for these values, or the person allows them now (a modal question).
 */
export async function confirmWorkspaceAwsSettings(
  ui: CommandUi,
  approvals: WorkspaceSettingsApprovals,
  values: WorkspaceAwsSettings | undefined,
): Promise<boolean> {
  if (values === undefined || approvals.isApproved(values)) return true;
  const what = describeWorkspaceAwsSettings(values);
  const go = await ui.confirm({
    message: `This workspace's settings choose ${what} for the IAM Policy commands. Use them?`,
    detail:
      `They come from the workspace (.vscode/settings.json or the .code-workspace file), not from your user settings. ` +
      `${values.endpoint !== undefined ? 'That endpoint will receive your AWS access key id, your session token and the policies you push. ' : ''}` +
      'Use them only if you trust whoever wrote them. You are asked again if they change.',
    button: USE_WORKSPACE_SETTINGS,
  });
  if (go) await approvals.approve(values);
  return go;
}
