/**
 * Name rules of the API as functions: the server's checks and the client's input boxes call
 * these, so a name the editor accepts is a name IAM accepts.
 */
import { NAME_CHARACTER, NAME_RULES, type NameRule } from './limits';

/**
 * Checks a name against a rule of the API. Returns undefined when IAM accepts it, or a
 * sentence saying what is wrong and what IAM accepts.
 */
export function checkName(rule: NameRule, value: string): string | undefined {
  const accepts = `${capitalize(rule.label)}s are ${rule.min} to ${rule.max} characters of letters, digits and + = , . @ _ -`;
  if (value.length < rule.min) {
    return `The ${rule.label} is empty. ${accepts}.`;
  }
  const bad = firstCharacterOutside(value);
  if (bad !== undefined) {
    return `The ${rule.label} has ${describeCharacter(bad.char)} at position ${bad.index + 1}. ${accepts}.`;
  }
  if (value.length > rule.max) {
    return `The ${rule.label} is ${value.length} characters long, ${value.length - rule.max} over the limit. ${accepts}.`;
  }
  return undefined;
}

/** The first character that `[\w+=,.@-]` does not allow, with its index. */
function firstCharacterOutside(value: string): { char: string; index: number } | undefined {
  let index = 0;
  for (const char of value) {
    if (!NAME_CHARACTER.test(char)) return { char, index };
    index += char.length;
  }
  return undefined;
}

/**
 * Turns any text into a name IAM accepts for the rule: characters outside the set become
 * `-` (runs collapse), and the result is cut to the maximum length. Returns undefined when
 * nothing usable is left.
 */
export function toValidName(rule: NameRule, value: string): string | undefined {
  let name = '';
  let lastWasReplacement = false;
  for (const char of value) {
    if (NAME_CHARACTER.test(char)) {
      name += char;
      lastWasReplacement = false;
    } else if (!lastWasReplacement) {
      name += '-';
      lastWasReplacement = true;
    }
  }
  name = name.replace(/^-+|-+$/g, '').slice(0, rule.max);
  return name.length >= rule.min ? name : undefined;
}

/** `U+201C LEFT DOUBLE QUOTATION MARK (“)` style name for one character. */
export function describeCharacter(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0;
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  const name = CHARACTER_NAMES.get(codePoint);
  // The glyph only for Latin-1: past U+00FF the code point and name say it, the squiggle
  // shows it, and a message of one-byte characters keeps a thousand diagnostics cheap to
  // send (V8 serializes and encodes one-byte strings several times faster).
  const visible = codePoint > 0x20 && codePoint <= 0xff && codePoint !== 0xad && !(codePoint >= 0x7f && codePoint <= 0xa0);
  return `U+${hex}${name ? ` ${name}` : ''}${visible ? ` (${char})` : ''}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Names of the characters people most often paste by accident; others show the code point only. */
const CHARACTER_NAMES = new Map<number, string>([
  [0x0000, 'NULL'],
  [0x0008, 'BACKSPACE'],
  [0x0009, 'CHARACTER TABULATION'],
  [0x000b, 'LINE TABULATION'],
  [0x000c, 'FORM FEED'],
  [0x001b, 'ESCAPE'],
  [0x0020, 'SPACE'],
  [0x00a0, 'NO-BREAK SPACE'],
  [0x2002, 'EN SPACE'],
  [0x2003, 'EM SPACE'],
  [0x2009, 'THIN SPACE'],
  [0x200a, 'HAIR SPACE'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 'ZERO WIDTH JOINER'],
  [0x2010, 'HYPHEN'],
  [0x2011, 'NON-BREAKING HYPHEN'],
  [0x2012, 'FIGURE DASH'],
  [0x2013, 'EN DASH'],
  [0x2014, 'EM DASH'],
  [0x2015, 'HORIZONTAL BAR'],
  [0x2018, 'LEFT SINGLE QUOTATION MARK'],
  [0x2019, 'RIGHT SINGLE QUOTATION MARK'],
  [0x201a, 'SINGLE LOW-9 QUOTATION MARK'],
  [0x201c, 'LEFT DOUBLE QUOTATION MARK'],
  [0x201d, 'RIGHT DOUBLE QUOTATION MARK'],
  [0x201e, 'DOUBLE LOW-9 QUOTATION MARK'],
  [0x2026, 'HORIZONTAL ELLIPSIS'],
  [0x2028, 'LINE SEPARATOR'],
  [0x2029, 'PARAGRAPH SEPARATOR'],
  [0x202f, 'NARROW NO-BREAK SPACE'],
  [0x2032, 'PRIME'],
  [0x2033, 'DOUBLE PRIME'],
  [0x2060, 'WORD JOINER'],
  [0x2212, 'MINUS SIGN'],
  [0x3000, 'IDEOGRAPHIC SPACE'],
  [0xfeff, 'ZERO WIDTH NO-BREAK SPACE (byte order mark)'],
  [0xff02, 'FULLWIDTH QUOTATION MARK'],
  [0xfffd, 'REPLACEMENT CHARACTER'],
]);

/** Endings that mark a policy file; the rest of the file name is the policy name offered. */
const POLICY_FILE_SUFFIXES = ['.iam.json', '.policy.json', '.jsonc', '.json'];

/**
 * The policy name a file offers: its base name without the policy suffix
 * (`AllowS3Read.iam.json` offers `AllowS3Read`).
 */
export function policyNameFromFileName(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const lower = base.toLowerCase();
  for (const suffix of POLICY_FILE_SUFFIXES) {
    if (lower.endsWith(suffix) && lower.length > suffix.length) return base.slice(0, base.length - suffix.length);
  }
  return base;
}

/** The suffix policyNameFromFileName removed, to keep when renaming the file. */
export function policyFileSuffix(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  return base.slice(policyNameFromFileName(base).length);
}

export const checkPolicyName = (value: string): string | undefined => checkName(NAME_RULES.policyName, value);
