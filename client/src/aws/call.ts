/**
 * Sends one request and records it: every IAM and STS call of the extension goes through
 * `callAws`, so each one is logged the same way and fails with the same kind of error.
 */
import type { IamConnection } from './connection';
import { IamCallError, describeIamError } from './errors';
import type { EntityRef } from './log';

/** What a call is about: the fields of the log record and of the error message. */
export interface CallDescription {
  readonly operation: string;
  readonly target?: EntityRef;
  readonly policyName?: string;
  readonly policyArn?: string;
  readonly page?: number;
}

/** How a call may be stopped. */
export interface CallOptions {
  /** Aborts the request under way (the progress notification's Cancel); the call then fails as `cancelled`. */
  readonly signal?: AbortSignal;
}

/** What `send` passes on to the SDK client's `send(command, options)`. */
export interface SendOptions {
  abortSignal?: AbortSignal;
}

interface Metadata {
  requestId?: string;
  attempts?: number;
}

/**
 * Runs `send`, logs the outcome, and returns the SDK's output. Any failure becomes an
 * IamCallError whose `problem` says what happened in the user's terms. With a signal, an
 * abort ends the wait at once (the SDK closes the request's connection) and the call fails
 * as `cancelled`; a signal aborted before the call sends nothing.
 */
export async function callAws<Output extends { $metadata: Metadata }>(
  connection: IamConnection,
  description: CallDescription,
  send: (options: SendOptions) => Promise<Output>,
  options: CallOptions = {},
): Promise<Output> {
  const started = performance.now();
  const { signal } = options;
  if (signal?.aborted === true) {
    connection.log.record({ ...description, result: 'error', errorCode: 'Cancelled', durationMs: 0 });
    throw new IamCallError({ kind: 'cancelled', code: 'Cancelled', message: `${description.operation} was cancelled before it was sent.` });
  }
  try {
    const output = await untilAborted(send(signal !== undefined ? { abortSignal: signal } : {}), signal);
    connection.log.record({
      ...description,
      result: 'ok',
      ...metadataFields(output.$metadata),
      durationMs: performance.now() - started,
    });
    return output;
  } catch (error) {
    const problem = describeIamError(error, { ...description, connection: connection.facts, secrets: connection.secrets });
    connection.log.record({
      ...description,
      result: 'error',
      ...(problem.code !== undefined ? { errorCode: problem.code } : {}),
      ...metadataFields(errorMetadata(error)),
      durationMs: performance.now() - started,
    });
    throw new IamCallError(problem, { cause: error });
  }
}

/** `work`, or an AbortError as soon as `signal` aborts (the SDK may take a moment to let go). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(Object.assign(new Error('The request was cancelled.'), { name: 'AbortError' }));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function metadataFields(metadata: Metadata | undefined): Metadata {
  const fields: Metadata = {};
  if (typeof metadata?.requestId === 'string') fields.requestId = metadata.requestId;
  if (typeof metadata?.attempts === 'number') fields.attempts = metadata.attempts;
  return fields;
}

/** The `$metadata` an SDK error carries, if any. */
function errorMetadata(error: unknown): Metadata | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata: unknown }).$metadata;
  return typeof metadata === 'object' && metadata !== null ? (metadata as Metadata) : undefined;
}
