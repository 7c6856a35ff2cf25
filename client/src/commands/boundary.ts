/**
 * "Set Permissions Boundary of IAM User…": pick a user (its current boundary is read and
 * shown), pick a managed policy (the account's own first, then AWS's) or type its ARN,
 * confirm in a modal dialog, then PutUserPermissionsBoundary. No `vscode` import.
 */
import { getUser, listManagedPolicies, type IamConnection } from '../aws';
import { applyPermissionsBoundary, planPermissionsBoundary } from '../flows';
import { managedPolicySections, typedBoundaryArnChoice, typedBoundaryUserChoice } from './choices';
import { CANCELLED, DECLINED, inAccount, loadTargets, settle, withIamSession, type CommandOutcome } from './session';
import type { CommandEnv } from './ui';

const WHAT_A_BOUNDARY_DOES =
  "A permissions boundary caps what the user's own policies can grant: an action the boundary does not allow is denied, whatever the user's policies say.";

export async function setUserPermissionsBoundary(env: CommandEnv): Promise<CommandOutcome> {
  return withIamSession(env, 'Set permissions boundary', async (connection, identity) => {
    const userName = await env.ui.pick<string>({
      title: 'Set the permissions boundary of an IAM user',
      placeholder: 'Loading the users…',
      step: 1,
      totalSteps: 2,
      load: () => loadTargets(connection, identity, 'user', (account) => `Set the permissions boundary of an IAM user ${account}`),
      typed: typedBoundaryUserChoice,
    });
    if (userName === undefined) return CANCELLED;
    const user = await env.ui.withProgress(`Reading the user "${userName}"…`, (signal) => getUser(connection, userName, { signal }));
    const current = user.permissionsBoundaryArn;
    const policyArn = await pickBoundaryPolicy(env, connection, `Permissions boundary of the user "${userName}"`, current, { step: 2, totalSteps: 2 });
    if (policyArn === undefined) return CANCELLED;

    const request = { userName, policyArn };
    const what = `Set permissions boundary of user ${userName} to ${policyArn}`;
    const plan = await env.ui.withProgress(`Checking the user "${userName}"…`, (signal) => planPermissionsBoundary(connection, request, { signal }));
    const account = await identity.account();
    switch (plan.action) {
      case 'blocked': {
        const message = plan.blockers.map((blocker) => blocker.message).join(' ');
        env.ui.notify('error', `Not set: ${message}`, ['show-output']);
        env.log(`${what}: not sent (${plan.blockers.map((blocker) => blocker.code).join(', ')})`);
        return { status: 'blocked', message };
      }
      case 'unchanged':
        env.ui.notify('info', `${inAccount(plan.message, account)} Nothing was sent.`, ['show-output']);
        env.log(`${what}: unchanged, nothing sent`);
        return { status: 'unchanged', message: plan.message };
      case 'set':
        break;
    }
    const go = await env.ui.confirm({
      message: `Set ${policyArn} as the permissions boundary of the user "${userName}"${account !== undefined ? ` in account ${account}` : ''}?`,
      detail: `${plan.currentArn !== undefined ? `It replaces ${plan.currentArn}. ` : 'The user has no boundary now. '}${WHAT_A_BOUNDARY_DOES}`,
      button: 'Set Boundary',
    });
    if (!go) {
      env.log(`${what}: not set (declined)`);
      return DECLINED;
    }
    const outcome = await env.ui.withProgress(`Setting the permissions boundary of "${userName}"…`, (signal) =>
      applyPermissionsBoundary(connection, plan, { signal }),
    );
    if (outcome.confirmedByReadBack === true) {
      env.ui.notify('warning', outcome.message, ['show-output']);
      env.log(`${what}: set (confirmed by reading back)${account !== undefined ? ` in account ${account}` : ''}`);
      return { status: 'done', message: outcome.message };
    }
    const was = plan.currentArn !== undefined ? ` (it was ${plan.currentArn})` : '';
    const message = `${inAccount(`Set ${policyArn} as the permissions boundary of the user "${userName}"`, account).replace(/\.$/, '')}${was}.`;
    env.ui.notify('info', message, ['show-output']);
    env.log(`${what}: set${account !== undefined ? ` in account ${account}` : ''}`);
    return { status: 'done', message };
  });
}

/**
 * Asks for the managed policy to set as a user's or a role's boundary, showing the one it has
 * now: the account's managed policies as they load, or an ARN typed in (also when they cannot
 * be listed, which the pick says).
 */
export async function pickBoundaryPolicy(
  env: CommandEnv,
  connection: IamConnection,
  title: string,
  current: string | undefined,
  steps: { step: number; totalSteps: number } | undefined = undefined,
): Promise<string | undefined> {
  const now = current !== undefined ? `Its boundary now: ${current}.` : 'It has no boundary now.';
  return env.ui.pick<string>({
    title,
    placeholder: `${now} Loading the managed policies…`,
    ...(steps ?? {}),
    load: async () => {
      const policies = await settle(listManagedPolicies(connection));
      if ('problem' in policies) {
        return {
          sections: [],
          placeholder: `${now} Type the ARN of a managed policy`,
          notice: `Could not list the managed policies: ${policies.problem.message}`,
        };
      }
      return { sections: managedPolicySections(policies.value, current), placeholder: `${now} Pick a managed policy, or type its ARN` };
    },
    typed: typedBoundaryArnChoice,
  });
}
