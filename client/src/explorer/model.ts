/**
 * The IAM view's tree as plain data: what each node's children are (read from IAM when asked,
 * never before) and how each node looks. No `vscode` import: treeView.ts shows it, and the
 * tests walk it against moto.
 *
 *   Account 123456789012 (profile, endpoint)
 *     Users / Groups / Roles          every page, with paths, filtered by name
 *       alice  /engineering/
 *         trust policy (roles)        opens as an editable document
 *         inline policies             open as editable documents
 *         attached managed policies
 *         permissions boundary        users and roles
 *     Customer managed policies
 *       DeveloperBoundary
 *         v2 (default), v1            open as editable documents
 *
 * A failed read becomes a message node in its place (AccessDenied on ListRoles leaves Users,
 * Groups and the policies as they are); the rest of the tree is unaffected.
 *
 * As for the commands: nothing is read in Restricted Mode, nor with an endpoint or profile from
 * the workspace's settings that the person has not allowed (asked once, when the view first
 * reads); Refresh cancels the reads under way.
 */
import {
  IamCallError,
  getCallerIdentity,
  getRole,
  getUser,
  listAttachedPolicies,
  listEntities,
  listInlinePolicyNames,
  listManagedPoliciesIn,
  listPolicyVersions,
  resolveConnectionFacts,
  type AttachedPolicy,
  type CallerIdentity,
  type EntityKind,
  type EntityRef,
  type IamConnection,
  type IamConnectionSettings,
  type IamEntity,
  type IamProblem,
  type ListOptions,
  type ManagedPolicySummary,
  type PolicyVersionSummary,
} from '../aws';

export type FolderKind = EntityKind | 'policy';

export type IamNode =
  | { readonly type: 'account'; readonly identity: CallerIdentity; readonly settings: IamConnectionSettings }
  | { readonly type: 'folder'; readonly folder: FolderKind }
  | { readonly type: 'entity'; readonly entity: IamEntity }
  | { readonly type: 'trust-policy'; readonly roleName: string }
  | { readonly type: 'inline-policy'; readonly target: EntityRef; readonly policyName: string }
  | { readonly type: 'attached-policy'; readonly target: EntityRef; readonly policy: AttachedPolicy }
  | { readonly type: 'boundary'; readonly target: EntityRef & { readonly kind: 'user' | 'role' }; readonly policyArn: string }
  | { readonly type: 'managed-policy'; readonly policy: ManagedPolicySummary }
  | { readonly type: 'policy-version'; readonly policy: ManagedPolicySummary; readonly version: PolicyVersionSummary }
  | {
      readonly type: 'message';
      readonly id: string;
      readonly severity: 'error' | 'info';
      readonly text: string;
      readonly detail?: string;
      readonly problem?: IamProblem;
    };

/** How a node looks; treeView.ts turns it into a TreeItem. */
export interface NodeView {
  /** Stable across refreshes, so the tree keeps what was expanded. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  /** A codicon id. */
  readonly icon: string;
  /** For the context menus (`iamPolicy.inlinePolicy`…). */
  readonly contextValue: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  /** A click opens the policy as an editable document. */
  readonly opens: boolean;
}

export interface ExplorerSource {
  settings(): IamConnectionSettings;
  connect(settings: IamConnectionSettings): IamConnection;
  /** False in Restricted Mode: nothing is read. */
  isTrusted?(): boolean;
  /** Whether the settings may be used: asks, once per workspace and value, about an endpoint or profile from the workspace's settings. */
  confirmSettings?(): Promise<boolean>;
  /** Tells the status bar which account the view found (or why none). */
  noteIdentity?(settings: IamConnectionSettings, result: { identity: CallerIdentity } | { problem: IamProblem }): void;
}

const FOLDER_LABEL: Record<FolderKind, string> = { user: 'Users', group: 'Groups', role: 'Roles', policy: 'Customer managed policies' };
const FOLDER_NOUN: Record<FolderKind, string> = { user: 'users', group: 'groups', role: 'roles', policy: 'customer managed policies' };
const FOLDER_ICON: Record<FolderKind, string> = { user: 'person', group: 'organization', role: 'server-process', policy: 'law' };

/** The account node's text in Restricted Mode (the view is hidden there; a view restored before the workspace lost trust says why it is empty). */
export const EXPLORER_RESTRICTED = 'Off in Restricted Mode: this workspace is not trusted. Trust it to browse IAM.';
/** The account node's text when the workspace's AWS settings were not allowed. */
export const EXPLORER_NOT_ALLOWED = 'Not read: the AWS settings of this workspace were not allowed, so nothing was sent. Refresh to be asked again.';

export class IamExplorerModel {
  private connection: IamConnection | undefined;
  /** Aborts the reads of this connection (Refresh). */
  private reads = new AbortController();
  /** Whether the settings were allowed, asked once per connection. */
  private allowed: Promise<boolean> | undefined;
  private filterText = '';

  constructor(
    private readonly source: ExplorerSource,
    private readonly options: ListOptions = {},
  ) {}

  /** The name filter of the lists (case-insensitive, part of the name); empty: none. */
  get filter(): string {
    return this.filterText;
  }

  setFilter(text: string): void {
    this.filterText = text.trim();
  }

  /** Forgets the connection and cancels its reads: the next read uses the settings and credentials in effect then. */
  refresh(): void {
    this.reads.abort();
    this.reads = new AbortController();
    this.allowed = undefined;
    this.connection?.dispose();
    this.connection = undefined;
  }

  /** The list options of every read: the page size, and the signal Refresh aborts. */
  private get readOptions(): ListOptions {
    return { ...this.options, signal: this.reads.signal };
  }

  dispose(): void {
    this.refresh();
  }

  /** The children of `node` (the root when undefined), read from IAM now. Never throws an IAM failure: it becomes a message node. */
  async children(node?: IamNode): Promise<IamNode[]> {
    try {
      return await this.read(node);
    } catch (error) {
      if (!(error instanceof IamCallError)) throw error;
      return [failure(`${node !== undefined ? this.view(node).id : 'root'}/error`, 'Could not read IAM', error.problem)];
    }
  }

  private async read(node: IamNode | undefined): Promise<IamNode[]> {
    if (this.source.isTrusted?.() === false)
      return node === undefined ? [{ type: 'message', id: 'account/restricted', severity: 'info', text: EXPLORER_RESTRICTED }] : [];
    this.allowed ??= this.source.confirmSettings?.() ?? Promise.resolve(true);
    if (!(await this.allowed)) return node === undefined ? [{ type: 'message', id: 'account/not-allowed', severity: 'info', text: EXPLORER_NOT_ALLOWED }] : [];
    if (node === undefined) return [await this.account()];
    switch (node.type) {
      case 'account':
        return (['user', 'group', 'role', 'policy'] as const).map((folder): IamNode => ({ type: 'folder', folder }));
      case 'folder':
        return this.folder(node.folder);
      case 'entity':
        return this.entityParts(node.entity);
      case 'managed-policy':
        return (await listPolicyVersions(this.connect(), node.policy.arn, this.readOptions)).map((version): IamNode => ({
          type: 'policy-version',
          policy: node.policy,
          version,
        }));
      default:
        return [];
    }
  }

  private connect(): IamConnection {
    this.connection ??= this.source.connect(this.source.settings());
    return this.connection;
  }

  private async account(): Promise<IamNode> {
    const settings = this.source.settings();
    try {
      const identity = await getCallerIdentity(this.connect(), { signal: this.reads.signal });
      this.source.noteIdentity?.(settings, { identity });
      return { type: 'account', identity, settings };
    } catch (error) {
      if (!(error instanceof IamCallError)) throw error;
      // A lookup Refresh cancelled says nothing about the account.
      if (error.problem.kind !== 'cancelled') this.source.noteIdentity?.(settings, { problem: error.problem });
      return failure('account/error', 'Could not sign in', error.problem);
    }
  }

  private matches(name: string): boolean {
    return this.filterText === '' || name.toLowerCase().includes(this.filterText.toLowerCase());
  }

  private async folder(folder: FolderKind): Promise<IamNode[]> {
    const connection = this.connect();
    const byName = <T extends { name: string }>(items: T[]): T[] =>
      items.filter((item) => this.matches(item.name)).sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
    const nodes: IamNode[] =
      folder === 'policy'
        ? byName(await listManagedPoliciesIn(connection, 'Local', this.readOptions)).map((policy): IamNode => ({ type: 'managed-policy', policy }))
        : byName(await listEntities(connection, folder, this.readOptions)).map((entity): IamNode => ({ type: 'entity', entity }));
    if (nodes.length > 0) return nodes;
    const text = this.filterText !== '' ? `No ${FOLDER_NOUN[folder]} match "${this.filterText}"` : `No ${FOLDER_NOUN[folder]} in this account`;
    return [{ type: 'message', id: `folder:${folder}/empty`, severity: 'info', text }];
  }

  /** A role's trust policy, then inline policies, attached policies and the boundary: each read on its own, so one failure shows in its place. */
  private async entityParts(entity: IamEntity): Promise<IamNode[]> {
    const connection = this.connect();
    const target: EntityRef = { kind: entity.kind, name: entity.name };
    const id = `${entity.kind}:${entity.name}`;
    const options = this.readOptions;
    const [inline, attached, details] = await Promise.all([
      settle(listInlinePolicyNames(connection, target, options)),
      settle(listAttachedPolicies(connection, target, options)),
      entity.kind === 'group'
        ? Promise.resolve({ value: undefined })
        : settle<{ permissionsBoundaryArn?: string }>(
            entity.kind === 'role' ? getRole(connection, entity.name, options) : getUser(connection, entity.name, options),
          ),
    ]);
    const nodes: IamNode[] = [];
    if (entity.kind === 'role') {
      nodes.push(
        'problem' in details
          ? failure(`${id}/trust/error`, 'Could not read the trust policy', details.problem)
          : { type: 'trust-policy', roleName: entity.name },
      );
    }
    if ('problem' in inline) nodes.push(failure(`${id}/inline/error`, 'Could not list the inline policies', inline.problem));
    else nodes.push(...[...inline.value].sort().map((policyName): IamNode => ({ type: 'inline-policy', target, policyName })));
    if ('problem' in attached) nodes.push(failure(`${id}/attached/error`, 'Could not list the attached policies', attached.problem));
    else nodes.push(...attached.value.map((policy): IamNode => ({ type: 'attached-policy', target, policy })));
    if (entity.kind !== 'group') {
      const holder = { kind: entity.kind, name: entity.name };
      if ('problem' in details) {
        if (entity.kind === 'user') nodes.push(failure(`${id}/boundary/error`, 'Could not read the permissions boundary', details.problem));
      } else if (details.value?.permissionsBoundaryArn !== undefined) {
        nodes.push({ type: 'boundary', target: holder, policyArn: details.value.permissionsBoundaryArn });
      }
    }
    if (nodes.length === 0) nodes.push({ type: 'message', id: `${id}/empty`, severity: 'info', text: 'No policies' });
    return nodes;
  }

  /** How `node` looks. */
  view(node: IamNode): NodeView {
    switch (node.type) {
      case 'account': {
        const facts = resolveConnectionFacts(node.settings);
        const where = [
          facts.profile !== undefined ? `profile ${facts.profile}` : 'default credentials',
          facts.endpoint !== undefined ? hostOf(facts.endpoint) : undefined,
        ];
        return {
          id: 'account',
          label: `Account ${node.identity.account}`,
          description: where.filter((part) => part !== undefined).join(' · '),
          tooltip: [
            `Account ${node.identity.account}`,
            `Signed in as ${node.identity.arn}`,
            `Profile: ${facts.profile ?? '(default credentials)'}`,
            `Endpoint: ${facts.endpoint ?? 'AWS'}`,
          ].join('\n'),
          icon: 'cloud',
          contextValue: 'iamPolicy.account',
          collapsible: 'expanded',
          opens: false,
        };
      }
      case 'folder':
        return {
          id: `folder:${node.folder}`,
          label: FOLDER_LABEL[node.folder],
          ...(this.filterText !== '' ? { description: `matching "${this.filterText}"` } : {}),
          icon: FOLDER_ICON[node.folder],
          contextValue: `iamPolicy.folder.${node.folder}`,
          collapsible: 'collapsed',
          opens: false,
        };
      case 'entity':
        return {
          id: `${node.entity.kind}:${node.entity.name}`,
          label: node.entity.name,
          description: node.entity.path,
          tooltip: node.entity.arn,
          icon: FOLDER_ICON[node.entity.kind],
          contextValue: `iamPolicy.entity.${node.entity.kind}`,
          collapsible: 'collapsed',
          opens: false,
        };
      case 'trust-policy':
        return {
          id: `role:${node.roleName}/trust`,
          label: 'Trust policy',
          description: 'who may assume the role',
          icon: 'key',
          contextValue: 'iamPolicy.trustPolicy',
          collapsible: 'none',
          opens: true,
        };
      case 'inline-policy':
        return {
          id: `${node.target.kind}:${node.target.name}/inline:${node.policyName}`,
          label: node.policyName,
          description: 'inline',
          tooltip: `Inline policy "${node.policyName}" of the ${node.target.kind} "${node.target.name}": click to open it`,
          icon: 'file-code',
          contextValue: 'iamPolicy.inlinePolicy',
          collapsible: 'none',
          opens: true,
        };
      case 'attached-policy':
        return {
          id: `${node.target.kind}:${node.target.name}/attached:${node.policy.arn}`,
          label: node.policy.name,
          description: /^arn:[^:]+:iam::aws:/.test(node.policy.arn) ? 'attached · AWS managed' : 'attached',
          tooltip: node.policy.arn,
          icon: 'link',
          contextValue: 'iamPolicy.attachedPolicy',
          collapsible: 'none',
          opens: false,
        };
      case 'boundary':
        return {
          id: `${node.target.kind}:${node.target.name}/boundary`,
          label: node.policyArn.slice(node.policyArn.lastIndexOf('/') + 1),
          description: 'permissions boundary',
          tooltip: `Permissions boundary: ${node.policyArn}`,
          icon: 'shield',
          contextValue: 'iamPolicy.boundary',
          collapsible: 'none',
          opens: false,
        };
      case 'managed-policy':
        return {
          id: `policy:${node.policy.arn}`,
          label: node.policy.name,
          description: [
            node.policy.path !== '/' ? node.policy.path : undefined,
            node.policy.attachmentCount !== undefined && node.policy.attachmentCount > 0
              ? `${node.policy.attachmentCount} attachment${node.policy.attachmentCount === 1 ? '' : 's'}`
              : undefined,
          ]
            .filter((part) => part !== undefined)
            .join(' · '),
          tooltip: node.policy.arn,
          icon: 'law',
          contextValue: 'iamPolicy.managedPolicy',
          collapsible: 'collapsed',
          opens: false,
        };
      case 'policy-version':
        return {
          id: `policy:${node.policy.arn}/${node.version.versionId}`,
          label: node.version.versionId,
          description: [node.version.isDefault ? 'default' : undefined, node.version.createDate?.toISOString().slice(0, 10)]
            .filter((part) => part !== undefined)
            .join(' · '),
          tooltip: `${node.version.versionId} of ${node.policy.arn}${node.version.isDefault ? ' (the default version: the one in effect)' : ''}: click to open it`,
          icon: node.version.isDefault ? 'pass-filled' : 'history',
          contextValue: node.version.isDefault ? 'iamPolicy.policyVersion.default' : 'iamPolicy.policyVersion',
          collapsible: 'none',
          opens: true,
        };
      case 'message':
        return {
          id: node.id,
          label: node.text,
          ...(node.detail !== undefined ? { tooltip: node.detail } : {}),
          icon: node.severity === 'error' ? 'error' : 'info',
          contextValue: node.severity === 'error' ? 'iamPolicy.error' : 'iamPolicy.message',
          collapsible: 'none',
          opens: false,
        };
    }
  }
}

function failure(id: string, what: string, problem: IamProblem): IamNode {
  return { type: 'message', id, severity: 'error', text: `${what}: ${problem.message}`, detail: problem.message, problem };
}

/** A read whose IAM failure is an answer to show, not an exception. */
async function settle<T>(read: Promise<T>): Promise<{ value: T } | { problem: IamProblem }> {
  try {
    return { value: await read };
  } catch (error) {
    if (error instanceof IamCallError) return { problem: error.problem };
    throw error;
  }
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
