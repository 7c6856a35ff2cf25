/**
 * A diagnostic's code leads to its documentation, rendered, in the editor: the server links each
 * code to the README's section (`file:///…/README.md#json-comment`); the client turns that link
 * into a command that opens the README in the Markdown preview scrolled to the section. It is the
 * README packaged with the extension, so it works offline, and it comes from a read-only document
 * of the extension's own (see ruleDocsText.ts for why not the file itself).
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { SHOW_RULE_DOCUMENTATION, documentationText, ruleOfDocumentationLink, showRuleDocumentationLink } from './ruleDocsText';

export const DOCS_SCHEME = 'iam-policy-docs';
/** The document the preview shows: its name is the preview's tab title. */
export const DOCS_URI = vscode.Uri.from({ scheme: DOCS_SCHEME, path: '/IAM Policy documentation.md' });

/** Registers the document and the command; returns what to dispose. */
export function registerRuleDocs(extension: vscode.ExtensionContext): vscode.Disposable[] {
  const provider: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: () => documentationText(readReadme(extension.extensionUri)),
  };
  return [
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, provider),
    vscode.commands.registerCommand(SHOW_RULE_DOCUMENTATION, (code?: unknown) => showRuleDocumentation(typeof code === 'string' ? code : undefined)),
  ];
}

/** The README vsce packs (as readme.md) or the working tree's. */
function readReadme(extensionUri: vscode.Uri): string {
  for (const name of ['readme.md', 'README.md']) {
    try {
      return fs.readFileSync(vscode.Uri.joinPath(extensionUri, name).fsPath, 'utf8');
    } catch {
      // the other spelling
    }
  }
  return '# IAM Policy\n\nThe README is missing from this installation of the extension.\n';
}

/** Opens the documentation in the Markdown preview at the rule's section (the top without one). */
export async function showRuleDocumentation(code: string | undefined): Promise<void> {
  const at = DOCS_URI.with({ fragment: code ?? '' });
  try {
    await vscode.commands.executeCommand('markdown.showPreview', at);
  } catch {
    // No Markdown preview (its built-in extension disabled): the text, at the section's heading.
    const document = await vscode.workspace.openTextDocument(DOCS_URI);
    const line =
      code === undefined
        ? -1
        : document
            .getText()
            .split('\n')
            .findIndex((text) => text === `### ${code}`);
    const position = new vscode.Position(Math.max(line, 0), 0);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: true });
  }
}

/** Rewrites the server's README links of diagnostics' codes into the command that shows them. */
export const ruleDocsMiddleware: Middleware = {
  handleDiagnostics(uri, diagnostics, next) {
    for (const diagnostic of diagnostics) {
      const code = diagnostic.code;
      if (typeof code !== 'object' || code === null) continue;
      const rule = ruleOfDocumentationLink(code.target);
      if (rule !== undefined) diagnostic.code = { value: code.value, target: vscode.Uri.parse(showRuleDocumentationLink(rule)) };
    }
    next(uri, diagnostics);
  },
};
