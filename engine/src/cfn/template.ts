/**
 * Which documents are CloudFormation templates, and their resources, read piece by piece.
 *
 * A template is YAML or JSON whose top level has `Resources` and either an
 * `AWSTemplateFormatVersion` or a resource typed `AWS::…`. Only its resources matter to the
 * policy checks, and a keystroke changes one of them: so the Resources section is cut into one
 * piece per resource, each read on its own (YAML by the `yaml` package, which keeps source
 * ranges and the short-form tags; JSON by the engine's own parser), and a piece whose text is
 * unchanged is not read again (see ./analyzeTemplate.ts). Parsing a 5,000-line template whole
 * takes some 70 ms with `yaml`; one resource, a fraction of a millisecond.
 *
 * The cut is made on lines: in block-style YAML a resource starts at the first line indented
 * as much as the Resources mapping's first key, and nothing nested in it can have a line that
 * far left. Where the text does not have that shape (a flow-style Resources, tabs or a line
 * further left inside it, several YAML documents, directives) the whole section, or the whole
 * text, is one piece: slower, never wrong.
 */
import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Parser, type Node as YamlNode, type Scalar } from 'yaml';
import type { Node, ParsedJson } from '../json';
import { intrinsicOfTag, longFormIntrinsic, type ExactRun, type TMap, type TScalar, type TValue } from './values';

export type TemplateFormat = 'yaml' | 'json';

/** A resource of the template, as read from its piece (offsets relative to the piece). */
export interface ResourceEntry {
  logicalId: string;
  key: TScalar;
  value: TValue;
}

/** A problem reading a piece (YAML or JSON syntax), relative to the piece. */
export interface PieceProblem {
  message: string;
  start: number;
  end: number;
}

export interface PieceContent {
  resources: ResourceEntry[];
  problems: PieceProblem[];
  /** YAML: whether an offset of the piece is inside a flow collection (`[…]`, `{…}`), where `,[]{}` end a plain scalar. */
  inFlow?(offset: number): boolean;
}

/** One resource (or, where the text has no simpler shape, a whole section) of the template. */
export interface TemplatePiece {
  /** Where the piece starts in the template. */
  offset: number;
  /** Its text: what its results are remembered by. */
  text: string;
  /** Reads it: its resources and problems, offsets relative to `offset`. */
  read(): PieceContent;
  /** YAML: reads another text in the piece's place (the same resource, edited) as the piece is read. */
  reread?(text: string): PieceContent;
}

export interface TemplateShape {
  format: TemplateFormat;
  pieces: TemplatePiece[];
  /** Syntax problems outside the pieces that keep the Resources from being read (absolute). */
  problems: PieceProblem[];
}

const TEMPLATE_EXTENSIONS = ['.yaml', '.yml', '.json', '.template'];

/** Whether a file name may hold a template: `*.yaml`, `*.yml`, `*.json`, `*.template` (any name when undefined). */
export function mayBeTemplateFile(fileName: string | undefined): boolean {
  if (fileName === undefined) return true;
  const lower = fileName.toLowerCase();
  return TEMPLATE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/** The format to read a document in: by its language or name, else by its first character. */
export function templateFormatOf(text: string, fileName?: string, languageId?: string): TemplateFormat {
  if (languageId === 'yaml') return 'yaml';
  if (languageId === 'json' || languageId === 'jsonc') return 'json';
  const lower = fileName?.toLowerCase() ?? '';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  return /^\s*\{/.test(text) ? 'json' : 'yaml';
}

/**
 * Cheap test for "may be a template", before any parse: the text names Resources and either
 * AWSTemplateFormatVersion or a type AWS::. Most other YAML and JSON files fail it at once.
 */
export function looksLikeTemplate(text: string): boolean {
  return text.includes('Resources') && (text.includes('AWSTemplateFormatVersion') || text.includes('AWS::'));
}

// ---------------------------------------------------------------------------------------------
// YAML

/** The short-form tags, declared so that `yaml` keeps them on the nodes without a warning each. */
const TAG_NAMES = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'Length',
  'ToJsonString',
  'And',
  'Equals',
  'Not',
  'Or',
  'ForEach',
];
const CUSTOM_TAGS = TAG_NAMES.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown) => value },
]);
const YAML_OPTIONS = { customTags: CUSTOM_TAGS, prettyErrors: false, strict: false } as const;

/** Parses YAML text into its first document's root node, with the document's errors. */
function parseYaml(text: string): { root: YamlNode | null; problems: PieceProblem[] } {
  const composer = new Composer(YAML_OPTIONS);
  const problems: PieceProblem[] = [];
  let root: YamlNode | null = null;
  let documents = 0;
  for (const document of composer.compose(new Parser().parse(text), true, text.length)) {
    documents++;
    if (documents === 1) root = document.contents as YamlNode | null;
    for (const error of document.errors) {
      problems.push({ message: yamlMessage(error.message), start: error.pos[0], end: Math.max(error.pos[1], error.pos[0]) });
    }
  }
  if (documents > 1) problems.push({ message: 'A template is one YAML document; this text holds several.', start: 0, end: 0 });
  return { root, problems };
}

/** `yaml`'s message without the position it appends (the diagnostic has the place). */
function yamlMessage(message: string): string {
  const cut = message.search(/ at line \d+, column \d+/);
  const text = (cut < 0 ? message : message.slice(0, cut)).split('\n')[0].trim();
  return `YAML: ${text}${/[.:]$/.test(text) ? '' : '.'}`;
}

/** Converts a YAML node into a template value; `text` is the text it was parsed from. */
export function fromYaml(node: YamlNode | null | undefined, text: string, fallback: number): TValue {
  if (node === null || node === undefined) return { type: 'scalar', value: null, start: fallback, end: fallback, style: 'plain' };
  const range = node.range ?? [fallback, fallback, fallback];
  const tag = node.tag;
  if (tag !== undefined && tag.startsWith('!') && !tag.startsWith('!!')) {
    const name = intrinsicOfTag(tag);
    const tagStart = text.lastIndexOf(tag, range[0]);
    const start = tagStart >= 0 ? tagStart : range[0];
    if (name === undefined) return { type: 'opaque', start, end: range[1] };
    const saved = node.tag;
    node.tag = undefined;
    const argument = fromYaml(node, text, range[0]);
    node.tag = saved;
    return { type: 'intrinsic', name, argument, start, end: range[1] };
  }
  if (isMap(node)) {
    const map: TMap = { type: 'map', entries: [], start: range[0], end: range[1] };
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = scalarOf(pair.key as Scalar, text);
      if (key.value === null) continue;
      const keyEnd = key.end;
      map.entries.push({ key, value: fromYaml(pair.value as YamlNode | null, text, keyEnd) });
    }
    return longFormIntrinsic(map) ?? map;
  }
  if (isSeq(node)) {
    return { type: 'seq', items: node.items.map((item) => fromYaml(item as YamlNode | null, text, range[0])), start: range[0], end: range[1] };
  }
  if (isScalar(node)) return scalarOf(node, text);
  if (isAlias(node)) return { type: 'opaque', start: range[0], end: range[1] };
  return { type: 'opaque', start: range[0], end: range[1] };
}

function scalarOf(node: Scalar, text: string): TScalar {
  const [start, end] = node.range ?? [0, 0];
  let value = node.value as unknown;
  const type = node.type;
  const style =
    type === 'QUOTE_SINGLE' ? 'single' : type === 'QUOTE_DOUBLE' ? 'double' : type === 'BLOCK_FOLDED' || type === 'BLOCK_LITERAL' ? 'block' : 'plain';
  const scalar: TScalar = { type: 'scalar', value: null, start, end, style };
  if (typeof value === 'bigint') value = Number(value);
  if (typeof value === 'number') {
    const raw = text.slice(start, end);
    if (!Number.isFinite(value)) {
      // .inf, .nan: no JSON number; read as the text written.
      scalar.value = raw;
      return scalar;
    }
    scalar.value = value;
    if (/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(raw)) scalar.raw = raw;
    return scalar;
  }
  if (typeof value === 'boolean' || value === null) {
    scalar.value = value;
    return scalar;
  }
  const string = typeof value === 'string' ? value : String(value);
  scalar.value = string;
  const inner = style === 'single' || style === 'double' ? start + 1 : start;
  if (style !== 'block' && text.slice(inner, inner + string.length) === string && inner + string.length <= end) scalar.exact = inner;
  if (style === 'block') {
    const runs = blockRuns(text, start, end, string);
    if (runs.length > 0) scalar.runs = runs;
    // Its range runs to the next line's start: the value ends at its last character.
    scalar.end = start + text.slice(start, end).trimEnd().length;
  }
  return scalar;
}

/**
 * Where a block scalar's value stands in the source: each content line's text, past the
 * block's indentation, is found in the value where the previous one ended, past the line
 * breaks and spaces the lines were joined with (a literal block keeps its breaks, a folded one
 * turns most into spaces). A line not found there ends the mapping: what was found is exact,
 * the rest has none. A block with an explicit indentation indicator (`|2`) is left unmapped.
 */
function blockRuns(text: string, start: number, end: number, value: string): ExactRun[] {
  const runs: ExactRun[] = [];
  const headerEnd = lineEnd(text, start);
  if (!/^[|>][-+]?(?:[ \t]|#|\r|$)/.test(text.slice(start, Math.min(headerEnd, start + 3)))) return runs;
  const lines: Array<[number, number]> = [];
  for (let line = headerEnd + 1; line < end; line = lineEnd(text, line) + 1) {
    const stop = Math.min(lineEnd(text, line), end);
    lines.push([line, text.charCodeAt(stop - 1) === 0x0d ? stop - 1 : stop]);
  }
  let indent = -1;
  for (const [from, to] of lines) {
    let column = from;
    while (column < to && text.charCodeAt(column) === 0x20) column++;
    if (column < to) {
      indent = column - from;
      break;
    }
  }
  if (indent <= 0) return runs;
  let position = 0;
  for (const [from, to] of lines) {
    const line = to - from > indent ? text.slice(from + indent, to) : '';
    while (!value.startsWith(line, position)) {
      const char = value[position];
      if (char !== '\n' && char !== ' ') return runs;
      position++;
    }
    if (line.length > 0) runs.push({ at: position, source: from + indent, length: line.length });
    position += line.length;
  }
  return runs;
}

const KEY_LINE = /(["']?)([A-Za-z0-9_]+)\1[ \t]*:(?=[ \t\r\n]|$)/y;

/** The pieces of a YAML template, or undefined when it is not one. */
export function yamlTemplate(source: string): TemplateShape | undefined {
  if (!looksLikeTemplate(source)) return undefined;
  // A carriage return alone ends a line in YAML (1.2, production 28) as in the editor, but not
  // for the yaml package nor the line scan below: read it as a line feed, which keeps offsets.
  const text = /\r(?!\n)/.test(source) ? source.replace(/\r(?!\n)/g, '\n') : source;
  // Top-level entries start at column 0.
  let resourcesStart = -1;
  let resourcesEnd = text.length;
  let hasVersion = false;
  let plain = true;
  const TOP = /^[^ \t#\r\n]/gm;
  let first = true;
  for (let match = TOP.exec(text); match !== null; match = TOP.exec(text)) {
    const at = match.index;
    const head = text.slice(at, at + 3);
    if (head === '---' || head === '...' || text.charCodeAt(at) === 0x25 /* % */) {
      // A document marker first (or a final end marker) is fine; anything else: read whole.
      if (!(first && head === '---') && !(head === '...' && /^\.\.\.[ \t]*(#.*)?\s*$/.test(text.slice(at)))) plain = false;
      first = false;
      continue;
    }
    first = false;
    if (resourcesStart >= 0 && resourcesEnd === text.length) resourcesEnd = at;
    KEY_LINE.lastIndex = at;
    const key = KEY_LINE.exec(text);
    if (key === null) continue;
    if (key[2] === 'Resources' && resourcesStart < 0) resourcesStart = at;
    else if (key[2] === 'AWSTemplateFormatVersion') hasVersion = true;
  }
  if (resourcesStart < 0) return undefined;
  const section = text.slice(resourcesStart, resourcesEnd);
  if (!hasVersion && !/^[ \t]*(["']?)Type\1[ \t]*:[ \t]*["']?AWS::/m.test(section)) return undefined;
  if (!plain) return { format: 'yaml', pieces: [wholeTextPiece(text)], problems: [] };
  const pieces = resourcePieces(text, resourcesStart, resourcesEnd);
  return { format: 'yaml', pieces, problems: [] };
}

/** One piece per resource of the Resources entry at [start, end), or the entry whole. */
function resourcePieces(text: string, start: number, end: number): TemplatePiece[] {
  const whole = (): TemplatePiece[] => [sectionPiece(text.slice(start, end), start)];
  const headerEnd = lineEnd(text, start);
  // `Resources: {…}` or anything after the colon: one piece.
  const afterColon = text.slice(text.indexOf(':', start) + 1, headerEnd);
  if (!/^[ \t]*(#.*)?\r?$/.test(afterColon)) return whole();
  const starts: number[] = [];
  let indent = -1;
  for (let line = headerEnd + 1; line < end; line = lineEnd(text, line) + 1) {
    let column = line;
    while (text.charCodeAt(column) === 0x20) column++;
    const code = text.charCodeAt(column);
    if (column >= end || code === 0x0a || code === 0x0d || code === 0x23 /* # */) continue;
    if (code === 0x09) return whole(); // a tab in the indentation
    const width = column - line;
    if (indent < 0) indent = width;
    if (width < indent) return whole();
    if (width === indent) {
      if (code === 0x2d /* - */ || code === 0x3f /* ? */ || code === 0x5b || code === 0x7b) return whole();
      starts.push(line);
    }
  }
  const pieces: TemplatePiece[] = [];
  for (let i = 0; i < starts.length; i++) {
    const pieceStart = starts[i];
    const pieceEnd = i + 1 < starts.length ? starts[i + 1] : end;
    pieces.push(resourcePiece(text.slice(pieceStart, pieceEnd), pieceStart));
  }
  return pieces;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** A piece of one resource: its text is a mapping of one entry, indented. */
function resourcePiece(text: string, offset: number): TemplatePiece {
  return { offset, text, read: () => readYaml(text, false), reread: (other) => readYaml(other, false) };
}

/** The Resources entry whole: `Resources:` and its mapping. */
function sectionPiece(text: string, offset: number): TemplatePiece {
  return { offset, text, read: () => readYaml(text, true), reread: (other) => readYaml(other, true) };
}

/** The whole text, for YAML whose shape the line scan does not trust. */
function wholeTextPiece(text: string): TemplatePiece {
  return { offset: 0, text, read: () => readYaml(text, true), reread: (other) => readYaml(other, true) };
}

/** The resources of a YAML piece: the entries of its mapping, or of the mapping under its `Resources` key. */
function readYaml(text: string, underResources: boolean): PieceContent {
  const { root, problems } = parseYaml(text);
  const value = fromYaml(root, text, 0);
  const resources = underResources ? (value.type === 'map' ? value.entries.find((entry) => entry.key.value === 'Resources')?.value : undefined) : value;
  return { resources: resources?.type === 'map' ? entriesOf(resources) : [], problems, inFlow: (offset) => inFlowAt(root, offset) };
}

/** Whether the innermost collection around an offset is a flow one. */
function inFlowAt(root: YamlNode | null, offset: number): boolean {
  let flow = false;
  let node: unknown = root;
  const holds = (candidate: unknown): boolean => {
    const range = (candidate as YamlNode | null | undefined)?.range;
    return range !== undefined && range !== null && range[0] <= offset && offset <= range[1];
  };
  while ((isMap(node) || isSeq(node)) && holds(node)) {
    flow = node.flow === true;
    let next: unknown;
    for (const item of node.items as unknown[]) {
      const candidates = isPair(item) ? [item.key, item.value] : [item];
      next = candidates.find(holds);
      if (next !== undefined) break;
    }
    node = next;
  }
  return flow;
}

function entriesOf(map: TMap): ResourceEntry[] {
  return map.entries.map((entry) => ({ logicalId: String(entry.key.value), key: entry.key, value: entry.value }));
}

// ---------------------------------------------------------------------------------------------
// JSON

/** The pieces of a JSON template (already parsed by the engine's parser), or undefined when it is not one. */
export function jsonTemplate(text: string, parsed: ParsedJson): TemplateShape | undefined {
  const root = parsed.root;
  if (root?.type !== 'object' || !looksLikeTemplate(text)) return undefined;
  let resources: Node | undefined;
  let hasVersion = false;
  for (const property of root.children ?? []) {
    const key = property.children?.[0]?.value;
    if (key === 'Resources') resources = property.children?.[1];
    else if (key === 'AWSTemplateFormatVersion') hasVersion = true;
  }
  if (resources?.type !== 'object') return undefined;
  const entries = (resources.children ?? []).filter((property) => property.children?.length === 2);
  if (!hasVersion && !entries.some((property) => typeOf(property.children![1])?.startsWith('AWS::'))) return undefined;
  const problems = parsed.problems
    .filter((problem) => problem.kind === 'syntax')
    .map((problem) => ({ message: `JSON: ${problem.message}`, start: problem.offset, end: problem.offset + problem.length }));
  const pieces = entries.map((property): TemplatePiece => {
    const offset = property.offset;
    const pieceText = text.slice(offset, offset + property.length);
    return {
      offset,
      text: pieceText,
      read: () => {
        const [keyNode, valueNode] = property.children!;
        const key = fromJson(keyNode, text, offset) as TScalar;
        return { resources: [{ logicalId: String(keyNode.value), key, value: fromJson(valueNode, text, offset) }], problems: [] };
      },
    };
  });
  return { format: 'json', pieces, problems };
}

function typeOf(resource: Node): string | undefined {
  if (resource.type !== 'object') return undefined;
  for (const property of resource.children ?? []) {
    if (property.children?.[0]?.value === 'Type' && typeof property.children[1]?.value === 'string') return property.children[1].value;
  }
  return undefined;
}

/** Converts a node of the engine's JSON tree into a template value, offsets made relative to `base`. */
export function fromJson(node: Node, text: string, base: number): TValue {
  const start = node.offset - base;
  const end = node.offset + node.length - base;
  switch (node.type) {
    case 'object': {
      const map: TMap = { type: 'map', entries: [], start, end };
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key === undefined || value === undefined) continue;
        map.entries.push({ key: fromJson(key, text, base) as TScalar, value: fromJson(value, text, base) });
      }
      return longFormIntrinsic(map) ?? map;
    }
    case 'array':
      return { type: 'seq', items: (node.children ?? []).map((child) => fromJson(child, text, base)), start, end };
    case 'string': {
      const value = node.value as string;
      const scalar: TScalar = { type: 'scalar', value, start, end, style: 'json' };
      if (node.length === value.length + 2 && text.slice(node.offset + 1, node.offset + 1 + value.length) === value) scalar.exact = start + 1;
      return scalar;
    }
    case 'number':
      return { type: 'scalar', value: node.value as number, raw: text.slice(node.offset, node.offset + node.length), start, end, style: 'json' };
    case 'boolean':
    case 'null':
      return { type: 'scalar', value: node.value as boolean | null, start, end, style: 'json' };
    default:
      return { type: 'opaque', start, end };
  }
}
