/**
 * A write whose answer never came (a 500, a reset connection, a timeout, a cancel) may or may
 * not have changed IAM. Saying "failed" would be a guess: after such a failure the flows read
 * IAM back and say what it holds now ("was written", "was not written", or "could not be
 * checked"). A failure IAM answered (NoSuchEntity, MalformedPolicyDocument…) is certain: the
 * write did not happen, and nothing is read back.
 */
import { IamCallError, type IamProblem } from '../aws/errors';

/** Network errors that happen before a request leaves: nothing can have been written. */
const NEVER_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether IAM may have carried out a request that failed with `problem`. */
export function outcomeUnsure(problem: IamProblem): boolean {
  switch (problem.kind) {
    case 'service-failure':
    case 'timeout':
    case 'cancelled':
    case 'unexpected':
      return true;
    case 'unreachable':
      return problem.code === undefined || !NEVER_SENT_CODES.has(problem.code);
    default:
      return false;
  }
}

export interface ReadBack {
  /** Reads IAM: true when it holds what the write was to make it hold. */
  check(): Promise<boolean>;
  /** `the new version is the default`: said when check() is true. */
  readonly written: string;
  /** `the policy still has its old default version`: said when check() is false. */
  readonly notWritten: string;
}

/**
 * Runs `write`; when it fails with an unsure outcome, reads IAM back and fails with a message
 * that says what IAM holds now. Every other failure is passed on as it is.
 */
export async function writeWithReadBack<T>(write: () => Promise<T>, readBack: ReadBack): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof IamCallError) || !outcomeUnsure(error.problem)) throw error;
    let found: string;
    try {
      found = (await readBack.check()) ? `Read back from IAM: it was written (${readBack.written}).` : `Read back from IAM: it was not written (${readBack.notWritten}).`;
    } catch (readError) {
      const reason = readError instanceof IamCallError ? readError.problem.message : readError instanceof Error ? readError.message : String(readError);
      found = `Whether it was written could not be checked: ${reason}`;
    }
    throw new IamCallError({ ...error.problem, message: `${error.problem.message} ${found}` }, { cause: error });
  }
}
