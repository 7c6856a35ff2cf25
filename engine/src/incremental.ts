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
import { parseJson, shiftMinifiedLength, stringTokenLength, decodeStringToken, TokenRecord, TokenReplay, type Node, type ParsedJson } from './json';

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
  /** The tokens of the last full parse (large documents only), and a second record to write the next one into. */
  tokens?: { record: TokenRecord; spare: TokenRecord; edited: EditedStretch | undefined };
  /**
   * While the document is broken: its tree from just before the edit that broke it, and what
   * the edits since changed of that text. Undoing the edit, or finishing what it started (a
   * string's closing quote typed after its opening one), gives that tree back, patched.
   */
  valid?: { text: string; parsed: ParsedJson; edited: EditedStretch };
}

/** The longest edited stretch compared with the valid text it replaced (longer ones are rare and never undo). */
const RESTORE_LIMIT = 4096;

/**
 * What the edits since a token record changed of its text: the stretch [from, to) of that
 * text is now `length` characters. Edits are merged into one stretch that covers them all.
 */
interface EditedStretch {
  from: number;
  to: number;
  length: number;
}

/** The stretch after one more edit (in offsets of the text the previous edits made). */
function mergeEdit(stretch: EditedStretch | undefined, change: TextChange): EditedStretch {
  const start = change.offset;
  const end = change.offset + change.length;
  if (stretch === undefined) return { from: start, to: end, length: change.text.length };
  // Offsets at or after the stretch's end in the current text are `delta` past the record's.
  const delta = stretch.length - (stretch.to - stretch.from);
  const from = Math.min(stretch.from, start);
  const to = Math.max(stretch.to, end - delta);
  // The current text's [from, to + delta) covers both, and becomes that minus what the edit took out plus what it put in.
  return { from, to, length: to + delta - from - change.length + change.text.length };
}

const WHITESPACE_ONLY = /^[ \t\n\r]*$/;

/**
 * From this length on, a document's tokens are kept for its next full parse: 0.3 ms of scanning
 * saved on a keystroke that breaks or mends the JSON of a 131,072-character policy, for two
 * records of about 10 bytes a token. Under it, a full parse takes a few hundredths of a millisecond.
 */
const RECORD_TOKENS_FROM = 16_384;

export class IncrementalParser {
  private readonly entries = new Map<string, Entry>();
  /** How many parses were patches rather than full parses (for tests and the benchmark). */
  patched = 0;
  full = 0;
  /** How many full parses read tokens of the previous one again instead of scanning all. */
  replayed = 0;
  /** How many broken documents got their last valid tree back, patched or as it was. */
  restored = 0;
  /** From this length on, a document's tokens are kept for its next full parse (see TokenReplay). */
  private readonly recordFrom: number;

  constructor(options: { recordTokensFrom?: number } = {}) {
    this.recordFrom = options.recordTokensFrom ?? RECORD_TOKENS_FROM;
  }
  /** Numbers the edits, for Node.revision: a node's number tells a statement cache it changed. */
  private revisions = 0;

  /**
   * The parse of `text`, the content of document `key` after `changes` (in order) were
   * applied to the text given last time; 'full' when they are unknown.
   */
  parse(key: string, text: string, changes: readonly TextChange[] | 'full'): ParsedJson {
    const entry = this.entries.get(key);
    let tokens = entry?.tokens;
    let valid = entry?.valid;
    if (entry !== undefined && changes !== 'full' && (changes.length > 0 || entry.text === text)) {
      if (changes.length === 0) return entry.parsed;
      if (tokens !== undefined) for (const change of changes) tokens.edited = mergeEdit(tokens.edited, change);
      const wasValid = entry.parsed.problems.length === 0 && entry.parsed.root !== undefined;
      const before = { text: entry.text, parsed: entry.parsed };
      const patched = tryPatch(entry, changes, () => ++this.revisions);
      if (patched && entry.text.length === text.length) {
        entry.text = text;
        entry.valid = undefined;
        this.patched++;
        return entry.parsed;
      }
      if (wasValid) {
        // This edit broke it. A single edit that patchOne refused left the tree untouched.
        valid = !patched && changes.length === 1 ? { ...before, edited: mergeEdit(undefined, changes[0]) } : undefined;
      } else if (valid !== undefined) {
        for (const change of changes) valid.edited = mergeEdit(valid.edited, change);
        const restored = this.restore(valid, text);
        if (restored !== undefined) {
          this.entries.set(key, { text, parsed: restored, tokens });
          this.restored++;
          return restored;
        }
      }
    } else {
      tokens = undefined;
      valid = undefined;
    }
    // Tokens are kept for a document being edited (changes given, not the whole text), since
    // only the next edit's parse reads them: the first parse of a document just opened, often
    // never edited, records nothing (0.65 -> 0.59 ms for a 131,072-character policy), nor does
    // a parse of a whole text, which resets them; the first edit that cannot be patched then
    // scans it all, and records.
    if (text.length < this.recordFrom || entry === undefined || changes === 'full') {
      const parsed = parseJson(text);
      this.entries.set(key, { text, parsed, ...(parsed.problems.length > 0 && valid !== undefined ? { valid } : {}) });
      this.full++;
      return parsed;
    }
    // Read back the tokens the edits did not reach, if the record is of the text they were made to.
    const edited = tokens?.edited;
    const replay =
      tokens !== undefined && edited !== undefined && tokens.record.textLength + edited.length - (edited.to - edited.from) === text.length
        ? new TokenReplay(tokens.record, edited.from, edited.to, edited.length)
        : undefined;
    const record = tokens?.spare ?? new TokenRecord();
    const parsed = parseJson(text, { replay, record });
    this.entries.set(key, {
      text,
      parsed,
      tokens: { record, spare: tokens?.record ?? new TokenRecord(), edited: undefined },
      ...(parsed.problems.length > 0 && valid !== undefined ? { valid } : {}),
    });
    this.full++;
    if (replay !== undefined) this.replayed++;
    return parsed;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /**
   * The last valid tree, if the edits since it amount to nothing (an undo) or to one edit that
   * patchOne takes (inside a string, or white space): the text is then that tree's text so
   * edited, by how the stretch was merged.
   */
  private restore(valid: NonNullable<Entry['valid']>, text: string): ParsedJson | undefined {
    const { from, to, length } = valid.edited;
    if (valid.text.length + length - (to - from) !== text.length || to - from > RESTORE_LIMIT || length > RESTORE_LIMIT) return undefined;
    const now = text.slice(from, from + length);
    if (now === valid.text.slice(from, to)) return valid.parsed;
    if (!patchOne(valid.parsed, valid.text, { offset: from, length: to - from, text: now }, ++this.revisions)) return undefined;
    return valid.parsed;
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
