/**
 * Edits that rewrite a Condition element for the condition checks' quick fixes: move a key to
 * the Null operator, drop a key that restricts nothing, rename an operator. Each keeps the
 * document valid JSON (commas, an operator block left empty) or gives no edit at all.
 */
import { removeProperty, type TextEdit } from '../edits';
import type { Node } from '../json';

/** The Condition element's operator property with this exact name, if any. */
export function operatorNamed(condition: Node, name: string): Node | undefined {
  return condition.children!.find((property) => property.children![0].value === name);
}

/** Whether renaming an operator to `name` is safe: no other block of the Condition has that name. */
export function canRename(condition: Node, operatorProperty: Node, name: string): boolean {
  const existing = operatorNamed(condition, name);
  return existing === undefined || existing === operatorProperty;
}

/**
 * Removes one key of an operator block; the block too when it was its only key, and the whole
 * Condition element when that block was its only one.
 */
export function removeConditionKey(text: string, condition: Node, operatorProperty: Node, keyProperty: Node): TextEdit {
  const block = operatorProperty.children![1];
  if (block.children!.length > 1) return removeProperty(text, keyProperty);
  if (condition.children!.length > 1 || condition.parent?.type !== 'property') return removeProperty(text, operatorProperty);
  return removeProperty(text, condition.parent);
}

/**
 * Edits that test the key with Null instead (`"Null": {"key": "true"}`): the key leaves its
 * block (or the block goes, when it had no other key) and joins the Null block, made when there
 * is none. Undefined when the Null block already tests that key or is not an object.
 */
export function moveToNull(text: string, condition: Node, operatorProperty: Node, keyProperty: Node, nullValue: 'true' | 'false'): TextEdit[] | undefined {
  const keyNode = keyProperty.children![0];
  const keyText = text.slice(keyNode.offset, keyNode.offset + keyNode.length);
  const entry = `${keyText}: "${nullValue}"`;
  const block = operatorProperty.children![1];
  const only = block.children!.length === 1;
  const nullProperty = operatorNamed(condition, 'Null');
  if (nullProperty === undefined) {
    if (only) return [{ offset: operatorProperty.offset, length: operatorProperty.length, newText: `"Null": {${entry}}` }];
    const last = condition.children![condition.children!.length - 1];
    return [removeProperty(text, keyProperty), { offset: last.offset + last.length, length: 0, newText: `, "Null": {${entry}}` }];
  }
  const nullBlock = nullProperty.children![1];
  if (nullBlock?.type !== 'object') return undefined;
  const key = String(keyNode.value).toLowerCase();
  if (nullBlock.children!.some((property) => String(property.children![0].value).toLowerCase() === key)) return undefined;
  const lastNull = nullBlock.children![nullBlock.children!.length - 1];
  const insertion: TextEdit =
    lastNull === undefined
      ? { offset: nullBlock.offset + 1, length: 0, newText: entry }
      : { offset: lastNull.offset + lastNull.length, length: 0, newText: `, ${entry}` };
  const removal = only ? removeProperty(text, operatorProperty) : removeProperty(text, keyProperty);
  return [removal, insertion].sort((a, b) => a.offset - b.offset);
}
