/**
 * A view of a parsed document as a policy: where the statements are and what they hold.
 * Nothing is copied: every accessor returns nodes of the parse tree, which carry offsets.
 */
import { findProperty, propertyValue, type Node } from './json';

export interface PolicyView {
  root: Node;
  /** The `Statement` property of the root, when there is one. */
  statementProperty: Node | undefined;
  /** Statement objects: the array's objects, or the single object. Non-objects are skipped. */
  statements: Node[];
}

/** True when the root is an object with a `Statement` key: what makes a JSON file a policy. */
export function hasStatementKey(root: Node | undefined): boolean {
  return findProperty(root, 'Statement') !== undefined;
}

export function viewPolicy(root: Node | undefined): PolicyView | undefined {
  if (root === undefined || root.type !== 'object') return undefined;
  const statementProperty = findProperty(root, 'Statement');
  const value = propertyValue(statementProperty);
  let statements: Node[] = [];
  if (value?.type === 'object') {
    statements = [value];
  } else if (value?.type === 'array') {
    statements = value.children!.filter((child) => child.type === 'object');
  }
  return { root, statementProperty, statements };
}

/**
 * The string nodes of an element whose value is a string or an array of strings
 * (Action, Resource...). Anything else in it is ignored here; the grammar checks report it.
 */
export function stringValues(value: Node | undefined): Node[] {
  if (value === undefined) return [];
  if (value.type === 'string') return [value];
  if (value.type === 'array') return value.children!.filter((child) => child.type === 'string');
  return [];
}

/**
 * Every string node anywhere under `value` (Principal's `{"AWS": [...]}` and the like),
 * walked without recursion so no nesting can overflow the stack.
 */
export function allStrings(value: Node | undefined): Node[] {
  const result: Node[] = [];
  const pending: Node[] = value === undefined ? [] : [value];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.type === 'string') {
      result.push(node);
    } else if (node.type === 'property') {
      const child = node.children![1];
      if (child !== undefined) pending.push(child);
    } else if (node.children !== undefined) {
      for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i]);
    }
  }
  return result;
}

export { findProperty, propertyValue };

/**
 * The innermost node whose range holds `offset` (its end excluded), as jsonc-parser's
 * findNodeAtOffset finds it, but walked without recursion so no nesting can overflow the stack.
 */
export function nodeAt(root: Node | undefined, offset: number): Node | undefined {
  let node = root;
  if (node === undefined || offset < node.offset || offset >= node.offset + node.length) return undefined;
  for (;;) {
    const inner: Node | undefined = node.children?.find((child) => child.offset <= offset && offset < child.offset + child.length);
    if (inner === undefined) return node;
    node = inner;
  }
}

/** The path from the root to a node (property names and array indexes), as jsonc-parser's getNodePath gives it, without recursion. */
export function pathOf(node: Node): Array<string | number> {
  const path: Array<string | number> = [];
  for (let child = node, parent = node.parent; parent?.children !== undefined; child = parent, parent = parent.parent) {
    if (parent.type === 'property') path.push(parent.children[0].value as string);
    else if (parent.type === 'array') {
      const index = parent.children.indexOf(child);
      if (index !== -1) path.push(index);
    }
  }
  return path.reverse();
}

/**
 * The Sid of the statement that holds an offset, if it has one: for settings that apply to
 * some statements only. Statements are in document order, so the search halves.
 */
export function sidLookup(policy: PolicyView | undefined): (offset: number) => string | undefined {
  const statements = policy?.statements ?? [];
  return (offset) => {
    let low = 0;
    let high = statements.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const statement = statements[middle];
      if (offset < statement.offset) high = middle - 1;
      else if (offset >= statement.offset + statement.length) low = middle + 1;
      else {
        const sid = propertyValue(findProperty(statement, 'Sid'))?.value;
        return typeof sid === 'string' && sid !== '' ? sid : undefined;
      }
    }
    return undefined;
  };
}
