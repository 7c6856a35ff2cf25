/**
 * How the round-trip commands say "not sent": the first reason in a notification (with Show
 * Problems when it is in the document), the codes alone in the output channel; or that IAM
 * already holds the document, so nothing was sent.
 */
import type { Blocker } from '../flows';
import { forNotification } from './problems';
import { inAccount, type CommandOutcome } from './session';
import type { CommandEnv } from './ui';

export function reportBlockers(env: CommandEnv, what: string, blockers: readonly Blocker[]): CommandOutcome {
  const first = blockers[0];
  const more = blockers.length > 1 ? ` (and ${blockers.length - 1} more)` : '';
  const message = `Not sent: ${first?.message ?? 'IAM would reject it.'}${more}`;
  const inDocument = blockers.some((blocker) => blocker.line !== undefined);
  env.ui.notify('error', forNotification(message), inDocument ? ['show-problems'] : ['show-output']);
  env.log(`${what}: not sent (${[...new Set(blockers.map((blocker) => blocker.code))].join(', ')})`);
  return { status: 'blocked', message };
}

export function noDocument(env: CommandEnv): CommandOutcome {
  env.ui.notify('warning', 'No policy document is open in the editor.');
  return { status: 'no-document' };
}

/** IAM already holds what the document says (the plan's message): nothing was sent. */
export function reportUnchanged(env: CommandEnv, what: string, message: string, account: string | undefined): CommandOutcome {
  env.ui.notify('info', `${inAccount(message.replace(/: nothing to send\.$/, '.'), account)} Nothing was sent.`, ['show-output']);
  env.log(`${what}: unchanged, nothing sent`);
  return { status: 'unchanged', message };
}

/** IAM's copy changed between the comparison and the write: nothing was sent, Push Again compares anew. */
export function reportChangedMeanwhile(env: CommandEnv, what: string, message: string, copy = "IAM's copy"): CommandOutcome {
  env.ui.notify('warning', message, ['push-again']);
  env.log(`${what}: not sent, ${copy} changed since the comparison`);
  return { status: 'changed-meanwhile', message };
}
