/**
 * Statements that say what another already says (Access Analyzer's REDUNDANT_STATEMENT). Each
 * statement gets a fingerprint once, kept with its findings in the statement cache: equal for
 * two statements with the same Effect, actions, resources, principals and conditions, whatever
 * their Sid, the order of list entries, repeats, or a string written as a list of one.
 */
import { removeProperty } from '../edits';
import { finding, type Report } from '../findings';
import type { Node } from '../json';

/** Deeper than this, a statement is compared by its text (no recursion without bound). */
const MAX_DEPTH = 32;

export function statementFingerprint(text: string, statement: Node): string {
  const parts: string[] = [];
  for (const property of statement.children ?? []) {
    const key = property.children?.[0];
    if (key === undefined || key.value === 'Sid') continue;
    parts.push(`${JSON.stringify(key.value)}:${canonical(text, property.children![1], 1)}`);
  }
  return `{${parts.sort().join(',')}}`;
}

function canonical(text: string, node: Node | undefined, depth: number): string {
  if (node === undefined) return '';
  if (depth > MAX_DEPTH) return `raw:${text.slice(node.offset, node.offset + node.length)}`;
  switch (node.type) {
    case 'string':
      return `[${JSON.stringify(node.value)}]`;
    case 'array': {
      // A list says what the set of its entries says: order and repeats aside.
      const items = new Set<string>();
      for (const child of node.children!) {
        const item = canonical(text, child, depth + 1);
        // A string's own form is a list of one: take its entry.
        items.add(child.type === 'string' ? item.slice(1, -1) : item);
      }
      return `[${[...items].sort().join(',')}]`;
    }
    case 'object': {
      const members: string[] = [];
      for (const property of node.children!) members.push(`${JSON.stringify(property.children![0].value)}:${canonical(text, property.children![1], depth + 1)}`);
      return `{${members.sort().join(',')}}`;
    }
    default:
      return `${node.type}:${String(node.value)}`;
  }
}

/** Each statement whose fingerprint an earlier one has; the quick fix removes it. */
export function checkRedundantStatements(text: string, statements: readonly Node[], fingerprints: readonly string[]): Report[] {
  const findings: Report[] = [];
  if (statements.length < 2) return findings;
  const first = new Map<string, number>();
  fingerprints.forEach((fingerprint, index) => {
    const earlier = first.get(fingerprint);
    if (earlier === undefined) {
      first.set(fingerprint, index);
      return;
    }
    const statement = statements[index];
    const other = statements[earlier];
    const sid = statement.children?.find((property) => property.children?.[0]?.value === 'Sid')?.children?.[1];
    const [offset, length] = sid !== undefined ? [sid.offset, sid.length] : [statement.offset, 1];
    findings.push(finding('redundant-statement', `Statement ${index + 1} says what statement ${earlier + 1} already says: remove one (an edit to one would leave the other granting what it granted).`, offset, length,
      [{ offset: other.offset, length: 1, message: `Statement ${earlier + 1}, the same` }],
      statement.parent?.type === 'array' ? { edits: [removeProperty(text, statement)] } : undefined));
  });
  return findings;
}
