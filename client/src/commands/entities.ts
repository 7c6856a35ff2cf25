/**
 * The commands that change a user, group or role without a document: "Attach Managed
 * Policy…", "Detach Managed Policy…", "Delete Inline Policy…", "Set Permissions Boundary of
 * IAM Role…" and "Remove Permissions Boundary…". From the IAM view they know their target;
 * from the command palette they ask for it. What takes something away is confirmed, naming it
 * and the entity. No `vscode` import.
 */
import { getRole, listAttachedPolicies, listManagedPolicies, type EntityKind, type EntityRef, type IamConnection } from '../aws';
import {
  applyAttach,
  applyDeleteInline,
  applyDetach,
  applyRemoveBoundary,
  applyRoleBoundary,
  planAttach,
  planDeleteInline,
  planDetach,
  planRemoveBoundary,
  planRoleBoundary,
  sizeWithoutWhiteSpace,
  type BoundaryHolder,
  type ChangeOutcome,
  type ChangePlan,
} from '../flows';
import { reportBlockers } from './blocked';
import { pickBoundaryPolicy } from './boundary';
import { KIND_NOUN, managedPolicySections, typedAttachTargetChoice, typedManagedPolicyArnChoice } from './choices';
import { CANCELLED, DECLINED, inAccount, loadTargets, settle, withIamSession, type CommandOutcome, type IdentityLookup } from './session';
import type { Choice, CommandEnv } from './ui';

const describe = (target: EntityRef): string => `the ${KIND_NOUN[target.kind]} "${target.name}"`;
const inAccountPhrase = (account: string | undefined): string => (account !== undefined ? ` in account ${account}` : '');

/** Picks the kind (when more than one is possible) and then the entity. */
async function pickTarget(
  env: CommandEnv,
  connection: IamConnection,
  identity: IdentityLookup,
  kinds: readonly EntityKind[],
  purpose: string,
): Promise<EntityRef | undefined> {
  let kind = kinds.length === 1 ? kinds[0] : undefined;
  if (kind === undefined) {
    const labels: Record<EntityKind, string> = { user: '$(person) User', group: '$(organization) Group', role: '$(server-process) Role' };
    kind = await env.ui.pick<EntityKind>({
      title: purpose,
      placeholder: 'A user, a group or a role?',
      load: async () => ({ sections: [{ choices: kinds.map((value): Choice<EntityKind> => ({ label: labels[value], value })) }] }),
    });
    if (kind === undefined) return undefined;
  }
  const chosen: EntityKind = kind;
  const name = await env.ui.pick<string>({
    title: `${purpose}: which ${KIND_NOUN[chosen]}?`,
    placeholder: `Loading the ${KIND_NOUN[chosen]}s…`,
    load: () => loadTargets(connection, identity, chosen, (ofAccount) => `${purpose}: which ${KIND_NOUN[chosen]} ${ofAccount}?`),
    typed: (value, listed) => typedAttachTargetChoice(chosen, value, listed),
  });
  return name === undefined ? undefined : { kind: chosen, name };
}

/** The end of every change: unchanged or blocked said as such; a done change notified with its account. */
async function finish<Extra>(
  env: CommandEnv,
  what: string,
  plan: ChangePlan<Extra>,
  identity: IdentityLookup,
  confirm: ((plan: Extract<ChangePlan<Extra>, { action: 'change' }>, account: string | undefined) => Promise<boolean>) | undefined,
  apply: (plan: Extract<ChangePlan<Extra>, { action: 'change' }>, signal: AbortSignal) => Promise<ChangeOutcome>,
  progress: string,
): Promise<CommandOutcome> {
  const account = await identity.account();
  if (plan.action === 'blocked') return reportBlockers(env, what, plan.blockers);
  if (plan.action === 'unchanged') {
    env.ui.notify('info', `${inAccount(plan.message, account)} Nothing was sent.`, ['show-output']);
    env.log(`${what}: unchanged, nothing sent`);
    return { status: 'unchanged', message: plan.message };
  }
  const change = plan as Extract<ChangePlan<Extra>, { action: 'change' }>;
  if (confirm !== undefined && !(await confirm(change, account))) {
    env.log(`${what}: declined`);
    return DECLINED;
  }
  const outcome = await env.ui.withProgress(progress, (signal) => apply(change, signal));
  const confirmed = outcome.confirmedByReadBack === true;
  const message = confirmed ? outcome.message : inAccount(outcome.message, account);
  // Done, though the answer did not say so: a warning, whose message says both.
  env.ui.notify(confirmed ? 'warning' : 'info', message, ['show-output']);
  env.log(`${what}: done${confirmed ? ' (confirmed by reading back)' : ''}${inAccountPhrase(account)}`);
  return { status: 'done', message };
}

/** Attaches a managed policy (the account's or AWS's, picked or typed) to a user, group or role. */
export async function attachPolicy(env: CommandEnv, target?: EntityRef): Promise<CommandOutcome> {
  return withIamSession(env, 'Attach a managed policy', async (connection, identity) => {
    const chosen = target ?? (await pickTarget(env, connection, identity, ['user', 'group', 'role'], 'Attach a managed policy'));
    if (chosen === undefined) return CANCELLED;
    const policyArn = await env.ui.pick<string>({
      title: `Attach a managed policy to ${describe(chosen)}`,
      placeholder: 'Loading the managed policies…',
      load: async () => {
        const [policies, attached] = await Promise.all([settle(listManagedPolicies(connection)), settle(listAttachedPolicies(connection, chosen))]);
        if ('problem' in policies) {
          return { sections: [], placeholder: 'Type the ARN of a managed policy', notice: `Could not list the managed policies: ${policies.problem.message}` };
        }
        const already = new Set('value' in attached ? attached.value.map((policy) => policy.arn) : []);
        const sections = managedPolicySections(policies.value, undefined).map((section) => ({
          ...section,
          choices: section.choices.map((choice) =>
            already.has(choice.value) ? { ...choice, description: ['attached already', choice.description].filter((part) => part).join(' · ') } : choice,
          ),
        }));
        return { sections, placeholder: 'Pick a managed policy, or type its ARN' };
      },
      typed: typedManagedPolicyArnChoice,
    });
    if (policyArn === undefined) return CANCELLED;
    const request = { target: chosen, policyArn };
    const what = `Attach ${policyArn} to ${chosen.kind} ${chosen.name}`;
    const plan = await env.ui.withProgress(`Reading the policies of ${describe(chosen)}…`, (signal) => planAttach(connection, request, { signal }));
    return finish(
      env,
      what,
      plan,
      identity,
      undefined,
      (_change, signal) => applyAttach(connection, request, { signal }),
      `Attaching the policy to ${describe(chosen)}…`,
    );
  });
}

/** Detaches a managed policy, after asking. */
export async function detachPolicy(env: CommandEnv, target: EntityRef, policyArn: string): Promise<CommandOutcome> {
  return withIamSession(env, `Detach ${policyArn}`, async (connection, identity) => {
    const request = { target, policyArn };
    const plan = await env.ui.withProgress(`Reading the policies of ${describe(target)}…`, (signal) => planDetach(connection, request, { signal }));
    return finish(
      env,
      `Detach ${policyArn} from ${target.kind} ${target.name}`,
      plan,
      identity,
      (_plan, account) =>
        env.ui.confirm({
          message: `Detach ${policyArn} from ${describe(target)}${inAccountPhrase(account)}?`,
          detail: `The ${KIND_NOUN[target.kind]} loses what the policy grants; the policy itself stays in IAM.`,
          button: 'Detach',
        }),
      (_change, signal) => applyDetach(connection, request, { signal }),
      `Detaching the policy from ${describe(target)}…`,
    );
  });
}

/** Deletes an inline policy, after asking with its name, its entity and its size. */
export async function deleteInlinePolicy(env: CommandEnv, target: EntityRef, policyName: string): Promise<CommandOutcome> {
  return withIamSession(env, `Delete the inline policy ${policyName}`, async (connection, identity) => {
    const request = { target, policyName };
    const plan = await env.ui.withProgress(`Reading the inline policy "${policyName}"…`, (signal) => planDeleteInline(connection, request, { signal }));
    return finish(
      env,
      `Delete inline policy ${policyName} of ${target.kind} ${target.name}`,
      plan,
      identity,
      (change, account) =>
        env.ui.confirm({
          message: `Delete the inline policy "${policyName}" of ${describe(target)}${inAccountPhrase(account)}?`,
          detail: `IAM keeps no copy of a deleted inline policy (this one is ${sizeWithoutWhiteSpace(change.document).toLocaleString('en-US')} characters without white space). To keep one, open it and use Save Policy to File… first.`,
          button: 'Delete',
        }),
      (_change, signal) => applyDeleteInline(connection, request, { signal }),
      `Deleting the inline policy "${policyName}"…`,
    );
  });
}

const WHAT_A_ROLE_BOUNDARY_DOES =
  "A permissions boundary caps what the role's own policies can grant: an action the boundary does not allow is denied, whatever the role's policies say.";

/** Sets (or replaces) a role's permissions boundary: as the user command does, for roles. */
export async function setRolePermissionsBoundary(env: CommandEnv, roleName?: string): Promise<CommandOutcome> {
  return withIamSession(env, 'Set permissions boundary', async (connection, identity) => {
    const role = roleName ?? (await pickTarget(env, connection, identity, ['role'], 'Set the permissions boundary of an IAM role'))?.name;
    if (role === undefined) return CANCELLED;
    const current = (await env.ui.withProgress(`Reading the role "${role}"…`, (signal) => getRole(connection, role, { signal }))).permissionsBoundaryArn;
    const policyArn = await pickBoundaryPolicy(env, connection, `Permissions boundary of the role "${role}"`, current);
    if (policyArn === undefined) return CANCELLED;
    const request = { roleName: role, policyArn };
    const plan = await env.ui.withProgress(`Checking the role "${role}"…`, (signal) => planRoleBoundary(connection, request, { signal }));
    return finish(
      env,
      `Set permissions boundary of role ${role} to ${policyArn}`,
      plan,
      identity,
      (change, account) =>
        env.ui.confirm({
          message: `Set ${policyArn} as the permissions boundary of the role "${role}"${inAccountPhrase(account)}?`,
          detail: `${change.currentArn !== undefined ? `It replaces ${change.currentArn}. ` : 'The role has no boundary now. '}${WHAT_A_ROLE_BOUNDARY_DOES}`,
          button: 'Set Boundary',
        }),
      (change, signal) => applyRoleBoundary(connection, request, change.currentArn, { signal }),
      `Setting the permissions boundary of "${role}"…`,
    );
  });
}

/** Removes the permissions boundary of a user or role, after asking. */
export async function removePermissionsBoundary(env: CommandEnv, target?: BoundaryHolder): Promise<CommandOutcome> {
  return withIamSession(env, 'Remove permissions boundary', async (connection, identity) => {
    const chosen = target ?? ((await pickTarget(env, connection, identity, ['user', 'role'], 'Remove a permissions boundary')) as BoundaryHolder | undefined);
    if (chosen === undefined) return CANCELLED;
    const plan = await env.ui.withProgress(`Reading the boundary of ${describe(chosen)}…`, (signal) => planRemoveBoundary(connection, chosen, { signal }));
    return finish(
      env,
      `Remove permissions boundary of ${chosen.kind} ${chosen.name}`,
      plan,
      identity,
      (change, account) =>
        env.ui.confirm({
          message: `Remove the permissions boundary ${change.currentArn} from ${describe(chosen)}${inAccountPhrase(account)}?`,
          detail: `Without a boundary, the ${KIND_NOUN[chosen.kind]}'s own policies alone decide what it may do.`,
          button: 'Remove Boundary',
        }),
      (change, signal) => applyRemoveBoundary(connection, chosen, change.currentArn, { signal }),
      `Removing the permissions boundary of ${describe(chosen)}…`,
    );
  });
}
