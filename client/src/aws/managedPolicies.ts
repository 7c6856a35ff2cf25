/**
 * Managed policies: reading one with its versions, creating one, pushing a new version (and
 * deleting an old one to make room), and attaching or detaching one to a user, group or role.
 * Each call goes through `callAws`, reads every page of a list, and decodes what IAM encodes.
 */
import {
  AttachGroupPolicyCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListPolicyVersionsCommand,
  type Policy,
} from '@aws-sdk/client-iam';
import type { EntityKind } from 'iam-policy-engine';
import { callAws, type CallOptions, type SendOptions } from './call';
import type { IamConnection } from './connection';
import type { EntityRef } from './log';
import { decodePolicyDocument, readAllPages, receipt, type ListOptions, type ManagedPolicySummary, type WriteReceipt } from './operations';

/** A managed policy attached to a user, group or role. */
export interface AttachedPolicy {
  readonly name: string;
  readonly arn: string;
}

/** What GetPolicy and CreatePolicy say about a managed policy. */
export interface ManagedPolicyDetails extends ManagedPolicySummary {
  readonly id: string;
  readonly description?: string;
}

export interface PolicyVersionSummary {
  /** `v1`, `v2`…: IAM numbers versions and never reuses a number. */
  readonly versionId: string;
  readonly isDefault: boolean;
  readonly createDate?: Date;
}

export interface PolicyVersion extends PolicyVersionSummary {
  /** The document, URL-decoded. */
  readonly document: string;
}

const LIST_ATTACHED_OPERATION: Record<EntityKind, string> = {
  user: 'ListAttachedUserPolicies',
  group: 'ListAttachedGroupPolicies',
  role: 'ListAttachedRolePolicies',
};

/** The managed policies attached to a user, group or role (every page). */
export async function listAttachedPolicies(connection: IamConnection, target: EntityRef, options?: ListOptions): Promise<AttachedPolicy[]> {
  return readAllPages<AttachedPolicy>(connection, { operation: LIST_ATTACHED_OPERATION[target.kind], target }, options, async (Marker, MaxItems, send) => {
    const output = await sendListAttached(connection, target, Marker, MaxItems, send);
    const items = (output.AttachedPolicies ?? []).map((policy) => ({ name: policy.PolicyName ?? '', arn: policy.PolicyArn ?? '' }));
    return { items, isTruncated: output.IsTruncated === true, marker: output.Marker, $metadata: output.$metadata };
  });
}

function sendListAttached(connection: IamConnection, target: EntityRef, Marker: string | undefined, MaxItems: number, send: SendOptions) {
  switch (target.kind) {
    case 'user':
      return connection.iam.send(new ListAttachedUserPoliciesCommand({ UserName: target.name, Marker, MaxItems }), send);
    case 'group':
      return connection.iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: target.name, Marker, MaxItems }), send);
    case 'role':
      return connection.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: target.name, Marker, MaxItems }), send);
  }
}

/** One managed policy (GetPolicy): which version is the default, where it is attached. */
export async function getManagedPolicy(connection: IamConnection, policyArn: string, options?: CallOptions): Promise<ManagedPolicyDetails> {
  const output = await callAws(
    connection,
    { operation: 'GetPolicy', policyArn },
    (send) => connection.iam.send(new GetPolicyCommand({ PolicyArn: policyArn }), send),
    options,
  );
  return policyDetails(output.Policy, policyArn);
}

function policyDetails(policy: Policy | undefined, fallbackArn: string): ManagedPolicyDetails {
  const arn = policy?.Arn ?? fallbackArn;
  return {
    name: policy?.PolicyName ?? arn.slice(arn.lastIndexOf('/') + 1),
    arn,
    path: policy?.Path ?? '/',
    id: policy?.PolicyId ?? '',
    scope: /^arn:[^:]+:iam::aws:/.test(arn) ? 'AWS' : 'Local',
    isAttachable: policy?.IsAttachable !== false,
    ...(policy?.DefaultVersionId !== undefined ? { defaultVersionId: policy.DefaultVersionId } : {}),
    ...(policy?.AttachmentCount !== undefined ? { attachmentCount: policy.AttachmentCount } : {}),
    ...(policy?.PermissionsBoundaryUsageCount !== undefined ? { permissionsBoundaryUsageCount: policy.PermissionsBoundaryUsageCount } : {}),
    ...(policy?.Description !== undefined && policy.Description !== '' ? { description: policy.Description } : {}),
  };
}

/** The versions of a managed policy, the newest first (IAM keeps at most five). */
export async function listPolicyVersions(connection: IamConnection, policyArn: string, options?: ListOptions): Promise<PolicyVersionSummary[]> {
  const versions = await readAllPages<PolicyVersionSummary>(
    connection,
    { operation: 'ListPolicyVersions', policyArn },
    options,
    async (Marker, MaxItems, send) => {
      const output = await connection.iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn, Marker, MaxItems }), send);
      const items = (output.Versions ?? []).map((version): PolicyVersionSummary => ({
        versionId: version.VersionId ?? '',
        isDefault: version.IsDefaultVersion === true,
        ...(version.CreateDate !== undefined ? { createDate: version.CreateDate } : {}),
      }));
      return { items, isTruncated: output.IsTruncated === true, marker: output.Marker, $metadata: output.$metadata };
    },
  );
  return versions.sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId));
}

/** 3 for `v3`; IAM's version ids grow by one with each new version. */
export function versionNumber(versionId: string): number {
  const match = /^v(\d+)/.exec(versionId);
  return match === null ? 0 : Number(match[1]);
}

/** One version of a managed policy, its document URL-decoded. */
export async function getPolicyVersion(connection: IamConnection, policyArn: string, versionId: string, options?: CallOptions): Promise<PolicyVersion> {
  const output = await callAws(
    connection,
    { operation: 'GetPolicyVersion', policyArn },
    (send) => connection.iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }), send),
    options,
  );
  const version = output.PolicyVersion;
  return {
    versionId: version?.VersionId ?? versionId,
    isDefault: version?.IsDefaultVersion === true,
    ...(version?.CreateDate !== undefined ? { createDate: version.CreateDate } : {}),
    document: decodePolicyDocument(version?.Document ?? ''),
  };
}

export interface NewManagedPolicy {
  readonly policyName: string;
  /** `/` or `/segments/`. */
  readonly path: string;
  readonly description?: string;
  /** Sent exactly as given. */
  readonly document: string;
}

/** CreatePolicy: a customer managed policy, its document the first (default) version. */
export async function createManagedPolicy(
  connection: IamConnection,
  policy: NewManagedPolicy,
  options?: CallOptions,
): Promise<ManagedPolicyDetails & WriteReceipt> {
  const output = await callAws(
    connection,
    { operation: 'CreatePolicy', policyName: policy.policyName },
    (send) =>
      connection.iam.send(
        new CreatePolicyCommand({
          PolicyName: policy.policyName,
          Path: policy.path,
          PolicyDocument: policy.document,
          ...(policy.description !== undefined && policy.description !== '' ? { Description: policy.description } : {}),
        }),
        send,
      ),
    options,
  );
  return { ...policyDetails(output.Policy, ''), ...receipt(output.$metadata.requestId) };
}

/** CreatePolicyVersion: a new version of a managed policy, made the default when `setAsDefault`. */
export async function createPolicyVersion(
  connection: IamConnection,
  policyArn: string,
  document: string,
  setAsDefault: boolean,
  options?: CallOptions,
): Promise<PolicyVersionSummary & WriteReceipt> {
  const output = await callAws(
    connection,
    { operation: 'CreatePolicyVersion', policyArn },
    (send) => connection.iam.send(new CreatePolicyVersionCommand({ PolicyArn: policyArn, PolicyDocument: document, SetAsDefault: setAsDefault }), send),
    options,
  );
  const version = output.PolicyVersion;
  return {
    versionId: version?.VersionId ?? '',
    isDefault: version?.IsDefaultVersion === true,
    ...(version?.CreateDate !== undefined ? { createDate: version.CreateDate } : {}),
    ...receipt(output.$metadata.requestId),
  };
}

/** DeletePolicyVersion: IAM refuses the default version (DeleteConflict). */
export async function deletePolicyVersion(connection: IamConnection, policyArn: string, versionId: string, options?: CallOptions): Promise<WriteReceipt> {
  const output = await callAws(
    connection,
    { operation: 'DeletePolicyVersion', policyArn },
    (send) => connection.iam.send(new DeletePolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }), send),
    options,
  );
  return receipt(output.$metadata.requestId);
}

const ATTACH_OPERATION: Record<EntityKind, string> = { user: 'AttachUserPolicy', group: 'AttachGroupPolicy', role: 'AttachRolePolicy' };
const DETACH_OPERATION: Record<EntityKind, string> = { user: 'DetachUserPolicy', group: 'DetachGroupPolicy', role: 'DetachRolePolicy' };

/** Attaches a managed policy to a user, group or role. */
export async function attachManagedPolicy(connection: IamConnection, target: EntityRef, policyArn: string, options?: CallOptions): Promise<WriteReceipt> {
  const output = await callAws(
    connection,
    { operation: ATTACH_OPERATION[target.kind], target, policyArn },
    (send) => {
      switch (target.kind) {
        case 'user':
          return connection.iam.send(new AttachUserPolicyCommand({ UserName: target.name, PolicyArn: policyArn }), send);
        case 'group':
          return connection.iam.send(new AttachGroupPolicyCommand({ GroupName: target.name, PolicyArn: policyArn }), send);
        case 'role':
          return connection.iam.send(new AttachRolePolicyCommand({ RoleName: target.name, PolicyArn: policyArn }), send);
      }
    },
    options,
  );
  return receipt(output.$metadata.requestId);
}

/** Detaches a managed policy from a user, group or role (the policy itself stays). */
export async function detachManagedPolicy(connection: IamConnection, target: EntityRef, policyArn: string, options?: CallOptions): Promise<WriteReceipt> {
  const output = await callAws(
    connection,
    { operation: DETACH_OPERATION[target.kind], target, policyArn },
    (send) => {
      switch (target.kind) {
        case 'user':
          return connection.iam.send(new DetachUserPolicyCommand({ UserName: target.name, PolicyArn: policyArn }), send);
        case 'group':
          return connection.iam.send(new DetachGroupPolicyCommand({ GroupName: target.name, PolicyArn: policyArn }), send);
        case 'role':
          return connection.iam.send(new DetachRolePolicyCommand({ RoleName: target.name, PolicyArn: policyArn }), send);
      }
    },
    options,
  );
  return receipt(output.$metadata.requestId);
}
