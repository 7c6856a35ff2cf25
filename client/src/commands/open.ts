/**
 * "Open Policy" (a click in the IAM view) and "Save Policy to File…": an inline policy, a
 * version of a managed policy or a role's trust policy opens as an editable document,
 * URL-decoded and pretty-printed, and remembers where it came from, so Push Policy Again sends
 * it back there. What IAM held when it was opened is kept for the session: pushing back then
 * asks only if IAM changed meanwhile. No `vscode` import.
 */
import { getInlinePolicy, getPolicyVersion, getRole, type CallOptions, type EntityRef, type IamConnection } from '../aws';
import { prettyPolicy } from '../flows';
import { baseName } from './push';
import type { Destination } from './pushMemory';
import { CANCELLED, withIamSession, type CommandOutcome } from './session';
import type { CommandEnv, PolicyDocumentRef } from './ui';

/** What in IAM a document can be opened from. */
export type PolicyOrigin =
  | { readonly type: 'inline-policy'; readonly target: EntityRef; readonly policyName: string }
  | { readonly type: 'policy-version'; readonly policyArn: string; readonly policyName: string; readonly versionId: string; readonly isDefault: boolean }
  | { readonly type: 'trust-policy'; readonly roleName: string };

/** `the inline policy "P" of the user "alice"`, `v2 of the managed policy "P"`, `the trust policy of the role "R"`. */
export function describeOrigin(origin: PolicyOrigin): string {
  switch (origin.type) {
    case 'inline-policy':
      return `the inline policy "${origin.policyName}" of the ${origin.target.kind} "${origin.target.name}"`;
    case 'policy-version':
      return `${origin.versionId} of the managed policy "${origin.policyName}"`;
    case 'trust-policy':
      return `the trust policy of the role "${origin.roleName}"`;
  }
}

/** Where Push Policy Again sends a document, in words. */
export function describeDestination(destination: Destination): string {
  switch (destination.type) {
    case 'inline-policy':
      return `the inline policy "${destination.policyName}" of the ${destination.kind} "${destination.name}"`;
    case 'managed-policy':
      return `a new version of the managed policy ${destination.policyArn}`;
    case 'trust-policy':
      return `the trust policy of the role "${destination.roleName}"`;
  }
}

interface Loaded {
  /** As IAM returned it, decoded. */
  readonly document: string;
  /** File names for the editor, the first free one is used. */
  readonly names: readonly string[];
  readonly destination: Destination;
  /** What a push back compares IAM with: the opened document, when pushing back replaces it. */
  readonly base?: string;
}

async function load(connection: IamConnection, origin: PolicyOrigin, account: string | undefined, options: CallOptions): Promise<Loaded> {
  const inAccount = account !== undefined ? { account } : {};
  switch (origin.type) {
    case 'inline-policy': {
      const policy = await getInlinePolicy(connection, origin.target, origin.policyName, options);
      return {
        document: policy.document,
        names: [`${origin.policyName}.iam.json`, `${origin.policyName}.${origin.target.name}.iam.json`],
        destination: { type: 'inline-policy', kind: origin.target.kind, name: origin.target.name, policyName: origin.policyName, ...inAccount },
        base: policy.document,
      };
    }
    case 'policy-version': {
      const version = await getPolicyVersion(connection, origin.policyArn, origin.versionId, options);
      const versioned = `${origin.policyName}.${origin.versionId}.iam.json`;
      return {
        document: version.document,
        names: version.isDefault ? [`${origin.policyName}.iam.json`, versioned] : [versioned],
        destination: { type: 'managed-policy', policyArn: origin.policyArn, ...inAccount },
        // An older version pushed back replaces the default: that one is shown and asked about.
        ...(version.isDefault ? { base: version.document } : {}),
      };
    }
    case 'trust-policy': {
      const role = await getRole(connection, origin.roleName, options);
      return {
        document: role.trustPolicy,
        names: [`${origin.roleName}.trust.iam.json`],
        destination: { type: 'trust-policy', roleName: origin.roleName, ...inAccount },
        base: role.trustPolicy,
      };
    }
  }
}

function originKey(origin: PolicyOrigin, account: string | undefined): string {
  const where = account ?? '?';
  switch (origin.type) {
    case 'inline-policy':
      return `${where}/${origin.target.kind}/${origin.target.name}/inline/${origin.policyName}`;
    case 'policy-version':
      return `${where}/${origin.policyArn}/${origin.versionId}`;
    case 'trust-policy':
      return `${where}/role/${origin.roleName}/trust`;
  }
}

export async function openPolicy(env: CommandEnv, origin: PolicyOrigin): Promise<CommandOutcome> {
  const what = describeOrigin(origin);
  return withIamSession(env, `Open ${what}`, async (connection, identity) => {
    const account = await identity.account();
    const loaded = await env.ui.withProgress(`Reading ${what}…`, (signal) => load(connection, origin, account, { signal }));
    const { document, reused } = await env.ui.openDocument({ origin: originKey(origin, account), names: loaded.names, text: prettyPolicy(loaded.document) });
    if (!reused) {
      await env.memory.rememberDestination(document.key, loaded.destination);
      if (loaded.base !== undefined) env.memory.setBase(document.key, loaded.base);
    }
    env.log(`Open ${what}: ${reused ? 'already open, shown' : `opened as ${baseName(document.fileName)}`}`);
    return { status: 'done', message: `Opened ${what}.` };
  });
}

/**
 * Saves the document to a file the person picks; the file keeps where the document goes, so
 * Push Policy Again from it sends it back to the same place.
 */
export async function saveToFile(env: CommandEnv, document: PolicyDocumentRef | undefined): Promise<CommandOutcome> {
  if (document === undefined) {
    env.ui.notify('warning', 'No policy document is open in the editor.');
    return { status: 'no-document' };
  }
  const saved = await env.ui.saveAs(document.key);
  if (saved === undefined) return CANCELLED;
  const destination = env.memory.destination(document.key);
  await env.memory.rename(document.key, saved);
  const file = decodeURIComponent(baseName(saved));
  const message = destination !== undefined ? `Saved ${file}. Push Policy Again from it sends it to ${describeDestination(destination)}.` : `Saved ${file}.`;
  env.ui.notify('info', message, ['show-output']);
  env.log(`Save ${baseName(document.fileName)}: saved as ${saved}`);
  return { status: 'done', message };
}
