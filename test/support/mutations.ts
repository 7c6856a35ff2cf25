/**
 * Seeded material for property tests and the fuzzer: random documents, real policies from the
 * corpus mutated the way pasting and typing break them (curly quotes, dashes, no-break and
 * zero-width spaces, astral characters, every kind of line end), and random edits to them.
 * Everything is drawn from a `Random`, so a seed replays a failure exactly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES } from './paths';
import { Random } from './random';

/** One edit, in offsets (UTF-16 code units) of the text it applies to. */
export interface Edit {
  offset: number;
  length: number;
  text: string;
}

/**
 * Pieces that matter to the parser, the character check and the line map: JSON's own
 * punctuation, what word processors put in its place, line ends of every kind, a surrogate
 * pair and a lone surrogate, policy words.
 */
export const PIECES: readonly string[] = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  '\\',
  "'",
  '/',
  '*',
  '//',
  '/*',
  '*/',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\n\r',
  '\u201c',
  '\u201d',
  '\u2018',
  '\u2019',
  '\u201e',
  '\uff02',
  '\u2013',
  '\u2014',
  '\u2212',
  '\u2026',
  '\u00a0',
  '\u200b',
  '\u2003',
  '\u2028',
  '\ufeff',
  '\u00e9',
  '\u00ff',
  '\u{1F600}',
  '\ud83d',
  '\ude00',
  '\u0000',
  '\u001f',
  'a',
  'Z',
  '0',
  '7',
  '-',
  '.',
  'e',
  'true',
  'null',
  'x:y',
  '"Effect"',
  '"Allow"',
  '"Action"',
  '"s3:GetObject"',
  '"Resource"',
  '"*"',
  '"Statement"',
  '"Version"',
  '"2012-10-17"',
  '"Condition"',
  '"StringEquals"',
  '"aws:SourceIp"',
  '"Principal"',
  '"Sid"',
  '"arn:aws:s3:::bucket/*"',
];

/** A random string of `count` pieces. */
export function randomPieces(random: Random, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += random.pick(PIECES);
  return text;
}

let corpusCache: string[] | undefined;

/** The AWS managed policies and problem cases of test/fixtures/corpus, smallest first. */
export function corpusPolicies(): string[] {
  if (corpusCache === undefined) {
    const texts: string[] = [];
    for (const folder of ['managed', 'valid', 'invalid']) {
      const directory = path.join(FIXTURES, 'corpus', folder);
      for (const name of fs.readdirSync(directory).sort()) {
        if (name.endsWith('.json')) texts.push(fs.readFileSync(path.join(directory, name), 'utf8'));
      }
    }
    corpusCache = texts.sort((a, b) => a.length - b.length);
  }
  return corpusCache;
}

/** A corpus policy; most often one of the smaller ones, so runs stay quick. */
export function corpusPolicy(random: Random, maxLength = Infinity): string {
  const all = corpusPolicies();
  let limit = all.length;
  while (limit > 1 && all[limit - 1].length > maxLength) limit--;
  // Squaring a uniform number favours the small end without excluding the large.
  const index = Math.floor(random.next() * random.next() * limit);
  return all[index];
}

/** The text with its line ends rewritten: LF, CRLF, lone CR, or a mix of the three. */
export function withLineEnds(random: Random, text: string): string {
  const style = random.int(4);
  if (style === 0) return text;
  return text.replace(/\r\n|\r|\n/g, () => (style === 1 ? '\r\n' : style === 2 ? '\r' : random.pick(['\n', '\r\n', '\r'])));
}

/** Up to `count` insertions, deletions and replacements of characters or pieces. */
export function mutate(random: Random, text: string, count = 1 + random.int(6)): string {
  let result = text;
  for (let n = 0; n < count; n++) {
    const edit = randomEdit(random, result);
    result = applyEdit(result, edit);
  }
  return result;
}

/**
 * A document for a property test or the fuzzer: a corpus policy (as it is, mutated, with other
 * line ends, or cut short), or random pieces.
 */
export function randomDocument(random: Random, maxLength = 20_000): string {
  switch (random.int(6)) {
    case 0:
      return randomPieces(random, random.int(60));
    case 1:
      return corpusPolicy(random, maxLength);
    case 2: {
      const text = corpusPolicy(random, maxLength);
      return text.slice(0, random.int(text.length + 1));
    }
    default:
      return mutate(random, withLineEnds(random, corpusPolicy(random, maxLength)));
  }
}

/**
 * A random edit of `text`: typing or deleting a character, pasting a piece, replacing a
 * stretch, often at either end of the text. Offsets may split a surrogate pair or a CRLF, as
 * an editor's may not but a client's might.
 */
export function randomEdit(random: Random, text: string): Edit {
  const where = random.int(10);
  const offset = where === 0 ? 0 : where === 1 ? text.length : random.int(text.length + 1);
  const kind = random.int(10);
  let length = 0;
  if (kind < 3) length = random.int(Math.min(3, text.length - offset) + 1);
  else if (kind === 3) length = random.int(Math.min(200, text.length - offset) + 1);
  const inserted = kind === 4 ? '' : kind === 5 ? randomPieces(random, 2 + random.int(8)) : random.pick(PIECES);
  return { offset, length, text: inserted };
}

export function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.offset) + edit.text + text.slice(edit.offset + edit.length);
}

/**
 * The offset a position stands for, as LSP defines it (written apart from the server's code,
 * to check it): lines end at \n, \r\n or \r; a character past a line's end means its end, a
 * line past the last means the end of the document; a negative number counts as 0.
 */
export function lspOffset(text: string, position: { line: number; character: number }): number {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  if (position.line >= starts.length) return text.length;
  const line = Math.max(0, position.line);
  const start = starts[line];
  const next = starts[line + 1];
  const lineEnd = next === undefined ? text.length : next - (text.slice(start, next).match(/(\r\n|\r|\n)$/)?.[0].length ?? 0);
  return Math.min(start + Math.max(0, position.character), lineEnd);
}

/** A seed from the environment (IAM_POLICY_SEED), or a fresh one; tests print what they use. */
export function seedFromEnvironment(fallback: number): number {
  const given = process.env.IAM_POLICY_SEED;
  if (given !== undefined && /^\d+$/.test(given)) return Number(given);
  return fallback;
}
