/**
 * How the round-trip commands say "not sent": the first reason in a notification (with Show
 * Problems when it is in the document), the codes alone in the output channel.
 */
import type { Blocker } from '../flows';
import { forNotification } from './problems';
import type { CommandOutcome } from './session';
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
