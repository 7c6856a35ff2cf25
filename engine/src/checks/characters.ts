/**
 * PolicyDocument must match `[\u0009\u000A\u000D\u0020-\u00FF]+`. Every maximal run of
 * other characters is one finding that names its code points (an astral character, such as
 * an emoji, is one code point, not two halves).
 */
import type { Analysis } from '../analyze';
import { mergeAdjacent, type Fix, type FixContext, type TextEdit } from '../edits';
import { finding, type Finding, type Report } from '../findings';
import { DOUBLE_QUOTES, SINGLE_QUOTES, type Node } from '../json';
import { DISALLOWED_CHARACTERS } from '../limits';
import { describeCharacter } from '../names';
import { keepingTheParse, rangeAround } from '../safeEdits';
import { detached } from '../strings';

/** The rest of a run from a given place (sticky). */
const RUN_FROM = new RegExp(DISALLOWED_CHARACTERS.source, 'uy');

const ACCEPTED = 'IAM allows only tab, line feed, carriage return and U+0020 to U+00FF';

/**
 * Messages by run. Pasted text repeats the same few characters (a thousand curly quotes is
 * one message a thousand times), and this check runs on every keystroke.
 */
const messages = new Map<string, string>();

/**
 * The runs in `text`, or only those that start within [from, to] (a run starting there is
 * followed to its end).
 */
export function checkCharacters(text: string, from = 0, to = text.length): Report[] {
  const findings: Report[] = [];
  // Search only [from, to] (a whole-document search from `from` would run to the end of the
  // text on every keystroke), then follow a run that reaches `to` past it.
  const whole = from === 0 && to >= text.length;
  const region = whole ? text : text.slice(from, Math.min(text.length, to + 1));
  DISALLOWED_CHARACTERS.lastIndex = 0;
  for (let match = DISALLOWED_CHARACTERS.exec(region); match !== null; match = DISALLOWED_CHARACTERS.exec(region)) {
    let run = match[0];
    const index = match.index + from;
    if (!whole && match.index + run.length === region.length && index + run.length < text.length) {
      RUN_FROM.lastIndex = index + run.length;
      const rest = RUN_FROM.exec(text);
      if (rest !== null) run += rest[0];
    }
    let message = messages.get(run);
    if (message === undefined) {
      if (messages.size >= 512) messages.clear();
      const key = detached(run);
      message = describeRun(key);
      messages.set(key, message);
    }
    findings.push(finding('disallowed-character', message, index, run.length));
  }
  return findings;
}

function describeRun(run: string): string {
  const characters = Array.from(run);
  const distinct = [...new Set(characters)];
  const shown = distinct.slice(0, 3).map(describeCharacter).join(', ');
  const rest = distinct.length > 3 ? ` and ${distinct.length - 3} other kinds` : '';
  if (characters.length === 1) {
    return `Disallowed character ${shown}: ${ACCEPTED}.`;
  }
  return `${characters.length} disallowed characters: ${shown}${rest}. ${ACCEPTED}.`;
}

// ---------------------------------------------------------------------------------------
// Fixes

/** Characters with an ASCII equivalent; double quotes depend on where they stand. */
const EQUIVALENTS = new Map<number, string>([
  // primes and angle quotes (the curly quotes are handled apart, by where they stand)
  [0x2032, "'"],
  [0x2035, "'"],
  [0x2039, "'"],
  [0x203a, "'"],
  [0x2033, '"'],
  [0x2036, '"'],
  // dashes and minus signs
  [0x2010, '-'],
  [0x2011, '-'],
  [0x2012, '-'],
  [0x2013, '-'],
  [0x2014, '-'],
  [0x2015, '-'],
  [0x2212, '-'],
  [0xfe58, '-'],
  [0xfe63, '-'],
  // ellipsis, bullets used as separators
  [0x2026, '...'],
  [0x2024, '.'],
  [0x2025, '..'],
  // spaces
  [0x2000, ' '],
  [0x2001, ' '],
  [0x2002, ' '],
  [0x2003, ' '],
  [0x2004, ' '],
  [0x2005, ' '],
  [0x2006, ' '],
  [0x2007, ' '],
  [0x2008, ' '],
  [0x2009, ' '],
  [0x200a, ' '],
  [0x202f, ' '],
  [0x205f, ' '],
  [0x3000, ' '],
  [0x1680, ' '],
  // fraction slash, division slash
  [0x2044, '/'],
  [0x2215, '/'],
]);

const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0xff0d]);

/** Invisible characters that carry nothing: removed. Line separators are handled apart. */
const REMOVABLE = new Set([0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0xfeff, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

interface CharacterContext {
  /** Sorted [start, end) ranges of the insides of closed string tokens. */
  strings: Array<[number, number]>;
  /** Offsets of the quotes that open or close a string token, whatever the quote. */
  delimiters: Set<number>;
}

/**
 * The ASCII replacement for one character, or undefined when it has none. A typographic
 * quote (U+201C, U+201D) that opens or closes a string becomes ", one inside a string
 * becomes \" or ', so the JSON stays what the author meant.
 */
function replacementFor(char: string, offset: number, context: CharacterContext, text: string): string | undefined {
  const code = char.codePointAt(0)!;
  if (DOUBLE_QUOTES.has(code) || SINGLE_QUOTES.has(code)) {
    const inside = context.delimiters.has(offset) ? undefined : rangeAround(context.strings, offset);
    if (inside === undefined) return '"';
    // `"Version”: "2012-10-17"` reads as one string, `"Version”: "`, which the typographic
    // quote was meant to close: only white space and the colon (or comma) follow it there.
    if (DOUBLE_QUOTES.has(code) && /^[ \t]*[:,][ \t]*$/.test(text.slice(offset + char.length, inside[1]))) return '"';
    return DOUBLE_QUOTES.has(code) ? '\\"' : "'";
  }
  // Outside strings a dash is only a minus sign: before a digit.
  if (DASHES.has(code) && !insideString(offset, context) && !/[0-9]/.test(text.charAt(offset + char.length))) return undefined;
  const equivalent = EQUIVALENTS.get(code);
  if (equivalent !== undefined) return equivalent;
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  if (REMOVABLE.has(code) || code < 0x20) return '';
  if (code === 0x2028 || code === 0x2029) return insideString(offset, context) ? ' ' : '\n';
  return undefined;
}

function insideString(offset: number, context: CharacterContext): boolean {
  return rangeAround(context.strings, offset) !== undefined;
}

function characterContext(text: string, analysis: Analysis): CharacterContext {
  const strings: Array<[number, number]> = [];
  const delimiters = new Set<number>();
  const pending: Node[] = analysis.parsed.root === undefined ? [] : [analysis.parsed.root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.type === 'string') {
      const last = node.offset + node.length - 1;
      delimiters.add(node.offset);
      const closed = last > node.offset && isQuote(text.charCodeAt(last));
      // In a string left open, a typographic quote is most likely its intended end: it is
      // then not "inside" (and becomes a plain quote), which a fix one quote at a time needs.
      if (closed) {
        delimiters.add(last);
        strings.push([node.offset + 1, last]);
      }
    } else if (node.children !== undefined) {
      for (const child of node.children) pending.push(child);
    }
  }
  return { strings: strings.sort((a, b) => a[0] - b[0]), delimiters };
}

function isQuote(code: number): boolean {
  return DOUBLE_QUOTES.has(code) || SINGLE_QUOTES.has(code);
}

/** Edits for every disallowed character that has a replacement; counts those that have none. */
function characterEdits(text: string, context: CharacterContext, onlyRun?: Report): { edits: TextEdit[]; unfixable: number } {
  const edits: TextEdit[] = [];
  let unfixable = 0;
  const start = onlyRun?.offset ?? 0;
  const end = onlyRun === undefined ? text.length : onlyRun.offset + onlyRun.length;
  const pattern = new RegExp(DISALLOWED_CHARACTERS.source, 'gu');
  pattern.lastIndex = start;
  for (let match = pattern.exec(text); match !== null && match.index < end; match = pattern.exec(text)) {
    let offset = match.index;
    for (const char of match[0]) {
      const replacement = replacementFor(char, offset, context, text);
      if (replacement === undefined) unfixable++;
      else edits.push({ offset, length: char.length, newText: replacement });
      offset += char.length;
    }
  }
  return { edits: mergeAdjacent(edits), unfixable };
}

/** Replace (or remove) one run; and, when there are others, all of them at once. */
export function characterFixes(item: Finding, { text, analysis }: FixContext): Fix[] {
  const context = characterContext(text, analysis);
  const run = text.slice(item.offset, item.offset + item.length);
  const { edits, unfixable } = characterEdits(text, context, item);
  const fixes: Fix[] = [];
  if (unfixable === 0 && edits.length > 0) {
    const replaced = edits.map((edit) => edit.newText).join('');
    const chars = Array.from(run);
    fixes.push({
      title:
        replaced === ''
          ? `Remove ${chars.length === 1 ? describeCharacter(chars[0]) : `${chars.length} invisible characters`}`
          : chars.length === 1
            ? `Replace ${describeCharacter(chars[0])} with ${replaced}`
            : `Replace ${chars.length} characters with ${JSON.stringify(replaced)}`,
      edits,
      isPreferred: true,
    });
  } else {
    const count = Array.from(run).length;
    fixes.push({
      title: `Remove ${count === 1 ? describeCharacter(run) : `these ${count} characters`} (no ASCII equivalent)`,
      edits: [{ offset: item.offset, length: item.length, newText: '' }],
    });
  }
  const all = analysis.findings.filter((other) => other.code === 'disallowed-character');
  if (all.length > 1) {
    const everything = keepingTheParse(text, analysis.parsed, characterEdits(text, context).edits);
    if (everything.length > 0) {
      fixes.push({ title: 'Fix all disallowed characters with ASCII equivalents', edits: everything });
    }
  }
  return fixes;
}

/** Every character that has an ASCII equivalent or is invisible; the others stay. */
export function characterFixAll(_items: readonly Finding[], { text, analysis }: FixContext): TextEdit[] {
  return characterEdits(text, characterContext(text, analysis)).edits;
}
