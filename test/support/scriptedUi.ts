/**
 * A CommandUi that answers from a script, for running the commands' logic (client/src/commands)
 * in plain Node against moto: each question takes the next answer of its kind, and everything
 * shown (pick lists, diffs, questions, notifications, progress titles) is kept for assertions.
 * A question the script did not expect fails the test with what was asked.
 */
import type {
  ActionId,
  Choice,
  CommandEnv,
  CommandUi,
  ConfirmOptions,
  DiffOptions,
  OpenDocumentOptions,
  OpenedDocument,
  PickLoad,
  PickOptions,
  Severity,
  TextOptions,
  TypedChoice,
} from '../../client/src/commands/ui';
import { PushMemory, type StateStore } from '../../client/src/commands/pushMemory';
import type { PolicyDocumentRef } from '../../client/src/commands/ui';
import {
  createIamConnection,
  formatIamCall,
  type CallerIdentity,
  type IamConnectionOptions,
  type IamConnectionSettings,
  type IamProblem,
} from '../../client/src/aws';

/** How to answer a pick: a listed value, a typed text, or cancel (undefined). */
export type PickAnswer = { readonly choose: string } | { readonly type: string } | undefined;

export interface ShownPick {
  readonly title: string;
  readonly options: PickOptions<unknown>;
  readonly loaded: PickLoad<unknown>;
  readonly choices: readonly Choice<unknown>[];
  /** What typing offered, when the answer was typed. */
  readonly typed?: TypedChoice<unknown>;
}

export interface Notification {
  readonly severity: Severity;
  readonly message: string;
  readonly actions: readonly ActionId[];
}

export class ScriptedUi implements CommandUi {
  readonly picks: ShownPick[] = [];
  readonly texts: TextOptions[] = [];
  readonly diffs: DiffOptions[] = [];
  readonly confirms: ConfirmOptions[] = [];
  readonly notifications: Notification[] = [];
  readonly progress: string[] = [];
  /** The documents opened, as editors: a test may change `text` as a person would type. */
  readonly opened: (OpenDocumentOptions & { readonly document: EditableDocument })[] = [];
  readonly saved: string[] = [];
  closedDiffs = 0;
  private readonly saveAnswers: (string | undefined)[] = [];
  private readonly cancels: { prefix: string; afterMs: number }[] = [];

  private readonly pickAnswers: PickAnswer[] = [];
  private readonly textAnswers: (string | undefined)[] = [];
  private readonly confirmAnswers: (boolean | (() => Promise<boolean>))[] = [];

  answerPicks(...answers: PickAnswer[]): this {
    this.pickAnswers.push(...answers);
    return this;
  }
  answerTexts(...answers: (string | undefined)[]): this {
    this.textAnswers.push(...answers);
    return this;
  }
  /** Where Save As puts the next documents (a file name under /work), or undefined to cancel. */
  answerSaves(...answers: (string | undefined)[]): this {
    this.saveAnswers.push(...answers);
    return this;
  }
  /** A function answer runs while the question is open (to change IAM meanwhile, say). */
  answerConfirms(...answers: (boolean | (() => Promise<boolean>))[]): this {
    this.confirmAnswers.push(...answers);
    return this;
  }

  async pick<T>(options: PickOptions<T>): Promise<T | undefined> {
    const loaded = await options.load();
    const choices = loaded.sections.flatMap((section) => section.choices);
    if (this.pickAnswers.length === 0) throw new Error(`Unexpected pick "${options.title}" (no answer scripted)`);
    const answer = this.pickAnswers.shift();
    const shown = { title: loaded.title ?? options.title, options: options as PickOptions<unknown>, loaded: loaded as PickLoad<unknown>, choices };
    if (answer === undefined) {
      this.picks.push(shown);
      return undefined;
    }
    if ('choose' in answer) {
      this.picks.push(shown);
      const choice = choices.find((item) => item.value === answer.choose);
      if (choice === undefined)
        throw new Error(`"${answer.choose}" is not listed in "${shown.title}": ${choices.map((item) => String(item.value)).join(', ')}`);
      return choice.value;
    }
    const typed = options.typed?.(answer.type, choices);
    this.picks.push({ ...shown, ...(typed !== undefined ? { typed: typed as TypedChoice<unknown> } : {}) });
    if (typed === undefined) {
      const listed = choices.find((item) => item.value === answer.type);
      if (listed !== undefined) return listed.value;
      throw new Error(`Typing "${answer.type}" offers nothing in "${shown.title}"`);
    }
    // An entry that cannot be accepted leaves the pick open; the person then gives up.
    return typed.value;
  }

  async askText(options: TextOptions): Promise<string | undefined> {
    this.texts.push(options);
    if (this.textAnswers.length === 0) throw new Error(`Unexpected input box "${options.title}" (no answer scripted)`);
    const answer = this.textAnswers.shift();
    if (answer === undefined) return undefined;
    const problem = options.validate(answer);
    if (problem !== undefined) throw new Error(`The input box refuses "${answer}": ${problem}`);
    return answer;
  }

  /** Presses the Cancel button of the progress notifications whose title starts with `prefix`, `afterMs` after each starts. */
  cancelProgress(prefix: string, afterMs: number): this {
    this.cancels.push({ prefix, afterMs });
    return this;
  }

  async withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.progress.push(title);
    const controller = new AbortController();
    const cancel = this.cancels.find((entry) => title.startsWith(entry.prefix));
    const timer = cancel !== undefined ? setTimeout(() => controller.abort(), cancel.afterMs) : undefined;
    try {
      return await work(controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  async showDiff(options: DiffOptions): Promise<{ close(): Promise<void> }> {
    this.diffs.push(options);
    return {
      close: async () => {
        this.closedDiffs += 1;
      },
    };
  }

  async confirm(options: ConfirmOptions): Promise<boolean> {
    this.confirms.push(options);
    if (this.confirmAnswers.length === 0) throw new Error(`Unexpected question "${options.message}" (no answer scripted)`);
    const answer = this.confirmAnswers.shift();
    return typeof answer === 'function' ? answer() : answer === true;
  }

  notify(severity: Severity, message: string, actions: readonly ActionId[] = []): void {
    this.notifications.push({ severity, message, actions });
  }

  async openDocument(options: OpenDocumentOptions): Promise<OpenedDocument> {
    const open = this.opened.find((entry) => entry.origin === options.origin);
    if (open !== undefined) return { document: open.document, reused: true };
    const taken = new Set(this.opened.map((entry) => entry.document.fileName));
    const name = options.names.find((candidate) => !taken.has(`/work/${candidate}`)) ?? `${this.opened.length}-${options.names[0]}`;
    const document = editableDocument(`untitled:/work/${name}`, `/work/${name}`, options.text);
    this.opened.push({ ...options, document });
    return { document, reused: false };
  }

  async saveAs(key: string): Promise<string | undefined> {
    if (this.saveAnswers.length === 0) throw new Error(`Unexpected Save As of ${key} (no answer scripted)`);
    const answer = this.saveAnswers.shift();
    if (answer === undefined) return undefined;
    this.saved.push(key);
    return `file:///work/${answer}`;
  }

  /** Fails when answers were scripted that no question used. */
  assertAllAnswered(): void {
    const left = this.pickAnswers.length + this.textAnswers.length + this.confirmAnswers.length + this.saveAnswers.length;
    if (left > 0)
      throw new Error(
        `${left} scripted answers were not used (picks ${this.pickAnswers.length}, texts ${this.textAnswers.length}, confirms ${this.confirmAnswers.length})`,
      );
  }
}

/** An editor document whose text a test changes between commands, as a person types. */
export interface EditableDocument extends PolicyDocumentRef {
  text: string;
}

export function editableDocument(key: string, fileName: string, text: string): EditableDocument {
  const document = { key, fileName, text, getText: () => document.text };
  return document;
}

/** workspaceState as a map; values go through JSON as VS Code's do. */
export class MapStore implements StateStore {
  readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
  }
}

export interface TestEnv extends CommandEnv {
  readonly ui: ScriptedUi;
  readonly lines: string[];
  readonly identities: ({ identity: CallerIdentity } | { problem: IamProblem })[];
  /** How many connections the command made. */
  connections: number;
}

/** A command environment over `settings`; `lines` gets what the output channel would (formatIamCall lines and the commands' own). */
export function testEnv(settings: IamConnectionSettings, memory = new PushMemory(new MapStore()), options: IamConnectionOptions = {}): TestEnv {
  const lines: string[] = [];
  const identities: TestEnv['identities'] = [];
  const env: TestEnv = {
    ui: new ScriptedUi(),
    lines,
    identities,
    connections: 0,
    settings: () => settings,
    confirmSettings: async () => true,
    connect: (current) => {
      env.connections += 1;
      return createIamConnection(current, {
        maxAttempts: 1,
        ...options,
        log: { record: (entry) => lines.push(formatIamCall(entry)) },
      });
    },
    memory,
    log: (line) => lines.push(line),
    noteIdentity: (_settings, result) => identities.push(result),
  };
  return env;
}
