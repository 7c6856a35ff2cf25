/**
 * How a failed IAM call is shown: which follow-up actions its notification offers, and what
 * of it may go into the output channel.
 */
import type { IamProblem, IamProblemKind } from '../aws';
import type { ActionId } from './ui';

/** The actions a notification about `problem` offers. */
export function actionsForProblem(problem: IamProblem): ActionId[] {
  switch (problem.kind) {
    case 'credentials-missing':
    case 'credentials-expired':
    case 'credentials-rejected':
    case 'credential-process':
      return ['select-profile', 'open-aws-settings', 'show-output'];
    case 'access-denied':
      return ['select-profile', 'show-output'];
    case 'unreachable':
    case 'timeout':
    case 'not-iam-answer':
    case 'settings':
      return ['open-aws-settings', 'show-output'];
    default:
      return ['show-output'];
  }
}

/**
 * Kinds whose message may quote what was sent: IAM's ValidationError repeats the value that
 * broke a constraint ("Value '{...}' at 'policyDocument' failed to satisfy constraint"), and
 * MalformedPolicyDocument messages quote parts of the document. After a request that carried
 * a policy their text is shown to the user, who sent it, but kept out of the log.
 */
const MAY_QUOTE_REQUEST: ReadonlySet<IamProblemKind> = new Set<IamProblemKind>(['validation', 'malformed-policy', 'invalid-input', 'unexpected']);

/**
 * One line for the output channel about a failure.
 * @param sentPolicy whether the failed request carried a policy document (Put*Policy)
 */
export function loggableProblem(problem: IamProblem, sentPolicy: boolean): string {
  const facts = [problem.code, problem.requestId !== undefined ? `request ${problem.requestId}` : undefined].filter((part) => part !== undefined);
  const head = `${problem.kind}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
  if (sentPolicy && MAY_QUOTE_REQUEST.has(problem.kind))
    return `${head}: the message is not logged, as it may quote the policy; it was shown in the notification.`;
  const detail = problem.detail !== undefined && !problem.message.includes(problem.detail) ? ` [${problem.detail}]` : '';
  return `${head}: ${problem.message}${detail}`;
}

/** Notifications longer than this are cut: a message that quotes a whole document helps nobody. */
export const NOTIFICATION_MAX_LENGTH = 600;

export function forNotification(message: string, max = NOTIFICATION_MAX_LENGTH): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}
