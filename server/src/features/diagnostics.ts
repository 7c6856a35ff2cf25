/** Findings of the engine as LSP diagnostics. */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from 'iam-policy-engine';
import { docsAnchor } from 'iam-policy-engine';

export const SOURCE = 'iam-policy';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What turns offsets into positions: the document, or a LineMap of its text. */
export interface Positions {
  positionAt(offset: number): { line: number; character: number };
}

export function rangeOf(document: Positions, offset: number, length: number): Range {
  return { start: document.positionAt(offset), end: document.positionAt(offset + length) };
}

/**
 * @param docsUrl where each code is documented (the README, with the code as anchor), or
 * undefined to leave the link out.
 */
export function toDiagnostic(document: TextDocument, item: Finding, docsUrl: string | undefined, positions: Positions = document): Diagnostic {
  const diagnostic: Diagnostic = {
    range: rangeOf(positions, item.offset, item.length),
    severity: SEVERITY[item.severity],
    code: item.code,
    source: SOURCE,
    message: item.message,
  };
  if (docsUrl !== undefined) diagnostic.codeDescription = { href: `${docsUrl}#${docsAnchor(item.code)}` };
  // What the check worked out for the fix (a suggestion, edits), as vscode-eslint carries its fixes.
  if (item.data !== undefined) diagnostic.data = item.data;
  if (item.related !== undefined) {
    diagnostic.relatedInformation = item.related.map((place) => ({
      location: { uri: document.uri, range: rangeOf(positions, place.offset, place.length) },
      message: place.message,
    }));
  }
  return diagnostic;
}
