/**
 * The open documents, the way VS Code's JSON server keeps them: each one's text (updated by
 * incremental changes), the edits since it was last checked, its engine state (incremental
 * parse, disallowed characters, remembered statement findings) and what was last checked and
 * published for it. Everything per document lives here and goes when the document closes.
 *
 * The engine state and the last check are kept for the documents checked most recently
 * (WARM_DOCUMENTS of them), as an editor's language server keeps what it is working on: a
 * workspace of 1,600 open policies held 48 MB of parse trees and findings that nothing would
 * read until those documents changed again. A document that falls out is checked afresh (a
 * full parse) when it next changes or is asked about; its text and published diagnostics stay.
 */
import { TextDocuments, type Connection, type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from 'iam-policy-engine';
import { GrantCache, StatementCache, TemplateCache } from 'iam-policy-engine';
import type { Finding, PolicyKind, RuleSettings } from 'iam-policy-engine';
import { wellFormedChange } from './features/changes';
import { IncrementalCharacters, IncrementalParser, type TextChange } from 'iam-policy-engine';

/** What was last checked for a document. */
export interface DocumentState {
  version: number;
  analysis: Analysis;
  /** What was published: the findings after severity settings and the problem cap. */
  findings: Finding[];
  /** The rules it was checked with (editor settings over the repository's file). */
  rules: RuleSettings;
}

/** The engine's memory of one document, kept across its edits. */
export interface DocumentEngine {
  parser: IncrementalParser;
  characters: IncrementalCharacters;
  statements: StatementCache;
  /** Statement expansions for the summary and the CodeLens (asked for, never while checking). */
  grants: GrantCache;
  /** For a CloudFormation template: what its resources gave, by their text. */
  templates: TemplateCache;
}

/** How many documents keep their engine state and last check (the rest are checked afresh when needed). */
export const WARM_DOCUMENTS = 16;

export class DocumentStore {
  readonly documents: TextDocuments<TextDocument>;
  /** Edits since the last check, per document, for the incremental parser. */
  private readonly pendingChanges = new Map<string, TextChange[] | 'full'>();
  private readonly engines = new Map<string, DocumentEngine>();
  private readonly states = new Map<string, DocumentState>();
  /** The documents with an engine or a state, least recently checked first. */
  private readonly recent = new Set<string>();
  /** Documents whose diagnostics are shown (to clear them once, not on every edit). */
  private readonly published = new Set<string>();
  /** Kinds the user picked in the editor, by document. */
  private readonly chosenKinds = new Map<string, PolicyKind>();

  constructor(private readonly log: (message: string) => void = () => undefined) {
    this.documents = new TextDocuments<TextDocument>({
      create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
      update: (document, changes, version) => this.update(document, changes, version),
    });
  }

  listen(connection: Connection): void {
    this.documents.listen(connection);
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  all(): TextDocument[] {
    return this.documents.all();
  }

  /**
   * Applies a client's changes one by one, noting each as offsets in the text it applies to.
   * A range past the end of the text means its end, as LSP says a position past a line's end
   * means the line's end: it is clamped here, once, before the text and the engine see it, so
   * a wrong range can neither corrupt the text nor grow it.
   */
  private update(document: TextDocument, changes: readonly TextDocumentContentChangeEvent[], version: number): TextDocument {
    const noted = this.pendingChanges.get(document.uri);
    let list: TextChange[] | 'full' = noted ?? [];
    for (const received of changes) {
      // Clamped to the document here, the one place every edit passes (see wellFormedChange).
      const change = wellFormedChange(document, received);
      if (change === undefined) {
        this.log(`Ignored a change to ${document.uri} that has no text.`);
        continue;
      }
      if (!('range' in change) || list === 'full') {
        list = 'full';
      } else {
        const offset = document.offsetAt(change.range.start);
        const end = document.offsetAt(change.range.end);
        list.push({ offset, length: end - offset, text: change.text });
      }
      TextDocument.update(document, [change], version);
    }
    this.pendingChanges.set(document.uri, list);
    return document;
  }

  /** The edits since the last call, or 'full' when the text must be read afresh. */
  takeChanges(uri: string): TextChange[] | 'full' {
    const changes = this.pendingChanges.get(uri) ?? 'full';
    this.pendingChanges.set(uri, []);
    return changes;
  }

  engine(uri: string): DocumentEngine {
    let engine = this.engines.get(uri);
    if (engine === undefined) {
      engine = {
        parser: new IncrementalParser(),
        characters: new IncrementalCharacters(),
        statements: new StatementCache(),
        grants: new GrantCache(),
        templates: new TemplateCache(),
      };
      this.engines.set(uri, engine);
    }
    this.touch(uri);
    return engine;
  }

  /** Marks a document as the one checked last, and lets the least recent go past WARM_DOCUMENTS. */
  private touch(uri: string): void {
    this.recent.delete(uri);
    this.recent.add(uri);
    if (this.recent.size <= WARM_DOCUMENTS) return;
    for (const oldest of this.recent) {
      if (this.recent.size <= WARM_DOCUMENTS) break;
      this.recent.delete(oldest);
      this.engines.delete(oldest);
      this.states.delete(oldest);
      // Its parser is gone: the edits since its last check are no base for a patch.
      if (this.pendingChanges.has(oldest)) this.pendingChanges.set(oldest, 'full');
    }
  }

  /** Drops what the engine remembers of a document (after a bug, or when it stops being a policy). */
  resetEngine(uri: string): void {
    this.engines.delete(uri);
  }

  state(uri: string): DocumentState | undefined {
    return this.states.get(uri);
  }

  setState(uri: string, state: DocumentState): DocumentState {
    this.states.set(uri, state);
    this.touch(uri);
    return state;
  }

  isPublished(uri: string): boolean {
    return this.published.has(uri);
  }

  setPublished(uri: string, published: boolean): void {
    if (published) this.published.add(uri);
    else this.published.delete(uri);
  }

  /** The kind the user picked for a document in the editor, if any. */
  chosenKind(uri: string): PolicyKind | undefined {
    return this.chosenKinds.get(uri);
  }

  setChosenKind(uri: string, kind: PolicyKind | undefined): void {
    if (kind === undefined) this.chosenKinds.delete(uri);
    else this.chosenKinds.set(uri, kind);
  }

  /** Forgets everything about a closed document. */
  forget(uri: string): void {
    this.states.delete(uri);
    this.pendingChanges.delete(uri);
    this.engines.delete(uri);
    this.recent.delete(uri);
    this.published.delete(uri);
    this.chosenKinds.delete(uri);
  }
}
