/**
 * "Simulate a Request…": asks for an action, a resource ARN and optional context keys, asks the
 * server whether the policy in the editor allows that request (iamPolicy/simulate, IAM's
 * documented order), and answers Allowed, Denied explicitly or Not allowed, naming the deciding
 * statements; Show Statement selects the first of them, the output channel has every
 * statement's verdict. Offline: nothing is sent to AWS, so it works in Restricted Mode too.
 *
 * Given an argument ({ action, resource, context }), it asks nothing (for keybindings and tests).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SimulateRequest, type SimulateParams, type SimulationResult } from 'iam-policy-engine';
import { checkActionInput, checkResourceInput, parseContext } from './inputs';

const LAST_KEY = 'iamPolicy.simulate.last';

export interface SimulateArguments {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
}

async function ask(state: vscode.Memento, document: vscode.TextDocument): Promise<SimulateArguments | undefined> {
  const last = state.get<{ action: string; resource: string; context: string }>(LAST_KEY);
  const title = `Simulate a request against ${document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1)}`;
  const action = await vscode.window.showInputBox({
    title,
    prompt: 'The action (step 1 of 3)',
    value: last?.action ?? '',
    placeHolder: 's3:GetObject',
    validateInput: checkActionInput,
    ignoreFocusOut: true,
  });
  if (action === undefined) return undefined;
  const resource = await vscode.window.showInputBox({
    title,
    prompt: 'The resource ARN, or * (step 2 of 3)',
    value: last?.resource ?? '*',
    placeHolder: 'arn:aws:s3:::bucket/key',
    validateInput: checkResourceInput,
    ignoreFocusOut: true,
  });
  if (resource === undefined) return undefined;
  const contextText = await vscode.window.showInputBox({
    title,
    prompt: 'Context keys of the request, optional (step 3 of 3): key=value separated by spaces; a key twice for two values',
    value: last?.context ?? '',
    placeHolder: 'aws:SourceIp=203.0.113.7 aws:PrincipalTag/team=dev',
    validateInput: (value) => (parseContext(value) === undefined ? 'Each part is key=value, as in aws:SourceIp=203.0.113.7.' : undefined),
    ignoreFocusOut: true,
  });
  if (contextText === undefined) return undefined;
  await state.update(LAST_KEY, { action: action.trim(), resource: resource.trim(), context: contextText });
  return { action: action.trim(), resource: resource.trim(), context: parseContext(contextText) ?? {} };
}

const DECISION_WORDS: Record<SimulationResult['decision'], string> = {
  allowed: 'Allowed',
  'explicit-deny': 'Denied explicitly',
  'implicit-deny': 'Not allowed (implicitly denied)',
};

export async function simulateCommand(
  client: LanguageClient | undefined,
  state: vscode.Memento,
  output: vscode.LogOutputChannel,
  document: vscode.TextDocument | undefined,
  given: SimulateArguments | undefined,
): Promise<SimulationResult | undefined> {
  if (document === undefined) {
    void vscode.window.showWarningMessage('No policy document is open in the editor.');
    return undefined;
  }
  if (client === undefined || !client.isRunning()) {
    void vscode.window.showErrorMessage('The IAM policy language server is not running: nothing can be simulated.');
    return undefined;
  }
  const request = given ?? (await ask(state, document));
  if (request === undefined) return undefined;
  const context: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(request.context ?? {})) context[key] = typeof value === 'string' ? [value] : value;
  const params: SimulateParams = { uri: document.uri.toString(), action: request.action, resource: request.resource, context };
  const result = await client.sendRequest<(SimulationResult & { version: number }) | null>(SimulateRequest.method, params);
  if (result === null) {
    void vscode.window.showWarningMessage('This document is not an IAM policy: nothing to simulate.');
    return undefined;
  }
  output.info(`Simulate ${request.action} on ${request.resource}: ${DECISION_WORDS[result.decision]}`);
  for (const verdict of result.statements)
    output.info(
      `  statement ${verdict.index + 1}${verdict.sid !== undefined ? ` (${verdict.sid})` : ''}: ${verdict.applies ? 'applies' : 'does not apply'}. ${verdict.reason}`,
    );
  for (const note of result.notes) output.info(`  note: ${note}`);
  const buttons = [...(result.deciding.length > 0 ? ['Show Statement'] : []), 'Show Details'];
  const show = result.decision === 'allowed' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const note = result.notes.length > 1 ? ` ${result.notes[0]}` : '';
  void Promise.resolve(show(`${result.summary}${note}`, ...buttons)).then(async (choice) => {
    if (choice === 'Show Details') output.show(true);
    if (choice === 'Show Statement' && result.version === document.version) {
      const statement = result.statements[result.deciding[0]];
      const editor = await vscode.window.showTextDocument(document);
      // Selected from its end back to its start, so the cursor (and the view) is at the start.
      const start = document.positionAt(statement.offset);
      editor.selection = new vscode.Selection(document.positionAt(statement.offset + statement.length), start);
      editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
  });
  return result;
}
