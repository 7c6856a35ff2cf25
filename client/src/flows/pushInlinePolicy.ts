/**
 * Pushing the open document as an inline policy, in two steps the UI puts a confirmation
 * between: `planInlinePolicyPush` checks everything that can be checked and reads what IAM
 * holds (it never writes), `applyInlinePolicyPush` writes, after making sure IAM still holds
 * what the plan saw.
 */
import type { CallOptions } from '../aws/call';
import type { IamConnection } from '../aws/connection';
import { IamCallError } from '../aws/errors';
import type { EntityRef } from '../aws/log';
import { getInlinePolicy, listInlinePolicyNames, putInlinePolicy, readInlinePolicies } from '../aws/operations';
import { checkInlinePolicyTargetName, checkPolicyName } from './names';
import { decideOverwrite } from './overwrite';
import { preflightPolicy, type PreflightProblem } from './preflight';
import { inlinePolicyCheck, writeWithReadBack } from './readBack';
import { checkInlinePolicyQuota, type QuotaCheck } from './quota';

/** A reason not to send, found before writing. */
export interface Blocker {
  /** `target-name`, `policy-name`, `quota`, or a preflight code. */
  readonly code: string;
  readonly message: string;
  /** Where in the document, for document problems. */
  readonly line?: number;
  readonly column?: number;
}

export interface InlinePushRequest {
  readonly target: EntityRef;
  readonly policyName: string;
  /** The editor's text, sent exactly as it is. */
  readonly document: string;
  /** The document's file name, for the engine's checks. */
  readonly fileName?: string;
}

export type InlinePushPlan =
  /** Nothing may be sent; `blockers` say why. */
  | { readonly action: 'blocked'; readonly request: InlinePushRequest; readonly blockers: readonly Blocker[]; readonly quota?: QuotaCheck }
  /** IAM already holds this same policy (JSON-equal): nothing to send. */
  | { readonly action: 'unchanged'; readonly request: InlinePushRequest; readonly message: string }
  /** No policy of that name: it may be created without asking. */
  | { readonly action: 'create'; readonly request: InlinePushRequest; readonly quota: QuotaCheck }
  /**
   * A different policy of that name exists: ask first, showing `existing` and `proposed`
   * (both pretty-printed) side by side.
   */
  | {
      readonly action: 'replace';
      readonly request: InlinePushRequest;
      readonly quota: QuotaCheck;
      readonly existing: string;
      readonly proposed: string;
      /** The document IAM held when planned, as IAM returned it (decoded), to detect a change meanwhile. */
      readonly existingDocument: string;
    };

export type SendablePlan = Extract<InlinePushPlan, { action: 'create' | 'replace' }>;

/** The checks that need no request: the names and the document. */
export function localBlockers(request: InlinePushRequest): Blocker[] {
  const blockers: Blocker[] = [];
  const targetProblem = checkInlinePolicyTargetName(request.target.kind, request.target.name);
  if (targetProblem !== undefined) blockers.push({ code: 'target-name', message: targetProblem });
  const policyProblem = checkPolicyName(request.policyName);
  if (policyProblem !== undefined) blockers.push({ code: 'policy-name', message: policyProblem });
  const preflight = preflightPolicy(request.document, request.fileName !== undefined ? { fileName: request.fileName } : {});
  blockers.push(...preflight.problems.map(documentBlocker));
  return blockers;
}

function documentBlocker(problem: PreflightProblem): Blocker {
  return {
    code: problem.code,
    message: `Line ${problem.line}, column ${problem.column}: ${problem.message}`,
    line: problem.line,
    column: problem.column,
  };
}

/**
 * Decides what a push would do. Reads the entity's inline policies (which fails with
 * IamCallError `no-such-entity` when the entity does not exist); never writes.
 */
export async function planInlinePolicyPush(connection: IamConnection, request: InlinePushRequest, options?: CallOptions): Promise<InlinePushPlan> {
  const blockers = localBlockers(request);
  if (blockers.length > 0) return { action: 'blocked', request, blockers };

  const existing = await readInlinePolicies(connection, request.target, options);
  const current = existing.find((policy) => policy.policyName === request.policyName);
  const decision = decideOverwrite(current?.document, request.document);
  if (decision.kind === 'unchanged') {
    return {
      action: 'unchanged',
      request,
      message: `The ${request.target.kind} "${request.target.name}" already has this policy as "${request.policyName}": nothing to send.`,
    };
  }
  const quota = checkInlinePolicyQuota(request.target, request.policyName, request.document, existing);
  if (!quota.fits) return { action: 'blocked', request, blockers: [{ code: 'quota', message: quota.message }], quota };
  if (decision.kind === 'create' || current === undefined) return { action: 'create', request, quota };
  return {
    action: 'replace',
    request,
    quota,
    existing: decision.existing,
    proposed: decision.proposed,
    existingDocument: current.document,
  };
}

export type InlinePushOutcome =
  /**
   * Written. With `confirmedByReadBack`, the answer did not say so (an internal error, a lost
   * connection, a cancel) but reading back showed IAM holds the document; `message` says both.
   */
  | { readonly status: 'pushed'; readonly requestId?: string; readonly message: string; readonly confirmedByReadBack?: true }
  /** IAM's copy changed after the plan: nothing was written; plan again and show the new diff. */
  | { readonly status: 'changed-meanwhile'; readonly message: string };

/**
 * Writes a planned push. First checks that IAM still holds what the plan compared against
 * (someone may have pushed while the user read the diff); if not, writes nothing. When the
 * write fails in a way that leaves its outcome open, reads the policy back: IamCallError
 * with `iamHolds` (not written, or not checked), or `pushed` when IAM does hold it.
 */
export async function applyInlinePolicyPush(connection: IamConnection, plan: SendablePlan, options?: CallOptions): Promise<InlinePushOutcome> {
  const { target, policyName, document } = plan.request;
  const where = `the ${target.kind} "${target.name}"`;
  if (plan.action === 'create') {
    const names = await listInlinePolicyNames(connection, target, options);
    if (names.includes(policyName)) {
      return {
        status: 'changed-meanwhile',
        message: `Not sent: ${where} got an inline policy "${policyName}" since the comparison. Push again to compare with it.`,
      };
    }
  } else {
    let currentDocument: string | undefined;
    try {
      currentDocument = (await getInlinePolicy(connection, target, policyName, options)).document;
    } catch (error) {
      if (!(error instanceof IamCallError && error.problem.kind === 'no-such-entity')) throw error;
      return {
        status: 'changed-meanwhile',
        message: `Not sent: the inline policy "${policyName}" of ${where} (or the ${target.kind} itself) was deleted since the comparison. Push again.`,
      };
    }
    if (currentDocument !== plan.existingDocument) {
      return {
        status: 'changed-meanwhile',
        message: `Not sent: the inline policy "${policyName}" of ${where} changed in IAM since the comparison. Push again to compare with it.`,
      };
    }
  }
  const previous = plan.action === 'replace' ? plan.existingDocument : undefined;
  const written = await writeWithReadBack(
    () => putInlinePolicy(connection, target, policyName, document, options),
    inlinePolicyCheck(connection, target, policyName, document, previous),
  );
  if (written.confirmedByReadBack === true) return { status: 'pushed', message: written.message, confirmedByReadBack: true };
  const { receipt } = written;
  return {
    status: 'pushed',
    ...(receipt.requestId !== undefined ? { requestId: receipt.requestId } : {}),
    message: `${plan.action === 'create' ? 'Created' : 'Replaced'} the inline policy "${policyName}" of ${where}.`,
  };
}
