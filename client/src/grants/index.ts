/**
 * What a policy grants, in the editor: the policy summary beside the editor (also opened by
 * each statement's CodeLens, which the server provides), Simulate a Request…, and the semantic
 * diff the push flow shows before an overwrite. None of it talks to AWS: the commands work in
 * Restricted Mode, so they are registered here rather than in the push commands' table.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GrantsDiffRequest, SHOW_SUMMARY_COMMAND, type GrantsDiff, type GrantsDiffParams } from 'iam-policy-engine';
import type { Ctx } from '../ctx';
import { simulateCommand, type SimulateArguments } from './simulate';
import { PolicySummaryPanel } from './summaryPanel';

export const SIMULATE_COMMAND = 'iamPolicy.simulate';

/** The document a command works on: a URI given by a menu or the CodeLens, else the active editor's. */
async function documentFor(resource: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = resource instanceof vscode.Uri ? resource : typeof resource === 'string' ? vscode.Uri.parse(resource) : undefined;
  if (uri === undefined) return vscode.window.activeTextEditor?.document;
  return vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
}

export function registerGrants(ctx: Ctx, client: () => LanguageClient | undefined): void {
  const summary = new PolicySummaryPanel(client);
  ctx.summary = summary;
  ctx.subscribe(
    summary,
    vscode.commands.registerCommand(SHOW_SUMMARY_COMMAND, async (resource?: unknown, statement?: unknown) => {
      const document = await documentFor(resource);
      if (document === undefined) {
        void vscode.window.showWarningMessage('No policy document is open in the editor.');
        return undefined;
      }
      return summary.show(document, typeof statement === 'number' ? statement : undefined);
    }),
    vscode.commands.registerCommand(SIMULATE_COMMAND, async (given?: SimulateArguments | vscode.Uri) => {
      const argumentsGiven = given !== undefined && !(given instanceof vscode.Uri) ? given : undefined;
      const document = await documentFor(given instanceof vscode.Uri ? given : undefined);
      return simulateCommand(client(), ctx.extension.workspaceState, ctx.output, document, argumentsGiven);
    }),
  );
  // The push flow's semantic diff, asked of the server, which has the service catalog.
  ctx.grantsDiff = async (before: string, after: string): Promise<GrantsDiff | undefined> => {
    const running = client();
    if (running === undefined || !running.isRunning()) return undefined;
    const params: GrantsDiffParams = { before, after, kind: 'identity' };
    return running.sendRequest<GrantsDiff>(GrantsDiffRequest.method, params);
  };
}
