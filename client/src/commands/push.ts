/**
 * "Push Policy to IAM User/Group/Role…", "Push Policy to IAM…" and "Push Policy Again": the
 * questions, in order, and what is shown for each answer of the flows. No `vscode` import:
 * the editor is reached through CommandUi.
 *
 * Order: the document is checked first (nothing is asked, nothing is sent, when IAM would
 * reject it); then the target (listed with the account's name in the title), the policy
 * name, the plan (reads only), a diff and a question beside it (not over it) when a different
 * policy of that name exists, and the write. The text sent is the editor's at the moment of the plan.
 */
import type { EntityKind, EntityRef, IamConnection } from '../aws';
import { applyInlinePolicyPush, checkPolicyName, planInlinePolicyPush, preflightPolicy, samePolicy, type Blocker, type InlinePushPlan } from '../flows';
import { diffHeadline, diffSentence, policyNameFromFileName, type GrantsDiff } from 'iam-policy-engine';
import { KIND_NOUN, kindChoices, typedTargetChoice } from './choices';
import { forNotification } from './problems';
import type { PushTarget } from './pushMemory';
import { reportChangedMeanwhile, reportUnchanged } from './blocked';
import { CANCELLED, DECLINED, inAccount, loadTargets, withIamSession, type CommandOutcome, type IdentityLookup, type RunPhase } from './session';
import { documentToPush, isTemplatePolicyRef } from './templatePolicy';
import type { CommandEnv, PolicyDocumentRef } from './ui';

/** The file's name without folders: `read-reports.iam.json`. */
export function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

/** How titles and messages name the document: its file, or a template's file and the policy in it. */
const nameOf = (document: PolicyDocumentRef): string => (isTemplatePolicyRef(document) ? document.label : baseName(document.fileName));

const where = (target: EntityRef): string => `the ${KIND_NOUN[target.kind]} "${target.name}"`;

/** Push to a user, group or role; with no `kind`, the first question is which. */
export async function pushPolicy(env: CommandEnv, editorDocument: PolicyDocumentRef | undefined, kind?: EntityKind): Promise<CommandOutcome> {
  if (editorDocument === undefined) return noDocument(env);
  // A CloudFormation template: first, which of its policies.
  const resolved = await documentToPush(env, editorDocument, `Push a policy of ${baseName(editorDocument.fileName)} to IAM`);
  if ('outcome' in resolved) return resolved.outcome;
  const document = resolved.document;
  const blocked = preflight(env, document);
  if (blocked !== undefined) return blocked;
  const file = nameOf(document);
  if (kind === undefined && isTemplatePolicyRef(document)) kind = document.entity;
  const totalSteps = kind === undefined ? 3 : 2;
  let step = 1;
  if (kind === undefined) {
    kind = await env.ui.pick<EntityKind>({
      title: `Push ${file} to IAM`,
      placeholder: 'As an inline policy of a user, a group or a role?',
      step: step++,
      totalSteps,
      load: async () => ({ sections: [{ choices: kindChoices() }] }),
    });
    if (kind === undefined) return CANCELLED;
  }
  const chosenKind: EntityKind = kind;
  const noun = KIND_NOUN[chosenKind];
  return withIamSession(env, `Push ${file}`, async (connection, identity, phase) => {
    const name = await env.ui.pick<string>({
      title: `Push ${file} to an IAM ${noun}`,
      placeholder: `Loading the ${noun}s…`,
      step: step++,
      totalSteps,
      load: () => loadTargets(connection, identity, chosenKind, (account) => `Push ${file} to an IAM ${noun} ${account}`),
      typed: (value, listed) => typedTargetChoice(chosenKind, value, listed),
    });
    if (name === undefined) return CANCELLED;
    const target: EntityRef = { kind: chosenKind, name };
    const suggested =
      isTemplatePolicyRef(document) && document.suggestedName !== undefined ? document.suggestedName : policyNameFromFileName(document.fileName);
    const policyName = await env.ui.askText({
      title: `Push ${file} to ${where(target)}`,
      prompt: 'The name of the inline policy: 1 to 128 letters, digits and + = , . @ _ -. A policy of that name is replaced, after a diff and a question.',
      value: checkPolicyName(suggested) === undefined ? suggested : '',
      placeholder: 'Policy name',
      step: step++,
      totalSteps,
      validate: checkPolicyName,
    });
    if (policyName === undefined) return CANCELLED;
    return planAndPush(env, connection, identity, phase, document, target, policyName);
  });
}

/** Push to where this document was pushed last, asking only before replacing or switching accounts. */
export async function pushPolicyAgain(env: CommandEnv, editorDocument: PolicyDocumentRef | undefined): Promise<CommandOutcome> {
  if (editorDocument === undefined) return noDocument(env);
  const resolved = await documentToPush(env, editorDocument, `Push a policy of ${baseName(editorDocument.fileName)} again`);
  if ('outcome' in resolved) return resolved.outcome;
  const document = resolved.document;
  const file = nameOf(document);
  const last = env.memory.get(document.key);
  if (last === undefined) {
    env.ui.notify('info', `${file} has not been pushed to IAM from this workspace yet: push it to a user, group or role first.`, ['push']);
    return { status: 'not-remembered' };
  }
  const blocked = preflight(env, document);
  if (blocked !== undefined) return blocked;
  return withIamSession(env, `Push ${file} again`, async (connection, identity, phase) => {
    const target: EntityRef = { kind: last.kind, name: last.name };
    const who = await identity.get();
    if (last.account !== undefined && last.account !== who.account) {
      const go = await env.ui.confirm({
        message: `Push ${file} to ${where(target)} in account ${who.account}?`,
        detail: `It was last pushed to account ${last.account}, but the AWS credentials in use now are for account ${who.account}.`,
        button: 'Push',
      });
      if (!go) return DECLINED;
    }
    return planAndPush(env, connection, identity, phase, document, target, last.policyName);
  });
}

function noDocument(env: CommandEnv): CommandOutcome {
  env.ui.notify('warning', 'No policy document is open in the editor.');
  return { status: 'no-document' };
}

/** The engine's verdict on the text as it is: anything IAM is certain to reject stops here. */
function preflight(env: CommandEnv, document: PolicyDocumentRef): CommandOutcome | undefined {
  const result = preflightPolicy(document.getText(), { fileName: document.fileName });
  if (result.canSend) return undefined;
  env.ui.notify('error', forNotification(result.summary), ['show-problems']);
  env.log(`Push ${nameOf(document)}: not sent, ${describeCodes(result.problems.map((problem) => problem.code))}`);
  return { status: 'blocked', message: result.summary };
}

/** `2 problems IAM would reject (json-comment, json-trailing-comma)`: codes only, no text. */
function describeCodes(codes: readonly string[]): string {
  const unique = [...new Set(codes)];
  return `${codes.length} problem${codes.length === 1 ? '' : 's'} IAM would reject (${unique.join(', ')})`;
}

async function planAndPush(
  env: CommandEnv,
  connection: IamConnection,
  identity: IdentityLookup,
  phase: RunPhase,
  document: PolicyDocumentRef,
  target: EntityRef,
  policyName: string,
): Promise<CommandOutcome> {
  const file = nameOf(document);
  const what = `Push ${file} to ${target.kind} ${target.name}, policy ${policyName}`;
  const request = { target, policyName, document: document.getText(), fileName: document.fileName };
  const plan = await env.ui.withProgress(`Comparing with the inline policies of ${where(target)}…`, (signal) =>
    planInlinePolicyPush(connection, request, { signal }),
  );
  const account = await identity.account();
  const remembered: PushTarget = { kind: target.kind, name: target.name, policyName, ...(account !== undefined ? { account } : {}) };

  switch (plan.action) {
    case 'blocked':
      return reportBlocked(env, what, plan);
    case 'unchanged':
      await env.memory.remember(document.key, remembered);
      return reportUnchanged(env, what, plan.message, account);
    case 'create':
      break;
    case 'replace': {
      // Opened from this very policy in the IAM view, and IAM still holds what was opened: the
      // edit is the change, and sending it back is what the person asked for.
      const base = env.memory.base(document.key);
      const last = env.memory.get(document.key);
      const sameTarget = last?.kind === target.kind && last.name === target.name && last.policyName === policyName;
      if (base !== undefined && sameTarget && samePolicy(base, plan.existingDocument)) break;
      const grants = await grantChanges(env, plan.existing, plan.proposed);
      const diff = await env.ui.showDiff({
        title: `${policyName}: IAM (${KIND_NOUN[target.kind]} ${target.name}) ↔ ${file}`,
        left: { name: `${policyName}.iam.json`, text: plan.existing },
        right: { name: file, text: plan.proposed },
        ...(grants !== undefined ? { grants } : {}),
      });
      let replace: boolean;
      try {
        replace = await env.ui.confirm({
          message: `Replace the inline policy "${policyName}" of ${where(target)}${account !== undefined ? ` in account ${account}` : ''}?`,
          detail:
            (grants !== undefined ? `${grantsSentence(grants)} ` : '') +
            "The diff shows IAM's version (left, or red when inline) and the editor's (right, or green), both formatted the same way to show what changes; " +
            `the editor's text is sent as it is. ${plan.quota.message}`,
          button: 'Replace',
          aboutDiff: true,
        });
      } finally {
        await diff.close();
      }
      if (!replace) {
        env.log(`${what}: not replaced (declined)`);
        return DECLINED;
      }
      break;
    }
  }

  phase.sentPolicy = true;
  const outcome = await env.ui.withProgress(`Pushing "${policyName}" to ${where(target)}…`, (signal) => applyInlinePolicyPush(connection, plan, { signal }));
  if (outcome.status === 'changed-meanwhile') {
    await env.memory.remember(document.key, remembered);
    return reportChangedMeanwhile(env, what, outcome.message);
  }
  await env.memory.remember(document.key, remembered);
  // IAM holds the editor's text now: the next push back asks only if IAM changes again.
  if (env.memory.base(document.key) !== undefined) env.memory.setBase(document.key, request.document);
  if (outcome.confirmedByReadBack === true) {
    // Written, though the answer did not say so: the message says both.
    env.ui.notify('warning', outcome.message, ['show-output']);
    env.log(
      `${what}: ${plan.action === 'create' ? 'created' : 'replaced'} (confirmed by reading back)${account !== undefined ? ` in account ${account}` : ''}`,
    );
    return { status: 'done', message: outcome.message };
  }
  const message = inAccount(outcome.message, account);
  // With a button the toast opens wide enough for the whole sentence; the output has the request ids.
  env.ui.notify('info', message, ['show-output']);
  env.log(`${what}: ${plan.action === 'create' ? 'created' : 'replaced'}${account !== undefined ? ` in account ${account}` : ''}`);
  return { status: 'done', message };
}

/** How long the semantic diff may take before the push goes on without it. */
const GRANT_CHANGES_TIMEOUT_MS = 5_000;

/** The semantic diff of IAM's version and the editor's; undefined when it cannot be had, which never stops a push. */
export async function grantChanges(env: CommandEnv, existing: string, proposed: string): Promise<GrantsDiff | undefined> {
  if (env.grantChanges === undefined) return undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), GRANT_CHANGES_TIMEOUT_MS)));
    const result = await Promise.race([env.grantChanges(existing, proposed), timeout]);
    if (result === undefined) env.log('What the new version grants could not be worked out in time: the diff is shown without it');
    return result;
  } catch (error) {
    env.log(`What the new version grants could not be worked out: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The most characters the grant changes take in the question. VS Code shows the question as a
 * notification, and a notification taller than about 60% of the window is not shown at all
 * (only its progress in the status bar): the full list is beside the diff anyway.
 */
export const GRANTS_SENTENCE_MAX = 320;

/** "It adds 1 action (1 Permissions management): adds iam:PassRole on *." for the question before replacing. */
export function grantsSentence(grants: GrantsDiff): string {
  if (grants.added.length === 0 && grants.removed.length === 0) return 'It grants the same actions on the same resources.';
  const headline = diffHeadline(grants);
  const lead = `It ${headline.charAt(0).toLowerCase()}${headline.slice(1, -1)}`;
  for (const limit of [4, 3, 2, 1]) {
    const sentence = `${lead}: ${diffSentence(grants, limit)}.`;
    if (sentence.length <= GRANTS_SENTENCE_MAX) return sentence;
  }
  return `${lead}, listed beside the diff.`;
}

function reportBlocked(env: CommandEnv, what: string, plan: Extract<InlinePushPlan, { action: 'blocked' }>): CommandOutcome {
  const quota = plan.blockers.find((blocker) => blocker.code === 'quota');
  if (quota !== undefined) {
    // Every toast with a long message gets a button: VS Code shows a toast without one on one line, cut off.
    env.ui.notify('error', `Not sent. ${quota.message}`, ['show-output']);
    env.log(`${what}: not sent, over the inline policy quota (${plan.quota?.total ?? '?'} of ${plan.quota?.quota ?? '?'} characters)`);
    return { status: 'blocked', message: quota.message };
  }
  // The text changed while the questions were open, or a name slipped through: say all of it.
  const message = `Not sent: ${summarizeBlockers(plan.blockers)}`;
  const inDocument = plan.blockers.some((blocker) => blocker.line !== undefined);
  env.ui.notify('error', forNotification(message), inDocument ? ['show-problems'] : ['show-output']);
  env.log(`${what}: not sent, ${describeCodes(plan.blockers.map((blocker) => blocker.code))}`);
  return { status: 'blocked', message };
}

function summarizeBlockers(blockers: readonly Blocker[]): string {
  const first = blockers[0];
  const more = blockers.length > 1 ? ` (and ${blockers.length - 1} more)` : '';
  return `${first?.message ?? 'IAM would reject this push.'}${more}`;
}
