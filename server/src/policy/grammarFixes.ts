/**
 * Fixes for the policy grammar and the catalog checks: the canonical case of an action,
 * operator, element or Effect; the closest action, service or operator for a misspelling;
 * a missing Version; a Principal that has no place in an identity policy.
 */
import { findNodeAtOffset } from 'jsonc-parser';
import type { Analysis } from './analyze';
import type { Catalog } from './catalog';
import { STATEMENT_ELEMENTS, TOP_LEVEL_ELEMENTS } from './checks/elements';
import { operatorNames, parseOperator } from './conditions';
import type { Finding } from './findings';
import type { Node } from './json';
import { closest } from './similar';
import type { Fix, TextEdit } from './fixes';

/** The string node a finding points into (its inside or the whole token). */
function stringAt(analysis: Analysis, offset: number): Node | undefined {
  const root = analysis.parsed.root;
  if (root === undefined) return undefined;
  const node = findNodeAtOffset(root as never, offset, false) as Node | undefined;
  return node?.type === 'string' ? node : undefined;
}

const replaceString = (node: Node, value: string): TextEdit => ({ offset: node.offset, length: node.length, newText: JSON.stringify(value) });

export function grammarFixes(text: string, analysis: Analysis, item: Finding, catalog: Catalog | undefined): Fix[] {
  switch (item.code) {
    case 'action-case':
    case 'unknown-action':
      return actionFixes(analysis, item, catalog);
    case 'unknown-service':
      return serviceFixes(analysis, item, catalog);
    case 'unknown-operator':
      return operatorFixes(analysis, item);
    case 'invalid-effect':
      return effectFixes(analysis, item);
    case 'unknown-element':
      return elementFixes(analysis, item);
    case 'missing-version':
      return [versionFix(text, analysis)].filter((fix): fix is Fix => fix !== undefined);
    case 'old-version': {
      const node = stringAt(analysis, item.offset);
      return node === undefined ? [] : [{ title: 'Use Version 2012-10-17 (policy variables are then substituted)', edits: [replaceString(node, '2012-10-17')] }];
    }
    case 'principal-in-identity-policy':
      return principalFixes(text, analysis, item);
    default:
      return [];
  }
}

function actionFixes(analysis: Analysis, item: Finding, catalog: Catalog | undefined): Fix[] {
  const node = stringAt(analysis, item.offset);
  if (node === undefined || catalog === undefined) return [];
  const [vendor, name] = String(node.value).split(':');
  const service = catalog.service(vendor);
  if (service === undefined || name === undefined) return [];
  const exact = service.actions.get(name.toLowerCase());
  if (exact !== undefined) {
    return [{ title: `Change to ${service.prefix}:${exact.name}`, edits: [replaceString(node, `${service.prefix}:${exact.name}`)], isPreferred: true }];
  }
  const suggestion = closest(name, [...service.actions.values()].map((action) => action.name));
  if (suggestion === undefined) return [];
  return [{ title: `Change to ${service.prefix}:${suggestion}`, edits: [replaceString(node, `${service.prefix}:${suggestion}`)] }];
}

function serviceFixes(analysis: Analysis, item: Finding, catalog: Catalog | undefined): Fix[] {
  const node = stringAt(analysis, item.offset);
  if (node === undefined || catalog === undefined) return [];
  const wrong = text(node).slice(item.offset - node.offset - 1, item.offset - node.offset - 1 + item.length);
  const suggestion = closest(wrong, catalog.servicePrefixes());
  if (suggestion === undefined) return [];
  return [{ title: `Change the service prefix to ${suggestion}`, edits: [{ offset: item.offset, length: item.length, newText: suggestion }] }];
}

/** A string node's value as written between its quotes (no escapes in what these fix). */
function text(node: Node): string {
  return String(node.value);
}

function operatorFixes(analysis: Analysis, item: Finding): Fix[] {
  const node = stringAt(analysis, item.offset);
  if (node === undefined) return [];
  const parsed = parseOperator(text(node));
  if (parsed.suggestion !== undefined) {
    return [{ title: `Change to ${parsed.suggestion}`, edits: [replaceString(node, parsed.suggestion)], isPreferred: true }];
  }
  const prefix = parsed.setPrefix ?? '';
  const suggestion = closest(text(node).slice(prefix.length), operatorNames());
  if (suggestion === undefined) return [];
  return [{ title: `Change to ${prefix}${suggestion}`, edits: [replaceString(node, prefix + suggestion)] }];
}

function effectFixes(analysis: Analysis, item: Finding): Fix[] {
  const node = stringAt(analysis, item.offset);
  if (node === undefined) return [];
  const lower = text(node).toLowerCase();
  const fixed = lower === 'allow' ? 'Allow' : lower === 'deny' ? 'Deny' : undefined;
  if (fixed === undefined) {
    return ['Allow', 'Deny'].map((value) => ({ title: `Change to "${value}"`, edits: [replaceString(node, value)] }));
  }
  return [{ title: `Change to "${fixed}"`, edits: [replaceString(node, fixed)], isPreferred: true }];
}

function elementFixes(analysis: Analysis, item: Finding): Fix[] {
  const node = stringAt(analysis, item.offset);
  const property = node?.parent;
  if (node === undefined || property?.type !== 'property') return [];
  const known: readonly string[] = property.parent === analysis.parsed.root ? TOP_LEVEL_ELEMENTS : STATEMENT_ELEMENTS;
  const name = text(node);
  const sameCase = known.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const suggestion = sameCase ?? closest(name, known, 2);
  if (suggestion === undefined) return [];
  return [{ title: `Change to ${suggestion}`, edits: [replaceString(node, suggestion)], isPreferred: sameCase !== undefined }];
}

function versionFix(text: string, analysis: Analysis): Fix | undefined {
  const root = analysis.parsed.root;
  if (root?.type !== 'object') return undefined;
  const first = root.children![0];
  const insertAt = root.offset + 1;
  // Match the layout of the first property: on its own line with its indentation, or inline.
  const between = first === undefined ? '' : text.slice(insertAt, first.offset);
  const newText = first === undefined
    ? '"Version": "2012-10-17"'
    : between.includes('\n') ? `${between}"Version": "2012-10-17",` : '"Version": "2012-10-17", ';
  return { title: 'Add "Version": "2012-10-17"', edits: [{ offset: insertAt, length: 0, newText }], isPreferred: true };
}

function principalFixes(text: string, analysis: Analysis, item: Finding): Fix[] {
  const key = stringAt(analysis, item.offset);
  const property = key?.parent;
  if (key === undefined || property?.type !== 'property') return [];
  return [{ title: `Remove ${String(key.value)} (identity policies name no principal)`, edits: [removeProperty(text, property)], isPreferred: true }];
}

/** Deletes a property with the comma that separates it from a neighbour, and its line if alone. */
export function removeProperty(text: string, property: Node): TextEdit {
  const object = property.parent!;
  const siblings = object.children!;
  const index = siblings.indexOf(property);
  let start = property.offset;
  let end = property.offset + property.length;
  if (index < siblings.length - 1) {
    // Up to the next property, taking the comma and the white space after it.
    end = siblings[index + 1].offset;
    // Keep the next property's indentation: cut at the start of its line when on another line.
    const between = text.slice(property.offset + property.length, end);
    const newline = between.lastIndexOf('\n');
    if (newline >= 0) {
      end = property.offset + property.length + newline + 1;
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      if (/^[ \t]*$/.test(text.slice(lineStart, start))) start = lineStart;
    }
  } else if (index > 0) {
    // The last one: from the end of the previous property, taking the comma.
    start = siblings[index - 1].offset + siblings[index - 1].length;
  }
  return { offset: start, length: end - start, newText: '' };
}
