/**
 * What every command that talks to IAM shares: one connection per run (so renewed credentials
 * are picked up), the account asked of STS alongside the first list, and one way of turning a
 * failed call into a notification and a log line. No `vscode` import.
 */
import {
  IamCallError,
  getCallerIdentity,
  listEntities,
  type CallerIdentity,
  type EntityKind,
  type IamConnection,
  type IamConnectionSettings,
  type IamProblem,
} from '../aws';
import { entityChoices, KIND_NOUN } from './choices';
import { actionsForProblem, forNotification, loggableProblem } from './problems';
import type { CommandEnv, PickLoad } from './ui';

/** How a command run ended. `done`: what it was for happened (a push, a boundary set). */
export type CommandOutcome =
  | { readonly status: 'cancelled' | 'declined' | 'no-document' | 'not-remembered' }
  | { readonly status: 'blocked' | 'unchanged' | 'changed-meanwhile' | 'done'; readonly message: string }
  | { readonly status: 'failed'; readonly problem: IamProblem };

export const CANCELLED: CommandOutcome = { status: 'cancelled' };
export const DECLINED: CommandOutcome = { status: 'declined' };

/** GetCallerIdentity, started at once and awaited when needed; never an unhandled rejection. */
export class IdentityLookup {
  private readonly result: Promise<{ identity: CallerIdentity } | { error: unknown }>;
  private abandoned = false;

  constructor(env: CommandEnv, settings: IamConnectionSettings, connection: IamConnection) {
    this.result = getCallerIdentity(connection).then(
      (identity) => {
        env.noteIdentity(settings, { identity });
        return { identity };
      },
      (error: unknown) => {
        // A lookup cut short by the end of the command (its connection closed) says nothing.
        if (error instanceof IamCallError && !this.abandoned) env.noteIdentity(settings, { problem: error.problem });
        return { error };
      },
    );
  }

  /** Called when the command ends: a failure after this is the closed connection's. */
  abandon(): void {
    this.abandoned = true;
  }

  /** The identity, or the failure (IamCallError) thrown. */
  async get(): Promise<CallerIdentity> {
    const result = await this.result;
    if ('error' in result) throw result.error;
    return result.identity;
  }

  /** The account, or undefined when STS did not say. */
  async account(): Promise<string | undefined> {
    const result = await this.result;
    return 'identity' in result && result.identity.account !== '' ? result.identity.account : undefined;
  }
}

/** Whether the run has sent a policy document yet: a failure after that may quote it. */
export interface RunPhase {
  sentPolicy: boolean;
}

/**
 * Runs `body` with a fresh connection and its identity lookup, once the settings are
 * confirmed (an endpoint or profile from the workspace's settings is asked about before any
 * request; declining sends nothing). An IAM failure anywhere in it
 * (IamCallError) becomes an error notification with the actions that can help, a log line,
 * and the `failed` outcome; anything else is a bug and is rethrown.
 */
export async function withIamSession(
  env: CommandEnv,
  what: string,
  body: (connection: IamConnection, identity: IdentityLookup, phase: RunPhase) => Promise<CommandOutcome>,
): Promise<CommandOutcome> {
  if (!(await env.confirmSettings())) {
    env.log(`${what}: nothing sent, the AWS settings of the workspace were not confirmed`);
    return DECLINED;
  }
  const settings = env.settings();
  const phase: RunPhase = { sentPolicy: false };
  let connection: IamConnection;
  try {
    connection = env.connect(settings);
  } catch (error) {
    return failed(env, what, error, phase);
  }
  const identity = new IdentityLookup(env, settings, connection);
  try {
    return await body(connection, identity, phase);
  } catch (error) {
    return failed(env, what, error, phase);
  } finally {
    identity.abandon();
    connection.dispose();
  }
}

function failed(env: CommandEnv, what: string, error: unknown, phase: RunPhase): CommandOutcome {
  if (!(error instanceof IamCallError)) throw error;
  const problem = error.problem;
  if (problem.kind === 'cancelled' && problem.iamHolds === undefined) {
    // A read cancelled from its progress notification: the person knows, nothing changed.
    env.log(`${what}: cancelled`);
    return CANCELLED;
  }
  // A cancelled write is reported with what reading back found; that is no error of IAM's.
  env.ui.notify(problem.kind === 'cancelled' ? 'warning' : 'error', forNotification(problem.message), actionsForProblem(problem));
  env.log(`${what}: failed, ${loggableProblem(problem, phase.sentPolicy)}`);
  return { status: 'failed', problem };
}

/**
 * The users, groups or roles to pick from, and the account they are in. A list IAM refuses
 * (AccessDenied: the caller may write a policy without being allowed to list) leaves the pick
 * open for a typed name, with the reason shown; any other failure ends the command.
 */
export async function loadTargets(
  connection: IamConnection,
  identity: IdentityLookup,
  kind: EntityKind,
  /** Given `of account 123456789012` (or `of account unknown`). */
  title: (ofAccount: string) => string,
): Promise<PickLoad<string>> {
  const noun = KIND_NOUN[kind];
  const [who, listed] = await Promise.all([identity.get(), settle(listEntities(connection, kind))]);
  const loadedTitle = title(ofAccount(who.account));
  if ('problem' in listed) {
    return {
      sections: [],
      title: loadedTitle,
      placeholder: `Type the name of the ${noun}`,
      notice: `Could not list the ${noun}s: ${listed.problem.message}`,
    };
  }
  return {
    sections: [{ choices: entityChoices(listed.value) }],
    title: loadedTitle,
    placeholder: listed.value.length > 0 ? `Pick a ${noun}, or type a name` : `This account has no ${noun}s yet: type a name`,
  };
}

/** A list read whose AccessDenied is an answer, not a failure. */
export async function settle<T>(read: Promise<T>): Promise<{ value: T } | { problem: IamProblem }> {
  try {
    return { value: await read };
  } catch (error) {
    if (error instanceof IamCallError && error.problem.kind === 'access-denied') return { problem: error.problem };
    throw error;
  }
}

/**
 * `of account 123456789012`, or `of account unknown` when STS named none (an endpoint that
 * answers GetCallerIdentity without an Account): never a title that ends in a blank.
 */
export function ofAccount(account: string): string {
  return `of account ${account !== '' ? account : 'unknown'}`;
}

/** `Done.` → `Done in account 123456789012.` (unchanged when the account is unknown). */
export function inAccount(message: string, account: string | undefined): string {
  if (account === undefined) return message;
  return `${message.replace(/\.$/, '')} in account ${account}.`;
}
