/**
 * The VS Code side: starts the IAM policy language server for policy documents.
 * Commands that talk to IAM build on this (see client/src/commands).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Documents the server sees: policies, and JSON it checks only when it has a Statement. */
export const DOCUMENT_SELECTOR = ['iam-policy', 'json', 'jsonc'].flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server', 'main.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { configurationSection: 'iamPolicy' },
  };
  client = new LanguageClient('iamPolicy', 'IAM Policy Language Server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`The IAM policy language server did not start: ${reason}`);
  }
}

export async function deactivate(): Promise<void> {
  if (client !== undefined) {
    await client.stop();
    client = undefined;
  }
}
