/**
 * "Push Policy Again": sends the document to where it goes, whatever kind of place that is:
 * an inline policy (push.ts), a new version of a managed policy (managed.ts), or a role's trust
 * policy (trust.ts). The place is the last push, or where the document was opened from in the
 * IAM view. No `vscode` import.
 */
import { noDocument } from './blocked';
import { pushPolicyVersionAgain } from './managed';
import { pushPolicyAgain } from './push';
import type { CommandOutcome } from './session';
import { updateTrustPolicyAgain } from './trust';
import type { CommandEnv, PolicyDocumentRef } from './ui';

export async function pushBack(env: CommandEnv, document: PolicyDocumentRef | undefined): Promise<CommandOutcome> {
  if (document === undefined) return noDocument(env);
  const destination = env.memory.destination(document.key);
  switch (destination?.type) {
    case 'managed-policy':
      return pushPolicyVersionAgain(env, document, destination);
    case 'trust-policy':
      return updateTrustPolicyAgain(env, document, destination);
    default:
      return pushPolicyAgain(env, document);
  }
}
