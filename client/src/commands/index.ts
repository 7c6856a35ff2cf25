/**
 * Every command of the extension, registered from this one table (rust-analyzer style). Each
 * entry is thin: find the document, build the run's environment, call the command logic
 * (push.ts, boundary.ts, profile.ts). The manifest (package.json `contributes.commands`)
 * lists the same ids; the extension-host suite checks that the two agree.
 *
 * A command returns its outcome, for tests that run it with executeCommand. An error that is
 * not an IAM failure is a bug: it is shown and logged with its stack, never swallowed.
 */
import * as vscode from 'vscode';
import type { EntityKind } from '../aws';
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

async function runGuarded(ctx: Ctx, id: CommandId, run: () => Promise<unknown>): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.output.error(`${id} failed unexpectedly: ${error instanceof Error && error.stack !== undefined ? error.stack : message}`);
    void vscode.window.showErrorMessage(`IAM Policy: the command failed unexpectedly: ${message}`, 'Show Output').then((choice) => {
      if (choice === 'Show Output') ctx.output.show(true);
    });
    return { status: 'error', message };
  }
}
