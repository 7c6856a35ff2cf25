/**
 * Code actions in the manner of vscode-eslint: for each finding under the cursor its fixes
 * (the preferred one marked), "fix all" variants, and a `source.fixAll.iamPolicy` action
 * for fix-on-save.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from 'iam-policy-engine';
import { fixAll, fixesFor, sidLookup, type TextEdit } from 'iam-policy-engine';
import type { Finding } from 'iam-policy-engine';
import { offsetOf } from './changes';
import { rangeOf, SOURCE, toDiagnostic } from './diagnostics';
import { ignoreActions } from './ignoreRule';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.iamPolicy`;

export interface CodeActionContext {
  document: TextDocument;
  analysis: Analysis;
  /** The findings as reported (after severity settings). */
  findings: readonly Finding[];
  /** The file's path for file: documents, for the rename fix. */
  filePath: string | undefined;
  /** Whether the client can rename files through a workspace edit. */
  canRenameFiles: boolean;
  docsUrl: string | undefined;
  /** Codes whose findings may be fixed by the fix-all action (the rules not turned off). */
  fixable: ReadonlySet<string>;
  /** Where "Ignore this rule" writes (file: documents only). */
  configFile: string | undefined;
}

export function codeActions(params: CodeActionParams, context: CodeActionContext): CodeAction[] {
  const { document, analysis } = context;
  const only = params.context.only;
  const wants = (kind: string): boolean => only === undefined || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));

  const actions: CodeAction[] = [];
  const text = document.getText();

  if (wants(CodeActionKind.QuickFix)) {
    const start = offsetOf(document, params.range.start);
    const end = offsetOf(document, params.range.end);
    const seen = new Set<string>();
    for (const item of context.findings) {
      const itemEnd = item.offset + item.length;
      // Overlaps the requested range (touching counts, as a cursor at a word's end does).
      if (itemEnd < start || item.offset > end) continue;
      const diagnostic = matchingDiagnostic(params.context.diagnostics, document, item) ?? toDiagnostic(document, item, context.docsUrl);
      for (const fix of fixesFor(text, analysis, item)) {
        // "Fix all" variants are the same for every finding of a kind: offer them once.
        const key = fix.isPreferred ? `${item.offset}:${fix.title}` : fix.title;
        if (seen.has(key)) continue;
        seen.add(key);
        let edit: WorkspaceEdit;
        if (fix.renameTo !== undefined) {
          if (!context.canRenameFiles || context.filePath === undefined) continue;
          const newUri = document.uri.slice(0, document.uri.lastIndexOf('/') + 1) + encodeURIComponent(fix.renameTo);
          edit = { documentChanges: [{ kind: 'rename', oldUri: document.uri, newUri, options: { overwrite: false, ignoreIfExists: false } }] };
        } else {
          edit = textEdit(document, fix.edits);
        }
        const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
        if (fix.isPreferred) action.isPreferred = true;
        actions.push(action);
      }
    }
  }

  if (wants(CodeActionKind.QuickFix) && context.filePath !== undefined && context.configFile !== undefined) {
    // Last, after the fixes: muting a rule is the answer when there is nothing to mend.
    const start = offsetOf(document, params.range.start);
    const end = offsetOf(document, params.range.end);
    const sidAt = sidLookup(analysis.policy);
    const offered = new Set<string>();
    for (const item of context.findings) {
      if (item.offset + item.length < start || item.offset > end) continue;
      const sid = sidAt(item.offset);
      const key = `${item.code}:${sid ?? ''}`;
      if (offered.has(key)) continue;
      offered.add(key);
      const diagnostic = matchingDiagnostic(params.context.diagnostics, document, item) ?? toDiagnostic(document, item, context.docsUrl);
      actions.push(...ignoreActions(item, diagnostic, context.filePath, context.configFile, sid));
    }
  }

  if (wants(FIX_ALL_KIND)) {
    const edits = fixAll(text, analysis, context.fixable);
    if (edits.length > 0) {
      actions.push({ title: 'Fix all safely fixable IAM policy problems', kind: FIX_ALL_KIND, edit: textEdit(document, edits) });
    }
  }
  return actions;
}

function textEdit(document: TextDocument, edits: readonly TextEdit[]): WorkspaceEdit {
  const lspEdits: LspTextEdit[] = edits.map((edit) => ({ range: rangeOf(document, edit.offset, edit.length), newText: edit.newText }));
  return { changes: { [document.uri]: lspEdits } };
}

function matchingDiagnostic(diagnostics: readonly Diagnostic[], document: TextDocument, item: Finding): Diagnostic | undefined {
  const range = rangeOf(document, item.offset, item.length);
  return diagnostics.find(
    (diagnostic) =>
      diagnostic.source === SOURCE &&
      diagnostic.code === item.code &&
      diagnostic.range.start.line === range.start.line &&
      diagnostic.range.start.character === range.start.character &&
      diagnostic.range.end.line === range.end.line &&
      diagnostic.range.end.character === range.end.character,
  );
}
