/**
 * The IAM actions the push commands use, each a small function over an IamConnection. They
 * read every page of a list, decode what IAM encodes, and fail with IamCallError.
 */
import {
  GetGroupPolicyCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  type GetUserPolicyCommandOutput,
  ListGroupPoliciesCommand,
  ListGroupsCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { LIST_MAX_ITEMS, type EntityKind } from 'iam-policy-engine';
import { callAws, type CallDescription, type CallOptions, type SendOptions } from './call';
import type { IamConnection } from './connection';
import { IamCallError } from './errors';
import type { EntityRef } from './log';

export interface ListOptions extends CallOptions {
  /** MaxItems per request, 1 to 1,000. IAM may return fewer and say there are more. */
  pageSize?: number;
}

/**
 * The most items one list may hold: four times IAM's largest quota (5,000 users, 5,000 roles,
 * 5,000 customer managed policies; groups 300, AWS managed policies about 1,400). Reaching it
 * means the endpoint keeps saying "more", and the page loop must stop.
 */
export const MAX_LISTED_ITEMS = 20_000;

export interface IamEntity {
  readonly kind: EntityKind;
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly id: string;
}

export interface IamUser extends IamEntity {
  readonly kind: 'user';
  /** The managed policy ARN set as the user's permissions boundary, if any. */
  readonly permissionsBoundaryArn?: string;
}

export interface InlinePolicy {
  readonly target: EntityRef;
  readonly policyName: string;
  /** The document as IAM stores it, URL-decoded. */
  readonly document: string;
}

export type ManagedPolicyScope = 'Local' | 'AWS';

export interface ManagedPolicySummary {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  /** `Local`: customer managed, in this account. `AWS`: managed by AWS. */
  readonly scope: ManagedPolicyScope;
  readonly isAttachable: boolean;
  readonly attachmentCount?: number;
  readonly permissionsBoundaryUsageCount?: number;
  /** `v3`: the version in effect. */
  readonly defaultVersionId?: string;
}

/** What a successful write returns. */
export interface WriteReceipt {
  readonly requestId?: string;
}

interface Page<Item> {
  items: Item[];
  isTruncated: boolean;
  marker: string | undefined;
}

/**
 * Reads every page of a List* action. Bounded (MAX_LISTED_ITEMS worth of full pages), and stops
 * with an error when the endpoint hands back the marker it was given, which would loop forever.
 */
export async function readAllPages<Item>(
  connection: IamConnection,
  description: CallDescription,
  options: ListOptions | undefined,
  readPage: (marker: string | undefined, maxItems: number, send: SendOptions) => Promise<Page<Item> & { $metadata: { requestId?: string; attempts?: number } }>,
): Promise<Item[]> {
  const maxItems = pageSize(options);
  const maxPages = Math.ceil(MAX_LISTED_ITEMS / maxItems);
  const items: Item[] = [];
  let marker: string | undefined;
  for (let page = 1; page <= maxPages; page++) {
    const output = await callAws(connection, { ...description, page }, (send) => readPage(marker, maxItems, send), options);
    items.push(...output.items);
    if (!output.isTruncated || output.marker === undefined || output.marker === '') return items;
    if (output.marker === marker) {
      throw new IamCallError({
        kind: 'unexpected',
        message: `${description.operation} returned the same page marker twice; the list was not read to its end.`,
      });
    }
    marker = output.marker;
  }
  throw new IamCallError({
    kind: 'unexpected',
    message: `${description.operation} still had more pages after ${maxPages} (${items.length.toLocaleString('en-US')} items); the list was not read to its end.`,
  });
}

function pageSize(options: ListOptions | undefined): number {
  const size = options?.pageSize ?? LIST_MAX_ITEMS;
  if (!Number.isInteger(size) || size < 1 || size > LIST_MAX_ITEMS) {
    throw new RangeError(`pageSize must be an integer from 1 to ${LIST_MAX_ITEMS}, not ${size}`);
  }
  return size;
}

const LIST_ENTITIES_OPERATION: Record<EntityKind, string> = { user: 'ListUsers', group: 'ListGroups', role: 'ListRoles' };

/** Every user, group or role of the account, with its path. */
export async function listEntities(connection: IamConnection, kind: EntityKind, options?: ListOptions): Promise<IamEntity[]> {
  return readAllPages<IamEntity>(connection, { operation: LIST_ENTITIES_OPERATION[kind] }, options, async (Marker, MaxItems, send) => {
    switch (kind) {
      case 'user': {
        const output = await connection.iam.send(new ListUsersCommand({ Marker, MaxItems }), send);
        const items = (output.Users ?? []).map((user) => entity('user', user.UserName, user.Path, user.Arn, user.UserId));
        return { items, isTruncated: output.IsTruncated === true, marker: output.Marker, $metadata: output.$metadata };
      }
      case 'group': {
        const output = await connection.iam.send(new ListGroupsCommand({ Marker, MaxItems }), send);
        const items = (output.Groups ?? []).map((group) => entity('group', group.GroupName, group.Path, group.Arn, group.GroupId));
        return { items, isTruncated: output.IsTruncated === true, marker: output.Marker, $metadata: output.$metadata };
      }
      case 'role': {
        const output = await connection.iam.send(new ListRolesCommand({ Marker, MaxItems }), send);
        const items = (output.Roles ?? []).map((role) => entity('role', role.RoleName, role.Path, role.Arn, role.RoleId));
        return { items, isTruncated: output.IsTruncated === true, marker: output.Marker, $metadata: output.$metadata };
      }
    }
  });
}

export const listUsers = (connection: IamConnection, options?: ListOptions): Promise<IamEntity[]> => listEntities(connection, 'user', options);
export const listGroups = (connection: IamConnection, options?: ListOptions): Promise<IamEntity[]> => listEntities(connection, 'group', options);
export const listRoles = (connection: IamConnection, options?: ListOptions): Promise<IamEntity[]> => listEntities(connection, 'role', options);

export function entity(kind: EntityKind, name: string | undefined, path: string | undefined, arn: string | undefined, id: string | undefined): IamEntity {
  return { kind, name: name ?? '', path: path ?? '/', arn: arn ?? '', id: id ?? '' };
}

const LIST_INLINE_OPERATION: Record<EntityKind, string> = {
  user: 'ListUserPolicies',
  group: 'ListGroupPolicies',
  role: 'ListRolePolicies',
};

/** The names of the inline policies of a user, group or role. */
export async function listInlinePolicyNames(connection: IamConnection, target: EntityRef, options?: ListOptions): Promise<string[]> {
  return readAllPages<string>(connection, { operation: LIST_INLINE_OPERATION[target.kind], target }, options, async (Marker, MaxItems, send) => {
    const output = await sendListInline(connection, target, Marker, MaxItems, send);
    return { items: output.PolicyNames ?? [], isTruncated: output.IsTruncated === true, marker: output.Marker, $metadata: output.$metadata };
  });
}

function sendListInline(connection: IamConnection, target: EntityRef, Marker: string | undefined, MaxItems: number, send: SendOptions) {
  switch (target.kind) {
    case 'user':
      return connection.iam.send(new ListUserPoliciesCommand({ UserName: target.name, Marker, MaxItems }), send);
    case 'group':
      return connection.iam.send(new ListGroupPoliciesCommand({ GroupName: target.name, Marker, MaxItems }), send);
    case 'role':
      return connection.iam.send(new ListRolePoliciesCommand({ RoleName: target.name, Marker, MaxItems }), send);
  }
}

const GET_INLINE_OPERATION: Record<EntityKind, string> = { user: 'GetUserPolicy', group: 'GetGroupPolicy', role: 'GetRolePolicy' };

/** What GetUserPolicy, GetGroupPolicy and GetRolePolicy have in common. */
type InlinePolicyOutput = Pick<GetUserPolicyCommandOutput, 'PolicyName' | 'PolicyDocument' | '$metadata'>;

/** One inline policy, its document URL-decoded. */
export async function getInlinePolicy(connection: IamConnection, target: EntityRef, policyName: string, options?: CallOptions): Promise<InlinePolicy> {
  const description = { operation: GET_INLINE_OPERATION[target.kind], target, policyName };
  const output = await callAws<InlinePolicyOutput>(
    connection,
    description,
    (send) => {
      switch (target.kind) {
        case 'user':
          return connection.iam.send(new GetUserPolicyCommand({ UserName: target.name, PolicyName: policyName }), send);
        case 'group':
          return connection.iam.send(new GetGroupPolicyCommand({ GroupName: target.name, PolicyName: policyName }), send);
        case 'role':
          return connection.iam.send(new GetRolePolicyCommand({ RoleName: target.name, PolicyName: policyName }), send);
      }
    },
    options,
  );
  return { target, policyName: output.PolicyName ?? policyName, document: decodePolicyDocument(output.PolicyDocument ?? '') };
}

/**
 * Every inline policy of an entity, documents included: what the overwrite check and the
 * quota arithmetic need. Read one after another, not all at once, to stay clear of throttling.
 */
export async function readInlinePolicies(connection: IamConnection, target: EntityRef, options?: CallOptions): Promise<InlinePolicy[]> {
  const names = await listInlinePolicyNames(connection, target, options);
  const policies: InlinePolicy[] = [];
  for (const name of names) policies.push(await getInlinePolicy(connection, target, name, options));
  return policies;
}

const PUT_INLINE_OPERATION: Record<EntityKind, string> = { user: 'PutUserPolicy', group: 'PutGroupPolicy', role: 'PutRolePolicy' };

/** Creates or replaces an inline policy. The document is sent exactly as given. */
export async function putInlinePolicy(
  connection: IamConnection,
  target: EntityRef,
  policyName: string,
  document: string,
  options?: CallOptions,
): Promise<WriteReceipt> {
  const output = await callAws(
    connection,
    { operation: PUT_INLINE_OPERATION[target.kind], target, policyName },
    (send) => {
      const PolicyDocument = document;
      switch (target.kind) {
        case 'user':
          return connection.iam.send(new PutUserPolicyCommand({ UserName: target.name, PolicyName: policyName, PolicyDocument }), send);
        case 'group':
          return connection.iam.send(new PutGroupPolicyCommand({ GroupName: target.name, PolicyName: policyName, PolicyDocument }), send);
        case 'role':
          return connection.iam.send(new PutRolePolicyCommand({ RoleName: target.name, PolicyName: policyName, PolicyDocument }), send);
      }
    },
    options,
  );
  return receipt(output.$metadata.requestId);
}

/** A user, with its permissions boundary. */
export async function getUser(connection: IamConnection, userName: string, options?: CallOptions): Promise<IamUser> {
  const target: EntityRef = { kind: 'user', name: userName };
  const output = await callAws(
    connection,
    { operation: 'GetUser', target },
    (send) => connection.iam.send(new GetUserCommand({ UserName: userName }), send),
    options,
  );
  const user = output.User;
  const boundaryArn = user?.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    ...entity('user', user?.UserName ?? userName, user?.Path, user?.Arn, user?.UserId),
    kind: 'user',
    ...(boundaryArn !== undefined ? { permissionsBoundaryArn: boundaryArn } : {}),
  };
}

/**
 * Managed policies a permissions boundary can be chosen from: the account's own (Scope Local)
 * first, then AWS's, each read to the last page.
 */
export async function listManagedPolicies(connection: IamConnection, options?: ListOptions): Promise<ManagedPolicySummary[]> {
  const result: ManagedPolicySummary[] = [];
  for (const scope of ['Local', 'AWS'] as const) result.push(...(await listManagedPoliciesIn(connection, scope, options)));
  return result;
}

/** The managed policies of one scope: the account's own (`Local`) or AWS's, every page. */
export async function listManagedPoliciesIn(connection: IamConnection, scope: ManagedPolicyScope, options?: ListOptions): Promise<ManagedPolicySummary[]> {
  return readAllPages<ManagedPolicySummary>(connection, { operation: 'ListPolicies' }, options, async (Marker, MaxItems, send) => {
    const output = await connection.iam.send(new ListPoliciesCommand({ Scope: scope, Marker, MaxItems }), send);
    const items = (output.Policies ?? []).map((policy): ManagedPolicySummary => ({
      name: policy.PolicyName ?? '',
      arn: policy.Arn ?? '',
      path: policy.Path ?? '/',
      scope,
      isAttachable: policy.IsAttachable !== false,
      ...(policy.AttachmentCount !== undefined ? { attachmentCount: policy.AttachmentCount } : {}),
      ...(policy.PermissionsBoundaryUsageCount !== undefined ? { permissionsBoundaryUsageCount: policy.PermissionsBoundaryUsageCount } : {}),
      ...(policy.DefaultVersionId !== undefined ? { defaultVersionId: policy.DefaultVersionId } : {}),
    }));
    return { items, isTruncated: output.IsTruncated === true, marker: output.Marker, $metadata: output.$metadata };
  });
}

/** Sets (or replaces) a user's permissions boundary. */
export async function putUserPermissionsBoundary(connection: IamConnection, userName: string, policyArn: string, options?: CallOptions): Promise<WriteReceipt> {
  const target: EntityRef = { kind: 'user', name: userName };
  const output = await callAws(
    connection,
    { operation: 'PutUserPermissionsBoundary', target, policyArn },
    (send) => connection.iam.send(new PutUserPermissionsBoundaryCommand({ UserName: userName, PermissionsBoundary: policyArn }), send),
    options,
  );
  return receipt(output.$metadata.requestId);
}

export function receipt(requestId: string | undefined): WriteReceipt {
  return requestId !== undefined ? { requestId } : {};
}

/**
 * IAM returns policy documents URL-encoded (RFC 3986). An encoded document has no raw `{`
 * (it is `%7B`), so text that has one is returned as it is: some emulators skip the encoding,
 * and decoding plain JSON would corrupt any `%` sequence inside its strings.
 */
export function decodePolicyDocument(raw: string): string {
  if (raw.includes('{')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
