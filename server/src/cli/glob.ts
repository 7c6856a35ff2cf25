/**
 * A small glob matcher for the linter's operands (Node 20 has no fs.glob). Paths use `/`.
 *
 * - `*` any run of characters within one path segment, `?` one character
 * - `**` as a whole segment: any number of directories, including none
 * - `[abc]`, `[a-z]`, `[!abc]` or `[^abc]`: one character of (or not of) a set
 * - `{a,b,c}`: any of the alternatives, which may hold patterns and nest
 * - `\` escapes the next character (on POSIX; Windows patterns use `/` or `\` as separators)
 *
 * Names starting with a dot are matched like any other: policies in `.github/` are found.
 */

const MAGIC = /[*?[{]/;

/** Whether an operand is a pattern rather than a plain path. */
export function isGlob(pattern: string): boolean {
  return MAGIC.test(pattern.replace(/\\./g, ''));
}

export interface CompiledGlob {
  /** The directory to walk: the leading segments without pattern characters ('' for the cwd). */
  base: string;
  /** Matches a path relative to `base`, with `/` separators. */
  regex: RegExp;
  /** How deep below `base` a match can be; Infinity with `**`. */
  maxDepth: number;
}

/** Splits a pattern into the literal directory to walk and a matcher for what is below it. */
export function compileGlob(pattern: string): CompiledGlob {
  const segments = splitSegments(pattern);
  let literal = 0;
  while (literal < segments.length - 1 && !isGlob(segments[literal])) literal++;
  const baseSegments = segments.slice(0, literal).map(unescape);
  let base = baseSegments.join('/');
  if (base === '' && segments.length > 0 && segments[0] === '' && literal > 0) base = '/';
  else if (pattern.startsWith('/') && !base.startsWith('/')) base = '/' + base;
  const rest = segments.slice(literal);
  const maxDepth = rest.some((segment) => segment === '**') ? Infinity : rest.length;
  return { base, regex: new RegExp(`^${translate(rest.join('/'))}$`, 'u'), maxDepth };
}

/** Whether `relativePath` (with `/` separators) matches `pattern` as a whole. */
export function matchGlob(pattern: string, relativePath: string): boolean {
  return new RegExp(`^${translate(pattern)}$`, 'u').test(relativePath);
}

/** Segments split on unescaped `/`, outside braces ({a/b,c} is one segment). */
function splitSegments(pattern: string): string[] {
  const segments: string[] = [];
  let current = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\' && i + 1 < pattern.length) {
      current += char + pattern[++i];
    } else if (char === '{') {
      braces++;
      current += char;
    } else if (char === '}' && braces > 0) {
      braces--;
      current += char;
    } else if (char === '/' && braces === 0) {
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  segments.push(current);
  // "a//b" and a trailing "/" add nothing.
  return segments.filter((segment, index) => segment !== '' || index === 0);
}

function unescape(segment: string): string {
  return segment.replace(/\\(.)/gu, '$1');
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

function escapeChar(char: string): string {
  return REGEX_SPECIAL.test(char) ? `\\${char}` : char;
}

/** The body of a regular expression for a pattern (no anchors). */
function translate(pattern: string): string {
  let out = '';
  let braceDepth = 0;
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    const atSegmentStart = i === 0 || chars[i - 1] === '/';
    if (char === '\\' && i + 1 < chars.length) {
      out += escapeChar(chars[++i]);
    } else if (
      char === '*' &&
      chars[i + 1] === '*' &&
      atSegmentStart &&
      (i + 2 === chars.length || chars[i + 2] === '/' || chars[i + 2] === ',' || chars[i + 2] === '}')
    ) {
      // A whole-segment `**`: zero or more directories.
      if (chars[i + 2] === '/') {
        out += '(?:[^/]*/)*';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (char === '*') {
      while (chars[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (char === '?') {
      out += '[^/]';
    } else if (char === '[') {
      const end = classEnd(chars, i);
      if (end < 0) {
        out += '\\[';
      } else {
        let body = chars.slice(i + 1, end);
        let negate = false;
        if (body[0] === '!' || body[0] === '^') {
          negate = true;
          body = body.slice(1);
        }
        const inner = body.map((c) => (c === '\\' || c === ']' || c === '[' || c === '^' ? `\\${c}` : c)).join('');
        out += negate ? `(?:(?!/)[^${inner}])` : `(?:(?!/)[${inner}])`;
        i = end;
      }
    } else if (char === '{' && braceEnd(chars, i) > 0) {
      braceDepth++;
      out += '(?:';
    } else if (char === ',' && braceDepth > 0) {
      out += '|';
    } else if (char === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else {
      out += escapeChar(char);
    }
  }
  return out;
}

/** Index of the `]` closing a class opened at `start`, or -1 (then `[` is literal). */
function classEnd(chars: string[], start: number): number {
  let i = start + 1;
  if (chars[i] === '!' || chars[i] === '^') i++;
  if (chars[i] === ']') i++; // `[]a]`: a leading ] is a member
  for (; i < chars.length; i++) {
    if (chars[i] === '/') return -1;
    if (chars[i] === ']') return i;
  }
  return -1;
}

/** Index of the `}` closing a brace opened at `start`, or -1 (then `{` is literal). */
function braceEnd(chars: string[], start: number): number {
  let depth = 0;
  for (let i = start; i < chars.length; i++) {
    if (chars[i] === '\\') i++;
    else if (chars[i] === '{') depth++;
    else if (chars[i] === '}' && --depth === 0) return i;
  }
  return -1;
}
