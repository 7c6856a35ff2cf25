/**
 * After a write whose answer does not tell whether it happened (an internal error, a reset or
 * a timeout after the request was sent, an answer that is not IAM's, a cancel: the problem's
 * `mayHaveTakenEffect`), the entity is read back and the user is told what IAM now holds: the
 * write "was written", "was not written", or that this "could not be checked". A policy
 * document is compared as parsed JSON, since IAM returns it URL-encoded and may reformat it.
 */
import type { IamConnection } from '../aws/connection';
import { IamCallError, type IamProblem } from '../aws/errors';
import type { EntityRef } from '../aws/log';
import { getInlinePolicy, getUser } from '../aws/operations';
import { samePolicy } from './overwrite';

/** What reading back found. `written`: IAM holds what was sent. */
export type ReadBack =
  | { readonly holds: 'written'; readonly message: string }
  | { readonly holds: 'not-written' | 'unchecked'; readonly error: IamCallError };

/** The failure as it happened, in one sentence without advice. */
function happened(problem: IamProblem): string {
  return problem.summary ?? problem.message;
}

function unchecked(problem: IamProblem, readError: unknown, where: string, done: 'written' | 'set'): ReadBack {
  const why = readError instanceof IamCallError ? happened(readError.problem) : readError instanceof Error ? readError.message : String(readError);
  return {
    holds: 'unchecked',
    error: new IamCallError(
      {
        ...problem,
        iamHolds: 'unchecked',
        message: `${happened(problem)} Whether it was ${done} could not be checked: reading it back failed too (${why.replace(/\.$/, '')}). Look at ${where} in IAM before trying again.`,
      },
      { cause: readError },
    ),
  };
}

function notWritten(problem: IamProblem, message: string): ReadBack {
  return { holds: 'not-written', error: new IamCallError({ ...problem, iamHolds: 'not-written', message: `${happened(problem)} ${message}` }) };
}

/**
 * Reads the inline policy back after a Put*Policy that failed with `problem`.
 * @param sent the document that was sent
 * @param previous the document IAM held before (what the plan compared with), if any
 */
export async function readBackInlinePolicy(
  connection: IamConnection,
  problem: IamProblem,
  target: EntityRef,
  policyName: string,
  sent: string,
  previous: string | undefined,
): Promise<ReadBack> {
  const owner = `the ${target.kind} "${target.name}"`;
  const where = `the inline policy "${policyName}" of ${owner}`;
  let held: string | undefined;
  try {
    // No signal: after a cancel, this read is how the user learns what the cancel left.
    held = (await getInlinePolicy(connection, target, policyName)).document;
  } catch (error) {
    if (!(error instanceof IamCallError && error.problem.kind === 'no-such-entity')) return unchecked(problem, error, where, 'written');
    held = undefined;
  }
  if (held === undefined) return notWritten(problem, `Read back, ${owner} has no inline policy "${policyName}": it was not written. Push again.`);
  if (samePolicy(held, sent)) {
    return { holds: 'written', message: `${happened(problem)} Read back, IAM holds your document as ${where}: it was written.` };
  }
  if (previous !== undefined && samePolicy(held, previous)) {
    return notWritten(problem, `Read back, ${where} is still the version from before: yours was not written. Push again.`);
  }
  return notWritten(problem, `Read back, ${where} is a document other than yours${previous !== undefined ? ' and than the one compared before' : ''}: yours was not written. Push again to compare with it.`);
}

/**
 * Reads the user's permissions boundary back after a PutUserPermissionsBoundary that failed with `problem`.
 * @param previousArn the boundary the user had before, if any
 */
export async function readBackPermissionsBoundary(
  connection: IamConnection,
  problem: IamProblem,
  userName: string,
  policyArn: string,
  previousArn: string | undefined,
): Promise<ReadBack> {
  const owner = `the user "${userName}"`;
  let held: string | undefined;
  try {
    held = (await getUser(connection, userName)).permissionsBoundaryArn;
  } catch (error) {
    return unchecked(problem, error, `the permissions boundary of ${owner}`, 'set');
  }
  if (held === policyArn) return { holds: 'written', message: `${happened(problem)} Read back, ${owner} has ${policyArn} as permissions boundary: it was set.` };
  if (held === undefined) return notWritten(problem, `Read back, ${owner} has no permissions boundary: it was not set. Try again.`);
  if (held === previousArn) return notWritten(problem, `Read back, ${owner} still has ${held} as permissions boundary: it was not set. Try again.`);
  return notWritten(problem, `Read back, ${owner} has ${held} as permissions boundary, which is neither yours nor the one before: yours was not set.`);
}
