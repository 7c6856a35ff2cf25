/** Small helpers so engine tests read as policy text and the findings expected. */
import { analyze, type AnalyzeOptions } from 'iam-policy-engine/analyze';
import { type Finding } from 'iam-policy-engine/findings';
import { RULES, type RuleInfo } from 'iam-policy-engine/rules';

export interface Seen {
  code: string;
  /** The text the finding covers. */
  at: string;
}

export interface TestOptions extends AnalyzeOptions {
  /** Only findings of these families (the check under test); all when left out. */
  families?: Array<RuleInfo['family']>;
}

function select(text: string, options: TestOptions): Finding[] {
  const all = analyze(text, options).findings;
  const families = options.families;
  return families === undefined ? all : all.filter((item) => families.includes(RULES[item.code].family));
}

/** The findings of `text` as code + covered text, in document order. */
export function findings(text: string, options: TestOptions = {}): Seen[] {
  return select(text, options).map((item) => ({ code: item.code, at: text.slice(item.offset, item.offset + item.length) }));
}

export function codes(text: string, options: TestOptions = {}): string[] {
  return select(text, options).map((item) => item.code);
}

export function messages(text: string, options: TestOptions = {}): string[] {
  return select(text, options).map((item) => item.message);
}

/** A valid policy around one statement's members, for tests of a single element. */
export function policyWith(statement: string): string {
  return `{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "s3:GetObject",\n      ${statement}\n    }\n  ]\n}\n`;
}
