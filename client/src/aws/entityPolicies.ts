/**
 * What belongs to one user, group or role besides its inline policies' text: a role (its trust
 * policy and permissions boundary), deleting an inline policy, replacing a trust policy, and
 * setting or removing a permissions boundary. Each call goes through `callAws`.
 */
import {
  DeleteGroupPolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DeleteUserPermissionsBoundaryCommand,
  DeleteUserPolicyCommand,
  GetRoleCommand,
  PutRolePermissionsBoundaryCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { EntityKind } from 'iam-policy-engine';
import { callAws, type CallOptions } from './call';
import type { IamConnection } from './connection';
import type { EntityRef } from './log';
import { decodePolicyDocument, entity, getUser, receipt, type IamEntity, type WriteReceipt } from './operations';

export interface IamRole extends IamEntity {
  readonly kind: 'role';
  /** The trust policy (AssumeRolePolicyDocument), URL-decoded. */
  readonly trustPolicy: string;
  readonly permissionsBoundaryArn?: string;
}

/** A role, with its trust policy and permissions boundary. */
export async function getRole(connection: IamConnection, roleName: string, options?: CallOptions): Promise<IamRole> {
  const target: EntityRef = { kind: 'role', name: roleName };
  const output = await callAws(
    connection,
    { operation: 'GetRole', target },
    (send) => connection.iam.send(new GetRoleCommand({ RoleName: roleName }), send),
    options,
  );
  const role = output.Role;
  const boundaryArn = role?.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    ...entity('role', role?.RoleName ?? roleName, role?.Path, role?.Arn, role?.RoleId),
    kind: 'role',
    trustPolicy: decodePolicyDocument(role?.AssumeRolePolicyDocument ?? ''),
    ...(boundaryArn !== undefined ? { permissionsBoundaryArn: boundaryArn } : {}),
  };
}

/** The permissions boundary of a user or role (GetUser, GetRole); groups have none. */
export async function getPermissionsBoundary(connection: IamConnection, target: EntityRef, options?: CallOptions): Promise<string | undefined> {
  switch (target.kind) {
    case 'user':
      return (await getUser(connection, target.name, options)).permissionsBoundaryArn;
    case 'role':
      return (await getRole(connection, target.name, options)).permissionsBoundaryArn;
    case 'group':
      return undefined;
  }
}

const DELETE_INLINE_OPERATION: Record<EntityKind, string> = { user: 'DeleteUserPolicy', group: 'DeleteGroupPolicy', role: 'DeleteRolePolicy' };

/** Deletes an inline policy of a user, group or role. */
export async function deleteInlinePolicy(connection: IamConnection, target: EntityRef, policyName: string, options?: CallOptions): Promise<WriteReceipt> {
  const output = await callAws(
    connection,
    { operation: DELETE_INLINE_OPERATION[target.kind], target, policyName },
    (send) => {
      switch (target.kind) {
        case 'user':
          return connection.iam.send(new DeleteUserPolicyCommand({ UserName: target.name, PolicyName: policyName }), send);
        case 'group':
          return connection.iam.send(new DeleteGroupPolicyCommand({ GroupName: target.name, PolicyName: policyName }), send);
        case 'role':
          return connection.iam.send(new DeleteRolePolicyCommand({ RoleName: target.name, PolicyName: policyName }), send);
      }
    },
    options,
  );
  return receipt(output.$metadata.requestId);
}

/** UpdateAssumeRolePolicy: replaces a role's trust policy. The document is sent exactly as given. */
export async function updateTrustPolicy(connection: IamConnection, roleName: string, document: string, options?: CallOptions): Promise<WriteReceipt> {
  const output = await callAws(
    connection,
    { operation: 'UpdateAssumeRolePolicy', target: { kind: 'role', name: roleName } },
    (send) => connection.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: document }), send),
    options,
  );
  return receipt(output.$metadata.requestId);
}

/** Sets (or replaces) a role's permissions boundary. */
export async function putRolePermissionsBoundary(connection: IamConnection, roleName: string, policyArn: string, options?: CallOptions): Promise<WriteReceipt> {
  const output = await callAws(
    connection,
    { operation: 'PutRolePermissionsBoundary', target: { kind: 'role', name: roleName }, policyArn },
    (send) => connection.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: roleName, PermissionsBoundary: policyArn }), send),
    options,
  );
  return receipt(output.$metadata.requestId);
}

/** Removes the permissions boundary of a user or role (DeleteUserPermissionsBoundary, DeleteRolePermissionsBoundary). */
export async function deletePermissionsBoundary(
  connection: IamConnection,
  target: EntityRef & { kind: 'user' | 'role' },
  options?: CallOptions,
): Promise<WriteReceipt> {
  const operation = target.kind === 'user' ? 'DeleteUserPermissionsBoundary' : 'DeleteRolePermissionsBoundary';
  const output = await callAws(
    connection,
    { operation, target },
    (send) =>
      target.kind === 'user'
        ? connection.iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: target.name }), send)
        : connection.iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: target.name }), send),
    options,
  );
  return receipt(output.$metadata.requestId);
}
