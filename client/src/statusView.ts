/**
 * What the AWS status bar item shows, as a plain function of what is known (no `vscode`
 * import, so it is tested without an editor): the profile, the account once STS answered,
 * the endpoint's host when it is not AWS; where the endpoint and profile come from when the
 * workspace's settings set them; and that the push commands are off in Restricted Mode.
 */
import { redactUrl, type CallerIdentity, type ConnectionFacts, type IamProblem } from './aws';
import { describeWorkspaceAwsSettings, type WorkspaceAwsSettings } from './commands/workspaceSettings';

export type LookupState =
  | { readonly status: 'loading' }
  | { readonly status: 'known'; readonly identity: CallerIdentity }
  | { readonly status: 'problem'; readonly problem: IamProblem };

export interface StatusInput {
  readonly facts: Pick<ConnectionFacts, 'profile' | 'region' | 'endpoint'>;
  /** The STS lookup for these settings, if any. */
  readonly state?: LookupState;
  /** The workspace is in Restricted Mode: the push commands are off. */
  readonly restricted: boolean;
  /** The endpoint and profile the workspace's settings set, if any. */
  readonly fromWorkspace?: WorkspaceAwsSettings;
  /** Whether the person allowed those workspace settings (nothing is sent before). */
  readonly workspaceConfirmed: boolean;
}

export interface StatusView {
  readonly text: string;
  /** Markdown paragraphs. */
  readonly tooltip: readonly string[];
  readonly warning: boolean;
  /** What a click runs. */
  readonly command: 'iamPolicy.selectProfile' | 'workbench.trust.manage';
  readonly accessibilityLabel: string;
}

export function statusView(input: StatusInput): StatusView {
  const { facts, state } = input;
  const profile = facts.profile ?? 'default';
  if (input.restricted) {
    return {
      text: '$(workspace-untrusted) AWS: Restricted Mode',
      tooltip: [
        '**AWS for the IAM Policy push commands**',
        'This workspace is in Restricted Mode: policies are checked as usual, but the commands that push to IAM are off, and the AWS settings of the workspace are ignored.',
        'Click to manage Workspace Trust.',
      ],
      warning: false,
      command: 'workbench.trust.manage',
      accessibilityLabel: 'AWS push commands off in Restricted Mode',
    };
  }
  const endpointHost = facts.endpoint !== undefined ? hostOf(facts.endpoint) : undefined;
  const parts = [profile];
  if (state?.status === 'known' && state.identity.account !== '') parts.push(state.identity.account);
  if (endpointHost !== undefined) parts.push(endpointHost);
  const unconfirmed = input.fromWorkspace !== undefined && !input.workspaceConfirmed;
  const icon = state?.status === 'loading' ? '$(sync~spin)' : state?.status === 'problem' || unconfirmed ? '$(warning)' : '$(cloud)';
  const origin = input.fromWorkspace !== undefined ? ' (workspace)' : '';

  const tooltip = [
    '**AWS for the IAM Policy push commands**',
    `Profile: ${facts.profile !== undefined ? `\`${facts.profile}\`` : "the SDK's default credentials (environment, `default` profile, SSO, instance role)"}`,
    `Region: \`${facts.region}\``,
    `Endpoint: ${facts.endpoint !== undefined ? `\`${redactUrl(facts.endpoint)}\` (not AWS)` : 'AWS'}`,
  ];
  if (input.fromWorkspace !== undefined) {
    const what = describeWorkspaceAwsSettings(input.fromWorkspace);
    tooltip.push(
      unconfirmed
        ? `$(warning) ${capitalize(what)} come${plural(input.fromWorkspace) ? '' : 's'} from this workspace's settings, not yours. Nothing is sent until you allow them: the first command asks.`
        : `${capitalize(what)} come${plural(input.fromWorkspace) ? '' : 's'} from this workspace's settings, not yours (allowed).`,
    );
  }
  if (state?.status === 'known') tooltip.push(`Account: \`${state.identity.account}\``, `Identity: \`${state.identity.arn}\``);
  if (state?.status === 'loading') tooltip.push('Account: asking STS…');
  if (state?.status === 'problem') tooltip.push(`$(warning) ${state.problem.message}`);
  tooltip.push('Click to select the AWS profile.');
  return {
    text: `${icon} ${parts.join(' · ')}${origin}`,
    tooltip,
    warning: state?.status === 'problem' || unconfirmed,
    command: 'iamPolicy.selectProfile',
    accessibilityLabel: `AWS profile ${profile}${state?.status === 'known' ? `, account ${state.identity.account}` : ''}${origin !== '' ? ', from the workspace settings' : ''}`,
  };
}

function plural(values: WorkspaceAwsSettings): boolean {
  return values.endpoint !== undefined && values.profile !== undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The host (and port) of an endpoint: never its user name or password. */
export function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return redactUrl(endpoint);
  }
}
