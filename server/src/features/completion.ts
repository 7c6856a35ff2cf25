/** LSP completion and hover over the engine's assist functions. */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList, type Hover } from 'vscode-languageserver';
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

/**
 * The documentation of the last list's items, for clients that fetch it when an item is shown
 * (completionItem/resolve): a service's action list with every item's documentation inline is
 * 50 KB of JSON for a few hundred bytes of labels, written on every keystroke of a completion.
 */
export class DeferredDocumentation {
  private list = 0;
  private texts: string[] = [];

  /** Starts a new list: the previous one's documentation is dropped. */
  begin(): void {
    this.list++;
    this.texts = [];
  }

  /** Keeps an item's documentation; what the item carries to find it again. */
  keep(markdown: string): { list: number; documentation: number } {
    return { list: this.list, documentation: this.texts.push(markdown) - 1 };
  }

  /** The item with its documentation, when it is of the last list. */
  resolve(item: CompletionItem): CompletionItem {
    const data = item.data as { list?: unknown; documentation?: unknown } | undefined;
    if (data?.list !== this.list || typeof data.documentation !== 'number') return item;
    const markdown = this.texts[data.documentation];
    return markdown === undefined ? item : { ...item, documentation: { kind: MarkupKind.Markdown, value: markdown } };
  }
}

/** With `deferred`, items carry no documentation, only the means to resolve it. */
export function toCompletionList(document: TextDocument, result: CompletionResult, snippetSupport: boolean, deferred?: DeferredDocumentation): CompletionList {
  const range = rangeOf(document, result.offset, result.length);
  deferred?.begin();
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
    if (item.documentation !== undefined) {
      if (deferred !== undefined) completion.data = deferred.keep(item.documentation);
      else completion.documentation = { kind: MarkupKind.Markdown, value: item.documentation };
    }
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
