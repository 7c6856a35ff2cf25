/**
 * "Select AWS Profile…" (also the status bar item's click): the profiles of the shared config
 * and credentials files, or the SDK's default chain; the choice goes into iamPolicy.aws.profile
 * where that setting is defined now (the workspace's, or the user's), and the account it leads
 * to is looked up at once, so a profile that does not work says so right away.
 */
import * as vscode from 'vscode';
import { readAwsProfiles } from '../aws';
import type { Ctx } from '../ctx';
import { AWS_SECTION } from '../ctx';
import { noProfilesNotice, profileSections, typedProfileChoice } from './choices';
import { actionsForProblem, forNotification } from './problems';
import { approveOwnChoice } from './workspaceSettings';

export async function selectProfile(ctx: Ctx): Promise<string | undefined> {
  const config = vscode.workspace.getConfiguration(AWS_SECTION);
  const current = (config.get<string>('profile') ?? '').trim();
  const env = ctx.env();
  const chosen = await env.ui.pick<string>({
    title: 'AWS profile for the IAM Policy commands',
    placeholder: 'Reading the AWS config and credentials files…',
    load: async () => {
      const listing = await readAwsProfiles();
      for (const { file, reason } of listing.unreadable) ctx.output.warn(`Could not read ${file}: ${reason}`);
      return {
        sections: profileSections(listing.profiles, current, process.env.AWS_PROFILE),
        placeholder: 'Pick a profile, or type its name',
        ...(listing.profiles.length === 0 ? { notice: noProfilesNotice(listing.files) } : {}),
      };
    },
    typed: typedProfileChoice,
  });
  if (chosen === undefined) return undefined;

  if (chosen !== current) {
    const inspected = config.inspect<string>('profile');
    // Where the setting is defined now, so the choice is the one in effect.
    const target =
      inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
    // The default chain in the user settings: remove the value. In the workspace: write ''
    // explicitly, or a profile in the user settings would come back into effect.
    const before = ctx.workspaceSettings();
    await config.update('profile', chosen === '' && target === vscode.ConfigurationTarget.Global ? undefined : chosen, target);
    if (target === vscode.ConfigurationTarget.Workspace && inspected?.workspaceFolderValue !== undefined) {
      ctx.output.warn('iamPolicy.aws.profile is also set for a workspace folder; that value is not changed.');
    }
    // Written into the workspace's settings by the person's own choice: not asked about again
    // (a folder's value, which stays in effect, was not their choice, and still is).
    const after = ctx.workspaceSettings();
    if ((after?.profile ?? '') === chosen) await approveOwnChoice(ctx.approvals, before, after);
  }
  const label = chosen === '' ? 'the default AWS credentials' : `the AWS profile "${chosen}"`;
  ctx.output.info(`Profile: ${chosen === '' ? '(default credentials)' : chosen}`);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Checking ${label}` }, () => ctx.statusBar.lookUp());
  if ('identity' in result) {
    ctx.output.info(`${label}: account ${result.identity.account}, ${result.identity.arn}`);
    // Short: a toast without buttons shows one line.
    void vscode.window.showInformationMessage(`${chosen === '' ? 'Default credentials' : `Profile "${chosen}"`}: account ${result.identity.account}.`);
  } else {
    env.ui.notify(
      'error',
      forNotification(result.problem.message),
      actionsForProblem(result.problem).filter((action) => action !== 'select-profile'),
    );
  }
  return chosen;
}
