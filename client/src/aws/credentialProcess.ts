/**
 * Profiles whose credentials come from a `credential_process`. The SDK runs the command itself,
 * but without a time limit (a process waiting for a sign-in hangs the command forever), and
 * when it fails, the provider chain goes on to other sources and ends with "Could not load
 * credentials from any providers", which says nothing of the process. So for a profile the SDK
 * would hand to its process provider, the extension runs the command: with a time limit
 * (30 s), and on failure an error that says what the process did, with the first line it
 * printed on stderr. Every other profile is left to the SDK's chain.
 *
 * The rules follow the AWS documentation on sourcing credentials with an external process
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html): the
 * command prints JSON `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?,
 * "Expiration"?}`; a non-zero exit is a failure; expired credentials are refused. The command
 * runs through the shell, as the SDK for JavaScript runs it.
 *
 * Nothing the process prints on stdout is ever put into a message (it holds the secret).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { forEachProfileEntry, sharedFilePaths, type SharedFile } from './profiles';
import { redactSecrets } from './redact';

export const DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS = 30_000;

/** More than any credentials JSON; a process that prints more is not printing credentials. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

export interface ProcessCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly accountId?: string;
}

export type CredentialProcessFailure =
  | { readonly reason: 'timeout'; readonly timeoutMs: number }
  | { readonly reason: 'exit'; readonly exitCode: number }
  | { readonly reason: 'signal'; readonly signal: string }
  | { readonly reason: 'spawn'; readonly errno: string }
  | { readonly reason: 'not-json'; readonly length: number }
  | { readonly reason: 'wrong-version' }
  | { readonly reason: 'no-keys' }
  | { readonly reason: 'bad-expiration' }
  | { readonly reason: 'expired'; readonly expiration: string };

/** A credential_process that failed; errors.ts turns it into the user's message. */
export class CredentialProcessError extends Error {
  override readonly name = 'CredentialProcessError';

  constructor(
    readonly profile: string,
    readonly failure: CredentialProcessFailure,
    /** The first line the process printed on stderr, shortened and without secrets. */
    readonly stderrLine: string | undefined,
  ) {
    super(`credential_process of profile ${profile}: ${failure.reason}`);
  }
}

/** Where a connection's credentials come from. */
export type CredentialSource =
  | { readonly kind: 'process'; readonly profile: string; readonly command: string }
  /** The SDK's default chain decides (environment, keys, SSO, roles, web identity, instance roles). */
  | { readonly kind: 'sdk' };

/** The keys of a profile that decide which provider the SDK uses (credential-provider-ini's order). */
const DECIDING_KEYS = new Set([
  'role_arn',
  'source_profile',
  'credential_source',
  'aws_access_key_id',
  'aws_secret_access_key',
  'web_identity_token_file',
  'credential_process',
]);

/**
 * Whether the SDK would take this connection's credentials from a credential_process: the
 * profile setting, else AWS_PROFILE, else (when no keys are in the environment, which the SDK
 * would use first) `default`; and in that profile no role, static keys or web identity, which
 * the SDK prefers, but a `credential_process`. Values from the credentials file override the
 * config file's, as in the SDK.
 */
export async function resolveCredentialSource(profileSetting: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<CredentialSource> {
  let profile = profileSetting ?? (env.AWS_PROFILE?.trim() || undefined);
  if (profile === undefined) {
    if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return { kind: 'sdk' };
    profile = 'default';
  }
  const files = sharedFilePaths(env);
  const keys = new Map<string, string>();
  for (const [file, where] of [
    ['config', files.config],
    ['credentials', files.credentials],
  ] as [SharedFile, string][]) {
    let text: string;
    try {
      text = await fs.readFile(where, 'utf8');
    } catch {
      continue; // the SDK's chain will say what is missing
    }
    forEachProfileEntry(text, file, (name, key, value) => {
      if (name === profile && key !== undefined && value !== undefined && DECIDING_KEYS.has(key)) keys.set(key, value);
    });
  }
  const command = keys.get('credential_process');
  if (command === undefined || command === '') return { kind: 'sdk' };
  const assumesRole = keys.has('role_arn') && (keys.has('source_profile') || keys.has('credential_source'));
  const staticKeys = keys.has('aws_access_key_id') && keys.has('aws_secret_access_key');
  const webIdentity = keys.has('web_identity_token_file') && keys.has('role_arn');
  if (assumesRole || staticKeys || webIdentity) return { kind: 'sdk' };
  return { kind: 'process', profile, command };
}

/** Runs the command, stops it after `timeoutMs`, and checks what it printed. */
export function runCredentialProcess(profile: string, command: string, timeoutMs = DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS): Promise<ProcessCredentials> {
  return new Promise<ProcessCredentials>((resolve, reject) => {
    const ownGroup = process.platform !== 'win32';
    const child = spawn(command, {
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout stops what the shell started too.
      detached: ownGroup,
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutSize = 0;
    let stderrSize = 0;
    let settled = false;
    const fail = (failure: CredentialProcessFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new CredentialProcessError(profile, failure, firstLine(Buffer.concat(stderr).toString('utf8'))));
    };
    const stop = (): void => {
      try {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // It ended meanwhile.
      }
    };
    const timer = setTimeout(() => {
      stop();
      fail({ reason: 'timeout', timeoutMs });
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutSize += chunk.length;
      if (stdoutSize <= MAX_OUTPUT_BYTES) stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrSize += chunk.length;
      if (stderrSize <= MAX_OUTPUT_BYTES) stderr.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => fail({ reason: 'spawn', errno: error.code ?? error.message }));
    child.on('close', (code, signal) => {
      if (settled) return;
      if (signal !== null) return fail({ reason: 'signal', signal });
      if (code !== 0) return fail({ reason: 'exit', exitCode: code ?? -1 });
      const result = checkProcessOutput(Buffer.concat(stdout).toString('utf8'));
      if ('reason' in result) return fail(result);
      settled = true;
      clearTimeout(timer);
      resolve(result);
    });
  });
}

/** The credentials in what the process printed, or why there are none. */
export function checkProcessOutput(stdout: string, now: Date = new Date()): ProcessCredentials | CredentialProcessFailure {
  let data: unknown;
  try {
    data = JSON.parse(stdout.trim());
  } catch {
    return { reason: 'not-json', length: stdout.trim().length };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { reason: 'not-json', length: stdout.trim().length };
  const record = data as Record<string, unknown>;
  if (record.Version !== 1) return { reason: 'wrong-version' };
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const accessKeyId = text(record.AccessKeyId);
  const secretAccessKey = text(record.SecretAccessKey);
  if (accessKeyId === undefined || secretAccessKey === undefined) return { reason: 'no-keys' };
  let expiration: Date | undefined;
  if (record.Expiration !== undefined && record.Expiration !== null) {
    const value = text(record.Expiration);
    expiration = value !== undefined ? new Date(value) : undefined;
    if (expiration === undefined || Number.isNaN(expiration.getTime())) return { reason: 'bad-expiration' };
    if (expiration.getTime() <= now.getTime()) return { reason: 'expired', expiration: expiration.toISOString() };
  }
  const sessionToken = text(record.SessionToken);
  const accountId = text(record.AccountId);
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    ...(expiration !== undefined ? { expiration } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
  };
}

/** The first non-empty line, at most 200 characters, without anything secret-looking. */
function firstLine(text: string): string | undefined {
  const line = text
    .split(/\r?\n/)
    .map((part) => part.trim())
    .find((part) => part !== '');
  if (line === undefined) return undefined;
  const short = line.length > 200 ? `${line.slice(0, 199)}…` : line;
  return redactSecrets(short);
}
