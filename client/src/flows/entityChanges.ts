/**
 * Changes to a user, group or role that carry no document: attaching and detaching a managed
 * policy, deleting an inline policy, setting a role's permissions boundary and removing a
 * user's or role's. Each is a plan (checks and reads, which the UI confirms where it takes
 * something away) and an apply (the write, read back when its outcome is unsure).
 */
import type { CallOptions } from '../aws/call';
import type { IamConnection } from '../aws/connection';
import { deleteInlinePolicy, deletePermissionsBoundary, getPermissionsBoundary, getRole, putRolePermissionsBoundary } from '../aws/entityPolicies';
import type { EntityRef } from '../aws/log';
import { attachManagedPolicy, detachManagedPolicy, listAttachedPolicies } from '../aws/managedPolicies';
import { getInlinePolicy, listInlinePolicyNames, type WriteReceipt } from '../aws/operations';
import { checkManagedPolicyArn, checkPermissionsBoundaryArn } from './boundaryArn';
import { checkAttachTargetName, checkInlinePolicyTargetName, checkPolicyName } from './names';
import type { Blocker } from './pushInlinePolicy';
import { boundaryCheck, writeWithReadBack, type ReadBackCheck, type Written } from './readBack';

const describe = (target: EntityRef): string => `the ${target.kind} "${target.name}"`;

/** What a change did, for the notification. */
export interface ChangeOutcome {
  readonly requestId?: string;
  readonly message: string;
  /** The answer did not say it was done, reading back did; `message` says both. */
  readonly confirmedByReadBack?: true;
}

function outcome(written: Written<WriteReceipt>, message: string): ChangeOutcome {
  if (written.confirmedByReadBack === true) return { message: written.message, confirmedByReadBack: true };
  return { ...(written.receipt.requestId !== undefined ? { requestId: written.receipt.requestId } : {}), message };
}

export type ChangePlan<Extra = object> =
  | { readonly action: 'blocked'; readonly blockers: readonly Blocker[] }
  /** Nothing to do: IAM already is as asked. */
  | { readonly action: 'unchanged'; readonly message: string }
  | ({ readonly action: 'change' } & Extra);

function blockedOr<Extra>(blockers: Blocker[]): ChangePlan<Extra> | undefined {
  return blockers.length > 0 ? { action: 'blocked', blockers } : undefined;
}

// ---- Attach and detach ---------------------------------------------------------------------

export interface AttachmentRequest {
  readonly target: EntityRef;
  readonly policyArn: string;
}

function attachmentBlockers(request: AttachmentRequest): Blocker[] {
  const blockers: Blocker[] = [];
  const name = checkAttachTargetName(request.target.kind, request.target.name);
  if (name !== undefined) blockers.push({ code: 'target-name', message: name });
  const arn = checkManagedPolicyArn(request.policyArn);
  if (arn !== undefined) blockers.push({ code: 'policy-arn', message: arn });
  return blockers;
}

const isAttached = async (connection: IamConnection, request: AttachmentRequest, options?: CallOptions): Promise<boolean> =>
  (await listAttachedPolicies(connection, request.target, options)).some((policy) => policy.arn === request.policyArn);

/** Reading back after an attach (`attach` true) or a detach. */
function attachmentCheck(connection: IamConnection, request: AttachmentRequest, attach: boolean): ReadBackCheck {
  const { policyArn, target } = request;
  const done = attach ? 'attached' : 'detached';
  return {
    where: `the managed policies attached to ${describe(target)}`,
    done,
    async read() {
      const attached = await isAttached(connection, request);
      if (attached === attach)
        return { written: true, sentence: `Read back, ${policyArn} is ${attach ? '' : 'no longer '}attached to ${describe(target)}: it was ${done}.` };
      return {
        written: false,
        sentence: `Read back, ${policyArn} is ${attach ? 'not' : 'still'} attached to ${describe(target)}: it was not ${done}. Try again.`,
      };
    },
  };
}

/** Reads the entity's attached policies: attaching one that is there already changes nothing. */
export async function planAttach(connection: IamConnection, request: AttachmentRequest, options?: CallOptions): Promise<ChangePlan> {
  const blocked = blockedOr(attachmentBlockers(request));
  if (blocked !== undefined) return blocked;
  if (await isAttached(connection, request, options)) {
    return { action: 'unchanged', message: `${request.policyArn} is already attached to ${describe(request.target)}.` };
  }
  return { action: 'change' };
}

export async function applyAttach(connection: IamConnection, request: AttachmentRequest, options?: CallOptions): Promise<ChangeOutcome> {
  const written = await writeWithReadBack(
    () => attachManagedPolicy(connection, request.target, request.policyArn, options),
    attachmentCheck(connection, request, true),
  );
  return outcome(written, `Attached ${request.policyArn} to ${describe(request.target)}.`);
}

/** Reads the entity's attached policies: detaching one that is not there changes nothing. */
export async function planDetach(connection: IamConnection, request: AttachmentRequest, options?: CallOptions): Promise<ChangePlan> {
  const blocked = blockedOr(attachmentBlockers(request));
  if (blocked !== undefined) return blocked;
  if (!(await isAttached(connection, request, options))) {
    return { action: 'unchanged', message: `${request.policyArn} is not attached to ${describe(request.target)}.` };
  }
  return { action: 'change' };
}

export async function applyDetach(connection: IamConnection, request: AttachmentRequest, options?: CallOptions): Promise<ChangeOutcome> {
  const written = await writeWithReadBack(
    () => detachManagedPolicy(connection, request.target, request.policyArn, options),
    attachmentCheck(connection, request, false),
  );
  return outcome(written, `Detached ${request.policyArn} from ${describe(request.target)}; the policy itself is unchanged.`);
}

// ---- Deleting an inline policy -------------------------------------------------------------

export interface InlineDeletion {
  readonly target: EntityRef;
  readonly policyName: string;
}

/**
 * Reads the policy (NoSuchEntity when it is gone): its size goes into the question, so the
 * person sees what is about to disappear.
 */
export async function planDeleteInline(
  connection: IamConnection,
  request: InlineDeletion,
  options?: CallOptions,
): Promise<ChangePlan<{ readonly document: string }>> {
  const blockers: Blocker[] = [];
  const name = checkInlinePolicyTargetName(request.target.kind, request.target.name);
  if (name !== undefined) blockers.push({ code: 'target-name', message: name });
  const policy = checkPolicyName(request.policyName);
  if (policy !== undefined) blockers.push({ code: 'policy-name', message: policy });
  const blocked = blockedOr<{ document: string }>(blockers);
  if (blocked !== undefined) return blocked;
  const current = await getInlinePolicy(connection, request.target, request.policyName, options);
  return { action: 'change', document: current.document };
}

export async function applyDeleteInline(connection: IamConnection, request: InlineDeletion, options?: CallOptions): Promise<ChangeOutcome> {
  const { target, policyName } = request;
  const written = await writeWithReadBack(() => deleteInlinePolicy(connection, target, policyName, options), {
    where: `the inline policies of ${describe(target)}`,
    done: 'deleted',
    async read() {
      if (!(await listInlinePolicyNames(connection, target)).includes(policyName)) {
        return { written: true, sentence: `Read back, ${describe(target)} has no inline policy "${policyName}" any more: it was deleted.` };
      }
      return { written: false, sentence: `Read back, ${describe(target)} still has the inline policy "${policyName}": it was not deleted. Try again.` };
    },
  });
  return outcome(written, `Deleted the inline policy "${request.policyName}" of ${describe(request.target)}.`);
}

// ---- Permissions boundaries ----------------------------------------------------------------

export type BoundaryHolder = EntityRef & { readonly kind: 'user' | 'role' };

export interface RoleBoundaryRequest {
  readonly roleName: string;
  readonly policyArn: string;
}

/** Checks the request and reads the role's boundary (GetRole); with `currentArn` it replaces one. */
export async function planRoleBoundary(
  connection: IamConnection,
  request: RoleBoundaryRequest,
  options?: CallOptions,
): Promise<ChangePlan<{ readonly currentArn?: string }>> {
  const blockers: Blocker[] = [];
  const name = checkAttachTargetName('role', request.roleName);
  if (name !== undefined) blockers.push({ code: 'role-name', message: name });
  const arn = checkPermissionsBoundaryArn(request.policyArn);
  if (arn !== undefined) blockers.push({ code: 'boundary-arn', message: arn });
  const blocked = blockedOr<{ currentArn?: string }>(blockers);
  if (blocked !== undefined) return blocked;
  const current = (await getRole(connection, request.roleName, options)).permissionsBoundaryArn;
  if (current === request.policyArn) {
    return { action: 'unchanged', message: `The role "${request.roleName}" already has ${request.policyArn} as permissions boundary.` };
  }
  return { action: 'change', ...(current !== undefined ? { currentArn: current } : {}) };
}

export async function applyRoleBoundary(
  connection: IamConnection,
  request: RoleBoundaryRequest,
  currentArn?: string,
  options?: CallOptions,
): Promise<ChangeOutcome> {
  const written = await writeWithReadBack(
    () => putRolePermissionsBoundary(connection, request.roleName, request.policyArn, options),
    boundaryCheck(connection, { kind: 'role', name: request.roleName }, request.policyArn, currentArn),
  );
  return outcome(
    written,
    `Set ${request.policyArn} as the permissions boundary of the role "${request.roleName}"${currentArn !== undefined ? ` (it was ${currentArn})` : ''}.`,
  );
}

/** Reads the current boundary: one that has none changes nothing. */
export async function planRemoveBoundary(
  connection: IamConnection,
  target: BoundaryHolder,
  options?: CallOptions,
): Promise<ChangePlan<{ readonly currentArn: string }>> {
  const name = checkAttachTargetName(target.kind, target.name);
  if (name !== undefined) return { action: 'blocked', blockers: [{ code: 'target-name', message: name }] };
  const current = await getPermissionsBoundary(connection, target, options);
  if (current === undefined) return { action: 'unchanged', message: `${capitalize(describe(target))} has no permissions boundary.` };
  return { action: 'change', currentArn: current };
}

export async function applyRemoveBoundary(
  connection: IamConnection,
  target: BoundaryHolder,
  currentArn: string,
  options?: CallOptions,
): Promise<ChangeOutcome> {
  const written = await writeWithReadBack(() => deletePermissionsBoundary(connection, target, options), {
    where: `the permissions boundary of ${describe(target)}`,
    done: 'removed',
    async read() {
      const held = await getPermissionsBoundary(connection, target);
      if (held === undefined) return { written: true, sentence: `Read back, ${describe(target)} has no permissions boundary: it was removed.` };
      return { written: false, sentence: `Read back, ${describe(target)} still has ${held} as permissions boundary: it was not removed. Try again.` };
    },
  });
  return outcome(written, `Removed the permissions boundary ${currentArn} from ${describe(target)}.`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
