/**
 * After a write whose answer does not tell whether it happened (an internal error, a reset or
 * a timeout after the request was sent, an answer that is not IAM's, a cancel: the problem's
 * `mayHaveTakenEffect`), what the write changes is read back and the user is told what IAM
 * now holds: the write "was written" (or set, attached…), "was not written", or that this
 * "could not be checked". A failure IAM answered (NoSuchEntity, MalformedPolicyDocument…) is
 * certain: nothing is read back. Every write of the extension goes through writeWithReadBack
 * with a check of its own; the checks of the push commands are here, those of the round trip
 * next to their writes (entityChanges.ts, managedPolicy.ts, trustPolicy.ts). A policy document
 * is compared as parsed JSON, since IAM returns it URL-encoded and may reformat it.
 */
import type { IamConnection } from '../aws/connection';
import { IamCallError, type IamProblem } from '../aws/errors';
import type { EntityRef } from '../aws/log';
import { getPermissionsBoundary } from '../aws/entityPolicies';
import { getInlinePolicy } from '../aws/operations';
import { samePolicy } from './overwrite';

/** What reading back found. `written`: IAM holds what was sent. */
export type ReadBack = { readonly holds: 'written'; readonly message: string } | { readonly holds: 'not-written' | 'unchecked'; readonly error: IamCallError };

/** What one read back of IAM found: the sentence says what IAM holds and what that means (`Read back, … : it was not written. Push again.`). */
export interface Found {
  readonly written: boolean;
  readonly sentence: string;
}

/** How to read back after one write. */
export interface ReadBackCheck {
  /** What to look at in IAM when reading back fails too: `the inline policy "P" of the user "alice"`. */
  readonly where: string;
  /** The word for done in "Whether it was … could not be checked": `written`, `set`, `attached`. */
  readonly done: string;
  /**
   * Reads IAM now. Without the write's signal: after a cancel, this read is how the person
   * learns what the cancel left. A failure (IamCallError or not) means "could not be checked".
   */
  read(): Promise<Found>;
}

/** The outcome of a write: IAM's own answer, or, when that was lost, what reading back confirmed. */
export type Written<T> = { readonly receipt: T; readonly confirmedByReadBack?: undefined } | { readonly confirmedByReadBack: true; readonly message: string };

/** The failure as it happened, in one sentence without advice. */
function happened(problem: IamProblem): string {
  return problem.summary ?? problem.message;
}

/** Reads IAM back after a write that failed with `problem` (one that may have taken effect). */
export async function readBack(problem: IamProblem, check: ReadBackCheck): Promise<ReadBack> {
  let found: Found;
  try {
    found = await check.read();
  } catch (readError) {
    const why = readError instanceof IamCallError ? happened(readError.problem) : readError instanceof Error ? readError.message : String(readError);
    return {
      holds: 'unchecked',
      error: new IamCallError(
        {
          ...problem,
          iamHolds: 'unchecked',
          message: `${happened(problem)} Whether it was ${check.done} could not be checked: reading it back failed too (${why.replace(/\.$/, '')}). Look at ${check.where} in IAM before trying again.`,
        },
        { cause: readError },
      ),
    };
  }
  if (found.written) return { holds: 'written', message: `${happened(problem)} ${found.sentence}` };
  return { holds: 'not-written', error: new IamCallError({ ...problem, iamHolds: 'not-written', message: `${happened(problem)} ${found.sentence}` }) };
}

/**
 * Runs `write`. When it fails in a way that may have taken effect, reads IAM back: a write IAM
 * holds is an outcome `confirmedByReadBack` (its message says both what happened and what was
 * read); otherwise the failure is thrown with `iamHolds` (not written, or unchecked) and a
 * message that says so. Every other failure is thrown as it is.
 */
export async function writeWithReadBack<T>(write: () => Promise<T>, check: ReadBackCheck): Promise<Written<T>> {
  try {
    return { receipt: await write() };
  } catch (error) {
    if (!(error instanceof IamCallError && error.problem.mayHaveTakenEffect === true)) throw error;
    const found = await readBack(error.problem, check);
    if (found.holds !== 'written') throw found.error;
    return { confirmedByReadBack: true, message: found.message };
  }
}

/**
 * The check after a Put*Policy.
 * @param sent the document that was sent
 * @param previous the document IAM held before (what the plan compared with), if any
 */
export function inlinePolicyCheck(connection: IamConnection, target: EntityRef, policyName: string, sent: string, previous: string | undefined): ReadBackCheck {
  const owner = `the ${target.kind} "${target.name}"`;
  const where = `the inline policy "${policyName}" of ${owner}`;
  return {
    where,
    done: 'written',
    async read() {
      let held: string;
      try {
        held = (await getInlinePolicy(connection, target, policyName)).document;
      } catch (error) {
        if (!(error instanceof IamCallError && error.problem.kind === 'no-such-entity')) throw error;
        return { written: false, sentence: `Read back, ${owner} has no inline policy "${policyName}": it was not written. Push again.` };
      }
      if (samePolicy(held, sent)) return { written: true, sentence: `Read back, IAM holds your document as ${where}: it was written.` };
      if (previous !== undefined && samePolicy(held, previous)) {
        return { written: false, sentence: `Read back, ${where} is still the version from before: yours was not written. Push again.` };
      }
      return {
        written: false,
        sentence: `Read back, ${where} is a document other than yours${previous !== undefined ? ' and than the one compared before' : ''}: yours was not written. Push again to compare with it.`,
      };
    },
  };
}

/**
 * The check after a Put{User,Role}PermissionsBoundary.
 * @param previousArn the boundary the user or role had before, if any
 */
export function boundaryCheck(
  connection: IamConnection,
  holder: EntityRef & { readonly kind: 'user' | 'role' },
  policyArn: string,
  previousArn: string | undefined,
): ReadBackCheck {
  const owner = `the ${holder.kind} "${holder.name}"`;
  return {
    where: `the permissions boundary of ${owner}`,
    done: 'set',
    async read() {
      const held = await getPermissionsBoundary(connection, holder);
      if (held === policyArn) return { written: true, sentence: `Read back, ${owner} has ${policyArn} as permissions boundary: it was set.` };
      if (held === undefined) return { written: false, sentence: `Read back, ${owner} has no permissions boundary: it was not set. Try again.` };
      if (held === previousArn)
        return { written: false, sentence: `Read back, ${owner} still has ${held} as permissions boundary: it was not set. Try again.` };
      return {
        written: false,
        sentence: `Read back, ${owner} has ${held} as permissions boundary, which is neither yours nor the one before: yours was not set.`,
      };
    },
  };
}
