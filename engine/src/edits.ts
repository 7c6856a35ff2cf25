/**
 * Text edits, fixes, and the few ways the fixes build them. Pure functions over text and the
 * parse tree; no rule knowledge here (that is in the rule table, ./rules.ts).
 */
import type { Analysis } from './analyze';
import type { Node } from './json';

export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix to apply when the user asks for "the" fix (Ctrl+. Enter, auto fix). */
  isPreferred?: boolean;
  /** For a file rename: the new base name of the file. */
  renameTo?: string;
}

/** What fixes are given besides the finding: the document and its analysis. */
export interface FixContext {
  text: string;
  analysis: Analysis;
}

/**
 * Applies non-overlapping edits to text. An edit outside the text, or overlapping another, is
 * a bug of whoever made it: it throws rather than guess (slicing would silently copy text, and
 * a fix applied again and again would multiply a file).
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  let result = '';
  let position = 0;
  for (const edit of sorted) {
    const end = edit.offset + edit.length;
    if (!Number.isInteger(edit.offset) || !Number.isInteger(edit.length) || edit.offset < 0 || edit.length < 0 || end > text.length) {
      throw new RangeError(`An edit at ${edit.offset} (length ${edit.length}) lies outside the text (length ${text.length}).`);
    }
    if (edit.offset < position) {
      throw new RangeError(`An edit at ${edit.offset} (length ${edit.length}) overlaps another that ends at ${position}.`);
    }
    result += text.slice(position, edit.offset) + edit.newText;
    position = end;
  }
  return result + text.slice(position);
}

/**
 * Removes `text[offset, offset + length)`; with `wholeLine`, the whole line when nothing else
 * is on it, or the spaces before it when something is.
 */
export function removeRange(text: string, offset: number, length: number, wholeLine: boolean): TextEdit {
  if (wholeLine) {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    let lineEnd = offset + length;
    while (lineEnd < text.length && (text[lineEnd] === ' ' || text[lineEnd] === '\t' || text[lineEnd] === '\r')) lineEnd++;
    const before = text.slice(lineStart, offset);
    if (/^[ \t]*$/.test(before) && (lineEnd >= text.length || text[lineEnd] === '\n')) {
      const end = lineEnd < text.length ? lineEnd + 1 : lineEnd;
      return { offset: lineStart, length: end - lineStart, newText: '' };
    }
    // Something else on the line: take the comment and the spaces before it.
    let start = offset;
    while (start > lineStart && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    return { offset: start, length: offset + length - start, newText: '' };
  }
  return { offset, length, newText: '' };
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

/** Joins edits that touch, so a run of five characters is one edit. */
export function mergeAdjacent(edits: readonly TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of edits) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.offset + last.length === edit.offset) {
      last.length += edit.length;
      last.newText += edit.newText;
    } else {
      merged.push({ ...edit });
    }
  }
  return merged;
}
