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

interface Metadata {
  requestId?: string;
  attempts?: number;
}

/**
 * Runs `send`, logs the outcome, and returns the SDK's output. Any failure becomes an
 * IamCallError whose `problem` says what happened in the user's terms.
 */
export async function callAws<Output extends { $metadata: Metadata }>(
  connection: IamConnection,
  description: CallDescription,
  send: () => Promise<Output>,
): Promise<Output> {
  const started = performance.now();
  try {
    const output = await send();
    connection.log.record({
      ...description,
      result: 'ok',
      ...metadataFields(output.$metadata),
      durationMs: performance.now() - started,
    });
    return output;
  } catch (error) {
    const problem = describeIamError(error, { ...description, connection: connection.facts });
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
