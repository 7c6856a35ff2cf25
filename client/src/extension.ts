/**
 * The VS Code side: registers the commands that push policies to IAM (client/src/commands),
 * then starts the IAM policy language server for policy documents. Commands come first, so
 * they work even when the server cannot start; either failure is shown, not swallowed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import { registerGrants } from './grants';
import { registerRuleDocs, ruleDocsMiddleware } from './ruleDocs';
import { PolicyKindStatus } from './kindStatus';

let client: LanguageClient | undefined;
let ctx: Ctx | undefined;

/**
 * Documents the server sees: policies, JSON it checks only when it has a Statement or is a
 * CloudFormation template, and YAML and `*.template` files it checks only when they are
 * templates (other YAML it leaves alone, after a test for two words).
 */
export const DOCUMENT_SELECTOR = [
  ...['iam-policy', 'json', 'jsonc', 'yaml'].flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]),
  { scheme: 'file', pattern: '**/*.template' },
];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  try {
    ctx = new Ctx(context);
    context.subscriptions.push(ctx);
    registerCommands(ctx);
    registerGrants(ctx, () => client);
    ctx.subscribe(...registerRuleDocs(context));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`The IAM Policy commands could not be set up: ${reason}`);
    throw error;
  }

  const serverModule = context.asAbsolutePath(path.join('dist', 'server', 'main.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: { configurationSection: 'iamPolicy' },
    // A diagnostic's code opens its documentation in the Markdown preview, not the README file.
    middleware: ruleDocsMiddleware,
  };
  client = new LanguageClient('iamPolicy', 'IAM Policy Language Server', serverOptions, clientOptions);
  try {
    await client.start();
    ctx.kinds = new PolicyKindStatus(client, context.workspaceState);
    ctx.subscribe(ctx.kinds);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.output.error(`The language server did not start: ${reason}`);
    void vscode.window.showErrorMessage(`The IAM policy language server did not start: ${reason}`);
  }
}

export async function deactivate(): Promise<void> {
  if (client !== undefined) {
    await client.stop();
    client = undefined;
  }
  ctx = undefined;
}
