/**
 * Customer managed policies from the editor: creating one (CreatePolicy), and pushing a new
 * version of one (CreatePolicyVersion, set as the default), in the push flow's two steps: a
 * plan that checks and reads (never writes), then the writes, after making sure IAM still
 * holds what the plan saw.
 *
 * IAM keeps at most five versions of a managed policy. At five, the plan names the oldest
 * version that is not the default (with its text, to show) for the UI to offer deleting; if the
 * new version then fails, the deleted one is put back, so a refused push loses nothing.
 */
import { MANAGED_POLICY_MAX_VERSIONS } from 'iam-policy-engine';
import type { CallOptions } from '../aws/call';
import type { IamConnection } from '../aws/connection';
import { IamCallError } from '../aws/errors';
import {
  createManagedPolicy,
  createPolicyVersion,
  deletePolicyVersion,
  getManagedPolicy,
  getPolicyVersion,
  listPolicyVersions,
  versionNumber,
  type ManagedPolicyDetails,
  type PolicyVersion,
  type PolicyVersionSummary,
} from '../aws/managedPolicies';
import { listManagedPoliciesIn } from '../aws/operations';
import { checkManagedPolicyPath, checkPolicyDescription, checkPolicyName } from './names';
import { prettyPolicy, samePolicy } from './overwrite';
import { preflightPolicy } from './preflight';
import type { Blocker } from './pushInlinePolicy';
import { checkManagedPolicySize, type ManagedPolicySizeCheck } from './quota';
import { writeWithReadBack } from './readBack';

/** What IAM would reject in a managed policy document: the engine's errors, and the 6,144 quota. */
export function managedDocumentBlockers(document: string, fileName?: string): Blocker[] {
  const preflight = preflightPolicy(document, fileName !== undefined ? { fileName } : {});
  const blockers: Blocker[] = preflight.problems.map((problem) => ({
    code: problem.code,
    message: `Line ${problem.line}, column ${problem.column}: ${problem.message}`,
    line: problem.line,
    column: problem.column,
  }));
  if (blockers.length > 0) return blockers;
  const size = checkManagedPolicySize(document);
  return size.fits ? [] : [{ code: 'quota', message: size.message }];
}

export interface NewPolicyRequest {
  readonly policyName: string;
  readonly path: string;
  readonly description: string;
  /** The editor's text, sent as it is. */
  readonly document: string;
  readonly fileName?: string;
}

/** Every check of CreatePolicy's parameters that needs no request. */
export function newPolicyBlockers(request: NewPolicyRequest): Blocker[] {
  const blockers: Blocker[] = [];
  const name = checkPolicyName(request.policyName);
  if (name !== undefined) blockers.push({ code: 'policy-name', message: name });
  const path = checkManagedPolicyPath(request.path);
  if (path !== undefined) blockers.push({ code: 'policy-path', message: path });
  const description = checkPolicyDescription(request.description);
  if (description !== undefined) blockers.push({ code: 'policy-description', message: description });
  blockers.push(...managedDocumentBlockers(request.document, request.fileName));
  return blockers;
}

export type CreatePolicyOutcome =
  | { readonly status: 'blocked'; readonly blockers: readonly Blocker[] }
  /** With `confirmedByReadBack`, the answer did not say so (it was lost, or not IAM's), reading back did; `message` says both. */
  | {
      readonly status: 'created';
      readonly policy: ManagedPolicyDetails;
      readonly requestId?: string;
      readonly message: string;
      readonly confirmedByReadBack?: true;
    };

/** CreatePolicy, after the checks. IAM answers EntityAlreadyExists for a name the account has. */
export async function createPolicyFromDocument(connection: IamConnection, request: NewPolicyRequest, options?: CallOptions): Promise<CreatePolicyOutcome> {
  const blockers = newPolicyBlockers(request);
  if (blockers.length > 0) return { status: 'blocked', blockers };
  const { policyName, path, document } = request;
  const named = `the managed policy "${policyName}"`;
  // Read back: the account's policy of that name (names are unique in an account, whatever the path), its default version's text.
  let found: ManagedPolicyDetails | undefined;
  const written = await writeWithReadBack(() => createManagedPolicy(connection, { policyName, path, description: request.description, document }, options), {
    where: `the customer managed policies of the account`,
    done: 'created',
    async read() {
      const listed = (await listManagedPoliciesIn(connection, 'Local')).find((policy) => policy.name === policyName);
      if (listed === undefined)
        return { written: false, sentence: `Read back, the account has no managed policy "${policyName}": it was not created. Try again.` };
      const details = await getManagedPolicy(connection, listed.arn);
      const held = details.defaultVersionId !== undefined ? (await getPolicyVersion(connection, listed.arn, details.defaultVersionId)).document : undefined;
      if (details.path !== path || held === undefined || !samePolicy(held, document)) {
        return { written: false, sentence: `Read back, the account has ${named} (${listed.arn}), but not with your path and document: yours was not created.` };
      }
      found = details;
      return { written: true, sentence: `Read back, the account has ${named} (${listed.arn}) with your document: it was created.` };
    },
  });
  if (written.confirmedByReadBack === true) return { status: 'created', policy: found!, message: written.message, confirmedByReadBack: true };
  const { requestId, ...policy } = written.receipt;
  return {
    status: 'created',
    policy,
    ...(requestId !== undefined ? { requestId } : {}),
    message: `Created the managed policy "${policy.name}" (${policy.arn}).`,
  };
}

export interface PolicyVersionRequest {
  readonly policyArn: string;
  /** The editor's text, sent as it is. */
  readonly document: string;
  readonly fileName?: string;
  /**
   * The default version's document when the editor's was opened from it: the question before
   * replacing is then asked only if the default changed since.
   */
  readonly base?: string;
}

export type PolicyVersionPlan =
  | { readonly action: 'blocked'; readonly request: PolicyVersionRequest; readonly blockers: readonly Blocker[] }
  /** The default version is this same policy (JSON-equal): nothing to send. */
  | { readonly action: 'unchanged'; readonly request: PolicyVersionRequest; readonly policy: ManagedPolicyDetails; readonly message: string }
  | {
      readonly action: 'push';
      readonly request: PolicyVersionRequest;
      readonly policy: ManagedPolicyDetails;
      readonly size: ManagedPolicySizeCheck;
      /** The default version now. */
      readonly current: PolicyVersion;
      readonly versions: readonly PolicyVersionSummary[];
      /** Both pretty-printed, for a diff: the default version and the editor's. */
      readonly existing: string;
      readonly proposed: string;
      /** With a base: whether the default version changed since the document was opened. Undefined without one. */
      readonly changedSinceOpened?: boolean;
      /** At five versions: the oldest that is not the default, which must go first. */
      readonly deleteFirst?: PolicyVersion;
    };

export type PushablePolicyVersionPlan = Extract<PolicyVersionPlan, { action: 'push' }>;

/** The version to delete at the limit: the oldest one that is not the default. */
export function oldestNonDefault(versions: readonly PolicyVersionSummary[]): PolicyVersionSummary | undefined {
  const time = (version: PolicyVersionSummary): number => version.createDate?.getTime() ?? Number.NaN;
  return [...versions]
    .filter((version) => !version.isDefault)
    .sort((a, b) => {
      const byDate = time(a) - time(b);
      return Number.isNaN(byDate) || byDate === 0 ? versionNumber(a.versionId) - versionNumber(b.versionId) : byDate;
    })[0];
}

/** Decides what pushing a new version would do; reads the policy and its versions, never writes. */
export async function planPolicyVersion(connection: IamConnection, request: PolicyVersionRequest, options?: CallOptions): Promise<PolicyVersionPlan> {
  const blockers = managedDocumentBlockers(request.document, request.fileName);
  if (blockers.length > 0) return { action: 'blocked', request, blockers };
  const policy = await getManagedPolicy(connection, request.policyArn, options);
  if (policy.scope === 'AWS') {
    return {
      action: 'blocked',
      request,
      blockers: [
        {
          code: 'aws-managed',
          message: `${policy.arn} is managed by AWS: only AWS can change it. Create a managed policy of your own from the document instead.`,
        },
      ],
    };
  }
  const versions = await listPolicyVersions(connection, request.policyArn, options);
  const defaultId = policy.defaultVersionId ?? versions.find((version) => version.isDefault)?.versionId;
  if (defaultId === undefined) throw new IamCallError({ kind: 'unexpected', message: `IAM did not say which version of ${policy.arn} is the default.` });
  const current = await getPolicyVersion(connection, request.policyArn, defaultId, options);
  if (samePolicy(current.document, request.document)) {
    return {
      action: 'unchanged',
      request,
      policy,
      message: `The default version ${current.versionId} of the managed policy "${policy.name}" is this same policy: nothing to send.`,
    };
  }
  const oldest = versions.length >= MANAGED_POLICY_MAX_VERSIONS ? oldestNonDefault(versions) : undefined;
  const deleteFirst = oldest !== undefined ? await getPolicyVersion(connection, request.policyArn, oldest.versionId, options) : undefined;
  return {
    action: 'push',
    request,
    policy,
    size: checkManagedPolicySize(request.document),
    current,
    versions,
    existing: prettyPolicy(current.document),
    proposed: prettyPolicy(request.document),
    ...(request.base !== undefined ? { changedSinceOpened: !samePolicy(request.base, current.document) } : {}),
    ...(deleteFirst !== undefined ? { deleteFirst } : {}),
  };
}

export type PolicyVersionOutcome =
  /** With `confirmedByReadBack`, IAM's answer to CreatePolicyVersion was lost (or not IAM's), reading back found it; `message` says both. */
  | {
      readonly status: 'pushed';
      readonly versionId: string;
      readonly deleted?: string;
      readonly requestId?: string;
      readonly message: string;
      readonly confirmedByReadBack?: true;
    }
  /** The default version or the set of versions changed after the plan: nothing was written. */
  | { readonly status: 'changed-meanwhile'; readonly message: string };

/**
 * Writes a planned version: checks that the default and the versions are still those the plan
 * saw, deletes the oldest non-default version when the plan says so, then creates the new
 * version as the default. Each write is read back when its answer is lost. If the new version
 * was not written after a deletion, the deleted version is created again (not as the default)
 * and the failure says so. Reading back and putting back never take `options`' signal: after
 * a cancel they are how nothing is lost.
 */
export async function applyPolicyVersion(connection: IamConnection, plan: PushablePolicyVersionPlan, options?: CallOptions): Promise<PolicyVersionOutcome> {
  const { policyArn, document } = plan.request;
  const name = `the managed policy "${plan.policy.name}"`;
  const [policy, versions] = await Promise.all([getManagedPolicy(connection, policyArn, options), listPolicyVersions(connection, policyArn, options)]);
  const ids = (list: readonly PolicyVersionSummary[]): string =>
    list
      .map((version) => version.versionId)
      .sort()
      .join(',');
  if (policy.defaultVersionId !== plan.current.versionId || ids(versions) !== ids(plan.versions)) {
    return { status: 'changed-meanwhile', message: `Not sent: the versions of ${name} changed in IAM since the comparison. Push again to compare with them.` };
  }
  const deleted = plan.deleteFirst;
  if (deleted !== undefined) {
    await writeWithReadBack(() => deletePolicyVersion(connection, policyArn, deleted.versionId, options), {
      where: `the versions of ${name}`,
      done: 'deleted',
      async read() {
        if (!(await listPolicyVersions(connection, policyArn)).some((version) => version.versionId === deleted.versionId)) {
          return { written: true, sentence: `Read back, ${deleted.versionId} of ${name} is gone: it was deleted.` };
        }
        return {
          written: false,
          sentence: `Read back, ${deleted.versionId} of ${name} is still there: it was not deleted, and no new version was sent. Push again.`,
        };
      },
    });
  }
  let newDefault: string | undefined;
  let written;
  try {
    written = await writeWithReadBack(() => createPolicyVersion(connection, policyArn, document, true, options), {
      where: `the default version of ${name}`,
      done: 'written',
      async read() {
        const now = await getManagedPolicy(connection, policyArn);
        if (now.defaultVersionId === undefined || now.defaultVersionId === plan.current.versionId) {
          return {
            written: false,
            sentence: `Read back, ${plan.current.versionId} is still the default version of ${name}: yours was not written. Push again.`,
          };
        }
        if (!samePolicy((await getPolicyVersion(connection, policyArn, now.defaultVersionId)).document, document)) {
          return {
            written: false,
            sentence: `Read back, the default version of ${name} is ${now.defaultVersionId}, a document other than yours: yours was not written. Push again to compare with it.`,
          };
        }
        newDefault = now.defaultVersionId;
        return { written: true, sentence: `Read back, ${now.defaultVersionId} of ${name} holds your document and is the default: it was written.` };
      },
    });
  } catch (error) {
    if (deleted === undefined || !(error instanceof IamCallError)) throw error;
    // Put the deleted version back unless the new one may have been written after all (reading back could not tell).
    const notWritten = error.problem.mayHaveTakenEffect !== true || error.problem.iamHolds === 'not-written';
    if (!notWritten) throw error;
    // `not-written`: a cancel (reported as a read otherwise) told with what was put back.
    throw new IamCallError(
      { ...error.problem, iamHolds: 'not-written', message: `${error.problem.message} ${await restore(connection, policyArn, deleted)}` },
      { cause: error },
    );
  }
  const made = deleted !== undefined ? `; deleted ${deleted.versionId} to make room` : '';
  if (written.confirmedByReadBack === true) {
    return {
      status: 'pushed',
      versionId: newDefault!,
      ...(deleted !== undefined ? { deleted: deleted.versionId } : {}),
      message: `${written.message}${deleted !== undefined ? ` ${deleted.versionId} was deleted to make room.` : ''}`,
      confirmedByReadBack: true,
    };
  }
  const created = written.receipt;
  return {
    status: 'pushed',
    versionId: created.versionId,
    ...(deleted !== undefined ? { deleted: deleted.versionId } : {}),
    ...(created.requestId !== undefined ? { requestId: created.requestId } : {}),
    message: `Pushed ${created.versionId} of ${name} and made it the default (it was ${plan.current.versionId})${made}.`,
  };
}

/** Creates the deleted version again, not as the default; says how that went. */
async function restore(connection: IamConnection, policyArn: string, deleted: PolicyVersion): Promise<string> {
  try {
    const back = await createPolicyVersion(connection, policyArn, deleted.document, false);
    return `The version ${deleted.versionId}, deleted to make room, was put back as ${back.versionId} (not the default).`;
  } catch (error) {
    const reason = error instanceof IamCallError ? (error.problem.summary ?? error.problem.message) : String(error);
    if (error instanceof IamCallError && error.problem.mayHaveTakenEffect === true) {
      return `The version ${deleted.versionId} was deleted to make room; putting it back may or may not have worked (${reason.replace(/\.$/, '')}): look at the versions of the policy in IAM. Its text was shown before it was deleted.`;
    }
    return `The version ${deleted.versionId} was deleted to make room and could not be put back (${reason.replace(/\.$/, '')}); its text was shown before it was deleted.`;
  }
}
