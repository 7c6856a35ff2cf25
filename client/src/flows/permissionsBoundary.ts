/**
 * Setting a user's permissions boundary, in the same two steps as a push: a plan that checks
 * and reads (GetUser), then the write.
 */
import type { CallOptions } from '../aws/call';
import type { IamConnection } from '../aws/connection';
import { getUser, putUserPermissionsBoundary } from '../aws/operations';
import { checkPermissionsBoundaryArn } from './boundaryArn';
import { checkBoundaryUserName } from './names';
import type { Blocker } from './pushInlinePolicy';
import { boundaryCheck, writeWithReadBack } from './readBack';

export interface BoundaryRequest {
  readonly userName: string;
  readonly policyArn: string;
}

export type BoundaryPlan =
  | { readonly action: 'blocked'; readonly request: BoundaryRequest; readonly blockers: readonly Blocker[] }
  /** The user already has this boundary. */
  | { readonly action: 'unchanged'; readonly request: BoundaryRequest; readonly message: string }
  /**
   * The boundary may be set. With `currentArn` it replaces another boundary, which the UI
   * should confirm: a boundary caps everything the user may do.
   */
  | { readonly action: 'set'; readonly request: BoundaryRequest; readonly currentArn?: string };

export function boundaryBlockers(request: BoundaryRequest): Blocker[] {
  const blockers: Blocker[] = [];
  const userProblem = checkBoundaryUserName(request.userName);
  if (userProblem !== undefined) blockers.push({ code: 'user-name', message: userProblem });
  const arnProblem = checkPermissionsBoundaryArn(request.policyArn);
  if (arnProblem !== undefined) blockers.push({ code: 'boundary-arn', message: arnProblem });
  return blockers;
}

/** Checks the request and reads the user's current boundary (IamCallError when the user does not exist). */
export async function planPermissionsBoundary(connection: IamConnection, request: BoundaryRequest, options?: CallOptions): Promise<BoundaryPlan> {
  const blockers = boundaryBlockers(request);
  if (blockers.length > 0) return { action: 'blocked', request, blockers };
  const user = await getUser(connection, request.userName, options);
  if (user.permissionsBoundaryArn === request.policyArn) {
    return { action: 'unchanged', request, message: `The user "${request.userName}" already has ${request.policyArn} as permissions boundary.` };
  }
  return {
    action: 'set',
    request,
    ...(user.permissionsBoundaryArn !== undefined ? { currentArn: user.permissionsBoundaryArn } : {}),
  };
}

export interface BoundaryOutcome {
  readonly requestId?: string;
  readonly message: string;
  /** The answer did not say it was set, reading back did; `message` says both. */
  readonly confirmedByReadBack?: true;
}

/**
 * Sets the boundary. When the write fails in a way that leaves its outcome open, reads the
 * user back: IamCallError with `iamHolds` (not set, or not checked), or an outcome when it is set.
 */
export async function applyPermissionsBoundary(
  connection: IamConnection,
  plan: Extract<BoundaryPlan, { action: 'set' }>,
  options?: CallOptions,
): Promise<BoundaryOutcome> {
  const { userName, policyArn } = plan.request;
  const written = await writeWithReadBack(
    () => putUserPermissionsBoundary(connection, userName, policyArn, options),
    boundaryCheck(connection, { kind: 'user', name: userName }, policyArn, plan.currentArn),
  );
  if (written.confirmedByReadBack === true) return { message: written.message, confirmedByReadBack: true };
  const { receipt } = written;
  return {
    ...(receipt.requestId !== undefined ? { requestId: receipt.requestId } : {}),
    message: `Set ${policyArn} as the permissions boundary of the user "${userName}"${plan.currentArn !== undefined ? ` (it was ${plan.currentArn})` : ''}.`,
  };
}
