/** LSP completion and hover over the engine's assist functions. */
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Hover,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionKind, CompletionResult, HoverResult } from 'iam-policy-engine';
import { rangeOf } from './diagnostics';

const KINDS: Record<CompletionKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  service: CompletionItemKind.Module,
  action: CompletionItemKind.Function,
  operator: CompletionItemKind.Operator,
  conditionKey: CompletionItemKind.Field,
  arn: CompletionItemKind.Reference,
  keyword: CompletionItemKind.Keyword,
};

export function toCompletionList(document: TextDocument, result: CompletionResult, snippetSupport: boolean): CompletionList {
  const range = rangeOf(document, result.offset, result.length);
  const items: CompletionItem[] = [];
  for (const item of result.items) {
    if (item.snippet && !snippetSupport) continue;
    const completion: CompletionItem = {
      label: item.label,
      kind: KINDS[item.kind],
      textEdit: { range, newText: item.insertText },
      insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    };
    if (item.detail !== undefined) completion.detail = item.detail;
    if (item.documentation !== undefined) completion.documentation = { kind: MarkupKind.Markdown, value: item.documentation };
    if (item.filterText !== undefined) completion.filterText = item.filterText;
    if (item.sortText !== undefined) completion.sortText = item.sortText;
    if (item.retrigger) completion.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
    items.push(completion);
  }
  return { isIncomplete: result.incomplete, items };
}

export function toHover(document: TextDocument, result: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: rangeOf(document, result.offset, result.length) };
}
