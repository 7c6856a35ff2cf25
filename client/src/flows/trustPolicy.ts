/**
 * Replacing a role's trust policy (UpdateAssumeRolePolicy) from the editor, in the push flow's
 * two steps. Only a document the engine takes for a trust policy is sent: an identity policy
 * pushed by mistake would lock every caller out of the role (IAM would refuse most of them for
 * their Resource anyway, but a policy of only sts:AssumeRole with a Principal is both).
 */
import { analyze, kindInfo } from 'iam-policy-engine';
import type { CallOptions } from '../aws/call';
import type { IamConnection } from '../aws/connection';
import { getRole, updateTrustPolicy } from '../aws/entityPolicies';
import { decideOverwrite, samePolicy } from './overwrite';
import { checkRoleName } from './names';
import { preflightPolicy } from './preflight';
import type { Blocker } from './pushInlinePolicy';
import { writeWithReadBack } from './readBack';

/**
 * What keeps a document from being sent as a trust policy: not one, or one IAM would reject.
 * The kind is the engine's: the one the file name gives (`x.trust.json`, `x.scp.json`), else
 * the one the content reads as; only `trust` is sent.
 */
export function trustPolicyBlockers(document: string, fileName?: string): Blocker[] {
  const { kind, kindSource } = analyze(document, fileName !== undefined ? { fileName } : {});
  if (kind !== 'trust') {
    const label = kindInfo(kind).label;
    return [
      {
        code: 'not-trust-policy',
        message:
          `This document is not a trust policy: ${kindSource === 'file name' ? `its file name makes it ${label}` : `it reads as ${label}`}. ` +
          'A trust policy says who may assume the role: every statement has a Principal and allows sts:AssumeRole (or AssumeRoleWithSAML, AssumeRoleWithWebIdentity, TagSession…), and none has a Resource.',
      },
    ];
  }
  return preflightPolicy(document, { ...(fileName !== undefined ? { fileName } : {}), kind: 'trust' }).problems.map((problem) => ({
    code: problem.code,
    message: `Line ${problem.line}, column ${problem.column}: ${problem.message}`,
    line: problem.line,
    column: problem.column,
  }));
}

export interface TrustPolicyRequest {
  readonly roleName: string;
  /** The editor's text, sent as it is. */
  readonly document: string;
  readonly fileName?: string;
  /** The trust policy as it was when the document was opened from IAM: the question is then asked only if it changed since. */
  readonly base?: string;
}

export type TrustPolicyPlan =
  | { readonly action: 'blocked'; readonly request: TrustPolicyRequest; readonly blockers: readonly Blocker[] }
  | { readonly action: 'unchanged'; readonly request: TrustPolicyRequest; readonly message: string }
  | {
      readonly action: 'replace';
      readonly request: TrustPolicyRequest;
      /** Both pretty-printed, for a diff. */
      readonly existing: string;
      readonly proposed: string;
      /** IAM's document when planned, to detect a change meanwhile. */
      readonly existingDocument: string;
      readonly changedSinceOpened?: boolean;
    };

/** Reads the role's trust policy (GetRole) and decides; never writes. */
export async function planTrustPolicyUpdate(connection: IamConnection, request: TrustPolicyRequest, options?: CallOptions): Promise<TrustPolicyPlan> {
  const nameProblem = checkRoleName(request.roleName);
  const blockers = [
    ...(nameProblem !== undefined ? [{ code: 'target-name', message: nameProblem }] : []),
    ...trustPolicyBlockers(request.document, request.fileName),
  ];
  if (blockers.length > 0) return { action: 'blocked', request, blockers };
  const role = await getRole(connection, request.roleName, options);
  const decision = decideOverwrite(role.trustPolicy, request.document);
  if (decision.kind !== 'replace') {
    return { action: 'unchanged', request, message: `The role "${request.roleName}" already has this trust policy: nothing to send.` };
  }
  return {
    action: 'replace',
    request,
    existing: decision.existing,
    proposed: decision.proposed,
    existingDocument: role.trustPolicy,
    ...(request.base !== undefined ? { changedSinceOpened: !samePolicy(request.base, role.trustPolicy) } : {}),
  };
}

export type TrustPolicyOutcome =
  /** With `confirmedByReadBack`, the answer did not say so (it was lost, or not IAM's), reading back did; `message` says both. */
  | { readonly status: 'updated'; readonly requestId?: string; readonly message: string; readonly confirmedByReadBack?: true }
  | { readonly status: 'changed-meanwhile'; readonly message: string };

/** Writes a planned trust policy, after checking IAM still holds the one the plan compared with. */
export async function applyTrustPolicyUpdate(
  connection: IamConnection,
  plan: Extract<TrustPolicyPlan, { action: 'replace' }>,
  options?: CallOptions,
): Promise<TrustPolicyOutcome> {
  const { roleName, document } = plan.request;
  if ((await getRole(connection, roleName, options)).trustPolicy !== plan.existingDocument) {
    return {
      status: 'changed-meanwhile',
      message: `Not sent: the trust policy of the role "${roleName}" changed in IAM since the comparison. Push again to compare with it.`,
    };
  }
  const where = `the trust policy of the role "${roleName}"`;
  const written = await writeWithReadBack(() => updateTrustPolicy(connection, roleName, document, options), {
    where,
    done: 'written',
    async read() {
      const held = (await getRole(connection, roleName)).trustPolicy;
      if (samePolicy(held, document)) return { written: true, sentence: `Read back, IAM holds your document as ${where}: it was written.` };
      if (samePolicy(held, plan.existingDocument))
        return { written: false, sentence: `Read back, ${where} is still the one from before: yours was not written. Push again.` };
      return {
        written: false,
        sentence: `Read back, ${where} is a document other than yours and than the one compared before: yours was not written. Push again to compare with it.`,
      };
    },
  });
  if (written.confirmedByReadBack === true) return { status: 'updated', message: written.message, confirmedByReadBack: true };
  const { receipt } = written;
  return {
    status: 'updated',
    ...(receipt.requestId !== undefined ? { requestId: receipt.requestId } : {}),
    message: `Replaced the trust policy of the role "${roleName}".`,
  };
}
