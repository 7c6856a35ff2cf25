/**
 * Statements that say what another already says (Access Analyzer's REDUNDANT_STATEMENT): the
 * same Effect, actions, resources, principals and conditions, whatever their Sid, the order of
 * list entries, repeats (in lists of up to 16 entries), or a string written as a list of one.
 *
 * Each statement gets a cheap number once, kept with its findings in the statement cache: a
 * sum over its strings, each with the names above it, so order does not change it. Only
 * statements whose numbers meet are compared for real (statementForm), which sorts their lists:
 * too slow to do for every statement of a 131,072-character policy on every keystroke.
 */
import { removeProperty } from '../edits';
import { finding, type Report } from '../findings';
import type { Node } from '../json';

/** The statement's number: equal for statements that say the same, mostly different otherwise. */
export function statementFingerprint(statement: Node): number {
  let sum = 0;
  for (const property of statement.children ?? []) {
    const key = property.children?.[0];
    const value = property.children?.[1];
    if (key === undefined || value === undefined || key.value === 'Sid') continue;
    sum = (sum + numberOf(value, sample(key.value as string, 17), 1)) | 0;
  }
  return sum;
}

/** The sum of a value's strings, each mixed with the names above it (deeper than MAX_DEPTH: its size only). */
function numberOf(node: Node, path: number, depth: number): number {
  if (depth > MAX_DEPTH) return node.length;
  let sum = 0;
  if (node.type === 'array') {
    // A repeated string adds nothing to a list, nor to its number. Only in short lists: a set
    // of thousands of actions costs more than the rest; a repeat there is redundant-action's.
    const children = node.children!;
    const dedupe = children.length > 1 && children.length <= DEDUPED_LIST;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (dedupe && child.type === 'string' && repeats(children, i)) continue;
      sum = (sum + numberOf(child, path, depth + 1)) | 0;
    }
  } else if (node.type === 'object') {
    for (const property of node.children!) {
      const value = property.children![1];
      if (value !== undefined) sum = (sum + numberOf(value, sample(property.children![0].value as string, path), depth + 1)) | 0;
    }
  } else {
    sum = mix(sample(String(node.value), path ^ TYPE_SEED[node.type]));
  }
  return sum;
}

/** Whether string entry `i` of a list repeats an earlier one. */
function repeats(children: readonly Node[], i: number): boolean {
  const value = children[i].value;
  for (let j = 0; j < i; j++) if (children[j].type === 'string' && children[j].value === value) return true;
  return false;
}

/** Lists up to this long are compared without their repeats. */
const DEDUPED_LIST = 16;

const TYPE_SEED: Record<string, number> = { string: 0, number: 0x1234567, boolean: 0x2345678, null: 0x3456789, property: 0, array: 0, object: 0 };

/** A value's length and a few of its characters: enough to tell most apart; meetings are compared in full. */
function sample(text: string, seed: number): number {
  const n = text.length;
  let h = Math.imul(seed ^ n, 0x01000193);
  if (n === 0) return h;
  h = Math.imul(h ^ text.charCodeAt(0), 0x01000193);
  h = Math.imul(h ^ text.charCodeAt(n >> 1), 0x01000193);
  h = Math.imul(h ^ text.charCodeAt(n - 1), 0x01000193);
  if (n > 4) {
    h = Math.imul(h ^ text.charCodeAt(1), 0x01000193);
    h = Math.imul(h ^ text.charCodeAt(n - 2), 0x01000193);
    h = Math.imul(h ^ text.charCodeAt(n - 3), 0x01000193);
    h = Math.imul(h ^ text.charCodeAt((n * 3) >> 2), 0x01000193);
  }
  return h;
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Deeper than this, a statement is compared by its text (no recursion without bound). */
const MAX_DEPTH = 32;

/** What a statement says, as text: equal for two statements exactly when they say the same. */
function statementForm(text: string, statement: Node): string {
  const parts: string[] = [];
  for (const property of statement.children ?? []) {
    const key = property.children?.[0];
    if (key === undefined || key.value === 'Sid') continue;
    parts.push(`${key.value as string}=${canonical(text, property.children![1], 1)}`);
  }
  return sortedList(parts, '{', '}');
}

/** A string's form: its length first, so no value can pass for a list or another value. */
const stringForm = (value: string): string => `${value.length}:${value}`;

/** Entries sorted, repeats dropped, joined (one entry needs none of it: most lists have one). */
function sortedList(items: string[], open: string, close: string): string {
  if (items.length === 1) return open + items[0] + close;
  items.sort();
  let result = open;
  for (let i = 0; i < items.length; i++) if (i === 0 || items[i] !== items[i - 1]) result += (i === 0 ? '' : ',') + items[i];
  return result + close;
}

function canonical(text: string, node: Node | undefined, depth: number): string {
  if (node === undefined) return '';
  if (depth > MAX_DEPTH) return `raw:${text.slice(node.offset, node.offset + node.length)}`;
  switch (node.type) {
    // A string says what a list of it says.
    case 'string':
      return `[${stringForm(node.value as string)}]`;
    case 'array': {
      // A list says what the set of its entries says: order and repeats aside.
      const items: string[] = [];
      for (const child of node.children!) items.push(child.type === 'string' ? stringForm(child.value as string) : canonical(text, child, depth + 1));
      return items.length === 0 ? '[]' : sortedList(items, '[', ']');
    }
    case 'object': {
      const members: string[] = [];
      for (const property of node.children!)
        members.push(`${stringForm(property.children![0].value as string)}=${canonical(text, property.children![1], depth + 1)}`);
      return members.length === 0 ? '{}' : sortedList(members, '{', '}');
    }
    default:
      return `${node.type}:${String(node.value)}`;
  }
}

/** A statement's number, and its full form once it was needed (kept with it in the statement cache). */
export interface StatementPrint {
  fingerprint: number;
  form?: string;
}

/** Each statement that says what an earlier one says; the quick fix removes it. */
export function checkRedundantStatements(text: string, statements: readonly Node[], prints: readonly StatementPrint[]): Report[] {
  const findings: Report[] = [];
  if (statements.length < 2) return findings;
  // The first statement of each number; the others of a number, on the rare meeting.
  const first = new Map<number, number>();
  let others: Map<number, number[]> | undefined;
  const formOf = (index: number): string => (prints[index].form ??= statementForm(text, statements[index]));
  for (let index = 0; index < prints.length; index++) {
    const fingerprint = prints[index].fingerprint;
    const earliest = first.get(fingerprint);
    if (earliest === undefined) {
      first.set(fingerprint, index);
      continue;
    }
    others ??= new Map();
    let earlier = others.get(fingerprint);
    if (earlier === undefined) others.set(fingerprint, (earlier = [earliest]));
    const same = earlier.find((other) => formOf(other) === formOf(index));
    if (same === undefined) {
      earlier.push(index);
      continue;
    }
    const statement = statements[index];
    const other = statements[same];
    const sid = statement.children?.find((property) => property.children?.[0]?.value === 'Sid')?.children?.[1];
    const [offset, length] = sid !== undefined ? [sid.offset, sid.length] : [statement.offset, 1];
    findings.push(
      finding(
        'redundant-statement',
        `Statement ${index + 1} says what statement ${same + 1} already says: remove one (an edit to one would leave the other granting what it granted).`,
        offset,
        length,
        [{ offset: other.offset, length: 1, message: `Statement ${same + 1}, the same` }],
        statement.parent?.type === 'array' ? { edits: [removeProperty(text, statement)] } : undefined,
      ),
    );
  }
  return findings;
}
