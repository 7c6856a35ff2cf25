/**
 * A strict JSON parser built for checking IAM policies on every keystroke.
 *
 * Why not jsonc-parser's `parseTree` directly: it is recursive (it overflows the stack at
 * about 10,000 levels of nesting) and takes ~1 ms on a 131,072-character policy, which is
 * twice the whole budget of a keystroke. This parser is iterative, matches strings and
 * numbers with sticky regular expressions (the regex engine does the per-character work),
 * and reports what IAM cares about that JSON.parse cannot: comments, trailing commas and
 * duplicate keys, each with its exact place, while still recovering from errors so the
 * rest of the document is checked.
 *
 * The tree uses jsonc-parser's `Node` shape, so jsonc-parser's helpers (findNodeAtOffset,
 * getNodePath, getNodeValue) work on it.
 */
import type { NodeType } from 'jsonc-parser';

/**
 * A node of the tree: the same shape as jsonc-parser's `Node` (so its helpers accept it),
 * mutable while the parser builds it.
 */
export interface Node {
  type: NodeType;
  offset: number;
  length: number;
  value?: string | number | boolean | null;
  colonOffset?: number;
  parent?: Node;
  children?: Node[];
  /**
   * Set by the incremental parser on the nodes an edit changed (a new number each edit), so
   * results kept per node can tell whether they still hold.
   */
  revision?: number;
}

export type JsonProblemKind = 'syntax' | 'comment' | 'trailing-comma' | 'duplicate-key';

export interface JsonProblem {
  kind: JsonProblemKind;
  message: string;
  offset: number;
  length: number;
  /** For a duplicate key: where the same key first appears. */
  firstOffset?: number;
  firstLength?: number;
}

export interface ParsedJson {
  /** The root value, undefined when the document holds no value at all. */
  root: Node | undefined;
  problems: JsonProblem[];
  /** Greatest depth of nested objects and arrays. */
  depth: number;
}

// Token kinds.
const enum T {
  EOF,
  OpenBrace,
  CloseBrace,
  OpenBracket,
  CloseBracket,
  Colon,
  Comma,
  String,
  Number,
  True,
  False,
  Null,
  Comment,
  Invalid,
}

// A complete, well-formed string: the fast path. Unrolled so the engine loops natively.
const PLAIN_STRING = /"[^"\\\u0000-\u001f]*"/y;
const STRING = /"[^"\\\u0000-\u001f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\u0000-\u001f]*)*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WHITESPACE = /[ \t\n\r]+/y;
// What ends a bare word (an invalid symbol or a literal).
const WORD = /[^\s{}[\]:,"'/\u2018-\u201f\uff02]+/y;

interface Frame {
  node: Node;
  /** For objects: the property being built. */
  property: Node | undefined;
  /** What the parser expects next in this container. */
  expect: Expect;
  /**
   * For objects with many properties: keys seen so far, with the key node of their first use.
   * Small objects (most of a policy) are searched through their children instead: a Map per
   * object was a good part of what a parse allocates.
   */
  keys: Map<string, Node> | undefined;
  /**
   * Offset of the comma just read, for the trailing-comma report; -1 once anything else came
   * after it (or when the parser only supposed a missing comma): a closer is then no trailing
   * comma, and no offset outside the text can be reported.
   */
  lastComma: number;
}

const enum Expect {
  /** Just after `{` or `[`: a first member or the end. */
  FirstOrEnd,
  /** After a comma: a member (the end here is a trailing comma). */
  Member,
  /** Object only: after a key. */
  Colon,
  /** Object only: after a colon. */
  Value,
  /** After a member: a comma or the end. */
  CommaOrEnd,
}

/** A token's flags as the scanner left them (see Scanner.plain and the quotes fields). */
const PLAIN = 1;
const FOREIGN_QUOTES = 2;
const FOREIGN_CLOSED = 4;

/**
 * The tokens a parse read, in order, with everything the parser took from the scanner for
 * each: kind, place, flags, the scan error and the no-break spaces skipped before it. Written
 * into arrays that are kept and reused from parse to parse (a large policy has 30,000 tokens).
 */
export class TokenRecord {
  count = 0;
  /** The length of the text the tokens were read from. */
  textLength = 0;
  kinds = new Uint8Array(0);
  flags = new Uint8Array(0);
  starts = new Int32Array(0);
  ends = new Int32Array(0);
  /** The rare extras, by token index. */
  errors = new Map<number, { message: string; offset: number; length: number }>();
  spaces = new Map<number, number[]>();

  reset(textLength: number): void {
    this.count = 0;
    this.textLength = textLength;
    this.errors.clear();
    this.spaces.clear();
    const expected = (textLength >> 2) + 16;
    if (this.kinds.length < expected) this.grow(expected);
  }

  push(scanner: Scanner, spacesBefore: number): void {
    const index = this.count;
    if (index === this.kinds.length) this.grow(index * 2 + 16);
    this.kinds[index] = scanner.kind;
    this.flags[index] = (scanner.plain ? PLAIN : 0) | (scanner.foreignQuotes ? FOREIGN_QUOTES : 0) | (scanner.foreignClosed ? FOREIGN_CLOSED : 0);
    this.starts[index] = scanner.start;
    this.ends[index] = scanner.end;
    if (scanner.error !== undefined) this.errors.set(index, { message: scanner.error, offset: scanner.errorOffset, length: scanner.errorLength });
    if (scanner.noBreakSpaces.length > spacesBefore) this.spaces.set(index, scanner.noBreakSpaces.slice(spacesBefore));
    this.count = index + 1;
  }

  private grow(size: number): void {
    const kinds = new Uint8Array(size);
    const flags = new Uint8Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    kinds.set(this.kinds.subarray(0, this.count));
    flags.set(this.flags.subarray(0, this.count));
    starts.set(this.starts.subarray(0, this.count));
    ends.set(this.ends.subarray(0, this.count));
    this.kinds = kinds;
    this.flags = flags;
    this.starts = starts;
    this.ends = ends;
  }
}

/**
 * The tokens of a text read again after an edit, instead of scanned. The scanner reads forward
 * only, from where the last token ended, so a token of the old text that the edit does not
 * reach is the same token in the new one (moved by the edit's change in length). Those before
 * the edit are taken as they were, up to the last that ends before it (the character after a
 * token is read to end a number or a word); from there the text is scanned until a token ends
 * where one ended in the old text, after the edit; from there on the old tokens are taken
 * again, moved. The parser does its work on every token as always, so the tree and the
 * problems are exactly a fresh parse's, without most of the scanning. It is for the edits
 * that cannot be patched into the old tree: a keystroke that breaks the JSON of a large
 * policy changes how all the rest of it parses.
 *
 * The edit is the stretch [from, to) of the old text (the record's) that became `length`
 * characters: several edits since the record are one stretch that covers them all.
 */
export class TokenReplay {
  /**
   * Where the next token comes from: 0 the old tokens before the edit, 1 the text (looking for
   * an old token's end to pick up from), 2 the old tokens after the edit, 3 the text to the end.
   */
  private phase: 0 | 1 | 2 | 3;
  /** The next old token to take (phases 0 and 2), or to look at for an end (phase 1). */
  private index = 0;
  /** How many old tokens end before the edit. */
  private readonly before: number;
  private readonly delta: number;

  constructor(
    private readonly old: TokenRecord,
    from: number,
    private readonly to: number,
    length: number,
  ) {
    this.delta = length - (to - from);
    // The old tokens that end before `from`: their ends are in order.
    let low = 0;
    let high = old.count;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (old.ends[middle] < from) low = middle + 1;
      else high = middle;
    }
    this.before = low;
    this.phase = low === 0 ? 1 : 0;
  }

  /** Puts the next old token into the scanner if it comes from the old tokens; false: scan it. */
  take(scanner: Scanner): boolean {
    const phase = this.phase;
    if (phase === 1 || phase === 3) return false;
    const old = this.old;
    const index = this.index;
    if (phase === 2 && index >= old.count) {
      // The old parse stopped before the end of its text (text after the root): scan the rest.
      this.phase = 3;
      return false;
    }
    const shift = phase === 0 ? 0 : this.delta;
    const flags = old.flags[index];
    scanner.kind = old.kinds[index] as T;
    scanner.start = old.starts[index] + shift;
    scanner.end = old.ends[index] + shift;
    scanner.plain = (flags & PLAIN) !== 0;
    scanner.foreignQuotes = (flags & FOREIGN_QUOTES) !== 0;
    scanner.foreignClosed = (flags & FOREIGN_CLOSED) !== 0;
    const error = old.errors.size > 0 ? old.errors.get(index) : undefined;
    if (error === undefined) {
      scanner.error = undefined;
    } else {
      scanner.error = error.message;
      scanner.errorOffset = error.offset + shift;
      scanner.errorLength = error.length;
    }
    const spaces = old.spaces.size > 0 ? old.spaces.get(index) : undefined;
    if (spaces !== undefined) for (const offset of spaces) scanner.noBreakSpaces.push(offset + shift);
    this.index = index + 1;
    if (phase === 0 && this.index === this.before) this.phase = 1;
    return true;
  }

  /**
   * A token was scanned and ended at `end` (in the new text). If an old token ended at the same
   * place after the edit, the old tokens hold from there on. False once nothing is left to take.
   */
  scanned(end: number): boolean {
    if (this.phase !== 1) return this.phase !== 3;
    const at = end - this.delta;
    if (at < this.to) return true;
    const old = this.old;
    let index = Math.max(this.index, this.before);
    while (index < old.count && old.ends[index] < at) index++;
    if (index >= old.count) {
      this.phase = 3;
      return false;
    }
    if (old.ends[index] === at) {
      this.phase = 2;
      this.index = index + 1;
    } else {
      this.index = index;
    }
    return true;
  }
}

class Scanner {
  kind: T = T.EOF;
  start = 0;
  end = 0;
  /** A problem found while scanning the current token (bad string, bad number...). */
  error: string | undefined;
  errorOffset = 0;
  errorLength = 0;
  /** The current string token has quotes other than JSON's (see scanForeignString). */
  foreignQuotes = false;
  /** The current string token is complete and has no escape. */
  plain = false;
  foreignClosed = false;
  /** Offsets of no-break spaces skipped between tokens since the caller last emptied this. */
  readonly noBreakSpaces: number[] = [];

  constructor(
    private readonly text: string,
    /** Tokens of the text before an edit, read back where the edit did not reach (see TokenReplay). */
    private replay?: TokenReplay,
    /** Where the tokens read are written down, for the next edit's parse. */
    private readonly record?: TokenRecord,
  ) {}

  next(): T {
    if (this.replay === undefined && this.record === undefined) return this.scan();
    const spacesBefore = this.noBreakSpaces.length;
    let kind: T;
    if (this.replay !== undefined && this.replay.take(this)) {
      kind = this.kind;
    } else {
      kind = this.scan();
      if (this.replay !== undefined && !this.replay.scanned(this.end)) this.replay = undefined;
    }
    this.record?.push(this, spacesBefore);
    return kind;
  }

  /** Reads the next token from the text. */
  private scan(): T {
    const text = this.text;
    let pos = this.end;
    let code = text.charCodeAt(pos);
    for (;;) {
      if (code === 32 || code === 10 || code === 13 || code === 9) {
        WHITESPACE.lastIndex = pos;
        WHITESPACE.test(text);
        pos = WHITESPACE.lastIndex;
        code = text.charCodeAt(pos);
      } else if (code === 0xa0) {
        // In IAM's set but not JSON white space: a syntax error, yet no reason to lose the
        // thread of the document over it.
        this.noBreakSpaces.push(pos);
        code = text.charCodeAt(++pos);
      } else if (code > 0xff && isForeignSpace(code)) {
        // Not JSON white space, but outside IAM's character set too: the character check
        // reports it (with a fix), so reporting a syntax error as well would only be noise.
        code = text.charCodeAt(++pos);
      } else {
        break;
      }
    }
    this.start = pos;
    this.error = undefined;
    if (pos >= text.length) {
      this.end = pos;
      return (this.kind = T.EOF);
    }
    switch (code) {
      case 0x7b:
        this.end = pos + 1;
        return (this.kind = T.OpenBrace);
      case 0x7d:
        this.end = pos + 1;
        return (this.kind = T.CloseBrace);
      case 0x5b:
        this.end = pos + 1;
        return (this.kind = T.OpenBracket);
      case 0x5d:
        this.end = pos + 1;
        return (this.kind = T.CloseBracket);
      case 0x3a:
        this.end = pos + 1;
        return (this.kind = T.Colon);
      case 0x2c:
        this.end = pos + 1;
        return (this.kind = T.Comma);
      case 0x22:
        this.foreignQuotes = false;
        // Most strings have no escape: then the value is the text between the quotes.
        PLAIN_STRING.lastIndex = pos;
        if (PLAIN_STRING.test(text)) {
          this.end = PLAIN_STRING.lastIndex;
          this.plain = true;
          return (this.kind = T.String);
        }
        this.plain = false;
        STRING.lastIndex = pos;
        if (STRING.test(text)) {
          this.end = STRING.lastIndex;
        } else {
          this.scanBadString(pos);
        }
        return (this.kind = T.String);
      case 0x27:
      case 0x2018:
      case 0x2019:
      case 0x201a:
      case 0x201b:
      case 0x201c:
      case 0x201d:
      case 0x201e:
      case 0x201f:
      case 0xff02:
        return this.scanForeignString(pos, code);
      case 0x2f:
        return this.scanComment(pos);
      case 0x74:
      case 0x66:
      case 0x6e: {
        WORD.lastIndex = pos;
        WORD.test(text);
        this.end = WORD.lastIndex;
        const word = text.slice(pos, this.end);
        if (word === 'true') return (this.kind = T.True);
        if (word === 'false') return (this.kind = T.False);
        if (word === 'null') return (this.kind = T.Null);
        return (this.kind = T.Invalid);
      }
      default:
        if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
          NUMBER.lastIndex = pos;
          const matched = NUMBER.test(text);
          WORD.lastIndex = pos;
          WORD.test(text);
          this.end = WORD.lastIndex;
          if (!matched || NUMBER.lastIndex !== this.end) {
            this.error = 'Invalid number: JSON numbers look like 12, -3, 0.5 or 1e3.';
            this.errorOffset = pos;
            this.errorLength = this.end - pos;
          }
          return (this.kind = T.Number);
        }
        WORD.lastIndex = pos;
        if (WORD.test(text)) {
          this.end = WORD.lastIndex;
        } else {
          // A lone character that WORD excludes but nothing above handles (white space
          // outside JSON's four, such as a no-break space): one character at a time.
          this.end = pos + (code >= 0xd800 && code <= 0xdbff ? 2 : 1);
        }
        return (this.kind = T.Invalid);
    }
  }

  /**
   * A string between quotes JSON does not have: 'single' quotes, or typographic quotes
   * (U+201C, U+201D) pasted from a document. Read as a string so one mistake does not cascade
   * through the rest of the document. Typographic quotes are outside IAM's character set, so the
   * character check reports them (with a fix); single quotes are reported here.
   */
  private scanForeignString(start: number, opener: number): T {
    const text = this.text;
    const closers = SINGLE_QUOTES.has(opener) ? SINGLE_QUOTES : DOUBLE_QUOTES;
    let pos = start + 1;
    let closed = false;
    while (pos < text.length) {
      const code = text.charCodeAt(pos);
      if (code === 0x0a || code === 0x0d) break;
      if (code === 0x5c) {
        pos += 2;
        continue;
      }
      pos++;
      if (closers.has(code)) {
        closed = true;
        break;
      }
    }
    this.end = Math.min(pos, text.length);
    this.foreignQuotes = true;
    this.plain = false;
    this.foreignClosed = closed;
    if (opener === 0x27) {
      this.setError("Strings need double quotes (\"): JSON has no 'single-quoted' strings.", start, this.end - start);
    } else if (!closed) {
      this.setError('Unterminated string: a closing quote (") is missing.', start, this.end - start);
    }
    return (this.kind = T.String);
  }

  /** A string that the fast pattern rejected: find where it ends and what is wrong. */
  private scanBadString(start: number): void {
    const text = this.text;
    let pos = start + 1;
    for (;;) {
      if (pos >= text.length) {
        this.setError('Unterminated string: a closing quote (") is missing.', start, pos - start);
        break;
      }
      const code = text.charCodeAt(pos);
      if (code === 0x22) {
        pos++;
        break;
      }
      if (code === 0x5c) {
        const escape = text.charCodeAt(pos + 1);
        if (escape === 0x75) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
            this.setError('Invalid Unicode escape: \\u must be followed by four hexadecimal digits.', pos, 2);
          }
          pos += 2;
          continue;
        }
        if ('"\\/bfnrt'.indexOf(text.charAt(pos + 1)) < 0 || pos + 1 >= text.length) {
          this.setError(`Invalid escape in string: JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX.`, pos, Math.min(2, text.length - pos));
        }
        pos += 2;
        continue;
      }
      if (code === 0x0a || code === 0x0d) {
        this.setError('Unterminated string: a string cannot span lines; the closing quote (") is missing.', start, pos - start);
        break;
      }
      if (code < 0x20) {
        this.setError('Control character in string: write it as an escape such as \\t or \\n.', pos, 1);
      }
      pos++;
    }
    this.end = pos;
  }

  private setError(message: string, offset: number, length: number): void {
    if (this.error === undefined) {
      this.error = message;
      this.errorOffset = offset;
      this.errorLength = length;
    }
  }

  private scanComment(start: number): T {
    const text = this.text;
    const second = text.charCodeAt(start + 1);
    if (second === 0x2f) {
      let end = start + 2;
      while (end < text.length) {
        const code = text.charCodeAt(end);
        if (code === 0x0a || code === 0x0d) break;
        end++;
      }
      this.end = end;
      return (this.kind = T.Comment);
    }
    if (second === 0x2a) {
      const close = text.indexOf('*/', start + 2);
      if (close < 0) {
        this.end = text.length;
        this.setError('Unterminated comment: */ is missing.', start, text.length - start);
      } else {
        this.end = close + 2;
      }
      return (this.kind = T.Comment);
    }
    this.end = start + 1;
    return (this.kind = T.Invalid);
  }
}

/** Parses JSON text into a jsonc-parser style tree, reporting every problem IAM would reject. */
export function parseJson(text: string, tokens?: { replay?: TokenReplay; record?: TokenRecord }): ParsedJson {
  const problems: JsonProblem[] = [];
  tokens?.record?.reset(text.length);
  const scanner = new Scanner(text, tokens?.replay, tokens?.record);
  const stack: Frame[] = [];
  let root: Node | undefined;
  let depth = 0;
  let rootDone = false;
  let rootReported = false;

  const report = (kind: JsonProblemKind, message: string, offset: number, length: number): void => {
    problems.push({ kind, message, offset, length });
  };

  /** Reads the next token that is not a comment, reporting comments and scan errors. */
  const next = (): T => {
    for (;;) {
      const kind = scanner.next();
      if (scanner.noBreakSpaces.length > 0) {
        for (const offset of scanner.noBreakSpaces) {
          report('syntax', 'No-break space (U+00A0) between tokens: JSON allows only space, tab, line feed and carriage return there.', offset, 1);
        }
        scanner.noBreakSpaces.length = 0;
      }
      if (scanner.error !== undefined) {
        report('syntax', scanner.error, scanner.errorOffset, scanner.errorLength);
      }
      if (kind !== T.Comment) return kind;
      report('comment', 'Comments are not allowed: IAM accepts strict JSON only.', scanner.start, scanner.end - scanner.start);
    }
  };

  const leaf = (kind: T, parent: Node | undefined): Node => {
    const offset = scanner.start;
    const length = scanner.end - offset;
    switch (kind) {
      case T.String: {
        if (scanner.plain && !scanner.foreignQuotes) {
          return { type: 'string', offset, length, parent, value: text.slice(offset + 1, offset + length - 1) };
        }
        const raw = text.slice(offset, offset + length);
        const value = scanner.foreignQuotes ? raw.slice(1, scanner.foreignClosed ? -1 : undefined) : decodeString(raw);
        return { type: 'string', offset, length, parent, value };
      }
      case T.Number:
        return { type: 'number', offset, length, parent, value: Number(text.slice(offset, offset + length)) };
      case T.True:
        return { type: 'boolean', offset, length, parent, value: true };
      case T.False:
        return { type: 'boolean', offset, length, parent, value: false };
      default:
        return { type: 'null', offset, length, parent, value: null };
    }
  };

  /** Attaches a finished value to the container on top of the stack (or makes it the root). */
  const attach = (value: Node): void => {
    const frame = stack[stack.length - 1];
    if (frame === undefined) {
      root = value;
      rootDone = true;
      return;
    }
    if (frame.node.type === 'array') {
      frame.node.children!.push(value);
      frame.expect = Expect.CommaOrEnd;
    } else if (frame.property !== undefined) {
      frame.property.children!.push(value);
      frame.property.length = value.offset + value.length - frame.property.offset;
      frame.expect = Expect.CommaOrEnd;
    }
  };

  /** Closes the container on top of the stack at `end` (exclusive). */
  const close = (end: number): void => {
    const frame = stack.pop()!;
    frame.node.length = end - frame.node.offset;
    attach(frame.node);
  };

  const open = (type: 'object' | 'array', parent: Node | undefined): void => {
    const node: Node = { type, offset: scanner.start, length: 0, parent, children: [] };
    stack.push({
      node,
      property: undefined,
      expect: Expect.FirstOrEnd,
      keys: undefined,
      lastComma: -1,
    });
    if (stack.length > depth) depth = stack.length;
  };

  /** The node a new value belongs to: the open property of an object, or the array. */
  const parentForValue = (): Node | undefined => {
    const frame = stack[stack.length - 1];
    if (frame === undefined) return undefined;
    return frame.node.type === 'array' ? frame.node : frame.property;
  };

  let kind = next();
  while (kind !== T.EOF) {
    const frame = stack[stack.length - 1];

    if (frame === undefined) {
      if (rootDone) {
        // Where the text's trailing white space starts, found from the end: the regular
        // expression /[ \t\n\r]*$/ tries every offset, 0.65 ms on a 131,072-character policy.
        let end = text.length;
        while (end > 0 && isJsonWhitespace(text.charCodeAt(end - 1))) end--;
        report('syntax', 'End of file expected: a policy is one JSON object; more text follows it.', scanner.start, Math.max(1, end - scanner.start));
        break;
      }
      // Expecting the root value.
      if (kind === T.OpenBrace) open('object', undefined);
      else if (kind === T.OpenBracket) open('array', undefined);
      else if (kind === T.String || kind === T.Number || kind === T.True || kind === T.False || kind === T.Null) attach(leaf(kind, undefined));
      else {
        // Not JSON at the top level: one error, then look for where an object or array starts.
        reportUnexpected(kind, 'Value expected: a policy is a JSON object');
        rootReported = true;
        do kind = next();
        while (kind !== T.EOF && kind !== T.OpenBrace && kind !== T.OpenBracket);
        continue;
      }
      kind = next();
      continue;
    }

    const isObject = frame.node.type === 'object';
    const closer = isObject ? T.CloseBrace : T.CloseBracket;

    if (kind === closer) {
      if (frame.expect === Expect.Member && frame.lastComma >= 0) {
        report('trailing-comma', 'Trailing comma: IAM accepts strict JSON only; remove the comma.', frame.lastComma, 1);
      } else if (frame.expect === Expect.Colon) {
        report('syntax', 'Colon expected after the property name.', scanner.start, 1);
        dropIncompleteProperty(frame);
      } else if (frame.expect === Expect.Value) {
        report('syntax', 'Value expected after the colon.', scanner.start, 1);
      }
      close(scanner.end);
      kind = next();
      continue;
    }

    if (kind === T.CloseBrace || kind === T.CloseBracket) {
      // The closer of an enclosing container (or a stray one).
      const target = findOpenContainer(kind === T.CloseBrace ? 'object' : 'array');
      report('syntax', isObject ? 'Closing brace } expected.' : 'Closing bracket ] expected.', scanner.start, 1);
      if (target < 0) {
        kind = next();
        continue;
      }
      while (stack.length - 1 > target) {
        const inner = stack[stack.length - 1];
        if (inner.expect === Expect.Colon) dropIncompleteProperty(inner);
        close(scanner.start);
      }
      continue; // the closer is handled again by its own container
    }

    switch (frame.expect) {
      case Expect.FirstOrEnd:
      case Expect.Member:
        if (isObject) {
          if (kind === T.String) {
            const key = leaf(kind, undefined);
            const property: Node = { type: 'property', offset: key.offset, length: key.length, parent: frame.node, children: [key], colonOffset: undefined };
            key.parent = property;
            frame.node.children!.push(property);
            frame.property = property;
            frame.expect = Expect.Colon;
            const name = key.value as string;
            const first = firstKey(frame, name);
            if (first === undefined) {
              frame.keys?.set(name, key);
            } else {
              problems.push({
                kind: 'duplicate-key',
                message: `Duplicate key ${JSON.stringify(name)}: IAM rejects an element given twice; merge the two into one.`,
                offset: key.offset,
                length: key.length,
                firstOffset: first.offset,
                firstLength: first.length,
              });
            }
          } else if (kind === T.Comma) {
            report('syntax', 'Property name expected before the comma.', scanner.start, 1);
            frame.lastComma = scanner.start;
            frame.expect = Expect.Member;
          } else if (kind === T.Invalid) {
            // `{ Version: ...}` or a key in curly quotes: report it, then read it as the key so
            // that one mistake gives one error rather than a cascade.
            reportUnexpected(kind, 'Property name expected: keys are strings in double quotes');
            const key: Node = {
              type: 'string',
              offset: scanner.start,
              length: scanner.end - scanner.start,
              parent: undefined,
              value: text.slice(scanner.start, scanner.end),
            };
            const property: Node = { type: 'property', offset: key.offset, length: key.length, parent: frame.node, children: [key], colonOffset: undefined };
            key.parent = property;
            frame.node.children!.push(property);
            frame.property = property;
            frame.expect = Expect.Colon;
          } else {
            reportUnexpected(kind, 'Property name expected: keys are strings in double quotes');
            skipValue(kind);
            frame.lastComma = -1;
          }
        } else if (kind === T.Comma) {
          report('syntax', 'Value expected before the comma.', scanner.start, 1);
          frame.lastComma = scanner.start;
          frame.expect = Expect.Member;
        } else {
          startValue(kind);
        }
        break;

      case Expect.Colon:
        if (kind === T.Colon) {
          frame.property!.colonOffset = scanner.start;
          frame.expect = Expect.Value;
        } else {
          report('syntax', 'Colon expected after the property name.', scanner.start, Math.max(1, scanner.end - scanner.start));
          if (kind === T.Comma) {
            frame.lastComma = scanner.start;
            frame.expect = Expect.Member;
            dropIncompleteProperty(frame);
          } else if (startsValue(kind)) {
            // `"Effect" "Allow"`: take it as the value.
            frame.expect = Expect.Value;
            continue;
          }
        }
        break;

      case Expect.Value:
        if (kind === T.Comma) {
          report('syntax', 'Value expected after the colon.', scanner.start, 1);
          frame.lastComma = scanner.start;
          frame.expect = Expect.Member;
        } else {
          startValue(kind);
        }
        break;

      case Expect.CommaOrEnd:
        if (kind === T.Comma) {
          frame.lastComma = scanner.start;
          frame.expect = Expect.Member;
          frame.property = undefined;
        } else {
          report('syntax', 'Comma expected between ' + (isObject ? 'properties.' : 'values.'), scanner.start, Math.max(1, scanner.end - scanner.start));
          // Carry on as if the comma were there (there is none to call trailing).
          frame.expect = Expect.Member;
          frame.lastComma = -1;
          frame.property = undefined;
          continue;
        }
        break;
    }
    kind = next();
  }

  if (stack.length > 0) {
    const end = text.length;
    const innermost = stack[stack.length - 1];
    report(
      'syntax',
      innermost.node.type === 'object' ? 'Closing brace } expected at the end of the document.' : 'Closing bracket ] expected at the end of the document.',
      Math.max(0, end - 1),
      end > 0 ? 1 : 0,
    );
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.expect === Expect.Colon) dropIncompleteProperty(frame);
      close(end);
    }
  } else if (root === undefined && !rootReported) {
    report('syntax', 'Value expected: a policy is a JSON object such as {"Version": "2012-10-17", "Statement": [...]}.', 0, 0);
  }

  return { root, problems, depth };

  function startValue(kind: T): void {
    const parent = parentForValue();
    if (kind === T.OpenBrace) open('object', parent);
    else if (kind === T.OpenBracket) open('array', parent);
    else if (kind === T.String || kind === T.Number || kind === T.True || kind === T.False || kind === T.Null) attach(leaf(kind, parent));
    else {
      reportUnexpected(kind, 'Value expected');
      const frame = stack[stack.length - 1];
      if (frame !== undefined) {
        // Something stands after the last comma: a closer now does not make it trailing.
        frame.lastComma = -1;
        // An unquoted or wrongly quoted word stands where the value was: take it as consumed.
        if (kind === T.Invalid) frame.expect = Expect.CommaOrEnd;
      }
    }
  }

  function reportUnexpected(kind: T, expected: string): void {
    const offset = scanner.start;
    const length = Math.max(1, scanner.end - offset);
    if (kind === T.Invalid) {
      const word = text.slice(offset, scanner.end);
      const hint = /^[A-Za-z_]/.test(word) ? ' (strings need double quotes)' : '';
      report('syntax', `${expected}; found ${JSON.stringify(word)}${hint}.`, offset, length);
    } else if (kind === T.Colon) {
      report('syntax', `${expected}; found a colon.`, offset, length);
    } else {
      report('syntax', `${expected}.`, offset, length);
    }
  }

  /** Skips a whole value in a place where none belongs, keeping nesting intact. */
  function skipValue(kind: T): void {
    if (kind !== T.OpenBrace && kind !== T.OpenBracket) return;
    let level = 0;
    for (let k: T = kind; k !== T.EOF; k = scanner.next()) {
      if (k === T.OpenBrace || k === T.OpenBracket) level++;
      else if (k === T.CloseBrace || k === T.CloseBracket) {
        level--;
        if (level === 0) return;
      }
    }
  }

  function findOpenContainer(type: 'object' | 'array'): number {
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i].node.type === type) return i;
    }
    return -1;
  }

  function dropIncompleteProperty(frame: Frame): void {
    const property = frame.property;
    if (property !== undefined && property.children!.length < 2) {
      frame.node.children!.pop();
      frame.property = undefined;
    }
  }
}

/** Characters that people (or word processors) use as quotes, by kind. */
export const DOUBLE_QUOTES: ReadonlySet<number> = new Set([0x22, 0x201c, 0x201d, 0x201e, 0x201f, 0xff02]);
export const SINGLE_QUOTES: ReadonlySet<number> = new Set([0x27, 0x2018, 0x2019, 0x201a, 0x201b]);

/** Space-like characters above U+00FF: the byte order mark, Unicode spaces, line separators. */
function isForeignSpace(code: number): boolean {
  return (
    code === 0xfeff ||
    (code >= 0x2000 && code <= 0x200b) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0x1680
  );
}

const SMALL_OBJECT = 16;

/** The key node of the first property named `name` of the object being built, if any. */
function firstKey(frame: Frame, name: string): Node | undefined {
  if (frame.keys !== undefined) return frame.keys.get(name);
  const properties = frame.node.children!;
  // The property just added (the last) is the one being checked.
  const count = properties.length - 1;
  for (let i = 0; i < count; i++) {
    const key = properties[i].children![0];
    if (key.value === name) return key;
  }
  if (count >= SMALL_OBJECT) {
    // Large from now on: index what is there (first uses only), then use the index.
    frame.keys = new Map();
    for (let i = count - 1; i >= 0; i--) {
      const key = properties[i].children![0];
      frame.keys.set(key.value as string, key);
    }
  }
  return undefined;
}

function startsValue(kind: T): boolean {
  return kind === T.OpenBrace || kind === T.OpenBracket || kind === T.String || kind === T.Number || kind === T.True || kind === T.False || kind === T.Null;
}

/** Length of the valid JSON string token at the start of `raw`, or -1. */
export function stringTokenLength(raw: string): number {
  STRING.lastIndex = 0;
  return STRING.test(raw) ? STRING.lastIndex : -1;
}

/** The value of a string token (with its quotes). Tolerates a bad or unterminated string. */
export function decodeStringToken(raw: string): string {
  return decodeString(raw);
}

function decodeString(raw: string): string {
  if (raw.indexOf('\\') < 0) {
    return raw.length >= 2 && raw.charCodeAt(raw.length - 1) === 0x22 ? raw.slice(1, -1) : raw.slice(1);
  }
  try {
    return JSON.parse(raw) as string;
  } catch {
    const body = raw.length >= 2 && raw.endsWith('"') && !raw.endsWith('\\"') ? raw.slice(1, -1) : raw.slice(1);
    return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escape: string) => {
      if (escape.length === 5) return String.fromCharCode(parseInt(escape.slice(1), 16));
      const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      return simple[escape] ?? escape;
    });
  }
}

/** The property of `object` named `name` (the last one, as JSON.parse would keep). */
export function findProperty(object: Node | undefined, name: string): Node | undefined {
  if (object === undefined || object.type !== 'object') return undefined;
  const children = object.children!;
  for (let i = children.length - 1; i >= 0; i--) {
    const key = children[i].children![0];
    if (key.value === name) return children[i];
  }
  return undefined;
}

/** The value node of a property node. */
export function propertyValue(property: Node | undefined): Node | undefined {
  return property?.children?.[1];
}

/**
 * The document without white space between tokens (string values unchanged), or undefined
 * when it has comments or syntax errors, where removing white space could change what the
 * text means.
 */
export function minify(text: string, parsed: ParsedJson = parseJson(text)): string | undefined {
  if (parsed.problems.some((problem) => problem.kind === 'syntax' || problem.kind === 'comment')) return undefined;
  const scanner = new Scanner(text);
  const parts: string[] = [];
  for (let kind = scanner.next(); kind !== T.EOF; kind = scanner.next()) {
    parts.push(text.slice(scanner.start, scanner.end));
  }
  return parts.join('');
}

/**
 * minifiedLength's answers by tree, which the incremental parser keeps right as it patches a
 * tree in place (see shiftMinifiedLength): a keystroke in a large policy then does not walk
 * its whole tree again for the size quota (0.06 ms of a keystroke at 131,072 characters).
 */
const minifiedLengths = new WeakMap<ParsedJson, number>();

/**
 * A string token of the tree grew by `delta` characters (the incremental parser patched it):
 * its minified length did too. White space edits leave it as it was.
 */
export function shiftMinifiedLength(parsed: ParsedJson, delta: number): void {
  const known = minifiedLengths.get(parsed);
  if (known !== undefined) minifiedLengths.set(parsed, known + delta);
}

/**
 * What `minify(text).length` would be, counted from the tree without building the text, or
 * undefined when minify would refuse. Cheap enough for every keystroke on a large document,
 * and remembered for the tree.
 */
export function minifiedLength(parsed: ParsedJson): number | undefined {
  const known = minifiedLengths.get(parsed);
  if (known !== undefined) return known;
  const length = countMinifiedLength(parsed);
  if (length !== undefined) minifiedLengths.set(parsed, length);
  return length;
}

function countMinifiedLength(parsed: ParsedJson): number | undefined {
  let trailingCommas = 0;
  for (const problem of parsed.problems) {
    if (problem.kind === 'syntax' || problem.kind === 'comment') return undefined;
    if (problem.kind === 'trailing-comma') trailingCommas++;
  }
  if (parsed.root === undefined) return 0;
  let length = trailingCommas;
  const pending: Node[] = [parsed.root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const children = node.children;
    if (children === undefined) {
      length += node.length;
    } else if (node.type === 'property') {
      length += 1; // the colon
      for (const child of children) pending.push(child);
    } else {
      length += 2 + Math.max(0, children.length - 1); // brackets and commas
      for (const child of children) pending.push(child);
    }
  }
  return length;
}

/** JSON's white space: space, tab, line feed, carriage return. */
function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}
