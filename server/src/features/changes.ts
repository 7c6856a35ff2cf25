/**
 * A didChange's ranges as LSP defines them, before the text store sees them. LSP says a
 * position past the end of a line means the end of that line, and a line past the last means
 * the end of the document; vscode-languageserver-textdocument reads such offsets right but
 * updates its line table with the raw line numbers: a line far past the end (2^31) grows the
 * table until the server runs out of memory, one just past the end leaves holes in it
 * (positions with `character: null`, a document out of step with the editor's).
 */
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * The change with its range clamped to the document and ordered (start before end), each
 * position one the document itself would give; a whole-text change as it is; undefined for
 * something that is neither (no text), which no client should send.
 */
export function wellFormedChange(document: TextDocument, change: TextDocumentContentChangeEvent): TextDocumentContentChangeEvent | undefined {
  const candidate = change as { range?: unknown; text?: unknown };
  if (typeof candidate.text !== 'string') return undefined;
  if (candidate.range === undefined || candidate.range === null) return { text: candidate.text };
  const range = candidate.range as Partial<Range>;
  let start = offsetOf(document, range.start);
  let end = offsetOf(document, range.end);
  if (start > end) [start, end] = [end, start];
  return { range: { start: document.positionAt(start), end: document.positionAt(end) }, text: candidate.text };
}

/** The offset a position stands for, per LSP; anything that is not a position counts as 0. */
export function offsetOf(document: TextDocument, position: Partial<Position> | undefined): number {
  const line = whole(position?.line);
  if (line >= document.lineCount) return document.getText().length;
  // offsetAt stops at the end of the line (before its line break) for a character past it.
  return document.offsetAt({ line, character: whole(position?.character) });
}

/** A line or character number: a whole number of at least 0 (LSP's uinteger). */
function whole(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
