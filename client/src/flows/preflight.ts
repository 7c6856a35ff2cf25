/**
 * Decides whether a document may be sent to IAM as an inline policy, before any request:
 * anything IAM is certain to reject is caught here, with the editor's own messages and places.
 */
import { analyze, type AnalyzeOptions } from 'iam-policy-engine';
import { type Code } from 'iam-policy-engine';
import { RULES } from 'iam-policy-engine';

/**
 * Error-severity findings that do not stop a push. Every other finding whose rule is an error
 * does, so a rule added later (the grammar checks) blocks by default; list it here if IAM in
 * fact accepts what it reports.
 */
export const NON_BLOCKING_ERROR_CODES: ReadonlySet<Code> = new Set<Code>([
  // An entity name inside an ARN that IAM could never create: IAM stores the policy anyway
  // (the statement simply matches nothing), so the editor's warning is enough.
  'invalid-arn-entity-name',
]);

/** Whether a finding of this rule keeps a document from being sent. */
export function blocksPush(code: Code): boolean {
  // The rule's own severity, not the user's override: a user who turns `json-comment` into a
  // warning in the editor still cannot make IAM accept a comment.
  return RULES[code].severity === 'error' && !NON_BLOCKING_ERROR_CODES.has(code);
}

/** A reason a document cannot be sent, placed in the document. */
export interface PreflightProblem {
  /** The engine's finding code. */
  readonly code: Code;
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  /** 1-based, for messages. */
  readonly line: number;
  readonly column: number;
}

export interface Preflight {
  readonly canSend: boolean;
  readonly problems: readonly PreflightProblem[];
  /** One paragraph for a notification; empty when the document can be sent. */
  readonly summary: string;
}

export interface PreflightOptions {
  /** The document's file name (checked by the engine as the policy name it offers). */
  fileName?: string;
  /** The kind of policy IAM will take the document for: identity (inline and managed policies) by default, `trust` for a role's trust policy. */
  kind?: AnalyzeOptions['kind'];
}

export function preflightPolicy(text: string, options: PreflightOptions = {}): Preflight {
  // An inline policy of a user, group or role is an identity policy, whatever the text looks
  // like: a Principal is then an error (IAM: "Policy document should not specify a principal").
  const analysis = analyze(text, { ...(options.fileName !== undefined ? { fileName: options.fileName } : {}), kind: options.kind ?? 'identity' });
  const problems: PreflightProblem[] = [];
  for (const item of analysis.findings) {
    if (blocksPush(item.code)) problems.push(place(text, item.code, item.message, item.offset, item.length));
  }
  return { canSend: problems.length === 0, problems, summary: summarize(problems) };
}

function summarize(problems: readonly PreflightProblem[]): string {
  if (problems.length === 0) return '';
  const first = problems[0];
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `Not sent: the document has ${count} IAM would reject. Line ${first.line}, column ${first.column}: ${first.message}${more}`;
}

function place(text: string, code: Code, message: string, offset: number, length: number): PreflightProblem {
  const { line, column } = lineAndColumn(text, offset);
  return { code, message, offset, length, line, column };
}

/** 1-based line and column (UTF-16 units, as editors count) of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: end - lineStart + 1 };
}
