/**
 * What the commands ask of the editor, as an interface: the command logic (push.ts,
 * boundary.ts) is written against it and runs in plain Node with a scripted UI in the tests;
 * vscodeUi.ts implements it with quick picks, input boxes, a diff editor, modal dialogs,
 * progress and notifications. No `vscode` import in this file or in the command logic.
 */
import type { IamConnection, IamConnectionSettings, CallerIdentity, IamProblem } from '../aws';
import type { GrantsDiff } from 'iam-policy-engine';
import type { PushMemory } from './pushMemory';

/** One entry of a pick list. */
export interface Choice<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
  /** The value in effect now (shown first and marked). */
  readonly current?: boolean;
}

/** Entries under an optional heading. */
export interface ChoiceSection<T> {
  readonly heading?: string;
  readonly choices: readonly Choice<T>[];
}

/**
 * What typing offers besides filtering the list: a value of its own (`value`), or, when the
 * text cannot be one, an entry that explains why and cannot be accepted (`value` undefined).
 */
export interface TypedChoice<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T | undefined;
}

export interface PickLoad<T> {
  readonly sections: readonly ChoiceSection<T>[];
  /** Replaces the title once loaded (to name the account, say). */
  readonly title?: string;
  readonly placeholder?: string;
  /** Shown as an entry that cannot be picked: why the list is empty or incomplete. */
  readonly notice?: string;
}

export interface PickOptions<T> {
  readonly title: string;
  readonly placeholder: string;
  readonly step?: number;
  readonly totalSteps?: number;
  /** Fills the list; the pick is shown (busy) while this runs. A rejection closes the pick and is rethrown. */
  load(): Promise<PickLoad<T>>;
  /** What the typed text offers, given the entries listed; undefined when nothing. */
  typed?(value: string, listed: readonly Choice<T>[]): TypedChoice<T> | undefined;
}

export interface TextOptions {
  readonly title: string;
  readonly prompt: string;
  readonly value: string;
  readonly placeholder?: string;
  readonly step?: number;
  readonly totalSteps?: number;
  /** Undefined when the text is acceptable, else why not (shown as typed). */
  validate(value: string): string | undefined;
}

export interface DiffSide {
  /** A file name for the tab (`ReadReports.iam.json`). */
  readonly name: string;
  readonly text: string;
}

export interface DiffOptions {
  readonly title: string;
  /** IAM's version. */
  readonly left: DiffSide;
  /** The editor's. */
  readonly right: DiffSide;
  /** What the editor's version grants beyond IAM's and what it stops granting, shown beside the diff. */
  readonly grants?: GrantsDiff;
}

export interface ConfirmOptions {
  readonly message: string;
  readonly detail?: string;
  /** The button that says yes; cancelling is always offered. */
  readonly button: string;
  /**
   * The question is about the diff showDiff has open: ask it without covering the diff, which
   * stays readable and scrollable until the answer (a modal dialog would sit over it).
   */
  readonly aboutDiff?: boolean;
}

/** Follow-up actions a notification offers. */
export type ActionId = 'show-problems' | 'open-aws-settings' | 'select-profile' | 'show-output' | 'push-again' | 'push';

export type Severity = 'info' | 'warning' | 'error';

export interface OpenDocumentOptions {
  /** What in IAM the text is (`user/alice/inline/ReadReports`): opening it again shows the document already open. */
  readonly origin: string;
  /** File names to try in turn (`ReadReports.iam.json`, `ReadReports.alice.iam.json`): the first one free names the document. */
  readonly names: readonly string[];
  readonly text: string;
}

export interface OpenedDocument {
  readonly document: PolicyDocumentRef;
  /** The document of that origin was open already and is shown as it is (its text was not replaced). */
  readonly reused: boolean;
}

export interface CommandUi {
  pick<T>(options: PickOptions<T>): Promise<T | undefined>;
  askText(options: TextOptions): Promise<string | undefined>;
  /**
   * Runs `work` under a progress notification with a Cancel button, which aborts `signal`
   * (the IAM calls given it stop, and fail as `cancelled`).
   */
  withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Opens a diff of two read-only texts; `close` closes it again. */
  showDiff(options: DiffOptions): Promise<{ close(): Promise<void> }>;
  /** A question, modal unless it is about the open diff; true only for the button. */
  confirm(options: ConfirmOptions): Promise<boolean>;
  /** A notification; does not wait for the user. */
  notify(severity: Severity, message: string, actions?: readonly ActionId[]): void;
  /** Opens `text` as a new, editable, unsaved policy document (checked as you type), or shows the one of that origin. */
  openDocument(options: OpenDocumentOptions): Promise<OpenedDocument>;
  /** Asks where to save the document (`key`) and saves it there; the saved file's key, or undefined when cancelled. */
  saveAs(key: string): Promise<string | undefined>;
}

/** The document a command works on: the editor's text at the moment it is read. */
export interface PolicyDocumentRef {
  /** The document's URI, as a string: the key of what is remembered about it. */
  readonly key: string;
  /** The file's path or name (`read-reports.iam.json`), for the policy name and the engine. */
  readonly fileName: string;
  /** The current text, saved or not. */
  getText(): string;
}

/** What a command needs besides the UI. */
export interface CommandEnv {
  readonly ui: CommandUi;
  /** The connection settings in effect now. */
  settings(): IamConnectionSettings;
  /**
   * Whether the settings may be used: asks, once per workspace and value, when the endpoint or
   * profile comes from the workspace's settings rather than the user's (workspaceSettings.ts).
   */
  confirmSettings(): Promise<boolean>;
  /** A new connection for this command run; throws IamCallError (kind settings) for a bad endpoint. */
  connect(settings: IamConnectionSettings): IamConnection;
  readonly memory: PushMemory;
  /** A line for the output channel. Never policy text, never credentials. */
  log(line: string): void;
  /** Tells the status bar which account the settings lead to, or why they lead nowhere. */
  noteIdentity(settings: IamConnectionSettings, result: { identity: CallerIdentity } | { problem: IamProblem }): void;
  /**
   * What `after` grants that `before` does not, and the reverse (the semantic diff before an
   * overwrite); undefined when it cannot be worked out (no language server). Optional: a push
   * goes on without it.
   */
  grantChanges?(before: string, after: string): Promise<GrantsDiff | undefined>;
}
