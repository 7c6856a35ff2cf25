/**
 * What the IAM layer tells the user about each request it sends. The UI backs `IamLog` with an
 * output channel; tests back it with an array.
 *
 * A record has a fixed set of fields, none of which can hold a policy document or a credential:
 * the caller names the operation, the target and the policy, never the request itself. That is
 * deliberate: policies can be confidential, and keys must never reach a log a user may paste
 * into a bug report. (For the same reason the SDK clients get no logger: the SDK's own logger
 * prints command inputs, PolicyDocument included.)
 */
import type { EntityKind } from 'iam-policy-engine';

/** A user, group or role, by name. */
export interface EntityRef {
  readonly kind: EntityKind;
  readonly name: string;
}

export interface IamCallRecord {
  /** The API action, as IAM names it: `PutUserPolicy`, `ListRoles`... */
  readonly operation: string;
  /** The user, group or role the call is about. */
  readonly target?: EntityRef;
  readonly policyName?: string;
  /** The managed policy ARN of PutUserPermissionsBoundary (an ARN is not a secret). */
  readonly policyArn?: string;
  /** For calls that read a list page by page: which page, from 1. */
  readonly page?: number;
  readonly result: 'ok' | 'error';
  /** IAM's error code (`NoSuchEntity`), or the network or SDK error name, when result is error. */
  readonly errorCode?: string;
  /** `$metadata.requestId`: what AWS support asks for. Absent when no answer came back. */
  readonly requestId?: string;
  /** How many HTTP attempts the SDK made (more than one after retries). */
  readonly attempts?: number;
  readonly durationMs: number;
}

export interface IamLog {
  record(entry: IamCallRecord): void;
}

/** A log that drops everything, for callers that do not want one. */
export const SILENT_LOG: IamLog = { record: () => undefined };

/** One line for an output channel: `PutUserPolicy user alice, policy AllowS3: ok (request abc, 1 attempt, 42 ms)`. */
export function formatIamCall(entry: IamCallRecord): string {
  const about: string[] = [];
  if (entry.target !== undefined) about.push(`${entry.target.kind} ${entry.target.name}`);
  if (entry.policyName !== undefined) about.push(`policy ${entry.policyName}`);
  if (entry.policyArn !== undefined) about.push(`policy ${entry.policyArn}`);
  if (entry.page !== undefined) about.push(`page ${entry.page}`);
  const outcome = entry.result === 'ok' ? 'ok' : `error ${entry.errorCode ?? 'unknown'}`;
  const facts: string[] = [];
  if (entry.requestId !== undefined) facts.push(`request ${entry.requestId}`);
  if (entry.attempts !== undefined) facts.push(`${entry.attempts} attempt${entry.attempts === 1 ? '' : 's'}`);
  facts.push(`${Math.round(entry.durationMs)} ms`);
  return `${entry.operation}${about.length > 0 ? ` ${about.join(', ')}` : ''}: ${outcome} (${facts.join(', ')})`;
}
