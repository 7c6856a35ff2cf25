/**
 * Completion in a YAML template's policy as in a policy file, wherever the cursor is: a key
 * being typed (`Eff|`), a value after `Effect: `, an item of a block or flow sequence
 * (`- s3:Get|`), or nothing typed yet on a new line.
 *
 * YAML read while it is typed is often not yet what it will be (`Act` alone on a line is no
 * key, `s3:` at a line's end is a mapping), so the cursor's place is asked of the YAML parser
 * itself: the token at the cursor is replaced by a marker, read as a value and, when the token
 * stands alone on its line, as a key (`marker:`), and the resource read again. The policy that
 * holds the marker is rendered as the JSON CloudFormation would send (./render.ts); with the
 * typed text back in the marker's place, that JSON is the policy text the policy file's own
 * completion runs on (../assist.ts), so the items are the same. Of the two readings, the one
 * where completion has something to say wins, then the one YAML reads with fewer problems.
 *
 * The items are written as YAML: plain, unless a plain scalar would read otherwise (`*` is an
 * alias, `2012-10-17` a date to YAML 1.1 readers, `{` ends a value in a flow collection), then
 * single-quoted; a key gets its `: `.
 */
import { complete } from '../assist';
import { parseJson } from '../json';
import type { PlacedPiece, TemplateAnalysis } from './analyzeTemplate';
import type { TemplateSpot } from './assist';
import { render, resolve, type RNode } from './render';
import { findDocuments, resourceType, RESOURCE_SPECS } from './resources';
import type { PieceContent } from './template';

/** Stands for the token at the cursor while the resource is read again: a plain scalar in any context. */
const MARKER = 'ZzIamPolicyCursorZz';

/** The token at the cursor, in the piece's offsets. */
interface Token {
  start: number;
  end: number;
  /** Alone on its line but for indentation and `- `: a key may be being typed. */
  bare: boolean;
  /** A `:` follows it on the line: it is a key already. */
  colonAfter: boolean;
}

/** One reading of the cursor's place. */
interface Reading {
  spot: TemplateSpot;
  useful: boolean;
  problems: number;
  order: number;
}

/** Completion at a YAML template's offset as a policy text, or undefined when the cursor is not on a plain token of a policy. */
export function yamlCompletionSpot(template: TemplateAnalysis, offset: number): TemplateSpot | undefined {
  const piece = template.pieces.find((candidate) => offset >= candidate.offset && offset <= candidate.offset + candidate.text.length);
  if (piece?.reread === undefined) return undefined;
  const text = piece.text;
  const token = tokenAt(text, offset - piece.offset);
  if (token === undefined) return undefined;
  const typed = text.slice(token.start, offset - piece.offset);
  const rest = text.slice(offset - piece.offset, token.end);
  const readings: Reading[] = [];
  const markers = token.bare ? [MARKER, `${MARKER}:`] : [MARKER];
  markers.forEach((marker, order) => {
    const content = piece.reread!(text.slice(0, token.start) + marker + text.slice(token.end));
    const reading = readingOf(content, piece, token, typed, rest, order, markers.length > 1);
    if (reading !== undefined) readings.push(reading);
  });
  readings.sort((a, b) => Number(b.useful) - Number(a.useful) || a.problems - b.problems || a.order - b.order);
  return readings[0]?.spot;
}

/** The reading of a resource read again with the marker: the policy text at the marker, if the marker is in a policy. */
function readingOf(
  content: PieceContent,
  piece: PlacedPiece,
  token: Token,
  typed: string,
  rest: string,
  order: number,
  compared: boolean,
): Reading | undefined {
  const found = markerIn(content, token.start);
  if (found === undefined) return undefined;
  const { text: rendered, node } = found;
  const escape = (value: string): string => JSON.stringify(value).slice(1, -1);
  const contentStart = node.rs + 1;
  const cursor = contentStart + escape(typed).length;
  const contentEnd = cursor + escape(rest).length;
  const json = rendered.slice(0, contentStart) + escape(typed) + escape(rest) + rendered.slice(node.re - 1);
  const parsed = parseJson(json);
  // Whether completion has something to say here (or would, with the catalog), to choose between readings.
  const dry = compared ? complete(json, parsed, cursor, undefined) : undefined;
  const key = node.kind === 'key';
  const flow = content.inFlow?.(token.start) ?? false;
  const place = { start: piece.offset + token.start, end: piece.offset + token.end };
  const spot: TemplateSpot = {
    text: json,
    parsed,
    offset: cursor,
    exactSource: (at, length) => (at === contentStart && at + length === contentEnd ? place : undefined),
    source: () => place,
    encode: (value, snippet, partial) => yamlText(value, snippet, partial === true, { key, flow, colonAfter: token.colonAfter }),
  };
  return { spot, useful: dry === undefined || dry.items.length > 0 || dry.incomplete, problems: content.problems.length, order };
}

/** The rendering of the policy that holds the marker, and the marker's string or key in it. */
function markerIn(content: PieceContent, at: number): { text: string; node: RNode } | undefined {
  for (const resource of content.resources) {
    const type = resourceType(resource.value);
    if (type === undefined || RESOURCE_SPECS[type] === undefined) continue;
    for (const document of findDocuments(resource.value)) {
      const value = document.entry.value;
      if (at < value.start || at > value.end) continue;
      for (const branch of [0, 1] as const) {
        const resolution = { sawIf: false, subIssues: [] };
        const resolved = resolve(value, branch, resolution);
        if (resolved?.t !== 'object') break;
        const rendering = render(resolved);
        const node = markerNode(rendering.root, at);
        if (node !== undefined) return { text: rendering.text, node };
        if (!resolution.sawIf) break;
      }
    }
  }
  return undefined;
}

/** The string or key whose whole text is the marker, written as a plain scalar at `at`. */
function markerNode(root: RNode, at: number): RNode | undefined {
  const pending = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.parts !== undefined) {
      const [part] = node.parts;
      if (node.parts.length === 1 && part.exact === at && part.style === 'plain' && part.re - part.rs === MARKER.length) return node;
      continue;
    }
    pending.push(...(node.children ?? []));
  }
  return undefined;
}

const isBreak = (code: number): boolean => code === 0x0a || code === 0x0d;
const isSpace = (char: string): boolean => char === ' ' || char === '\t';

/**
 * The plain token at the cursor (`at`, in `text`): the run of characters around it that a
 * plain scalar of a policy can hold, without the flow indicators `,[]{}` (but with the braces
 * of a `${…}`) and up to a `: ` that ends a key. Undefined in a comment, in or next to a quoted
 * scalar, after a tag (`!Sub …`: the scalar's own completion does it), or on an indicator.
 */
function tokenAt(text: string, at: number): Token | undefined {
  let lineStart = at;
  while (lineStart > 0 && !isBreak(text.charCodeAt(lineStart - 1))) lineStart--;
  let lineEnd = at;
  while (lineEnd < text.length && !isBreak(text.charCodeAt(lineEnd))) lineEnd++;
  if (!plainSoFar(text.slice(lineStart, at))) return undefined;
  const stop = (char: string): boolean => isSpace(char) || char === ',' || char === '[' || char === ']' || char === "'" || char === '"';
  let start = at;
  while (start > lineStart && !stop(text[start - 1])) start--;
  let end = at;
  while (end < lineEnd && !stop(text[end])) end++;
  // Braces other than a `${…}`'s end the token; so does a `:` before a space or the line's end.
  let open = false;
  for (let i = start; i < end; i++) {
    const char = text[i];
    if (char === '$' && text[i + 1] === '{') {
      open = true;
      i++;
    } else if (char === '}' && open) {
      open = false;
    } else if (char === '{' || char === '}') {
      if (i < at) start = i + 1;
      else end = i;
    } else if (char === ':' && i >= at && (i + 1 === lineEnd || isSpace(text[i + 1]))) {
      end = i;
    }
  }
  const isQuote = (char: string | undefined): boolean => char === "'" || char === '"';
  if (isQuote(text[start - 1]) || isQuote(text[end])) return undefined;
  const token = text.slice(start, end);
  if (/^[!&*|>%@`#]/.test(token) || token === '-' || token === '?' || token.startsWith(':')) return undefined;
  const head = text.slice(lineStart, start);
  if (/(^|[ \t])![^ \t]*[ \t]*$/.test(head)) return undefined;
  const tail = text.slice(end, lineEnd);
  return {
    start,
    end,
    bare: /^[ \t]*(?:[-?][ \t]+)*$/.test(head) && /^[ \t]*(?:#.*)?$/.test(tail),
    colonAfter: /^[ \t]*:/.test(tail),
  };
}

/** Whether the start of a line up to the cursor leaves it outside quotes and comments. */
function plainSoFar(head: string): boolean {
  let quote = '';
  for (let i = 0; i < head.length; i++) {
    const char = head[i];
    if (quote === '"') {
      if (char === '\\') i++;
      else if (char === '"') quote = '';
    } else if (quote === "'") {
      if (char === "'") quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '#' && (i === 0 || isSpace(head[i - 1]))) {
      return false;
    }
  }
  return quote === '';
}

/** The text a snippet inserts with its placeholders' defaults. */
function snippetText(snippet: string): string {
  return snippet
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

/**
 * An item's text as YAML at the cursor: plain when a plain scalar reads as it, else in single
 * quotes; a key followed by `: ` unless the line has its colon. A service prefix (`s3:`, which
 * completion asks again for its actions) goes in as typed.
 */
function yamlText(value: string, snippet: boolean, partial: boolean, where: { key: boolean; flow: boolean; colonAfter: boolean }): string | undefined {
  const reads = snippet ? snippetText(value) : value;
  if (/[\n\r]/.test(reads)) return undefined;
  const scalar = partial || plainScalarReads(reads, where.flow) ? value : `'${value.replace(/'/g, "''")}'`;
  return where.key && !where.colonAfter ? `${scalar}: ` : scalar;
}

/**
 * Types a YAML reader may take a plain scalar for: null, Booleans and numbers of YAML 1.2 and
 * 1.1 (`yes`, `0o17`, `1_000`, `1:30`), dates (`2012-10-17`, which YAML 1.1 readers take for
 * a timestamp; CloudFormation's documentation quotes it), the merge key.
 */
const OTHER_TYPE =
  /^(?:~|null|true|false|y|n|yes|no|on|off|<<|[-+]?(?:\.?[0-9][0-9_]*(?:\.[0-9_]*)?(?:e[-+]?[0-9]+)?|0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+|\.inf|\.nan)|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t].*)?)$/i;

/**
 * Whether `value` written as a plain scalar reads back as this same string: no indicator first,
 * no `: ` or ` #`, no white space at its ends or line break, nothing that reads as another type,
 * and in a flow collection none of `,[]{}`.
 */
export function plainScalarReads(value: string, flow: boolean): boolean {
  if (value === '' || /^[-?:,[\]{}#&*!|>'"%@`\s]/.test(value) || /\s$/.test(value)) return false;
  if (/: |:$| #|[\t\n\r]|[\u0000-\u001f\u007f]/.test(value)) return false;
  if (flow && /[,[\]{}]/.test(value)) return false;
  return !OTHER_TYPE.test(value);
}
