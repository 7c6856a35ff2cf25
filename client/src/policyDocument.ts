/**
 * Which documents are policies, as the language server decides it: every `iam-policy`
 * document, and JSON or JSON-with-comments whose top-level object has a `Statement` key.
 * The status bar item and the editor title button follow it. No `vscode` import.
 */
import { parseJson } from 'iam-policy-engine';
import { hasStatementKey } from 'iam-policy-engine';
import { POLICY_DOCUMENT_MAX_LENGTH } from 'iam-policy-engine';

export const POLICY_LANGUAGE_ID = 'iam-policy';
const GENERIC_JSON: ReadonlySet<string> = new Set(['json', 'jsonc']);

/** Past this size a JSON file is judged by a plain search, not parsed on every editor switch. */
const PARSE_LIMIT = 4 * POLICY_DOCUMENT_MAX_LENGTH;

export function isPolicyDocument(languageId: string, text: string): boolean {
  if (languageId === POLICY_LANGUAGE_ID) return true;
  if (!GENERIC_JSON.has(languageId)) return false;
  if (text.length > PARSE_LIMIT) return text.includes('"Statement"');
  return hasStatementKey(parseJson(text).root);
}

/** Languages whose documents the push commands offer to send (the menus' `when` clauses say the same). */
export function mayBePolicyLanguage(languageId: string): boolean {
  return languageId === POLICY_LANGUAGE_ID || GENERIC_JSON.has(languageId);
}
