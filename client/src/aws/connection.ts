/**
 * The SDK clients for one set of settings: IAM for the work, STS to say which account the
 * credentials belong to. Credentials come from the SDK's default chain for the chosen profile
 * (environment, SSO, config and credentials files, credential_process, web identity,
 * container and instance metadata), so whatever works for the AWS CLI works here.
 */
import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { acceptOnlyIamAnswers } from './answer';
import { callAws, type CallOptions } from './call';
import {
  DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS,
  resolveCredentialSource,
  runCredentialProcess,
  type CredentialSource,
  type ProcessCredentials,
} from './credentialProcess';
import { IamCallError, type ConnectionFacts } from './errors';
import { SILENT_LOG, type IamLog } from './log';
import { redactUrl } from './redact';

/** What the user sets. */
export interface IamConnectionSettings {
  /** A profile of ~/.aws/config; the SDK's default chain when absent or empty. */
  profile?: string;
  /** Default `us-east-1`: IAM is global, but the region picks the partition and STS endpoint. */
  region?: string;
  /** An IAM-compatible endpoint (LocalStack, moto) instead of AWS's. STS is sent there too. */
  endpoint?: string;
}

/** How patient the connection is; the defaults suit IAM, tests shorten them. */
export interface IamConnectionOptions {
  log?: IamLog;
  /** HTTP attempts per call, the first included; the SDK retries throttling, 5xx and network errors. */
  maxAttempts?: number;
  /** Time to open a TCP connection. */
  connectTimeoutMs?: number;
  /** Time from sending a request to the response headers, per attempt. */
  requestTimeoutMs?: number;
  /** The longest silence on an open connection, while the body of an answer comes in too. */
  socketTimeoutMs?: number;
  /** Time for the body of an answer to arrive in full once its headers came (a body trickling in is cut). */
  answerTimeoutMs?: number;
  /** Time a profile's credential_process may run. */
  credentialProcessTimeoutMs?: number;
}

export const DEFAULT_REGION = 'us-east-1';

/**
 * Three attempts: enough to ride out a throttled burst or one dropped connection, few enough
 * that a dead endpoint is reported within seconds (3 x 5 s plus backoff, about 16 s at worst).
 * IAM answers in well under a second; five seconds of silence means something is wrong.
 */
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/**
 * Once the headers came, the SDK's request timeout no longer applies: an answer that stalls
 * would wait for the operating system's reset (about two minutes), and one that trickles in
 * would never end. Ten seconds of silence, or fifteen seconds for a body IAM sends in well
 * under one, mean something between here and IAM is wrong.
 */
export const DEFAULT_SOCKET_TIMEOUT_MS = 10_000;
export const DEFAULT_ANSWER_TIMEOUT_MS = 15_000;
export { DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS };

export interface IamConnection {
  readonly iam: IAMClient;
  readonly sts: STSClient;
  readonly facts: ConnectionFacts;
  readonly log: IamLog;
  /**
   * The secret key and session token the credentials provider handed out: kept out of every
   * message. (Optional so a connection made some other way still fits; createIamConnection sets it.)
   */
  readonly secrets?: ReadonlySet<string>;
  /** Closes the clients' sockets. */
  dispose(): void;
}

/** Settings as the SDK will use them: empty strings dropped, defaults filled in. */
export function resolveConnectionFacts(settings: IamConnectionSettings, options: IamConnectionOptions = {}): ConnectionFacts {
  const profile = settings.profile?.trim() || undefined;
  const region = settings.region?.trim() || DEFAULT_REGION;
  const endpoint = settings.endpoint?.trim() || undefined;
  return {
    ...(profile !== undefined ? { profile } : {}),
    region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    socketTimeoutMs: options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
    answerTimeoutMs: options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS,
  };
}

/** The part of the configuration IAM and STS clients share. */
export type SdkClientConfig = Pick<IAMClientConfig, 'region' | 'endpoint' | 'maxAttempts' | 'retryMode' | 'requestHandler'>;

/**
 * The client configuration shared by IAM and STS, without credentials. Exported so tests can
 * pin the retry and timeout policy.
 */
export function sdkClientConfig(facts: ConnectionFacts): SdkClientConfig {
  return {
    region: facts.region,
    ...(facts.endpoint !== undefined ? { endpoint: facts.endpoint } : {}),
    maxAttempts: facts.maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: facts.connectTimeoutMs,
      requestTimeout: facts.requestTimeoutMs,
      // Without this the handler only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
      // An idle timeout on the socket: the request timeout ends with the headers, this one
      // also cuts a body that stops coming (the answer middleware bounds a slow one).
      socketTimeout: facts.socketTimeoutMs,
    },
    // No `logger`: the SDK's logger prints command inputs, which hold the policy document.
  };
}

/**
 * Builds the clients. Throws IamCallError (kind `settings`) for an endpoint that is not an
 * http(s) URL, because the SDK would fail later with a less helpful message.
 */
export function createIamConnection(settings: IamConnectionSettings, options: IamConnectionOptions = {}): IamConnection {
  const facts = resolveConnectionFacts(settings, options);
  if (facts.endpoint !== undefined) checkEndpoint(facts.endpoint);
  const config = sdkClientConfig(facts);
  const credentials = credentialsProvider(facts, options.credentialProcessTimeoutMs ?? DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS);
  const iam = new IAMClient({ ...config, credentials: credentials.provide });
  keepQuotaErrorsFromBeingRetried(iam);
  acceptOnlyIamAnswers(iam, facts.answerTimeoutMs);
  const sts = new STSClient({ ...config, credentials: credentials.provide });
  acceptOnlyIamAnswers(sts, facts.answerTimeoutMs);
  return {
    iam,
    sts,
    facts,
    log: options.log ?? SILENT_LOG,
    secrets: credentials.secrets,
    dispose() {
      iam.destroy();
      sts.destroy();
    },
  };
}

/**
 * One provider for both clients, so a profile's SSO token, role or process is resolved once
 * per connection: the profile's credential_process when the SDK would use one (run by the
 * extension, see credentialProcess.ts), otherwise the SDK's default chain. Whatever it hands
 * out is remembered as a secret to keep out of messages.
 */
function credentialsProvider(facts: ConnectionFacts, processTimeoutMs: number) {
  // ignoreCache: the SDK otherwise keeps the first reading of ~/.aws/config and credentials
  // for the life of the process (the extension host's), so keys added by `aws configure`
  // after the first push would never be seen, even by a new connection.
  const chain = fromNodeProviderChain({
    ...(facts.profile !== undefined ? { profile: facts.profile } : {}),
    ignoreCache: true,
  });
  const secrets = new Set<string>();
  let source: Promise<CredentialSource> | undefined;
  // A failure is this connection's answer: the process is not run again for each call.
  let fromProcess: Promise<ProcessCredentials> | undefined;
  const provide: typeof chain = async (properties) => {
    source ??= resolveCredentialSource(facts.profile);
    const from = await source;
    let credentials;
    if (from.kind === 'process') {
      const current = fromProcess;
      const expired =
        current !== undefined &&
        (await current.then(
          (value) => value.expiration !== undefined && value.expiration.getTime() <= Date.now(),
          () => false,
        ));
      if (current === undefined || expired) fromProcess = runCredentialProcess(from.profile, from.command, processTimeoutMs);
      credentials = await fromProcess!;
    } else {
      credentials = await chain(properties);
    }
    secrets.add(credentials.secretAccessKey);
    if (credentials.sessionToken !== undefined) secrets.add(credentials.sessionToken);
    return credentials;
  };
  return { provide, secrets };
}

function checkEndpoint(endpoint: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new IamCallError({
      kind: 'settings',
      message: `The endpoint setting "${redactUrl(endpoint)}" is not an http:// or https:// URL. Clear it to use AWS's IAM endpoint.`,
    });
  }
}

/**
 * IAM's `LimitExceeded` (a quota, such as the aggregate size of inline policies) reaches the
 * retry logic as `LimitExceededException`, a name the SDK's standard retry strategy counts as
 * throttling, so a push over the quota would be sent three times with backoff before failing.
 * A quota does not lift in a second: this middleware, placed inside the retry middleware,
 * renames the error to IAM's own code so it fails at once. Throttling (`Throttling`) is unaffected.
 */
function keepQuotaErrorsFromBeingRetried(client: IAMClient): void {
  const renameQuotaError =
    <Args, Result>(next: (args: Args) => Promise<Result>) =>
    async (args: Args): Promise<Result> => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && error.name === 'LimitExceededException') error.name = 'LimitExceeded';
        throw error;
      }
    };
  client.middlewareStack.addRelativeTo(renameQuotaError, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'iamQuotaIsNotThrottling',
    override: true,
  });
}

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

/** Which account and principal the credentials belong to (STS GetCallerIdentity). */
export async function getCallerIdentity(connection: IamConnection, options?: CallOptions): Promise<CallerIdentity> {
  const output = await callAws(connection, { operation: 'GetCallerIdentity' }, (send) => connection.sts.send(new GetCallerIdentityCommand({}), send), options);
  return { account: output.Account ?? '', arn: output.Arn ?? '', userId: output.UserId ?? '' };
}
