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
import type { IamNode } from '../explorer/model';
import { setUserPermissionsBoundary } from './boundary';
import { attachPolicy, deleteInlinePolicy, detachPolicy, removePermissionsBoundary, setRolePermissionsBoundary } from './entities';
import { createManagedPolicy, pushPolicyVersion } from './managed';
import { openPolicy, saveToFile, type PolicyOrigin } from './open';
import { selectProfile } from './profile';
import { pushPolicy } from './push';
import { pushBack } from './pushBack';
import { updateTrustPolicy } from './trust';
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
  'iamPolicy.pushAgain': withDocument(pushBack),
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
  // The round trip: the IAM view and what its items offer, and the managed and trust policy commands.
  'iamPolicy.explorer.refresh': async (ctx) => ctx.explorer.refresh(),
  'iamPolicy.explorer.filter': async (ctx) => {
    const text = await vscode.window.showInputBox({
      title: 'Filter the IAM view',
      prompt: 'Users, groups, roles and customer managed policies whose name contains this (any case). Empty: all.',
      value: ctx.explorer.model.filter,
    });
    if (text !== undefined) await ctx.explorer.setFilter(text);
  },
  'iamPolicy.explorer.clearFilter': async (ctx) => ctx.explorer.setFilter(''),
  'iamPolicy.openPolicy': async (ctx, node) => {
    const origin = originOf(node);
    return origin !== undefined ? openPolicy(ctx.env(), origin) : undefined;
  },
  'iamPolicy.saveToFile': withDocument(saveToFile),
  'iamPolicy.deleteInlinePolicy': async (ctx, node) =>
    isNode(node, 'inline-policy') ? deleteInlinePolicy(ctx.env(), node.target, node.policyName) : undefined,
  'iamPolicy.detachPolicy': async (ctx, node) => (isNode(node, 'attached-policy') ? detachPolicy(ctx.env(), node.target, node.policy.arn) : undefined),
  'iamPolicy.attachPolicy': async (ctx, node) =>
    attachPolicy(ctx.env(), isNode(node, 'entity') ? { kind: node.entity.kind, name: node.entity.name } : undefined),
  'iamPolicy.createManagedPolicy': withDocument(createManagedPolicy),
  'iamPolicy.pushPolicyVersion': async (ctx, resource) => {
    // From the IAM view the item is the policy and the document is the active editor's.
    const policyArn = isNode(resource, 'managed-policy') ? resource.policy.arn : undefined;
    const document = await ctx.policyDocument(isNode(resource, 'managed-policy') ? undefined : resource);
    return pushPolicyVersion(ctx.env(document?.uri), document !== undefined ? documentRef(document) : undefined, policyArn);
  },
  'iamPolicy.updateTrustPolicy': async (ctx, resource) => {
    const roleName =
      isNode(resource, 'entity') && resource.entity.kind === 'role' ? resource.entity.name : isNode(resource, 'trust-policy') ? resource.roleName : undefined;
    const document = await ctx.policyDocument(roleName !== undefined ? undefined : resource);
    return updateTrustPolicy(ctx.env(document?.uri), document !== undefined ? documentRef(document) : undefined, roleName);
  },
  'iamPolicy.setRolePermissionsBoundary': async (ctx, node) =>
    setRolePermissionsBoundary(ctx.env(), isNode(node, 'entity') && node.entity.kind === 'role' ? node.entity.name : undefined),
  'iamPolicy.removePermissionsBoundary': async (ctx, node) =>
    removePermissionsBoundary(
      ctx.env(),
      isNode(node, 'boundary')
        ? node.target
        : isNode(node, 'entity') && node.entity.kind !== 'group'
          ? { kind: node.entity.kind, name: node.entity.name }
          : undefined,
    ),
} satisfies Record<string, Handler>;

/** Commands whose success changes what the IAM view shows: it reads again after them. */
const CHANGE_IAM: ReadonlySet<string> = new Set([
  'iamPolicy.pushToUser',
  'iamPolicy.pushToGroup',
  'iamPolicy.pushToRole',
  'iamPolicy.push',
  'iamPolicy.pushAgain',
  'iamPolicy.setUserPermissionsBoundary',
  'iamPolicy.deleteInlinePolicy',
  'iamPolicy.detachPolicy',
  'iamPolicy.attachPolicy',
  'iamPolicy.createManagedPolicy',
  'iamPolicy.pushPolicyVersion',
  'iamPolicy.updateTrustPolicy',
  'iamPolicy.setRolePermissionsBoundary',
  'iamPolicy.removePermissionsBoundary',
]);

/** A handler for the document a menu passed, or the active editor's. */
function withDocument(run: (env: ReturnType<Ctx['env']>, document: ReturnType<typeof documentRef> | undefined) => Promise<unknown>): Handler {
  return async (ctx, resource) => {
    const document = await ctx.policyDocument(resource);
    return run(ctx.env(document?.uri), document !== undefined ? documentRef(document) : undefined);
  };
}

function isNode<T extends IamNode['type']>(value: unknown, type: T): value is Extract<IamNode, { type: T }> {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}

/** What an item of the IAM view opens. */
function originOf(node: unknown): PolicyOrigin | undefined {
  if (isNode(node, 'inline-policy')) return { type: 'inline-policy', target: node.target, policyName: node.policyName };
  if (isNode(node, 'trust-policy')) return { type: 'trust-policy', roleName: node.roleName };
  if (isNode(node, 'policy-version')) {
    return {
      type: 'policy-version',
      policyArn: node.policy.arn,
      policyName: node.policy.name,
      versionId: node.version.versionId,
      isDefault: node.version.isDefault,
    };
  }
  return undefined;
}

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
    const outcome = await run();
    const status = (outcome as { status?: unknown } | undefined)?.status;
    if (CHANGE_IAM.has(id) && (status === 'done' || status === 'changed-meanwhile')) ctx.explorer.refresh();
    return outcome;
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
