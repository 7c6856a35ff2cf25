/**
 * Every way an IAM call can fail, turned into one message a person can act on. The UI shows
 * `message` in a notification and `detail` (IAM's or the SDK's own words) in the output channel.
 *
 * The SDK reports failures in several shapes: modeled IAM errors (`NoSuchEntityException` with
 * `Code: 'NoSuchEntity'`), unmodeled service errors (`AccessDenied`, `Throttling`), credential
 * provider errors, and plain Node.js socket errors with an errno `code`. They are read here
 * through the few fields they share, never through `instanceof`, so an error from another copy
 * of the SDK is understood the same way.
 */
import { INLINE_POLICY_QUOTA } from 'iam-policy-engine';
import type { EntityRef } from './log';

export type IamProblemKind =
  | 'no-such-entity'
  | 'malformed-policy'
  | 'limit-exceeded'
  | 'unmodifiable-entity'
  | 'validation'
  | 'access-denied'
  | 'invalid-input'
  | 'policy-not-attachable'
  | 'entity-already-exists'
  | 'delete-conflict'
  | 'service-failure'
  | 'throttled'
  | 'credentials-missing'
  | 'credentials-expired'
  | 'credentials-rejected'
  | 'unreachable'
  | 'timeout'
  | 'cancelled'
  | 'settings'
  | 'unexpected';

export interface IamProblem {
  readonly kind: IamProblemKind;
  /** What happened and what to do, in one or two sentences. */
  readonly message: string;
  /** IAM's or the SDK's own words, when they add something. */
  readonly detail?: string;
  /** IAM's error code (`NoSuchEntity`) or the network error code (`ECONNREFUSED`). */
  readonly code?: string;
  readonly requestId?: string;
  /** For access-denied: the action IAM denied, `iam:PutUserPolicy`. */
  readonly deniedAction?: string;
}

/** An IAM call that failed, carrying its user-facing description. */
export class IamCallError extends Error {
  readonly problem: IamProblem;

  constructor(problem: IamProblem, options?: { cause?: unknown }) {
    super(problem.message, options);
    this.name = 'IamCallError';
    this.problem = problem;
  }
}

/** The connection facts a message may need (which profile, which endpoint, how long we waited). */
export interface ConnectionFacts {
  readonly profile?: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly maxAttempts: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/** What the failed call was about. */
export interface CallContext {
  readonly operation: string;
  readonly target?: EntityRef;
  readonly policyName?: string;
  readonly policyArn?: string;
  readonly connection: ConnectionFacts;
}

/** The setting that names the AWS profile; messages point to it. */
export const PROFILE_SETTING = 'iamPolicy.aws.profile';

const CREDENTIALS_EXPIRED_CODES = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'TokenRefreshRequired',
]);

const CREDENTIALS_REJECTED_CODES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'AuthFailure',
]);

const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);

const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException']);

const UNREACHABLE_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing listens there)',
  ECONNRESET: 'the connection was reset before an answer came',
  EPIPE: 'the connection was closed while the request was being sent',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS did not answer)',
  EHOSTUNREACH: 'there is no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ECONNABORTED: 'the connection was aborted',
};

/** The fields of an SDK or Node.js error this module reads. */
interface ErrorFacts {
  name: string;
  /** IAM's error code from the response body, when the SDK kept it. */
  code: string | undefined;
  errno: string | undefined;
  message: string;
  httpStatus: number | undefined;
  requestId: string | undefined;
  attempts: number | undefined;
}

function readErrorFacts(error: unknown): ErrorFacts {
  const record = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const metadata = (typeof record.$metadata === 'object' && record.$metadata !== null ? record.$metadata : {}) as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const count = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
  const name = text(record.name) ?? 'Error';
  let errno = text(record.code);
  // A socket error may arrive wrapped (the SDK keeps the original as `cause`).
  if (errno === undefined && typeof record.cause === 'object' && record.cause !== null) {
    errno = text((record.cause as Record<string, unknown>).code);
  }
  return {
    name,
    code: text(record.Code),
    errno,
    message: text(record.message) ?? (error instanceof Error ? error.message : String(error)),
    httpStatus: count(metadata.httpStatusCode),
    requestId: text(metadata.requestId),
    attempts: count(metadata.attempts),
  };
}

/** IAM's error code for an SDK error: the body's `Code`, else the name without `Exception`. */
export function iamErrorCode(error: unknown): string | undefined {
  const facts = readErrorFacts(error);
  if (facts.code !== undefined) return facts.code;
  if (facts.errno !== undefined) return facts.errno;
  if (facts.name === 'Error') return undefined;
  return facts.name;
}

/** `iam:PutUserPolicy` from "User: arn:... is not authorized to perform: iam:PutUserPolicy on resource: ...". */
export function deniedActionFrom(message: string): string | undefined {
  return /\bperform:\s*([A-Za-z0-9-]+:[A-Za-z0-9*?]+)/.exec(message)?.[1];
}

export function describeTarget(target: EntityRef): string {
  return `the ${target.kind} "${target.name}"`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** ` after 3 attempts` when the SDK retried, else nothing. */
function attemptsPhrase(attempts: number | undefined): string {
  return attempts !== undefined && attempts > 1 ? ` after ${attempts} attempts` : '';
}

/** ` (3 attempts)` when the SDK retried, else nothing. */
function attemptsInParentheses(attempts: number | undefined): string {
  return attempts !== undefined && attempts > 1 ? ` (${attempts} attempts)` : '';
}

/** ` 3 times` when the SDK retried, else nothing. */
function timesPhrase(attempts: number | undefined): string {
  return attempts !== undefined && attempts > 1 ? ` ${attempts} times` : '';
}

function where(connection: ConnectionFacts): string {
  return connection.endpoint !== undefined ? `the endpoint ${connection.endpoint}` : `IAM (region ${connection.region})`;
}

/** Whose credentials: `the AWS profile "dev"`, or `the default AWS credentials`. */
function whose(connection: ConnectionFacts): string {
  return connection.profile !== undefined ? `the AWS profile "${connection.profile}"` : 'the default AWS credentials';
}

/** The credentials themselves, as a plural noun phrase. */
function credentialsOf(connection: ConnectionFacts): string {
  return connection.profile !== undefined ? `the credentials of the AWS profile "${connection.profile}"` : 'the default AWS credentials';
}

/** The one place that turns a failure of an IAM or STS call into a message. */
export function describeIamError(error: unknown, context: CallContext): IamProblem {
  if (error instanceof IamCallError) return error.problem;
  const facts = readErrorFacts(error);
  const code = iamErrorCode(error);
  const iamText = facts.message;
  const base = {
    ...(code !== undefined ? { code } : {}),
    ...(facts.requestId !== undefined ? { requestId: facts.requestId } : {}),
  };
  const target = context.target;
  const connection = context.connection;

  if (facts.name === 'CredentialsProviderError' || facts.name === 'TokenProviderError') {
    return describeCredentialsError(facts, connection);
  }
  if (code !== undefined && CREDENTIALS_EXPIRED_CODES.has(code)) {
    return {
      ...base,
      kind: 'credentials-expired',
      message: `${capitalizeFirst(credentialsOf(connection))} have expired. ${refreshAdvice(connection)}`,
      detail: iamText,
    };
  }
  if (code !== undefined && CREDENTIALS_REJECTED_CODES.has(code)) {
    return {
      ...base,
      kind: 'credentials-rejected',
      message: `AWS rejected ${credentialsOf(connection)} (${code}): the access key is unknown, deactivated, or its secret is wrong. ${refreshAdvice(connection)}`,
      detail: iamText,
    };
  }

  switch (code) {
    case 'NoSuchEntity':
      return {
        ...base,
        kind: 'no-such-entity',
        message: `${sentence(iamText)} Check the name, and whether it is in the account of ${whose(connection)}.`,
        detail: iamText,
      };
    case 'MalformedPolicyDocument':
      return {
        ...base,
        kind: 'malformed-policy',
        message: `IAM rejected the policy document: ${sentence(iamText)}`,
        detail: iamText,
      };
    case 'LimitExceeded': {
      // With a policy name this was a Put*Policy, and the quota is most likely the inline size.
      const advice =
        target !== undefined && context.policyName !== undefined
          ? ` The inline policies of one ${target.kind} may total ${INLINE_POLICY_QUOTA[target.kind].toLocaleString('en-US')} characters without white space: shorten them, or move statements into a managed policy.`
          : '';
      return { ...base, kind: 'limit-exceeded', message: `IAM refused: a quota is exceeded. ${sentence(iamText)}${advice}`, detail: iamText };
    }
    case 'UnmodifiableEntity':
      return {
        ...base,
        kind: 'unmodifiable-entity',
        message: `${target !== undefined ? capitalizeFirst(describeTarget(target)) : 'This role'} is a service-linked role: only the AWS service that owns it can change its policies.`,
        detail: iamText,
      };
    case 'ValidationError':
      return { ...base, kind: 'validation', message: `IAM rejected a parameter of ${context.operation}: ${sentence(iamText)}`, detail: iamText };
    case 'InvalidInput':
      return { ...base, kind: 'invalid-input', message: `IAM rejected the input of ${context.operation}: ${sentence(iamText)}`, detail: iamText };
    case 'PolicyNotAttachable':
      return {
        ...base,
        kind: 'policy-not-attachable',
        message: `This managed policy cannot be used here: ${sentence(iamText)} AWS service-role policies can only be attached to the service-linked role of their service.`,
        detail: iamText,
      };
    case 'EntityAlreadyExists':
      return {
        ...base,
        kind: 'entity-already-exists',
        message: `IAM refused: ${sentence(iamText)}${context.operation === 'CreatePolicy' ? ' Choose another name, or push the document as a new version of that policy.' : ''}`,
        detail: iamText,
      };
    case 'DeleteConflict':
      return {
        ...base,
        kind: 'delete-conflict',
        message: `IAM refused: ${sentence(iamText)}${context.operation === 'DeletePolicyVersion' ? " A policy's default version cannot be deleted: make another version the default first." : ''}`,
        detail: iamText,
      };
    default:
      break;
  }

  if (code !== undefined && ACCESS_DENIED_CODES.has(code)) {
    const deniedAction = deniedActionFrom(iamText) ?? `iam:${context.operation}`;
    const on = target !== undefined ? ` on ${describeTarget(target)}` : '';
    return {
      ...base,
      kind: 'access-denied',
      deniedAction,
      message: `Access denied: ${whose(connection)} may not call ${deniedAction}${on}. Ask an administrator for that permission, or choose another profile in the ${PROFILE_SETTING} setting.`,
      detail: iamText,
    };
  }
  if (code !== undefined && THROTTLING_CODES.has(code)) {
    return {
      ...base,
      kind: 'throttled',
      message: `IAM is throttling this account's requests: ${context.operation} was refused${timesPhrase(facts.attempts)} (${code}) and not done. Wait a minute and try again.`,
      detail: iamText,
    };
  }
  if (code === 'ServiceFailure' || (facts.httpStatus !== undefined && facts.httpStatus >= 500)) {
    return {
      ...base,
      kind: 'service-failure',
      message: `IAM failed with an internal error (${[code, facts.httpStatus !== undefined ? `HTTP ${facts.httpStatus}` : undefined]
        .filter((part) => part !== undefined)
        .join(', ')})${attemptsPhrase(facts.attempts)} and did not complete ${context.operation}. Try again in a few minutes.`,
      detail: iamText,
    };
  }
  // Before the timeout case: the SDK names reset and refused connections TimeoutError too,
  // keeping the socket's errno in `code`.
  if (facts.errno !== undefined && UNREACHABLE_CODES[facts.errno] !== undefined) {
    return {
      ...base,
      code: facts.errno,
      kind: 'unreachable',
      message: `Could not reach ${where(connection)}${attemptsInParentheses(facts.attempts)}: ${UNREACHABLE_CODES[facts.errno]}. Check the network and the endpoint setting.`,
      detail: iamText,
    };
  }
  if (facts.name === 'TimeoutError' || facts.errno === 'ETIMEDOUT') {
    const connecting = /establish a connection/i.test(iamText);
    const seconds = (connecting ? connection.connectTimeoutMs : connection.requestTimeoutMs) / 1000;
    const attempts = facts.attempts ?? connection.maxAttempts;
    const within = `within ${seconds} second${seconds === 1 ? '' : 's'}${attemptsInParentheses(attempts)}`;
    return {
      ...base,
      code: code ?? 'TimeoutError',
      kind: 'timeout',
      message: connecting
        ? `Could not connect to ${where(connection)} ${within}. Check the network, a proxy, or the endpoint setting.`
        : `${capitalizeFirst(where(connection))} did not answer ${within}. Check the network, a proxy, or the endpoint setting.`,
      detail: iamText,
    };
  }
  if (/socket hang up/i.test(iamText)) {
    return {
      ...base,
      code: code ?? 'ECONNRESET',
      kind: 'unreachable',
      message: `Could not reach ${where(connection)}: ${UNREACHABLE_CODES.ECONNRESET}. Check the network and the endpoint setting.`,
      detail: iamText,
    };
  }
  if (facts.name === 'AbortError') {
    return { ...base, kind: 'cancelled', message: `${context.operation} was cancelled.` };
  }
  return {
    ...base,
    kind: 'unexpected',
    message: `${context.operation} failed${code !== undefined ? ` (${code}${facts.httpStatus !== undefined ? `, HTTP ${facts.httpStatus}` : ''})` : ''}: ${sentence(iamText)}`,
    detail: iamText,
  };
}

function describeCredentialsError(facts: ErrorFacts, connection: ConnectionFacts): IamProblem {
  const text = facts.message;
  // The SSO and login providers say "expired" or "aws sso login" when a session ran out.
  if (/expired|aws sso login|refresh/i.test(text)) {
    return {
      kind: 'credentials-expired',
      code: facts.name,
      message: `${connection.profile !== undefined ? `The session of the AWS profile "${connection.profile}"` : 'The AWS session'} has expired. ${refreshAdvice(connection)}`,
      detail: text,
    };
  }
  const message =
    connection.profile !== undefined
      ? `No AWS credentials for the profile "${connection.profile}": it is not in the AWS config or credentials file, or it holds no credentials. ` +
        `Check the ${PROFILE_SETTING} setting, run "aws configure --profile ${connection.profile}", or for an IAM Identity Center (SSO) profile run "aws sso login --profile ${connection.profile}".`
      : `No AWS credentials found. Set the ${PROFILE_SETTING} setting to a profile of your AWS config file, ` +
        'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or for IAM Identity Center (SSO) run "aws sso login".';
  return { kind: 'credentials-missing', code: facts.name, message, detail: text };
}

function refreshAdvice(connection: ConnectionFacts): string {
  const profileFlag = connection.profile !== undefined ? ` --profile ${connection.profile}` : '';
  return `Refresh them: for IAM Identity Center (SSO) run "aws sso login${profileFlag}", otherwise update the keys (the ${PROFILE_SETTING} setting chooses the profile).`;
}

function capitalizeFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
