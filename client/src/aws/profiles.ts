/**
 * The AWS profiles a user can choose from: the section names of the shared config file
 * (`~/.aws/config`, `[default]` and `[profile NAME]`) and credentials file
 * (`~/.aws/credentials`, `[NAME]`), at the places the SDK reads them (AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE override). Only names and the names of their keys are kept, to
 * say what kind of profile each one is: values (keys, secrets, tokens) are never kept.
 *
 * The SDK's own reader lives in a package that is not a dependency here; this reads the files
 * the way it does (comments start with `#` or `;`; `[sso-session x]` and `[services x]` are
 * not profiles; in the config file a section other than `default` needs the `profile ` prefix).
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export type SharedFile = 'config' | 'credentials';

/** How a profile gets its credentials, judged from its key names. */
export type ProfileKind = 'sso' | 'role' | 'process' | 'web-identity' | 'keys' | 'settings-only';

export interface AwsProfile {
  readonly name: string;
  /** The files that have a section for it. */
  readonly files: readonly SharedFile[];
  readonly kind: ProfileKind;
}

export interface SharedFilePaths {
  readonly config: string;
  readonly credentials: string;
}

export interface ProfileListing {
  readonly profiles: readonly AwsProfile[];
  readonly files: SharedFilePaths;
  /** Files that could not be read for another reason than not existing. */
  readonly unreadable: readonly { readonly file: string; readonly reason: string }[];
}

/** Where the SDK looks for the two files. */
export function sharedFilePaths(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): SharedFilePaths {
  const expand = (file: string): string => (file.startsWith('~/') || file.startsWith('~\\') ? path.join(home, file.slice(2)) : file);
  return {
    config: expand(env.AWS_CONFIG_FILE?.trim() || path.join(home, '.aws', 'config')),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE?.trim() || path.join(home, '.aws', 'credentials')),
  };
}

/** Profile name to the (lower-case) names of its keys, for one file. */
export function parseProfileSections(text: string, file: SharedFile): Map<string, Set<string>> {
  const sections = new Map<string, Set<string>>();
  forEachProfileEntry(text, file, (name, key) => {
    let keys = sections.get(name);
    if (keys === undefined) {
      keys = new Set<string>();
      sections.set(name, keys);
    }
    if (key !== undefined) keys.add(key);
  });
  return sections;
}

/**
 * Calls `visit` for each profile section (`key` undefined) and each of its `key = value`
 * lines (key lower-cased, both trimmed). For callers that need a value (credentialProcess.ts
 * reads `credential_process`): they keep only what they need.
 */
export function forEachProfileEntry(text: string, file: SharedFile, visit: (profile: string, key?: string, value?: string) => void): void {
  let current: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    // As the SDK does: a `#` or `;` at the start or after white space starts a comment.
    const line = rawLine.split(/(?:^|\s)[;#]/)[0].trim();
    if (line.startsWith('[') && line.endsWith(']')) {
      current = profileName(line.slice(1, -1).trim(), file);
      if (current !== undefined) visit(current);
      continue;
    }
    const equals = line.indexOf('=');
    if (current !== undefined && equals > 0) visit(current, line.slice(0, equals).trim().toLowerCase(), line.slice(equals + 1).trim());
  }
}

/** The profile a section header names, or undefined when it is not a profile. */
function profileName(header: string, file: SharedFile): string | undefined {
  if (header === '') return undefined;
  if (file === 'credentials') return header;
  if (header === 'default') return 'default';
  const match = /^profile\s+(.+)$/.exec(header);
  if (match === null) return undefined; // sso-session, services, or a name the SDK ignores
  const name = match[1].trim().replace(/^(["'])(.*)\1$/, '$2');
  return name === '' ? undefined : name;
}

function kindOf(keys: ReadonlySet<string>): ProfileKind {
  if (keys.has('sso_session') || keys.has('sso_start_url')) return 'sso';
  if (keys.has('role_arn')) return 'role';
  if (keys.has('credential_process')) return 'process';
  if (keys.has('web_identity_token_file')) return 'web-identity';
  if (keys.has('aws_access_key_id')) return 'keys';
  return 'settings-only';
}

/** The profiles of both files, `default` first, then by name. */
export function profilesFromFiles(configText: string, credentialsText: string): AwsProfile[] {
  const byName = new Map<string, { files: SharedFile[]; keys: Set<string> }>();
  for (const [file, text] of [
    ['config', configText],
    ['credentials', credentialsText],
  ] as const) {
    for (const [name, keys] of parseProfileSections(text, file)) {
      const entry = byName.get(name) ?? { files: [], keys: new Set<string>() };
      entry.files.push(file);
      for (const key of keys) entry.keys.add(key);
      byName.set(name, entry);
    }
  }
  return [...byName.entries()]
    .map(([name, entry]): AwsProfile => ({ name, files: entry.files, kind: kindOf(entry.keys) }))
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** Reads both files (a missing file is simply empty) and lists their profiles. */
export async function readAwsProfiles(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): Promise<ProfileListing> {
  const files = sharedFilePaths(env, home);
  const unreadable: { file: string; reason: string }[] = [];
  const read = async (file: string): Promise<string> => {
    try {
      return await fs.readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') unreadable.push({ file, reason: code ?? String(error) });
      return '';
    }
  };
  const [configText, credentialsText] = await Promise.all([read(files.config), read(files.credentials)]);
  return { profiles: profilesFromFiles(configText, credentialsText), files, unreadable };
}

const KIND_LABELS: Record<ProfileKind, string> = {
  sso: 'IAM Identity Center (SSO)',
  role: 'assumes a role',
  process: 'credential process',
  'web-identity': 'web identity',
  keys: 'access keys',
  'settings-only': 'no credentials of its own',
};

/** `config, credentials · access keys`: where a profile is and how it signs in. */
export function describeProfile(profile: AwsProfile): string {
  return `${profile.files.join(', ')} · ${KIND_LABELS[profile.kind]}`;
}
