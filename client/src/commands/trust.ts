/**
 * "Update Trust Policy of IAM Role…" (also Push Policy Again for a document opened from a
 * trust policy): only a document the engine takes for a trust policy is sent, after the diff
 * and a question (unless it was opened from that very trust policy and IAM has not changed
 * since). No `vscode` import.
 */
import type { IamConnection } from '../aws';
import { applyTrustPolicyUpdate, planTrustPolicyUpdate, trustPolicyBlockers } from '../flows';
import { noDocument, reportBlockers, reportChangedMeanwhile, reportUnchanged } from './blocked';
import { typedAttachTargetChoice } from './choices';
import { confirmWithDiff } from './diffQuestion';
import { baseName } from './push';
import type { OtherDestination } from './pushMemory';
import { CANCELLED, DECLINED, inAccount, loadTargets, withIamSession, type CommandOutcome, type IdentityLookup, type RunPhase } from './session';
import type { CommandEnv, PolicyDocumentRef } from './ui';

/** Replaces a role's trust policy with the document; asks which role when `roleName` is not given. */
export async function updateTrustPolicy(env: CommandEnv, document: PolicyDocumentRef | undefined, roleName?: string): Promise<CommandOutcome> {
  if (document === undefined) return noDocument(env);
  const file = baseName(document.fileName);
  const what = `Update a trust policy from ${file}`;
  const blockers = trustPolicyBlockers(document.getText(), document.fileName);
  if (blockers.length > 0) return reportBlockers(env, what, blockers);
  return withIamSession(env, what, async (connection, identity, phase) => {
    const role =
      roleName ??
      (await env.ui.pick<string>({
        title: `Make ${file} the trust policy of an IAM role`,
        placeholder: 'Loading the roles…',
        load: () => loadTargets(connection, identity, 'role', (ofAccount) => `Make ${file} the trust policy of an IAM role ${ofAccount}`),
        typed: (value, listed) => typedAttachTargetChoice('role', value, listed),
      }));
    if (role === undefined) return CANCELLED;
    return planAndUpdate(env, connection, identity, phase, document, role);
  });
}

/** Push Policy Again for a document that goes to a role's trust policy: asks first when the account is not the one it came from. */
export async function updateTrustPolicyAgain(
  env: CommandEnv,
  document: PolicyDocumentRef,
  destination: Extract<OtherDestination, { type: 'trust-policy' }>,
): Promise<CommandOutcome> {
  const file = baseName(document.fileName);
  const blockers = trustPolicyBlockers(document.getText(), document.fileName);
  if (blockers.length > 0) return reportBlockers(env, `Push ${file} again`, blockers);
  return withIamSession(env, `Push ${file} again`, async (connection, identity, phase) => {
    const who = await identity.get();
    if (destination.account !== undefined && destination.account !== who.account) {
      const go = await env.ui.confirm({
        message: `Make ${file} the trust policy of the role "${destination.roleName}" in account ${who.account}?`,
        detail: `It came from account ${destination.account}, but the AWS credentials in use now are for account ${who.account}.`,
        button: 'Push',
      });
      if (!go) return DECLINED;
    }
    return planAndUpdate(env, connection, identity, phase, document, destination.roleName);
  });
}

async function planAndUpdate(
  env: CommandEnv,
  connection: IamConnection,
  identity: IdentityLookup,
  phase: RunPhase,
  document: PolicyDocumentRef,
  roleName: string,
): Promise<CommandOutcome> {
  const file = baseName(document.fileName);
  const what = `Update the trust policy of role ${roleName} from ${file}`;
  const base = env.memory.base(document.key);
  const text = document.getText();
  const plan = await env.ui.withProgress(`Comparing with the trust policy of the role "${roleName}"…`, (signal) =>
    planTrustPolicyUpdate(connection, { roleName, document: text, fileName: document.fileName, ...(base !== undefined ? { base } : {}) }, { signal }),
  );
  const account = await identity.account();
  const remember = (): Promise<void> =>
    env.memory.rememberDestination(document.key, { type: 'trust-policy', roleName, ...(account !== undefined ? { account } : {}) });
  switch (plan.action) {
    case 'blocked':
      return reportBlockers(env, what, plan.blockers);
    case 'unchanged':
      await remember();
      return reportUnchanged(env, what, plan.message, account);
    case 'replace':
      break;
  }
  if (plan.changedSinceOpened !== false) {
    const changed = plan.changedSinceOpened === true ? 'It changed in IAM since the document was opened. ' : '';
    const go = await confirmWithDiff(
      env.ui,
      {
        title: `${roleName} trust policy: IAM ↔ ${file}`,
        left: { name: `${roleName}.trust.iam.json`, text: plan.existing },
        right: { name: file, text: plan.proposed },
      },
      {
        message: `Replace the trust policy of the role "${roleName}"${account !== undefined ? ` in account ${account}` : ''}?`,
        detail:
          `${changed}The diff shows IAM's trust policy (left) and the editor's (right), both formatted the same way; the editor's text is sent as it is. ` +
          'The trust policy decides who may assume the role: a principal left out can no longer use it.',
      },
    );
    if (!go) {
      env.log(`${what}: not replaced (declined)`);
      return DECLINED;
    }
  }
  phase.sentPolicy = true;
  const outcome = await env.ui.withProgress(`Replacing the trust policy of "${roleName}"…`, (signal) => applyTrustPolicyUpdate(connection, plan, { signal }));
  await remember();
  if (outcome.status === 'changed-meanwhile') return reportChangedMeanwhile(env, what, outcome.message);
  if (base !== undefined) env.memory.setBase(document.key, text);
  const confirmed = outcome.confirmedByReadBack === true;
  const message = confirmed ? outcome.message : inAccount(outcome.message, account);
  // Written, though the answer did not say so: a warning, whose message says both.
  env.ui.notify(confirmed ? 'warning' : 'info', message, ['show-output']);
  env.log(`${what}: replaced${confirmed ? ' (confirmed by reading back)' : ''}${account !== undefined ? ` in account ${account}` : ''}`);
  return { status: 'done', message };
}
