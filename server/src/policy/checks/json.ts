/** IAM accepts strict JSON only: syntax errors, comments, trailing commas and duplicate keys. */
import { finding, type Code, type Finding } from '../findings';
import type { JsonProblemKind, ParsedJson } from '../json';

const CODE_OF: Record<JsonProblemKind, Code> = {
  syntax: 'json-syntax',
  comment: 'json-comment',
  'trailing-comma': 'json-trailing-comma',
  'duplicate-key': 'json-duplicate-key',
};

export function checkJson(parsed: ParsedJson): Finding[] {
  return parsed.problems.map((problem) =>
    finding(
      CODE_OF[problem.kind],
      problem.message,
      problem.offset,
      problem.length,
      problem.firstOffset === undefined
        ? undefined
        : [{ offset: problem.firstOffset, length: problem.firstLength ?? 0, message: 'First use of the key' }],
    ),
  );
}
