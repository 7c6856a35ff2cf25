/**
 * Whether pushing would change anything: IAM keeps the text it was sent, so the same policy
 * may come back formatted differently. Two documents are the same policy when they parse to
 * equal JSON (key order inside objects does not matter, array order does).
 */
import { isDeepStrictEqual } from 'node:util';

export type OverwriteDecision =
  /** No inline policy of that name yet: it will be created. */
  | { readonly kind: 'create' }
  /** IAM already holds this policy: send nothing. */
  | { readonly kind: 'unchanged' }
  /** A different policy of that name exists: ask before replacing it. Both texts pretty-printed, for a diff. */
  | { readonly kind: 'replace'; readonly existing: string; readonly proposed: string };

/**
 * @param existingDocument the decoded document IAM holds under the policy name, or undefined
 * @param editorText what the user wants to send
 */
export function decideOverwrite(existingDocument: string | undefined, editorText: string): OverwriteDecision {
  if (existingDocument === undefined) return { kind: 'create' };
  if (samePolicy(existingDocument, editorText)) return { kind: 'unchanged' };
  return { kind: 'replace', existing: prettyPolicy(existingDocument), proposed: prettyPolicy(editorText) };
}

/** JSON-equal after parsing; texts that do not parse are compared as they are. */
export function samePolicy(a: string, b: string): boolean {
  const parsedA = parseOrUndefined(a);
  const parsedB = parseOrUndefined(b);
  if (parsedA === undefined || parsedB === undefined) return a === b;
  return isDeepStrictEqual(parsedA.value, parsedB.value);
}

/** Two-space indented JSON; text that does not parse is returned unchanged. */
export function prettyPolicy(text: string): string {
  const parsed = parseOrUndefined(text);
  return parsed === undefined ? text : `${JSON.stringify(parsed.value, null, 2)}\n`;
}

function parseOrUndefined(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
