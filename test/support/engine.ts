/** Small helpers so engine tests read as policy text and the findings expected. */
import { analyze, type AnalyzeOptions } from '../../server/src/policy/analyze';

export interface Seen {
  code: string;
  /** The text the finding covers. */
  at: string;
}

/** The findings of `text` as code + covered text, in document order. */
export function findings(text: string, options: AnalyzeOptions = {}): Seen[] {
  return analyze(text, options).findings.map((item) => ({ code: item.code, at: text.slice(item.offset, item.offset + item.length) }));
}

export function codes(text: string, options: AnalyzeOptions = {}): string[] {
  return analyze(text, options).findings.map((item) => item.code);
}

export function messages(text: string, options: AnalyzeOptions = {}): string[] {
  return analyze(text, options).findings.map((item) => item.message);
}

/** A valid policy around one statement's members, for tests of a single element. */
export function policyWith(statement: string): string {
  return `{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "s3:GetObject",\n      ${statement}\n    }\n  ]\n}\n`;
}
