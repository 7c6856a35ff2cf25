/**
 * A copy of `text` that holds nothing of the string it was cut from. V8 keeps a slice of 13
 * characters or more as a view into the whole string: kept as a key of a memo or a cache that
 * outlives the document (a statement's text, an ARN, an action name), a slice keeps that whole
 * version of the document alive, 128 KB a keystroke in a policy of 131,072 characters. Joined
 * to a character in front, the text is copied into a new string when sliced again, and the
 * slice refers to that copy only.
 */
export function detached(text: string): string {
  return (' ' + text).slice(1);
}
