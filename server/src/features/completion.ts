/** LSP completion and hover over the engine's assist functions. */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { documentationOf, type CompletionKind, type CompletionResult, type HoverResult } from 'iam-policy-engine';
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
  private texts: Array<string | (() => string)> = [];

  /** Starts a new list: the previous one's documentation is dropped. */
  begin(): void {
    this.list++;
    this.texts = [];
  }

  /** Keeps an item's documentation, or what makes it; what the item carries to find it again. */
  keep(markdown: string | (() => string)): { list: number; documentation: number } {
    return { list: this.list, documentation: this.texts.push(markdown) - 1 };
  }

  /** The item with its documentation, when it is of the last list. */
  resolve(item: CompletionItem): CompletionItem {
    const data = item.data as { list?: unknown; documentation?: unknown } | undefined;
    if (data?.list !== this.list || typeof data.documentation !== 'number') return item;
    const kept = this.texts[data.documentation];
    if (kept === undefined) return item;
    const markdown = typeof kept === 'function' ? kept() : kept;
    return { ...item, documentation: { kind: MarkupKind.Markdown, value: markdown } };
  }
}

/** What the client takes, which shapes the list. */
export interface CompletionSupport {
  snippets: boolean;
  /** Documentation fetched when an item shows (completionItem/resolve): items carry only the means to find it. */
  deferred?: DeferredDocumentation;
  /**
   * The list's itemDefaults.editRange (LSP 3.17, as VS Code takes it): the range is sent once
   * for the list instead of in every item's textEdit: S3's action list is 26 KB instead of 49 KB.
   */
  editRangeDefault?: boolean;
}

export function toCompletionList(document: TextDocument, result: CompletionResult, support: CompletionSupport): CompletionList {
  const range = rangeOf(document, result.offset, result.length);
  const { deferred } = support;
  deferred?.begin();
  const items: CompletionItem[] = [];
  for (const item of result.items) {
    if (item.snippet && !support.snippets) continue;
    const completion: CompletionItem = { label: item.label, kind: KINDS[item.kind] };
    if (support.editRangeDefault !== true) completion.textEdit = { range, newText: item.insertText };
    else if (item.insertText !== item.label) completion.textEditText = item.insertText;
    // Plain text is what a client assumes without it.
    if (item.snippet) completion.insertTextFormat = InsertTextFormat.Snippet;
    if (item.detail !== undefined) completion.detail = item.detail;
    if (item.documentation !== undefined) {
      if (deferred !== undefined) completion.data = deferred.keep(item.documentation);
      else completion.documentation = { kind: MarkupKind.Markdown, value: documentationOf(item)! };
    }
    // The label is what a client filters by without it.
    if (item.filterText !== undefined && item.filterText !== item.label) completion.filterText = item.filterText;
    if (item.sortText !== undefined) completion.sortText = item.sortText;
    if (item.retrigger) completion.command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
    items.push(completion);
  }
  const list: CompletionList = { isIncomplete: result.incomplete, items };
  if (support.editRangeDefault === true) list.itemDefaults = { editRange: range };
  return list;
}

export function toHover(document: TextDocument, result: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: rangeOf(document, result.offset, result.length) };
}
