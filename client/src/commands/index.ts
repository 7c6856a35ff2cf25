/**
 * Every command of the extension, registered from this one table (rust-analyzer style). Each
 * entry is thin: find the document, build the run's environment, call the command logic
 * (push.ts, boundary.ts, profile.ts). The manifest (package.json `contributes.commands`)
 * lists the same ids; the extension-host suite checks that the two agree.
 *
 * A command returns its outcome, for tests that run it with executeCommand. An error that is
 * not an IAM failure is a bug: it is shown and logged with its stack, never swallowed.
 *
 * Every command here talks to AWS, so none runs in Restricted Mode (the manifest's when
 * clauses hide them there; a keybinding or another extension could still call them).
 */
import * as vscode from 'vscode';
import { redactSecrets, type EntityKind } from '../aws';
import { documentRef, type Ctx } from '../ctx';
import { setUserPermissionsBoundary } from './boundary';
import { selectProfile } from './profile';
import { pushPolicy, pushPolicyAgain } from './push';
import { answerPendingDiffQuestion } from './vscodeUi';

type Handler = (ctx: Ctx, resource: unknown) => Promise<unknown>;

const push =
  (kind?: EntityKind): Handler =>
  async (ctx, resource) => {
    const document = await ctx.policyDocument(resource);
    return pushPolicy(ctx.env(document?.uri), document !== undefined ? documentRef(document) : undefined, kind);
  };

export const COMMANDS = {
  'iamPolicy.pushToUser': push('user'),
  'iamPolicy.pushToGroup': push('group'),
  'iamPolicy.pushToRole': push('role'),
  'iamPolicy.push': push(),
  'iamPolicy.pushAgain': async (ctx, resource) => {
    const document = await ctx.policyDocument(resource);
    return pushPolicyAgain(ctx.env(document?.uri), document !== undefined ? documentRef(document) : undefined);
  },
  'iamPolicy.setUserPermissionsBoundary': async (ctx) => setUserPermissionsBoundary(ctx.env()),
  'iamPolicy.selectProfile': async (ctx) => selectProfile(ctx),
  'iamPolicy.selectPolicyKind': async (ctx, resource) => {
    const uri = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
    const document = uri === undefined ? undefined : vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString());
    return ctx.kinds?.pick(document);
  },
  // The diff editor's title bar while the question before replacing a policy waits.
  'iamPolicy.diffAnswerYes': async () => answerPendingDiffQuestion(true),
  'iamPolicy.diffAnswerNo': async () => answerPendingDiffQuestion(false),
} satisfies Record<string, Handler>;

export type CommandId = keyof typeof COMMANDS;

export function registerCommands(ctx: Ctx): void {
  for (const [id, handler] of Object.entries(COMMANDS) as [CommandId, Handler][]) {
    ctx.subscribe(vscode.commands.registerCommand(id, (resource?: unknown) => runGuarded(ctx, id, () => handler(ctx, resource))));
  }
}

/** Said when a command is called in Restricted Mode. */
export const RESTRICTED_MESSAGE =
  'The IAM Policy commands that talk to AWS are off in Restricted Mode: this workspace is not trusted. Policies are still checked; trust the workspace to push them.';

async function runGuarded(ctx: Ctx, id: CommandId, run: () => Promise<unknown>): Promise<unknown> {
  if (!vscode.workspace.isTrusted) {
    ctx.output.info(`${id}: not run, the workspace is in Restricted Mode`);
    void vscode.window.showWarningMessage(RESTRICTED_MESSAGE, 'Manage Workspace Trust').then((choice) => {
      if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return { status: 'restricted', message: RESTRICTED_MESSAGE };
  }
  try {
    return await run();
  } catch (error) {
    // A bug's message may hold whatever it was handling: no URL password or token goes out.
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    ctx.output.error(`${id} failed unexpectedly: ${redactSecrets(error instanceof Error && error.stack !== undefined ? error.stack : message)}`);
    void vscode.window.showErrorMessage(`IAM Policy: the command failed unexpectedly: ${message}`, 'Show Output').then((choice) => {
      if (choice === 'Show Output') ctx.output.show(true);
    });
    return { status: 'error', message };
  }
}
