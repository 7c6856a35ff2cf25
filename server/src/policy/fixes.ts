/**
 * Edits that mend findings. Pure functions over text and analysis: the language server turns
 * them into code actions, the command-line linter applies them with --fix.
 */
import type { Analysis } from './analyze';
import type { Catalog } from './catalog';
import { grammarFixes } from './grammarFixes';
import { type Finding } from './findings';
import { DOUBLE_QUOTES, minify, parseJson, SINGLE_QUOTES, type Node, type ParsedJson } from './json';
import { DISALLOWED_CHARACTERS, NAME_RULES, POLICY_DOCUMENT_MAX_LENGTH } from './limits';
import { findProperty, propertyValue } from './model';
import { describeCharacter, policyFileSuffix, policyNameFromFileName, toValidName } from './names';

export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix to apply when the user asks for "the" fix (Ctrl+. Enter, auto fix). */
  isPreferred?: boolean;
  /** For a file rename: the new base name of the file. */
  renameTo?: string;
}

// ---------------------------------------------------------------------------------------
// Characters

/** Characters with an ASCII equivalent; double quotes depend on where they stand. */
const EQUIVALENTS = new Map<number, string>([
  // primes and angle quotes (the curly quotes are handled apart, by where they stand)
  [0x2032, "'"], [0x2035, "'"], [0x2039, "'"], [0x203a, "'"], [0x2033, '"'], [0x2036, '"'],
  // dashes and minus signs
  [0x2010, '-'], [0x2011, '-'], [0x2012, '-'], [0x2013, '-'], [0x2014, '-'], [0x2015, '-'],
  [0x2212, '-'], [0xfe58, '-'], [0xfe63, '-'],
  // ellipsis, bullets used as separators
  [0x2026, '...'], [0x2024, '.'], [0x2025, '..'],
  // spaces
  [0x2000, ' '], [0x2001, ' '], [0x2002, ' '], [0x2003, ' '], [0x2004, ' '], [0x2005, ' '],
  [0x2006, ' '], [0x2007, ' '], [0x2008, ' '], [0x2009, ' '], [0x200a, ' '], [0x202f, ' '],
  [0x205f, ' '], [0x3000, ' '], [0x1680, ' '],
  // fraction slash, division slash
  [0x2044, '/'], [0x2215, '/'],
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
 * quote that opens or closes a string (“Effect”) becomes ", one inside a string becomes \"
 * or ', so the JSON stays what the author meant.
 */
function replacementFor(char: string, offset: number, context: CharacterContext, text: string): string | undefined {
  const code = char.codePointAt(0)!;
  if (DOUBLE_QUOTES.has(code) || SINGLE_QUOTES.has(code)) {
    const inside = context.delimiters.has(offset) ? undefined : stringAround(offset, context);
    if (inside === undefined) return '"';
    // `"Version”: "2012-10-17"` reads as one string, `"Version”: "`, which the typographic
    // quote was meant to close: only white space and the colon (or comma) follow it there.
    if (DOUBLE_QUOTES.has(code) && /^[ \t]*[:,][ \t]*$/.test(text.slice(offset + char.length, inside[1]))) return '"';
    return DOUBLE_QUOTES.has(code) ? '\\"' : "'";
  }
  // Outside strings a dash is only a minus sign: before a digit.
  if (DASHES.has(code) && stringAround(offset, context) === undefined && !/[0-9]/.test(text.charAt(offset + char.length))) return undefined;
  const equivalent = EQUIVALENTS.get(code);
  if (equivalent !== undefined) return equivalent;
  if (code >= 0xff01 && code <= 0xff5e) return String.fromCharCode(code - 0xfee0);
  if (REMOVABLE.has(code) || code < 0x20) return '';
  if (code === 0x2028 || code === 0x2029) return insideString(offset, context) ? ' ' : '\n';
  return undefined;
}

function insideString(offset: number, context: CharacterContext): boolean {
  return stringAround(offset, context) !== undefined;
}

/** The inside of the closed string token that holds `offset`, if any. */
function stringAround(offset: number, context: CharacterContext): [number, number] | undefined {
  return rangeAround(context.strings, offset);
}

/** The range of sorted, disjoint [start, end) ranges that holds `offset`, if any. */
function rangeAround(ranges: ReadonlyArray<[number, number]>, offset: number): [number, number] | undefined {
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
function characterEdits(text: string, context: CharacterContext, onlyRun?: Finding): { edits: TextEdit[]; unfixable: number } {
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

/** Joins edits that touch, so a run of five characters is one edit. */
function mergeAdjacent(edits: TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of edits) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.offset + last.length === edit.offset) {
      last.length += edit.length;
      last.newText += edit.newText;
    } else {
      merged.push({ ...edit });
    }
  }
  return merged;
}

function characterFixes(text: string, analysis: Analysis, item: Finding): Fix[] {
  const context = characterContext(text, analysis);
  const run = text.slice(item.offset, item.offset + item.length);
  const { edits, unfixable } = characterEdits(text, context, item);
  const fixes: Fix[] = [];
  if (unfixable === 0 && edits.length > 0) {
    const replaced = edits.map((edit) => edit.newText).join('');
    const chars = Array.from(run);
    fixes.push({
      title: replaced === ''
        ? `Remove ${chars.length === 1 ? describeCharacter(chars[0]) : `${chars.length} invisible characters`}`
        : chars.length === 1
          ? `Replace ${describeCharacter(chars[0])} with ${replaced}`
          : `Replace ${chars.length} characters with ${JSON.stringify(replaced)}`,
      edits,
      isPreferred: true,
    });
  } else {
    const count = Array.from(run).length;
    fixes.push({ title: `Remove ${count === 1 ? describeCharacter(run) : `these ${count} characters`} (no ASCII equivalent)`, edits: [{ offset: item.offset, length: item.length, newText: '' }] });
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

// ---------------------------------------------------------------------------------------
// JSON

function removeRange(text: string, offset: number, length: number, wholeLine: boolean): TextEdit {
  if (wholeLine) {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    let lineEnd = offset + length;
    while (lineEnd < text.length && (text[lineEnd] === ' ' || text[lineEnd] === '\t' || text[lineEnd] === '\r')) lineEnd++;
    const before = text.slice(lineStart, offset);
    if (/^[ \t]*$/.test(before) && (lineEnd >= text.length || text[lineEnd] === '\n')) {
      const end = lineEnd < text.length ? lineEnd + 1 : lineEnd;
      return { offset: lineStart, length: end - lineStart, newText: '' };
    }
    // Something else on the line: take the comment and the spaces before it.
    let start = offset;
    while (start > lineStart && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    return { offset: start, length: offset + length - start, newText: '' };
  }
  return { offset, length, newText: '' };
}

function trailingCommaEdits(analysis: Analysis): TextEdit[] {
  return analysis.findings
    .filter((item) => item.code === 'json-trailing-comma')
    .map((item) => ({ offset: item.offset, length: item.length, newText: '' }));
}

// ---------------------------------------------------------------------------------------
// Size

function minifyFix(text: string, analysis: Analysis): Fix[] {
  const compact = minify(text, analysis.parsed);
  if (compact === undefined || compact.length > POLICY_DOCUMENT_MAX_LENGTH) return [];
  return [{
    title: `Minify the document (${compact.length.toLocaleString('en-US')} characters, under the limit)`,
    edits: [{ offset: 0, length: text.length, newText: compact }],
    isPreferred: true,
  }];
}

// ---------------------------------------------------------------------------------------
// Names

function sidNodes(analysis: Analysis): Node[] {
  const nodes: Node[] = [];
  for (const statement of analysis.policy?.statements ?? []) {
    const sid = propertyValue(findProperty(statement, 'Sid'));
    if (sid?.type === 'string') nodes.push(sid);
  }
  return nodes;
}

function sidFix(analysis: Analysis, item: Finding): Fix[] {
  const nodes = sidNodes(analysis);
  const node = nodes.find((sid) => sid.offset <= item.offset && item.offset < sid.offset + sid.length);
  if (node === undefined) return [];
  const taken = new Set(nodes.filter((other) => other !== node).map((other) => other.value as string));
  const index = analysis.policy!.statements.findIndex((statement) => statement.offset <= node.offset && node.offset < statement.offset + statement.length);
  let base = (node.value as string).replace(/[^A-Za-z0-9]/g, '');
  if (base === '') base = `Statement${index + 1}`;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}${n}`;
  return [{
    title: `Change the Sid to "${candidate}"`,
    edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(candidate) }],
    isPreferred: true,
  }];
}

/** The file name to rename a policy file to, or undefined when its name is fine. */
export function validPolicyFileName(fileName: string): string | undefined {
  const name = policyNameFromFileName(fileName);
  const valid = toValidName(NAME_RULES.policyName, name) ?? 'policy';
  if (valid === name) return undefined;
  const suffix = policyFileSuffix(fileName) || '.iam.json';
  return valid + suffix;
}

// ---------------------------------------------------------------------------------------

/** The fixes for one finding, the preferred first. */
export function fixesFor(text: string, analysis: Analysis, item: Finding, fileName?: string, catalog?: Catalog): Fix[] {
  switch (item.code) {
    case 'disallowed-character':
      return characterFixes(text, analysis, item);
    case 'document-too-large':
      return minifyFix(text, analysis);
    case 'invalid-sid':
    case 'duplicate-sid':
      return sidFix(analysis, item);
    case 'json-comment':
      return [{ title: 'Remove the comment', edits: [removeRange(text, item.offset, item.length, true)], isPreferred: true }];
    case 'json-trailing-comma': {
      const fixes: Fix[] = [{ title: 'Remove the trailing comma', edits: [removeRange(text, item.offset, item.length, false)], isPreferred: true }];
      const all = trailingCommaEdits(analysis);
      if (all.length > 1) fixes.push({ title: 'Remove all trailing commas', edits: all });
      return fixes;
    }
    case 'invalid-policy-file-name': {
      const renameTo = fileName === undefined ? undefined : validPolicyFileName(fileName);
      return renameTo === undefined ? [] : [{ title: `Rename the file to ${renameTo}`, edits: [], renameTo, isPreferred: true }];
    }
    default:
      return grammarFixes(text, analysis, item, catalog);
  }
}

/**
 * Every safe fix at once (for `source.fixAll` and fix-on-save): disallowed characters that
 * have an ASCII equivalent or are invisible, and trailing commas. Edits do not overlap.
 *
 * `fixable`, when given, is the set of codes whose findings may be fixed: a caller with rule
 * settings passes the codes they do not turn off (see `enabledCodes`), so a rule set to
 * "off" is neither reported nor fixed. Left out, every safe fix is made.
 */
export function fixAll(text: string, analysis: Analysis, fixable?: ReadonlySet<string>): TextEdit[] {
  if (!analysis.isPolicy) return [];
  const allowed = (code: string): boolean => fixable === undefined || fixable.has(code);
  const edits = [
    ...(allowed('disallowed-character') ? characterEdits(text, characterContext(text, analysis)).edits : []),
    ...(allowed('json-trailing-comma') ? trailingCommaEdits(analysis) : []),
  ];
  return keepingTheParse(text, analysis.parsed, edits.sort((a, b) => a.offset - b.offset));
}

/** The codes whose findings fixAll mends (those it makes edits for, above). */
export const SAFE_FIX_CODES: ReadonlySet<string> = new Set(['disallowed-character', 'json-trailing-comma']);

/** At most this many parses to find which edits of a fix-all do harm (each ~1 ms on the largest policy). */
const MAX_SAFETY_PARSES = 24;

/**
 * The edits, or those of them that leave the document parsing at least as well as it does: a
 * fix offered as safe (fix-all, fix on save, --fix) must never leave more JSON problems than it
 * found. Edits inside string values that bring or take no quote, backslash or control
 * character cannot change the parse, and need no check (most fixes of pasted text); for the
 * others it costs one parse of the fixed text, and when that is worse, the edits that do harm
 * are found by halving (a few parses more) and left out, so the rest are still made.
 */
function keepingTheParse(text: string, parsed: ParsedJson, edits: readonly TextEdit[]): TextEdit[] {
  if (edits.length === 0) return [];
  const values = valueInsides(text, parsed);
  const inert: TextEdit[] = [];
  const others: TextEdit[] = [];
  for (const edit of edits) (isInert(text, values, edit) ? inert : others).push(edit);
  if (others.length === 0) return [...edits];
  const before = parsed.problems.length;
  const keepsParsing = (candidate: readonly TextEdit[]): boolean =>
    parseJson(applyEdits(text, [...inert, ...candidate])).problems.length <= before;
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

/**
 * Applies non-overlapping edits to text. An edit outside the text, or overlapping another, is
 * a bug of whoever made it: it throws rather than guess (slicing would silently copy text, and
 * a fix applied again and again would multiply a file).
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  let result = '';
  let position = 0;
  for (const edit of sorted) {
    const end = edit.offset + edit.length;
    if (!Number.isInteger(edit.offset) || !Number.isInteger(edit.length) || edit.offset < 0 || edit.length < 0 || end > text.length) {
      throw new RangeError(`An edit at ${edit.offset} (length ${edit.length}) lies outside the text (length ${text.length}).`);
    }
    if (edit.offset < position) {
      throw new RangeError(`An edit at ${edit.offset} (length ${edit.length}) overlaps another that ends at ${position}.`);
    }
    result += text.slice(position, edit.offset) + edit.newText;
    position = end;
  }
  return result + text.slice(position);
}
