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
import type { CredentialProcessFailure } from './credentialProcess';
import type { EntityRef } from './log';
import { redactSecrets, redactUrl } from './redact';

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
  | 'credential-process'
  | 'not-iam-answer'
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
  /** How many HTTP attempts the SDK made. */
  readonly attempts?: number;
  /**
   * The request may have reached IAM and been carried out, though the answer does not say so
   * (an internal error, a reset or a timeout after sending, an answer that is not IAM's, a
   * cancel, or a retry after any of these). After a write, read back to know.
   */
  readonly mayHaveTakenEffect?: boolean;
  /** For such a problem: what happened, in one sentence, without advice (the write path adds what IAM holds). */
  readonly summary?: string;
  /** After a write read back: `not-written` (IAM does not hold it) or `unchecked` (the read failed too). */
  readonly iamHolds?: 'not-written' | 'unchecked';
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
  readonly socketTimeoutMs: number;
  readonly answerTimeoutMs: number;
}

/** What the failed call was about. */
export interface CallContext {
  readonly operation: string;
  readonly target?: EntityRef;
  readonly policyName?: string;
  readonly policyArn?: string;
  readonly connection: ConnectionFacts;
  /** Values never to show (the connection's secret key and session token): an endpoint may echo them. */
  readonly secrets?: Iterable<string>;
}

/** The setting that names the AWS profile; messages point to it. */
export const PROFILE_SETTING = 'iamPolicy.aws.profile';

const CREDENTIALS_EXPIRED_CODES = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);

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
  return connection.endpoint !== undefined ? `the endpoint ${redactUrl(connection.endpoint)}` : `IAM (region ${connection.region})`;
}

/** Whose credentials: `the AWS profile "dev"`, or `the default AWS credentials`. */
function whose(connection: ConnectionFacts): string {
  return connection.profile !== undefined ? `the AWS profile "${connection.profile}"` : 'the default AWS credentials';
}

/** The credentials themselves, as a plural noun phrase. */
function credentialsOf(connection: ConnectionFacts): string {
  return connection.profile !== undefined ? `the credentials of the AWS profile "${connection.profile}"` : 'the default AWS credentials';
}

/** Errors that happen before any request is sent: a write with one of these certainly did nothing. */
const NEVER_SENT: ReadonlySet<IamProblemKind> = new Set<IamProblemKind>(['credentials-missing', 'credential-process', 'settings']);

/** Socket errors that mean no connection was made, so nothing was sent. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The one place that turns a failure of an IAM or STS call into a message. Whatever an
 * endpoint wrote into its error, and the endpoint setting itself, pass through redactSecrets:
 * no password of a URL, no secret key or session token reaches a message or the log.
 */
export function describeIamError(error: unknown, context: CallContext): IamProblem {
  if (error instanceof IamCallError) return error.problem;
  const problem = describeUnredacted(error, context);
  const facts = readErrorFacts(error);
  const attempts = facts.attempts;
  const mayHaveTakenEffect = problem.mayHaveTakenEffect === true || (attempts !== undefined && attempts > 1 && !NEVER_SENT.has(problem.kind));
  const clean = (text: string): string => redactSecrets(text, context.secrets ?? []);
  return {
    ...problem,
    message: clean(problem.message),
    ...(problem.detail !== undefined ? { detail: clean(problem.detail) } : {}),
    ...(problem.summary !== undefined ? { summary: clean(problem.summary) } : {}),
    // A code is IAM's (`NoSuchEntity`) or a socket's (`ECONNRESET`): anything else an endpoint sent is not shown as one.
    ...(problem.code !== undefined ? { code: /^[\w.:-]{1,64}$/.test(problem.code) ? problem.code : 'Unrecognised' } : {}),
    ...(attempts !== undefined ? { attempts } : {}),
    ...(mayHaveTakenEffect ? { mayHaveTakenEffect: true } : {}),
  };
}

function describeUnredacted(error: unknown, context: CallContext): IamProblem {
  const facts = readErrorFacts(error);
  const code = iamErrorCode(error);
  const iamText = facts.message;
  const base = {
    ...(code !== undefined ? { code } : {}),
    ...(facts.requestId !== undefined ? { requestId: facts.requestId } : {}),
  };
  const target = context.target;
  const connection = context.connection;
  const operation = context.operation;

  if (facts.name === 'CredentialProcessError') return describeCredentialProcessError(error as CredentialProcessErrorFields);
  if (facts.name === 'CredentialsProviderError' || facts.name === 'TokenProviderError') {
    return describeCredentialsError(facts, connection);
  }
  if (facts.name === 'NotIamAnswer') {
    const answer = error as { url?: unknown; httpStatus?: unknown; what?: unknown };
    const endpoint = connection.endpoint !== undefined ? redactUrl(connection.endpoint) : typeof answer.url === 'string' ? answer.url : 'IAM';
    const summary = `The endpoint ${endpoint} answered ${operation} with HTTP ${String(answer.httpStatus)} and ${String(answer.what)}, not with IAM's answer${attemptsInParentheses(facts.attempts)}.`;
    return {
      code: 'NotIamAnswer',
      kind: 'not-iam-answer',
      summary,
      message: `${summary} A proxy, a captive portal or a wrong endpoint setting is in the way: check the network and the endpoint setting.`,
      mayHaveTakenEffect: true,
    };
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
      return { ...base, kind: 'validation', message: `IAM rejected a parameter of ${operation}: ${sentence(iamText)}`, detail: iamText };
    case 'InvalidInput':
      return { ...base, kind: 'invalid-input', message: `IAM rejected the input of ${operation}: ${sentence(iamText)}`, detail: iamText };
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
    const deniedAction = deniedActionFrom(iamText) ?? `iam:${operation}`;
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
      summary: `IAM is throttling this account's requests: ${operation} was refused${timesPhrase(facts.attempts)} (${code}).`,
      message: `IAM is throttling this account's requests: ${operation} was refused${timesPhrase(facts.attempts)} (${code}). Wait a minute and try again.`,
      detail: iamText,
    };
  }
  if (code === 'ServiceFailure' || (facts.httpStatus !== undefined && facts.httpStatus >= 500)) {
    const what = [code, facts.httpStatus !== undefined ? `HTTP ${facts.httpStatus}` : undefined].filter((part) => part !== undefined).join(', ');
    // Not "did not complete": IAM may have done the work before failing to say so.
    const summary = `IAM answered ${operation} with an internal error (${what})${attemptsPhrase(facts.attempts)}.`;
    return { ...base, kind: 'service-failure', summary, message: `${summary} Try again in a few minutes.`, detail: iamText, mayHaveTakenEffect: true };
  }
  // Before the timeout case: the SDK names reset and refused connections TimeoutError too,
  // keeping the socket's errno in `code`.
  if (facts.errno !== undefined && UNREACHABLE_CODES[facts.errno] !== undefined) {
    const summary = `Could not reach ${where(connection)}${attemptsInParentheses(facts.attempts)}: ${UNREACHABLE_CODES[facts.errno]}.`;
    return {
      ...base,
      code: facts.errno,
      kind: 'unreachable',
      summary,
      message: `${summary} Check the network and the endpoint setting.`,
      detail: iamText,
      mayHaveTakenEffect: !NOT_CONNECTED_CODES.has(facts.errno),
    };
  }
  if (facts.name === 'TimeoutError' || facts.errno === 'ETIMEDOUT') {
    const connecting = /establish a connection/i.test(iamText);
    const idle = /of inactivity/i.test(iamText);
    const slowBody = facts.errno === 'AnswerTimeout';
    const seconds =
      (connecting ? connection.connectTimeoutMs : idle ? connection.socketTimeoutMs : slowBody ? connection.answerTimeoutMs : connection.requestTimeoutMs) /
      1000;
    const attempts = facts.attempts ?? connection.maxAttempts;
    const duration = `${seconds} second${seconds === 1 ? '' : 's'}`;
    const within = `within ${duration}${attemptsInParentheses(attempts)}`;
    const summary = connecting
      ? `Could not connect to ${where(connection)} ${within}.`
      : idle
        ? `The answer of ${where(connection)} to ${operation} stopped coming: nothing for ${duration}${attemptsInParentheses(attempts)}.`
        : slowBody
          ? `The answer of ${where(connection)} to ${operation} came too slowly: not whole ${duration} after it began${attemptsInParentheses(attempts)}.`
          : `${capitalizeFirst(where(connection))} did not answer ${operation} ${within}.`;
    return {
      ...base,
      code: code ?? 'TimeoutError',
      kind: 'timeout',
      summary,
      message: `${summary} Check the network, a proxy, or the endpoint setting.`,
      detail: iamText,
      mayHaveTakenEffect: !connecting,
    };
  }
  if (/socket hang up/i.test(iamText)) {
    const summary = `Could not reach ${where(connection)}: ${UNREACHABLE_CODES.ECONNRESET}.`;
    return {
      ...base,
      code: code ?? 'ECONNRESET',
      kind: 'unreachable',
      summary,
      message: `${summary} Check the network and the endpoint setting.`,
      detail: iamText,
      mayHaveTakenEffect: true,
    };
  }
  if (facts.name === 'AbortError') {
    return {
      ...base,
      kind: 'cancelled',
      summary: `You cancelled ${operation} while it was under way.`,
      message: `${operation} was cancelled.`,
      mayHaveTakenEffect: true,
    };
  }
  return {
    ...base,
    kind: 'unexpected',
    message: `${operation} failed${code !== undefined ? ` (${code}${facts.httpStatus !== undefined ? `, HTTP ${facts.httpStatus}` : ''})` : ''}: ${sentence(iamText)}`,
    detail: iamText,
    mayHaveTakenEffect: true,
  };
}

/** The fields of credentialProcess.ts's CredentialProcessError, read without instanceof like every other error here. */
interface CredentialProcessErrorFields {
  readonly profile: string;
  readonly failure: CredentialProcessFailure;
  readonly stderrLine: string | undefined;
}

function describeCredentialProcessError(error: CredentialProcessErrorFields): IamProblem {
  const { failure, stderrLine } = error;
  const said = stderrLine !== undefined ? `it printed on stderr: "${stderrLine}"` : 'it printed nothing on stderr';
  const of = `The credential_process of the AWS profile "${error.profile}"`;
  const fix = `Run it in a terminal to see what it does, fix it in the AWS config file, or choose another profile in the ${PROFILE_SETTING} setting.`;
  let what: string;
  switch (failure.reason) {
    case 'timeout': {
      const seconds = failure.timeoutMs / 1000;
      what = `${of} did not finish within ${seconds} second${seconds === 1 ? '' : 's'} and was stopped (${said}). It may be waiting for a sign-in or a prompt it cannot get here.`;
      break;
    }
    case 'exit':
      what = `${of} failed: it exited with code ${failure.exitCode} and ${said}.`;
      break;
    case 'signal':
      what = `${of} was ended by ${failure.signal} (${said}).`;
      break;
    case 'spawn':
      what = `${of} could not be started (${failure.errno}).`;
      break;
    case 'not-json':
      what =
        failure.length === 0
          ? `${of} printed nothing on stdout, where it must print its credentials as JSON (${said}).`
          : `${of} printed ${failure.length.toLocaleString('en-US')} characters that are not JSON credentials on stdout (${said}).`;
      break;
    case 'wrong-version':
      what = `${of} printed JSON without "Version": 1, which the AWS SDKs require.`;
      break;
    case 'no-keys':
      what = `${of} printed JSON without an AccessKeyId and a SecretAccessKey.`;
      break;
    case 'bad-expiration':
      what = `${of} printed an Expiration that is not an ISO 8601 date.`;
      break;
    case 'expired':
      what = `${of} returned credentials that expired at ${failure.expiration}. Renew what it reads from (often a sign-in of its own), then try again.`;
      break;
  }
  return {
    kind: 'credential-process',
    code: `credential_process:${failure.reason}`,
    message: `${what} ${fix}`,
    ...(stderrLine !== undefined ? { detail: stderrLine } : {}),
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
