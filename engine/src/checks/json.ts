/** IAM accepts strict JSON only: syntax errors, comments, trailing commas and duplicate keys. */
import { removeRange, type Fix, type FixContext, type TextEdit } from '../edits';
import { finding, type Code, type Finding, type Report } from '../findings';
import type { JsonProblemKind, ParsedJson } from '../json';

const CODE_OF: Record<JsonProblemKind, Code> = {
  syntax: 'json-syntax',
  comment: 'json-comment',
  'trailing-comma': 'json-trailing-comma',
  'duplicate-key': 'json-duplicate-key',
};

export function checkJson(parsed: ParsedJson): Report[] {
  return parsed.problems.map((problem) =>
    finding(
      CODE_OF[problem.kind],
      problem.message,
      problem.offset,
      problem.length,
      problem.firstOffset === undefined ? undefined : [{ offset: problem.firstOffset, length: problem.firstLength ?? 0, message: 'First use of the key' }],
    ),
  );
}

/** A comment goes with its line when it is alone on it. */
export function commentFixes(item: Finding, { text }: FixContext): Fix[] {
  return [{ title: 'Remove the comment', edits: [removeRange(text, item.offset, item.length, true)], isPreferred: true }];
}

export function trailingCommaFixes(item: Finding, context: FixContext): Fix[] {
  const fixes: Fix[] = [{ title: 'Remove the trailing comma', edits: [removeRange(context.text, item.offset, item.length, false)], isPreferred: true }];
  const all = context.analysis.findings.filter((other) => other.code === 'json-trailing-comma');
  if (all.length > 1) fixes.push({ title: 'Remove all trailing commas', edits: trailingCommaFixAll(all) });
  return fixes;
}

export function trailingCommaFixAll(items: readonly Finding[]): TextEdit[] {
  return items.map((item) => ({ offset: item.offset, length: item.length, newText: '' }));
}
