/**
 * A CloudFormation template's values as the policy code needs them, the same for YAML and
 * JSON: maps, sequences, scalars and intrinsic functions, each with its range in the source.
 * Offsets are relative to the start of the piece of the template that was parsed (one
 * resource; see ./template.ts), so a resource that only moved keeps its values.
 */

export interface Span {
  /** First character of the value in the source (the tag of a short-form intrinsic included). */
  start: number;
  /** Just past its last character. */
  end: number;
}

export type TValue = TMap | TSeq | TScalar | TIntrinsic | TOpaque;

export interface TMap extends Span {
  type: 'map';
  entries: TEntry[];
}

export interface TEntry {
  key: TScalar;
  value: TValue;
}

export interface TSeq extends Span {
  type: 'seq';
  items: TValue[];
}

export interface TScalar extends Span {
  type: 'scalar';
  value: string | number | boolean | null;
  /**
   * Where a string value's characters stand in the source one to one (the offset of its first
   * character), when they do: a plain scalar or a quoted one without escapes, on one line.
   * Undefined for escapes, folded lines and block scalars, where an offset inside the value
   * has no single place in the source.
   */
  exact?: number;
  /** For numbers: the source text, rendered as it was written when it is JSON. */
  raw?: string;
  /** How the scalar is written, for fixes that put a new value in its place. */
  style: ScalarStyle;
}

export type ScalarStyle = 'plain' | 'single' | 'double' | 'block' | 'json';

/** `!Sub x` or `{"Fn::Sub": x}`: the function's full name (`Fn::Sub`, `Ref`) and its argument. */
export interface TIntrinsic extends Span {
  type: 'intrinsic';
  name: string;
  argument: TValue;
}

/** Something the policy code does not read (a YAML alias, an unknown tag): an unknown value. */
export interface TOpaque extends Span {
  type: 'opaque';
}

/** Intrinsic functions by the short-form tag and the long name. */
export const INTRINSICS: ReadonlySet<string> = new Set([
  'Ref',
  'Condition',
  'Fn::Base64',
  'Fn::Cidr',
  'Fn::FindInMap',
  'Fn::GetAtt',
  'Fn::GetAZs',
  'Fn::If',
  'Fn::ImportValue',
  'Fn::Join',
  'Fn::Select',
  'Fn::Split',
  'Fn::Sub',
  'Fn::Transform',
  'Fn::Length',
  'Fn::ToJsonString',
  'Fn::And',
  'Fn::Equals',
  'Fn::Not',
  'Fn::Or',
  'Fn::ForEach',
]);

/** The long name of a short-form tag (`!Sub` → `Fn::Sub`), or undefined for other tags. */
export function intrinsicOfTag(tag: string): string | undefined {
  const name = tag.startsWith('!') ? tag.slice(1) : tag;
  if (name === 'Ref' || name === 'Condition') return name;
  const long = `Fn::${name}`;
  return INTRINSICS.has(long) ? long : undefined;
}

/** A map of one entry whose key names an intrinsic function (the long form). */
export function longFormIntrinsic(map: TMap): TIntrinsic | undefined {
  if (map.entries.length !== 1) return undefined;
  const [entry] = map.entries;
  const name = entry.key.value;
  // `Condition` is an intrinsic only inside conditions; in a policy it is an element.
  if (typeof name !== 'string' || name === 'Condition' || !INTRINSICS.has(name)) return undefined;
  return { type: 'intrinsic', name, argument: entry.value, start: map.start, end: map.end };
}

/** The entry of a map with this key (the last, as a JSON or YAML reader keeps it). */
export function entryOf(map: TValue | undefined, key: string): TEntry | undefined {
  if (map?.type !== 'map') return undefined;
  for (let i = map.entries.length - 1; i >= 0; i--) if (map.entries[i].key.value === key) return map.entries[i];
  return undefined;
}

export function valueOf(map: TValue | undefined, key: string): TValue | undefined {
  return entryOf(map, key)?.value;
}

/** A literal string (or number) scalar's text; undefined for anything else. */
export function literalString(value: TValue | undefined): string | undefined {
  if (value?.type !== 'scalar') return undefined;
  if (typeof value.value === 'string') return value.value;
  if (typeof value.value === 'number') return value.raw ?? String(value.value);
  return undefined;
}
