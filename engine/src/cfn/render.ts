/**
 * A template's policy as IAM will receive it: CloudFormation resolves the intrinsic functions
 * and sends the policy as JSON. Here the value is resolved as far as the template says
 * (literal text, `Fn::Sub` and `Fn::Join` with literal parts, `Fn::Select` of a literal list,
 * `Fn::If` one branch at a time, `AWS::NoValue` removed) and rendered as compact JSON, the
 * rendering the engine then checks unchanged; every token of it remembers where it comes from
 * in the template, so a finding lands on the template's own text.
 *
 * What the template cannot say (`!Ref`, `!GetAtt`, `!ImportValue`, a `${Name}` of `!Sub`…) is
 * an unknown part, rendered as `*`: a wildcard matches whatever the value will be, so checks
 * that look for what matches nothing stay right. Findings that an unknown part could make
 * wrong are dropped afterwards (./unknowns.ts).
 */
import { sliceRuns, type ExactRun, type ScalarStyle, type Span, type TScalar, type TValue } from './values';

/** A resolved value: what CloudFormation will send, with unknown parts. */
export type RValue = RObject | RArray | RString | RAtom | RUnknown;

export interface RObject {
  t: 'object';
  span: Span;
  entries: REntry[];
}

export interface REntry {
  key: string;
  keySpan: Span;
  /** Where the key's characters stand in the source one to one, when they do. */
  keyExact?: number;
  keyStyle?: ScalarStyle;
  value: RValue;
}

export interface RArray {
  t: 'array';
  span: Span;
  items: RValue[];
}

export interface RString {
  t: 'string';
  span: Span;
  parts: Part[];
}

/** A number, a Boolean or null, as JSON text. */
export interface RAtom {
  t: 'atom';
  span: Span;
  json: string;
  /**
   * A plain YAML scalar read as a number or a Boolean (`123456789012`, `true`): whether
   * CloudFormation sends it as such or as a string is not certain, so no Error rests on its type.
   */
  uncertain?: boolean;
}

/** A whole value the template cannot tell (`!Ref X`): rendered as the string "*". */
export interface RUnknown {
  t: 'unknown';
  span: Span;
}

/**
 * A stretch of a string: literal text (from `exact` on, one to one, when set; else, for a
 * block scalar, the `runs` of it that are) or an unknown part.
 */
export type Part = { text: string; span: Span; exact?: number; runs?: ExactRun[]; style?: ScalarStyle; unknown?: false } | { unknown: true; span: Span };

/** A `${aws:username}` in `Fn::Sub`: CloudFormation reads it as a reference, not IAM's variable. */
export interface SubVariableIssue {
  name: string;
  /** The `${…}` in the source. */
  span: Span;
  /** Where to put the `!` that makes it literal (`${!aws:username}`), when the text maps one to one. */
  insertAt?: number;
}

export interface Resolution {
  /** Whether a `Fn::If` was met: the other branches make another variant. */
  sawIf: boolean;
  subIssues: SubVariableIssue[];
}

/**
 * Resolves a template value. `branch` picks the branch of every `Fn::If` (0 the first, 1 the
 * second). Undefined: the value is `AWS::NoValue` (removed).
 */
export function resolve(value: TValue, branch: 0 | 1, resolution: Resolution): RValue | undefined {
  switch (value.type) {
    case 'scalar':
      return scalarValue(value);
    case 'map': {
      const entries: REntry[] = [];
      for (const entry of value.entries) {
        const resolved = resolve(entry.value, branch, resolution);
        if (resolved === undefined) continue;
        const key = entry.key;
        const keyText = typeof key.value === 'string' ? key.value : String(key.value);
        const item: REntry = { key: keyText, keySpan: { start: key.start, end: key.end }, keyStyle: key.style, value: resolved };
        if (key.exact !== undefined && typeof key.value === 'string') item.keyExact = key.exact;
        entries.push(item);
      }
      return { t: 'object', span: span(value), entries };
    }
    case 'seq': {
      const items: RValue[] = [];
      for (const item of value.items) {
        const resolved = resolve(item, branch, resolution);
        if (resolved !== undefined) items.push(resolved);
      }
      return { t: 'array', span: span(value), items };
    }
    case 'opaque':
      return { t: 'unknown', span: span(value) };
    case 'intrinsic':
      return intrinsic(value.name, value.argument, span(value), branch, resolution);
  }
}

function span(value: Span): Span {
  return { start: value.start, end: value.end };
}

function scalarValue(scalar: TScalar): RValue {
  const value = scalar.value;
  if (typeof value === 'string') {
    const part: Part = { text: value, span: span(scalar), style: scalar.style };
    if (scalar.exact !== undefined) part.exact = scalar.exact;
    else if (scalar.runs !== undefined) part.runs = scalar.runs;
    return { t: 'string', span: span(scalar), parts: [part] };
  }
  const atom: RAtom = { t: 'atom', span: span(scalar), json: typeof value === 'number' ? (scalar.raw ?? JSON.stringify(value)) : JSON.stringify(value) };
  if (scalar.style === 'plain' && value !== null) atom.uncertain = true;
  return atom;
}

function intrinsic(name: string, argument: TValue, where: Span, branch: 0 | 1, resolution: Resolution): RValue | undefined {
  const unknown: RUnknown = { t: 'unknown', span: where };
  switch (name) {
    case 'Ref':
      return argument.type === 'scalar' && argument.value === 'AWS::NoValue' ? undefined : unknown;
    case 'Fn::If': {
      if (argument.type !== 'seq' || argument.items.length !== 3) return unknown;
      resolution.sawIf = true;
      return resolve(argument.items[branch + 1], branch, resolution);
    }
    case 'Fn::Sub':
      return sub(argument, where, branch, resolution) ?? unknown;
    case 'Fn::Join':
      return join(argument, where, branch, resolution) ?? unknown;
    case 'Fn::Select': {
      if (argument.type !== 'seq' || argument.items.length !== 2) return unknown;
      const [indexValue, list] = argument.items;
      const index = indexValue.type === 'scalar' ? Number(indexValue.value) : NaN;
      if (!Number.isInteger(index) || list.type !== 'seq' || index < 0 || index >= list.items.length) return unknown;
      return resolve(list.items[index], branch, resolution) ?? unknown;
    }
    default:
      // Fn::GetAtt, Fn::ImportValue, Fn::FindInMap, Fn::Split, Fn::GetAZs, Fn::Base64, …:
      // values of the stack, known when it is deployed.
      return unknown;
  }
}

/** `Fn::Sub`: its literal text kept, each `${Name}` unknown unless its variable map gives it. */
function sub(argument: TValue, where: Span, branch: 0 | 1, resolution: Resolution): RString | undefined {
  let template: TValue = argument;
  let variables: TValue | undefined;
  if (argument.type === 'seq') {
    if (argument.items.length !== 2) return undefined;
    [template, variables] = argument.items;
  }
  if (template.type !== 'scalar' || typeof template.value !== 'string') return undefined;
  const text = template.value;
  const exact = template.exact;
  const parts: Part[] = [];
  const literal = (from: number, to: number): void => {
    if (to <= from) return;
    const part: Part = {
      text: text.slice(from, to),
      span: exact === undefined ? span(template) : { start: exact + from, end: exact + to },
      style: template.style,
    };
    if (exact !== undefined) part.exact = exact + from;
    else if (template.runs !== undefined) part.runs = sliceRuns(template.runs, from, to);
    parts.push(part);
  };
  /** Where [from, to) of the text stands in the source, when it does one to one. */
  const exactSpan = (from: number, to: number): Span | undefined => {
    if (exact !== undefined) return { start: exact + from, end: exact + to };
    const [run] = sliceRuns(template.runs ?? [], from, to);
    return run !== undefined && run.length === to - from ? { start: run.source, end: run.source + run.length } : undefined;
  };
  let position = 0;
  const VARIABLE = /\$\{([^}]*)\}/g;
  for (let match = VARIABLE.exec(text); match !== null; match = VARIABLE.exec(text)) {
    literal(position, match.index);
    position = match.index + match[0].length;
    const name = match[1];
    const at: Span = exactSpan(match.index, position) ?? span(template);
    const mapped = exactSpan(match.index, position) !== undefined;
    if (name.startsWith('!')) {
      // `${!Literal}` is the text `${Literal}`: not one to one (the `!` goes).
      parts.push({ text: `\${${name.slice(1)}}`, span: at });
      continue;
    }
    const given = variables?.type === 'map' ? variables.entries.find((entry) => entry.key.value === name.trim())?.value : undefined;
    if (given !== undefined) {
      const resolved = resolve(given, branch, resolution);
      if (resolved?.t === 'string') parts.push(...resolved.parts);
      else if (resolved?.t === 'atom') parts.push({ text: resolved.json, span: resolved.span });
      else parts.push({ unknown: true, span: resolved?.span ?? at });
      continue;
    }
    if (/^[A-Za-z0-9-]+:(?!:)/.test(name.trim())) {
      const issue: SubVariableIssue = { name: name.trim(), span: at };
      if (mapped) issue.insertAt = at.start + 2;
      resolution.subIssues.push(issue);
    }
    parts.push({ unknown: true, span: at });
  }
  literal(position, text.length);
  return { t: 'string', span: where, parts };
}

/** `Fn::Join` of a literal list: the parts joined (each delimiter maps to the delimiter's text). */
function join(argument: TValue, where: Span, branch: 0 | 1, resolution: Resolution): RString | undefined {
  if (argument.type !== 'seq' || argument.items.length !== 2) return undefined;
  const [delimiter, list] = argument.items;
  if (delimiter.type !== 'scalar' || typeof delimiter.value !== 'string' || list.type !== 'seq') return undefined;
  const parts: Part[] = [];
  let first = true;
  for (const item of list.items) {
    const resolved = resolve(item, branch, resolution);
    if (resolved === undefined) continue;
    if (!first && delimiter.value !== '') parts.push({ text: delimiter.value, span: span(delimiter) });
    first = false;
    if (resolved.t === 'string') parts.push(...resolved.parts);
    else if (resolved.t === 'atom') parts.push({ text: resolved.json, span: resolved.span });
    else if (resolved.t === 'unknown') parts.push({ unknown: true, span: resolved.span });
    else return undefined; // a list or an object: CloudFormation refuses it
  }
  return { t: 'string', span: where, parts };
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** A token or value of the rendering, with where it comes from. */
export interface RNode {
  kind: 'object' | 'array' | 'string' | 'atom' | 'key' | 'property';
  /** Its range in the rendering. */
  rs: number;
  re: number;
  /** Its range in the source. */
  span: Span;
  children?: RNode[];
  /** For strings and keys: the stretches of its text (inside the quotes). */
  parts?: RenderedPart[];
}

export interface RenderedPart {
  rs: number;
  re: number;
  span: Span;
  /** Source offset of the rendered text's first character, one to one, when it is. */
  exact?: number;
  /** Otherwise, the stretches of the rendered text that stand one to one in the source (a block scalar's lines). */
  runs?: RenderedRun[];
  /** How the source scalar is written (for a fix that writes into it). */
  style?: ScalarStyle;
  unknown: boolean;
}

/** A stretch of the rendering, from `rs`, that stands one to one in the source from `source`. */
export interface RenderedRun {
  rs: number;
  source: number;
  length: number;
}

export interface Rendering {
  text: string;
  root: RNode;
  /** Rendering ranges of the unknown parts, in order. */
  unknowns: Array<[number, number]>;
  /** Rendering ranges of numbers and Booleans whose type is not certain (see RAtom). */
  uncertain: Array<[number, number]>;
}

export function render(value: RValue): Rendering {
  const out: string[] = [];
  let length = 0;
  const unknowns: Array<[number, number]> = [];
  const uncertain: Array<[number, number]> = [];
  const emit = (text: string): void => {
    out.push(text);
    length += text.length;
  };

  const stringToken = (parts: readonly Part[], where: Span, kind: 'string' | 'key'): RNode => {
    const node: RNode = { kind, rs: length, re: 0, span: where, parts: [] };
    emit('"');
    for (const part of parts) {
      const rs = length;
      if (part.unknown === true) {
        emit('*');
        unknowns.push([rs, length]);
        node.parts!.push({ rs, re: length, span: part.span, unknown: true });
        continue;
      }
      const escaped = JSON.stringify(part.text).slice(1, -1);
      emit(escaped);
      const rendered: RenderedPart = { rs, re: length, span: part.span, unknown: false };
      if (part.exact !== undefined && escaped.length === part.text.length) rendered.exact = part.exact;
      else if (part.runs !== undefined) rendered.runs = renderedRuns(part.text, part.runs, rs);
      if (part.style !== undefined) rendered.style = part.style;
      node.parts!.push(rendered);
    }
    emit('"');
    node.re = length;
    return node;
  };

  const walk = (item: RValue): RNode => {
    switch (item.t) {
      case 'string':
        return stringToken(item.parts, item.span, 'string');
      case 'unknown':
        return stringToken([{ unknown: true, span: item.span }], item.span, 'string');
      case 'atom': {
        const rs = length;
        emit(item.json);
        if (item.uncertain === true) uncertain.push([rs, length]);
        return { kind: 'atom', rs, re: length, span: item.span };
      }
      case 'array': {
        const node: RNode = { kind: 'array', rs: length, re: 0, span: item.span, children: [] };
        emit('[');
        item.items.forEach((child, index) => {
          if (index > 0) emit(',');
          node.children!.push(walk(child));
        });
        emit(']');
        node.re = length;
        return node;
      }
      case 'object': {
        const node: RNode = { kind: 'object', rs: length, re: 0, span: item.span, children: [] };
        emit('{');
        item.entries.forEach((entry, index) => {
          if (index > 0) emit(',');
          const keyPart: Part = { text: entry.key, span: entry.keySpan, ...(entry.keyStyle !== undefined ? { style: entry.keyStyle } : {}) };
          if (entry.keyExact !== undefined) keyPart.exact = entry.keyExact;
          const key = stringToken([keyPart], entry.keySpan, 'key');
          emit(':');
          const value = walk(entry.value);
          node.children!.push({
            kind: 'property',
            rs: key.rs,
            re: value.re,
            span: { start: entry.keySpan.start, end: Math.max(entry.keySpan.end, value.span.end) },
            children: [key, value],
          });
        });
        emit('}');
        node.re = length;
        return node;
      }
    }
  };

  const root = walk(value);
  return { text: out.join(''), root, unknowns, uncertain };
}

/**
 * The runs of a string's text in the rendering, which starts at `base`: JSON escapes (a line
 * break's `\n`, a quote's `\"`) stand for no run, and cut the runs they fall in.
 */
function renderedRuns(text: string, runs: readonly ExactRun[], base: number): RenderedRun[] {
  const result: RenderedRun[] = [];
  let index = 0;
  let rendered = base;
  const step = (): boolean => {
    const size = (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
    const width = JSON.stringify(text.slice(index, index + size)).length - 2;
    index += size;
    rendered += width;
    return width === size;
  };
  for (const run of runs) {
    while (index < run.at) step();
    if (index !== run.at) continue;
    let from = -1;
    let fromRendered = 0;
    const end = run.at + run.length;
    const close = (to: number): void => {
      if (from >= 0 && to > from) result.push({ rs: fromRendered, source: run.source + (from - run.at), length: to - from });
      from = -1;
    };
    while (index < end) {
      const at = index;
      const atRendered = rendered;
      if (step()) {
        if (from < 0) {
          from = at;
          fromRendered = atRendered;
        }
      } else {
        close(at);
      }
    }
    close(Math.min(index, end));
  }
  return result;
}

/** The source offset of a rendering offset inside a part, when it stands one to one. */
function exactSource(part: RenderedPart, offset: number): number | undefined {
  if (part.exact !== undefined) return part.exact + (offset - part.rs);
  for (const run of part.runs ?? []) if (run.rs <= offset && offset < run.rs + run.length) return run.source + (offset - run.rs);
  return undefined;
}

/** The innermost node or part of the rendering at an offset. */
function innermost(root: RNode, offset: number): RNode | RenderedPart {
  let node = root;
  for (;;) {
    if (node.parts !== undefined) {
      for (const part of node.parts) if (part.rs <= offset && offset < part.re) return part;
      return node;
    }
    const child = node.children?.find((candidate) => candidate.rs <= offset && offset < candidate.re);
    if (child === undefined) return node;
    node = child;
  }
}

function isPart(item: RNode | RenderedPart): item is RenderedPart {
  return (item as RNode).kind === undefined;
}

/**
 * Where a range of the rendering stands in the source. Inside literal text that maps one to
 * one, exactly; otherwise the values the range starts and ends in. A range of a container's
 * punctuation only (the `{` of a statement, the whole policy's) goes to `anchor(node)`, a short
 * place such as the policy's key, rather than underlining a whole block.
 */
export function sourceRange(rendering: Rendering, offset: number, length: number, anchor: (node: RNode) => Span | undefined): Span {
  const root = rendering.root;
  const first = innermost(root, offset);
  if (length <= 0) {
    const at = isPart(first) ? (exactSource(first, offset) ?? first.span.start) : first.span.start;
    return { start: at, end: at };
  }
  const last = innermost(root, offset + length - 1);
  if (first === last && !isPart(first) && (first.kind === 'object' || first.kind === 'array') && (offset > first.rs || offset + length < first.re)) {
    const place = anchor(first);
    if (place !== undefined) return place;
  }
  const exactStart = isPart(first) ? exactSource(first, offset) : undefined;
  const exactEnd = isPart(last) ? exactSource(last, offset + length - 1) : undefined;
  // Within one part whose ends do not both stand one to one (a folded line break): the whole value.
  if (first === last && isPart(first) && (exactStart === undefined || exactEnd === undefined)) return { start: first.span.start, end: first.span.end };
  const start = exactStart ?? first.span.start;
  const end = exactEnd !== undefined ? exactEnd + 1 : last.span.end;
  return end >= start ? { start, end } : { start, end: start };
}

/** The rendering offset of a source offset inside a literal stretch that maps one to one, if any. */
export function renderingOffset(rendering: Rendering, sourceOffset: number): { offset: number; node: RNode; part: RenderedPart } | undefined {
  const pending: RNode[] = [rendering.root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (sourceOffset < node.span.start - 1 || sourceOffset > node.span.end + 1) {
      // A property's span covers its key and value; other nodes lie within their parent's.
      if (node.kind !== 'property') continue;
    }
    if (node.parts !== undefined) {
      for (const part of node.parts) {
        if (part.exact === undefined) continue;
        const length = part.re - part.rs;
        if (sourceOffset >= part.exact && sourceOffset <= part.exact + length) return { offset: part.rs + (sourceOffset - part.exact), node, part };
      }
      continue;
    }
    for (const child of node.children ?? []) pending.push(child);
  }
  return undefined;
}

/** The rendered string or key node whose source holds the offset (its span), innermost. */
export function renderedLeafAt(rendering: Rendering, sourceOffset: number): RNode | undefined {
  let found: RNode | undefined;
  const pending: RNode[] = [rendering.root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if ((node.kind === 'string' || node.kind === 'key' || node.kind === 'atom') && node.span.start <= sourceOffset && sourceOffset <= node.span.end) {
      if (found === undefined || node.span.end - node.span.start < found.span.end - found.span.start) found = node;
    }
    for (const child of node.children ?? []) pending.push(child);
  }
  return found;
}
