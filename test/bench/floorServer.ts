/**
 * The benchmark's floor: a bare language server that only runs IAM's character-set regular
 * expression and publishes what it finds. Same library, same transport, same document sync
 * as the real server, so the difference between the two is the cost of our checks.
 */
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const DISALLOWED = /[^\t\n\r\u0020-\u00FF]+/gu;

connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));

documents.onDidChangeContent(({ document }) => {
  const text = document.getText();
  const diagnostics: Diagnostic[] = [];
  DISALLOWED.lastIndex = 0;
  for (let match = DISALLOWED.exec(text); match !== null; match = DISALLOWED.exec(text)) {
    diagnostics.push({
      range: { start: document.positionAt(match.index), end: document.positionAt(match.index + match[0].length) },
      message: 'Disallowed character',
      severity: 1,
    });
  }
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
});

documents.listen(connection);
connection.listen();
