/**
 * "Create Managed Policy from Document…" and "Push Policy as New Version of Managed Policy…"
 * (also Push Policy Again for a document opened from, or created as, a managed policy). No
 * `vscode` import.
 *
 * Order, as for inline pushes: the document is checked first (the engine's errors and the
 * 6,144-character quota: nothing is asked or sent when IAM would refuse it); then the names;
 * then the plan (reads only); the diff and a question before the default version changes
 * (unless the document was opened from that very default and IAM has not changed since); at
 * five versions, the oldest non-default one shown and a question before it is deleted.
 */
import { listManagedPoliciesIn, type IamConnection, type ManagedPolicySummary } from '../aws';
import {
  applyPolicyVersion,
  checkManagedPolicyPath,
  checkPolicyDescription,
  checkPolicyName,
  createPolicyFromDocument,
  managedDocumentBlockers,
  planPolicyVersion,
} from '../flows';
import { policyNameFromFileName } from 'iam-policy-engine';
import { noDocument, reportBlockers, reportChangedMeanwhile, reportUnchanged } from './blocked';
import { typedManagedPolicyArnChoice } from './choices';
import { confirmWithDiff } from './diffQuestion';
import { baseName, grantChanges, grantsSentence } from './push';
import type { OtherDestination } from './pushMemory';
import { CANCELLED, DECLINED, inAccount, ofAccount, withIamSession, type CommandOutcome, type IdentityLookup, type RunPhase } from './session';
import type { Choice, CommandEnv, PolicyDocumentRef } from './ui';

const policyName = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

export async function createManagedPolicy(env: CommandEnv, document: PolicyDocumentRef | undefined): Promise<CommandOutcome> {
  if (document === undefined) return noDocument(env);
  const file = baseName(document.fileName);
  const what = `Create a managed policy from ${file}`;
  const blockers = managedDocumentBlockers(document.getText(), document.fileName);
  if (blockers.length > 0) return reportBlockers(env, what, blockers);
  return withIamSession(env, what, async (connection, identity, phase) => {
    const suggested = policyNameFromFileName(document.fileName);
    const name = await env.ui.askText({
      title: `Create a managed policy from ${file}`,
      prompt: 'The name of the customer managed policy: 1 to 128 letters, digits and + = , . @ _ -. It cannot be changed later.',
      value: checkPolicyName(suggested) === undefined ? suggested : '',
      placeholder: 'Policy name',
      step: 1,
      totalSteps: 3,
      validate: checkPolicyName,
    });
    if (name === undefined) return CANCELLED;
    const path = await env.ui.askText({
      title: `Create the managed policy "${name}"`,
      prompt: 'Its path: / or /segments/ (letters, digits and . , + @ = _ - between slashes), to group policies. It is part of the ARN.',
      value: '/',
      step: 2,
      totalSteps: 3,
      validate: checkManagedPolicyPath,
    });
    if (path === undefined) return CANCELLED;
    const description = await env.ui.askText({
      title: `Create the managed policy "${name}"`,
      prompt: 'A description (optional, up to 1,000 characters). It cannot be changed later.',
      value: '',
      placeholder: 'What the policy is for',
      step: 3,
      totalSteps: 3,
      validate: checkPolicyDescription,
    });
    if (description === undefined) return CANCELLED;

    const text = document.getText();
    phase.sentPolicy = true;
    const outcome = await env.ui.withProgress(`Creating the managed policy "${name}"…`, (signal) =>
      createPolicyFromDocument(connection, { policyName: name, path, description, document: text, fileName: document.fileName }, { signal }),
    );
    if (outcome.status === 'blocked') return reportBlockers(env, what, outcome.blockers);
    const account = await identity.account();
    await env.memory.rememberDestination(document.key, {
      type: 'managed-policy',
      policyArn: outcome.policy.arn,
      ...(account !== undefined ? { account } : {}),
    });
    // IAM now holds exactly this text: Push Policy Again asks only if it changes there.
    env.memory.setBase(document.key, text);
    const message = `${outcome.confirmedByReadBack === true ? outcome.message : inAccount(outcome.message, account)} Push Policy Again sends new versions of it.`;
    // Created, though the answer did not say so: a warning, whose message says both.
    env.ui.notify(outcome.confirmedByReadBack === true ? 'warning' : 'info', message, ['show-output']);
    env.log(`${what}: created ${outcome.policy.arn}${outcome.confirmedByReadBack === true ? ' (confirmed by reading back)' : ''}`);
    return { status: 'done', message };
  });
}

/** Pushes the document as a new default version of a managed policy; asks which one when `policyArn` is not given. */
export async function pushPolicyVersion(env: CommandEnv, document: PolicyDocumentRef | undefined, policyArn?: string): Promise<CommandOutcome> {
  if (document === undefined) return noDocument(env);
  const file = baseName(document.fileName);
  const blockers = managedDocumentBlockers(document.getText(), document.fileName);
  if (blockers.length > 0) return reportBlockers(env, `Push ${file} as a new version`, blockers);
  return withIamSession(env, `Push ${file} as a new version`, async (connection, identity, phase) => {
    const arn =
      policyArn ??
      (await env.ui.pick<string>({
        title: `Push ${file} as a new version of a managed policy`,
        placeholder: 'Loading the customer managed policies…',
        load: async () => {
          const [who, policies] = await Promise.all([identity.get(), listManagedPoliciesIn(connection, 'Local')]);
          return {
            sections: [{ choices: policyChoices(policies) }],
            title: `Push ${file} as a new version of a managed policy ${ofAccount(who.account)}`,
            placeholder:
              policies.length > 0 ? 'Pick the policy, or type its ARN' : 'This account has no customer managed policies: create one from the document instead',
          };
        },
        typed: typedManagedPolicyArnChoice,
      }));
    if (arn === undefined) return CANCELLED;
    return planAndPushVersion(env, connection, identity, phase, document, arn);
  });
}

/** Push Policy Again for a document that goes to a managed policy. */
export async function pushPolicyVersionAgain(
  env: CommandEnv,
  document: PolicyDocumentRef,
  destination: Extract<OtherDestination, { type: 'managed-policy' }>,
): Promise<CommandOutcome> {
  return pushPolicyVersion(env, document, destination.policyArn);
}

function policyChoices(policies: readonly ManagedPolicySummary[]): Choice<string>[] {
  return [...policies]
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }))
    .map((policy) => ({
      label: policy.name,
      description: [policy.path !== '/' ? policy.path : undefined, policy.defaultVersionId !== undefined ? `default ${policy.defaultVersionId}` : undefined]
        .filter((part) => part !== undefined)
        .join(' · '),
      value: policy.arn,
    }));
}

async function planAndPushVersion(
  env: CommandEnv,
  connection: IamConnection,
  identity: IdentityLookup,
  phase: RunPhase,
  document: PolicyDocumentRef,
  policyArn: string,
): Promise<CommandOutcome> {
  const file = baseName(document.fileName);
  const name = policyName(policyArn);
  const what = `Push ${file} as a new version of ${policyArn}`;
  const base = env.memory.base(document.key);
  const text = document.getText();
  const plan = await env.ui.withProgress(`Comparing with the default version of "${name}"…`, (signal) =>
    planPolicyVersion(connection, { policyArn, document: text, fileName: document.fileName, ...(base !== undefined ? { base } : {}) }, { signal }),
  );
  const account = await identity.account();
  const remember = (): Promise<void> =>
    env.memory.rememberDestination(document.key, { type: 'managed-policy', policyArn, ...(account !== undefined ? { account } : {}) });
  switch (plan.action) {
    case 'blocked':
      return reportBlockers(env, what, plan.blockers);
    case 'unchanged':
      await remember();
      return reportUnchanged(env, what, plan.message, account);
    case 'push':
      break;
  }
  const where = `the managed policy "${name}"${account !== undefined ? ` in account ${account}` : ''}`;
  if (plan.changedSinceOpened !== false) {
    const changed =
      plan.changedSinceOpened === true ? `Its default version changed in IAM since the document was opened: it is ${plan.current.versionId} now. ` : '';
    // What the new default grants that the current one does not, beside the diff and in the question.
    const grants = await grantChanges(env, plan.existing, plan.proposed);
    const go = await confirmWithDiff(
      env.ui,
      {
        title: `${name}: IAM (${plan.current.versionId}, default) ↔ ${file}`,
        left: { name: `${name}.${plan.current.versionId}.iam.json`, text: plan.existing },
        right: { name: file, text: plan.proposed },
        ...(grants !== undefined ? { grants } : {}),
      },
      {
        message: `Replace the default version (${plan.current.versionId}) of ${where} with a new version from the editor?`,
        detail:
          `${changed}${grants !== undefined ? `${grantsSentence(grants)} ` : ''}The diff shows IAM's default version (left, or red when inline) and the editor's (right, or green), both formatted the same way; the editor's text is sent as it is. ` +
          `${plan.current.versionId} stays as a version that is not the default. ${plan.size.message}`,
      },
    );
    if (!go) {
      env.log(`${what}: not pushed (declined)`);
      return DECLINED;
    }
  }
  const oldest = plan.deleteFirst;
  if (oldest !== undefined) {
    const created = oldest.createDate !== undefined ? `, created ${oldest.createDate.toISOString().slice(0, 10)}` : '';
    const go = await confirmWithDiff(
      env.ui,
      {
        title: `${name}: ${oldest.versionId} (to delete) ↔ ${file}`,
        left: { name: `${name}.${oldest.versionId}.iam.json`, text: oldest.document.endsWith('\n') ? oldest.document : `${oldest.document}\n` },
        right: { name: file, text: plan.proposed },
      },
      {
        message: `${capitalize(where)} has ${plan.versions.length} versions, the most IAM keeps. Replace its oldest version that is not the default, ${oldest.versionId}${created}, with the new one?`,
        detail: `Replace deletes ${oldest.versionId} (left), then pushes the new version (right) as the default. If IAM then refuses the new version, ${oldest.versionId} is put back.`,
      },
    );
    if (!go) {
      env.log(`${what}: not pushed (declined deleting ${oldest.versionId})`);
      return DECLINED;
    }
  }
  phase.sentPolicy = true;
  const outcome = await env.ui.withProgress(`Pushing a new version of "${name}"…`, (signal) => applyPolicyVersion(connection, plan, { signal }));
  await remember();
  if (outcome.status === 'changed-meanwhile') return reportChangedMeanwhile(env, what, outcome.message, "IAM's versions");
  if (base !== undefined) env.memory.setBase(document.key, text);
  const confirmed = outcome.confirmedByReadBack === true;
  const message = confirmed ? outcome.message : inAccount(outcome.message, account);
  env.ui.notify(confirmed ? 'warning' : 'info', message, ['show-output']);
  env.log(
    `${what}: pushed ${outcome.versionId}${outcome.deleted !== undefined ? `, deleted ${outcome.deleted}` : ''}${confirmed ? ' (confirmed by reading back)' : ''}`,
  );
  return { status: 'done', message };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
