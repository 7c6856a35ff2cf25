/**
 * A fix offered as safe (fix-all, fix on save, `iam-policy-lint --fix`) must never leave more
 * JSON problems than it found: an em dash outside a string turned into `-`, a curly quote that
 * closes a key turned into `\"`, would each break a document that parsed. So the edits of a
 * safe fix are checked against a parse of the result, and those that do harm are left out.
 */
import { applyEdits, type TextEdit } from './edits';
import { parseJson, type Node, type ParsedJson } from './json';

/** At most this many parses to find which edits of a fix-all do harm (each ~1 ms on the largest policy). */
const MAX_SAFETY_PARSES = 24;

/**
 * The edits, or those of them that leave the document parsing at least as well as it does.
 * Edits inside string values that bring or take no quote, backslash or control character
 * cannot change the parse, and need no check (most fixes of pasted text); for the others it
 * costs one parse of the fixed text, and when that is worse, the edits that do harm are found
 * by halving (a few parses more) and left out, so the rest are still made.
 */
export function keepingTheParse(text: string, parsed: ParsedJson, edits: readonly TextEdit[]): TextEdit[] {
  if (edits.length === 0) return [];
  const values = valueInsides(text, parsed);
  const inert: TextEdit[] = [];
  const others: TextEdit[] = [];
  for (const edit of edits) (isInert(text, values, edit) ? inert : others).push(edit);
  if (others.length === 0) return [...edits];
  const before = parsed.problems.length;
  const keepsParsing = (candidate: readonly TextEdit[]): boolean => parseJson(applyEdits(text, [...inert, ...candidate])).problems.length <= before;
  if (keepsParsing(others)) return [...edits];
  const kept: TextEdit[] = [];
  let budget = MAX_SAFETY_PARSES;
  const consider = (group: readonly TextEdit[]): void => {
    if (group.length === 0 || budget <= 0) return;
    budget--;
    if (keepsParsing([...kept, ...group])) {
      kept.push(...group);
    } else if (group.length > 1) {
      const middle = group.length >> 1;
      consider(group.slice(0, middle));
      consider(group.slice(middle));
    }
  };
  const middle = others.length >> 1;
  consider(others.slice(0, middle));
  consider(others.slice(middle));
  return [...inert, ...kept].sort((a, b) => a.offset - b.offset);
}

/** The range of sorted, disjoint [start, end) ranges that holds `offset`, if any. */
export function rangeAround(ranges: ReadonlyArray<[number, number]>, offset: number): [number, number] | undefined {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [start, end] = ranges[middle];
    if (offset < start) high = middle - 1;
    else if (offset >= end) low = middle + 1;
    else return ranges[middle];
  }
  return undefined;
}

/** What may stand in an edit inside a string without moving the string's end: no quote, backslash or control character. */
const INERT_IN_STRING = /^[^"\\\u0000-\u001f]*$/;

/**
 * Whether an edit stays inside a string value and cannot change how the text parses: it takes
 * and brings no quote (but as the escape \"), backslash or control character, and follows no
 * backslash. Keys are not inert: renaming one can make it a duplicate.
 */
function isInert(text: string, values: ReadonlyArray<[number, number]>, edit: TextEdit): boolean {
  const inside = rangeAround(values, edit.offset);
  if (inside === undefined || edit.offset + edit.length > inside[1] || text.charCodeAt(edit.offset - 1) === 0x5c) return false;
  return INERT_IN_STRING.test(text.slice(edit.offset, edit.offset + edit.length)) && INERT_IN_STRING.test(edit.newText.replace(/\\"/g, ''));
}

/** The insides of the string values (not keys) in straight double quotes, sorted. */
function valueInsides(text: string, parsed: ParsedJson): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const pending: Node[] = parsed.root === undefined ? [] : [parsed.root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.type === 'string') {
      const last = node.offset + node.length - 1;
      const isKey = node.parent?.type === 'property' && node.parent.children![0] === node;
      if (!isKey && last > node.offset && text.charCodeAt(node.offset) === 0x22 && text.charCodeAt(last) === 0x22) ranges.push([node.offset + 1, last]);
    } else if (node.children !== undefined) {
      for (const child of node.children) pending.push(child);
    }
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}
