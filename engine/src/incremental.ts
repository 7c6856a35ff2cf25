/**
 * Keeps each open document's parse tree up to date across edits without reparsing the whole
 * text on the keystrokes that are most of typing: a character typed or deleted inside a
 * string (an action, an ARN, a Sid), and white space added or removed between tokens.
 *
 * Those edits cannot change the shape of a valid document, so the tree is patched in place:
 * the string's value is updated and the nodes after the edit are shifted. Anything else, or
 * any document that had a problem, is reparsed in full. The test suite checks that a patched
 * tree always equals a fresh parse.
 */
import { checkCharacters } from './checks/characters';
import type { Report } from './findings';
import { parseJson, shiftMinifiedLength, stringTokenLength, decodeStringToken, type Node, type ParsedJson } from './json';

/** One edit, in offsets of the text it applies to. */
export interface TextChange {
  offset: number;
  /** Length of the replaced text. */
  length: number;
  text: string;
}

interface Entry {
  text: string;
  parsed: ParsedJson;
}

const WHITESPACE_ONLY = /^[ \t\n\r]*$/;

export class IncrementalParser {
  private readonly entries = new Map<string, Entry>();
  /** How many parses were patches rather than full parses (for tests and the benchmark). */
  patched = 0;
  full = 0;
  /** Numbers the edits, for Node.revision: a node's number tells a statement cache it changed. */
  private revisions = 0;

  /**
   * The parse of `text`, the content of document `key` after `changes` (in order) were
   * applied to the text given last time; 'full' when they are unknown.
   */
  parse(key: string, text: string, changes: readonly TextChange[] | 'full'): ParsedJson {
    const entry = this.entries.get(key);
    if (entry !== undefined && changes !== 'full') {
      if (changes.length === 0 && entry.text === text) return entry.parsed;
      if (changes.length > 0 && tryPatch(entry, changes, () => ++this.revisions) && entry.text.length === text.length) {
        entry.text = text;
        this.patched++;
        return entry.parsed;
      }
    }
    const parsed = parseJson(text);
    this.entries.set(key, { text, parsed });
    this.full++;
    return parsed;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

/** Applies the changes to the entry's tree in place; false (entry unusable) when it cannot. */
function tryPatch(entry: Entry, changes: readonly TextChange[], nextRevision: () => number): boolean {
  if (entry.parsed.problems.length > 0 || entry.parsed.root === undefined) return false;
  let text = entry.text;
  for (const change of changes) {
    if (!patchOne(entry.parsed, text, change, nextRevision())) {
      // The tree may be half patched: make sure nobody uses it.
      entry.parsed = { root: undefined, problems: [{ kind: 'syntax', message: 'stale', offset: 0, length: 0 }], depth: 0 };
      return false;
    }
    text = text.slice(0, change.offset) + change.text + text.slice(change.offset + change.length);
  }
  entry.text = text;
  return true;
}

/** Patches `parsed`, whose root tryPatch has checked is there. */
function patchOne(parsed: ParsedJson, text: string, change: TextChange, revision: number): boolean {
  const root = parsed.root!;
  const start = change.offset;
  const end = change.offset + change.length;
  const delta = change.text.length - change.length;
  const leaf = leafAt(root, start);

  if (leaf !== undefined && leaf.type === 'string' && leaf.offset < start && end <= leaf.offset + leaf.length - 1) {
    // Inside a string's quotes: the token must still be one complete, valid string.
    const raw = text.slice(leaf.offset, start) + change.text + text.slice(end, leaf.offset + leaf.length);
    if (stringTokenLength(raw) !== raw.length) return false;
    const value = decodeStringToken(raw);
    const property = leaf.parent;
    if (property?.type === 'property' && property.children![0] === leaf) {
      // A key: renaming it must not make it equal to a sibling's (a duplicate key).
      for (const sibling of property.parent!.children!) {
        if (sibling !== property && sibling.children![0].value === value) return false;
      }
    }
    leaf.value = value;
    shiftMinifiedLength(parsed, delta);
    // The string and everything around it changed, even when its length did not.
    for (let node: Node | undefined = leaf; node !== undefined; node = node.parent) node.revision = revision;
  } else if (leaf === undefined || leaf.offset >= end || leaf.offset + leaf.length <= start) {
    // Between tokens: only white space may come and go there.
    if (!WHITESPACE_ONLY.test(change.text) || !WHITESPACE_ONLY.test(text.slice(start, end))) return false;
  } else {
    return false;
  }
  if (delta !== 0) shift(root, end, delta, revision);
  return true;
}

/** The innermost leaf (string, number, boolean, null) whose range contains `offset`. */
function leafAt(root: Node, offset: number): Node | undefined {
  let node: Node | undefined = root;
  for (;;) {
    if (node.children === undefined) return node.offset <= offset && offset < node.offset + node.length ? node : undefined;
    const children: Node[] = node.children;
    // Children are in order: find the last one starting at or before offset.
    let low = 0;
    let high = children.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (children[middle].offset <= offset) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0) return undefined;
    const child: Node = children[found];
    if (offset >= child.offset + child.length) return undefined;
    node = child;
  }
}

/**
 * Moves everything at or after `end` by `delta`, and grows the nodes that enclose the edit.
 * Subtrees that end before the edit are left alone without being walked.
 */
function shift(root: Node, end: number, delta: number, revision: number): void {
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.offset >= end) {
      node.offset += delta;
      if (node.colonOffset !== undefined) node.colonOffset += delta;
    } else if (node.offset + node.length > end) {
      // Encloses the edit (a white space edit never touches a node's first or last character).
      node.length += delta;
      node.revision = revision;
      if (node.colonOffset !== undefined && node.colonOffset >= end) node.colonOffset += delta;
    } else {
      continue; // wholly before the edit
    }
    const children = node.children;
    if (children !== undefined) {
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
    }
  }
}

/**
 * Keeps each document's disallowed-character findings up to date across edits: findings
 * before an edit stay, those after it move, and only the edited stretch is scanned again.
 * A document pasted full of curly quotes then costs little more per keystroke than a clean
 * one. The test suite checks the result always equals a full scan.
 */
export class IncrementalCharacters {
  private readonly entries = new Map<string, { text: string; findings: Report[] }>();

  scan(key: string, text: string, changes: readonly TextChange[] | 'full'): Report[] {
    const entry = this.entries.get(key);
    let findings: Report[] | undefined;
    if (entry !== undefined && changes !== 'full' && lengthAfter(entry.text.length, changes) === text.length) {
      findings = entry.findings;
      let current = entry.text;
      for (let i = 0; i < changes.length; i++) {
        const change = changes[i];
        // The text after the last change is `text` itself: rebuilding it would make a second
        // copy of the document that the scan then flattens (0.08 ms a keystroke at 131,072).
        current = i === changes.length - 1 ? text : current.slice(0, change.offset) + change.text + current.slice(change.offset + change.length);
        findings = rescan(findings, current, change);
      }
    }
    findings ??= checkCharacters(text);
    this.entries.set(key, { text, findings });
    return findings;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

/** The length of a text of `length` characters after the changes. */
function lengthAfter(length: number, changes: readonly TextChange[]): number {
  for (const change of changes) length += change.text.length - change.length;
  return length;
}

function rescan(previous: readonly Report[], text: string, change: TextChange): Report[] {
  const start = change.offset;
  const oldEnd = change.offset + change.length;
  const delta = change.text.length - change.length;
  // Runs that touch the edit (adjacent ones included, since runs may merge or split).
  let first = 0;
  while (first < previous.length && previous[first].offset + previous[first].length < start) first++;
  let last = first;
  while (last < previous.length && previous[last].offset <= oldEnd) last++;
  const from = first < last ? Math.min(start, previous[first].offset) : start;
  const to = first < last ? Math.max(oldEnd, previous[last - 1].offset + previous[last - 1].length) + delta : oldEnd + delta;
  const result = previous.slice(0, first);
  result.push(...checkCharacters(text, from, to));
  for (let i = last; i < previous.length; i++) {
    const moved = previous[i];
    result.push(delta === 0 ? moved : { ...moved, offset: moved.offset + delta });
  }
  return result;
}
