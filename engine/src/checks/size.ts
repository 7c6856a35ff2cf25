/**
 * PolicyDocument is 1 to 131,072 characters, white space included. Over the limit, the
 * finding covers everything past it and says whether removing white space would be enough.
 */
import { groupDigits } from '../numbers';
import type { Fix, FixContext } from '../edits';
import { finding, type Report } from '../findings';
import { minifiedLength, minify, type ParsedJson } from '../json';
import { POLICY_DOCUMENT_MAX_LENGTH } from '../limits';

export function checkSize(text: string, parsed: ParsedJson): Report[] {
  if (text.length === 0) {
    return [finding('empty-document', 'The policy document is empty: IAM needs a JSON object such as {"Version": "2012-10-17", "Statement": [...]}.', 0, 0)];
  }
  if (text.length <= POLICY_DOCUMENT_MAX_LENGTH) {
    if (/^[ \t\n\r]*$/.test(text)) {
      return [
        finding(
          'empty-document',
          'The policy document is only white space: IAM needs a JSON object such as {"Version": "2012-10-17", "Statement": [...]}.',
          0,
          text.length,
        ),
      ];
    }
    return [];
  }
  // Characters are code points; only astral characters (disallowed anyway) make them differ
  // from UTF-16 code units, so count them only when there are surrogates.
  const { count, limitOffset } = countCodePoints(text, POLICY_DOCUMENT_MAX_LENGTH);
  if (count <= POLICY_DOCUMENT_MAX_LENGTH) return [];
  const over = count - POLICY_DOCUMENT_MAX_LENGTH;
  const compact = minifiedLength(parsed);
  let advice: string;
  if (compact === undefined) {
    advice = 'Fix the JSON errors first to see whether removing white space would be enough.';
  } else if (compact <= POLICY_DOCUMENT_MAX_LENGTH) {
    advice = `Without white space it is ${groupDigits(compact)} characters, under the limit: minify it.`;
  } else {
    advice = `Even without white space it is ${groupDigits(compact)} characters, ${groupDigits(compact - POLICY_DOCUMENT_MAX_LENGTH)} over: split it into several policies.`;
  }
  return [
    finding(
      'document-too-large',
      `The policy document is ${groupDigits(count)} characters, ${groupDigits(over)} over IAM's limit of ${groupDigits(POLICY_DOCUMENT_MAX_LENGTH)} (white space counts). ${advice}`,
      limitOffset,
      text.length - limitOffset,
    ),
  ];
}

/** Number of code points, and the UTF-16 offset where code point number `limit` + 1 starts. */
function countCodePoints(text: string, limit: number): { count: number; limitOffset: number } {
  if (!/[\uD800-\uDFFF]/.test(text)) return { count: text.length, limitOffset: Math.min(limit, text.length) };
  let count = 0;
  let limitOffset = text.length;
  for (let offset = 0; offset < text.length;) {
    if (count === limit) limitOffset = offset;
    const code = text.charCodeAt(offset);
    const isPair =
      code >= 0xd800 && code <= 0xdbff && offset + 1 < text.length && text.charCodeAt(offset + 1) >= 0xdc00 && text.charCodeAt(offset + 1) <= 0xdfff;
    offset += isPair ? 2 : 1;
    count++;
  }
  return { count, limitOffset };
}

/** Without white space, when that brings the document under the limit. */
export function minifyFix(_item: unknown, { text, analysis }: FixContext): Fix[] {
  const compact = minify(text, analysis.parsed);
  if (compact === undefined || compact.length > POLICY_DOCUMENT_MAX_LENGTH) return [];
  return [
    {
      title: `Minify the document (${groupDigits(compact.length)} characters, under the limit)`,
      edits: [{ offset: 0, length: text.length, newText: compact }],
      isPreferred: true,
    },
  ];
}
