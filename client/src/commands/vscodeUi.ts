/**
 * CommandUi in VS Code: quick picks that show while their list loads (busy) and accept a typed
 * name, input boxes validated as typed, a diff of two read-only documents with its question in
 * the diff's title bar, modal questions, progress notifications, and notifications whose
 * buttons run follow-up commands.
 */
import * as vscode from 'vscode';
import { showGrantChanges } from '../grants/changesPanel';
import type { IamDocumentProvider } from '../iamDocuments';
import type { OpenedPolicyDocuments } from '../openedDocuments';
import type {
  ActionId,
  Choice,
  CommandUi,
  ConfirmOptions,
  DiffOptions,
  OpenDocumentOptions,
  OpenedDocument,
  PickOptions,
  Severity,
  TextOptions,
  TypedChoice,
} from './ui';

export const ACTION_TITLES: Readonly<Record<ActionId, string>> = {
  'show-problems': 'Show Problems',
  'open-aws-settings': 'Open Settings',
  'select-profile': 'Select AWS Profile',
  'show-output': 'Show Output',
  'push-again': 'Push Again',
  push: 'Push Policy to IAM…',
};

interface Item<T> extends vscode.QuickPickItem {
  readonly value?: T;
  /** For the entry typing offers; undefined `value` there means it cannot be accepted. */
  readonly typed?: boolean;
}

export interface VscodeUiDeps {
  readonly documents: IamDocumentProvider;
  readonly output: vscode.LogOutputChannel;
  /** The policies opened from the IAM view. */
  readonly opened: OpenedPolicyDocuments;
  /** The document the command works on, for "Push Again". */
  readonly documentUri?: vscode.Uri;
}

/** Set while a question about an open diff waits: the diff editor's title bar shows its buttons. */
export const DIFF_QUESTION_CONTEXT = 'iamPolicy.diffQuestionPending';

/** The answer to the question about the open diff, from its title bar (one question at a time). */
let answerDiffQuestion: ((yes: boolean) => void) | undefined;

/** The diff editor's title bar buttons (commands iamPolicy.diffAnswerYes / iamPolicy.diffAnswerNo). */
export function answerPendingDiffQuestion(yes: boolean): void {
  answerDiffQuestion?.(yes);
}

export class VscodeUi implements CommandUi {
  /** The left side of the diff showDiff opened, while it is open. */
  private openDiff: vscode.Uri | undefined;

  constructor(private readonly deps: VscodeUiDeps) {}

  pick<T>(options: PickOptions<T>): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      const pick = vscode.window.createQuickPick<Item<T>>();
      pick.title = options.title;
      pick.placeholder = options.placeholder;
      if (options.step !== undefined) pick.step = options.step;
      if (options.totalSteps !== undefined) pick.totalSteps = options.totalSteps;
      pick.matchOnDescription = true;
      pick.ignoreFocusOut = true;
      pick.busy = true;

      let listed: Item<T>[] = [];
      let choices: Choice<T>[] = [];
      let settled = false;
      const finish = (action: () => void): void => {
        if (settled) return;
        settled = true;
        action();
        pick.hide();
      };
      const render = (): void => {
        const typed = options.typed?.(pick.value, choices);
        pick.items = typed === undefined ? listed : [...listed, ...typedItems(typed)];
      };
      const subscriptions = [
        pick.onDidChangeValue(render),
        pick.onDidAccept(() => {
          const item = pick.selectedItems[0] ?? pick.activeItems[0];
          // The notice and an invalid typed name cannot be accepted: their text says why.
          if (item === undefined || item.value === undefined) return;
          const value = item.value;
          finish(() => resolve(value));
        }),
        pick.onDidHide(() => {
          for (const subscription of subscriptions) subscription.dispose();
          pick.dispose();
          if (!settled) {
            settled = true;
            resolve(undefined);
          }
        }),
      ];
      pick.show();
      options.load().then(
        (loaded) => {
          if (settled) return;
          pick.busy = false;
          if (loaded.title !== undefined) pick.title = loaded.title;
          if (loaded.placeholder !== undefined) pick.placeholder = loaded.placeholder;
          choices = loaded.sections.flatMap((section) => section.choices);
          listed = [
            ...(loaded.notice !== undefined
              ? [{ label: '$(warning) The list is not available', detail: loaded.notice, alwaysShow: true } satisfies Item<T>]
              : []),
            ...loaded.sections.flatMap((section) => [
              ...(section.heading !== undefined && loaded.sections.length > 1
                ? [{ label: section.heading, kind: vscode.QuickPickItemKind.Separator } satisfies Item<T>]
                : []),
              ...section.choices.map((choice) => choiceItem(choice)),
            ]),
          ];
          render();
          const current = listed.find((item) => item.picked === true);
          if (current !== undefined && pick.value === '') pick.activeItems = [current];
        },
        (error: unknown) => finish(() => reject(error)),
      );
    });
  }

  askText(options: TextOptions): Promise<string | undefined> {
    return new Promise<string | undefined>((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = options.title;
      box.prompt = options.prompt;
      box.value = options.value;
      if (options.placeholder !== undefined) box.placeholder = options.placeholder;
      if (options.step !== undefined) box.step = options.step;
      if (options.totalSteps !== undefined) box.totalSteps = options.totalSteps;
      box.ignoreFocusOut = true;
      let settled = false;
      const validate = (): string | undefined => {
        const problem = box.value === '' ? undefined : options.validate(box.value);
        box.validationMessage = problem;
        return problem;
      };
      const subscriptions = [
        box.onDidChangeValue(validate),
        box.onDidAccept(() => {
          // An empty box gets its message only on Enter, not while it is being cleared to type.
          const problem = options.validate(box.value);
          box.validationMessage = problem;
          if (problem !== undefined) return;
          settled = true;
          resolve(box.value);
          box.hide();
        }),
        box.onDidHide(() => {
          for (const subscription of subscriptions) subscription.dispose();
          box.dispose();
          if (!settled) resolve(undefined);
        }),
      ];
      validate();
      box.show();
    });
  }

  withProgress<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
        const controller = new AbortController();
        const subscription = token.onCancellationRequested(() => controller.abort());
        return work(controller.signal).finally(() => subscription.dispose());
      }),
    );
  }

  async showDiff(options: DiffOptions): Promise<{ close(): Promise<void> }> {
    const { documents } = this.deps;
    const left = documents.add('IAM', options.left.name, options.left.text);
    const right = documents.add('Editor', options.right.name, options.right.text);
    await vscode.commands.executeCommand('vscode.diff', left, right, options.title, { preview: true });
    this.openDiff = left;
    const changes = options.grants === undefined ? undefined : showGrantChanges(options.grants, `IAM's ${options.left.name}`, options.right.name);
    return {
      close: async () => {
        if (this.openDiff?.toString() === left.toString()) this.openDiff = undefined;
        const tabs = vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.original.toString() === left.toString());
        if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
        changes?.dispose();
        documents.remove(left);
        documents.remove(right);
      },
    };
  }

  async confirm(options: ConfirmOptions): Promise<boolean> {
    if (options.aboutDiff === true && this.openDiff !== undefined) return this.confirmBesideDiff(options, this.openDiff);
    const answer = await vscode.window.showWarningMessage(
      options.message,
      { modal: true, ...(options.detail !== undefined ? { detail: options.detail } : {}) },
      options.button,
    );
    return answer === options.button;
  }

  /**
   * The question about an open diff, asked without covering it: the answer buttons are in the
   * diff editor's title bar, and a notification (which goes away with the answer) says so and
   * offers Cancel. Closing the diff is a no, as is a newer question.
   */
  private confirmBesideDiff(options: ConfirmOptions, diffOriginal: vscode.Uri): Promise<boolean> {
    answerDiffQuestion?.(false);
    return new Promise<boolean>((resolve) => {
      let answered: () => void = () => undefined;
      const gone = new Promise<void>((done) => (answered = done));
      const closed = vscode.window.tabGroups.onDidChangeTabs((event) => {
        if (event.closed.some((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.original.toString() === diffOriginal.toString()))
          answer(false);
      });
      const answer = (yes: boolean): void => {
        if (answerDiffQuestion !== answer) return;
        answerDiffQuestion = undefined;
        closed.dispose();
        void vscode.commands.executeCommand('setContext', DIFF_QUESTION_CONTEXT, false);
        answered();
        resolve(yes);
      };
      answerDiffQuestion = answer;
      void vscode.commands.executeCommand('setContext', DIFF_QUESTION_CONTEXT, true);
      const title = `${options.message} Read the diff, then ${options.button} or Cancel in its title bar.${options.detail !== undefined ? ` ${options.detail}` : ''}`;
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
        token.onCancellationRequested(() => answer(false));
        return gone;
      });
    });
  }

  notify(severity: Severity, message: string, actions: readonly ActionId[] = []): void {
    const titles = actions.map((action) => ACTION_TITLES[action]);
    const shown =
      severity === 'error'
        ? vscode.window.showErrorMessage(message, ...titles)
        : severity === 'warning'
          ? vscode.window.showWarningMessage(message, ...titles)
          : vscode.window.showInformationMessage(message, ...titles);
    void Promise.resolve(shown).then((chosen) => {
      const action = actions.find((id) => ACTION_TITLES[id] === chosen);
      if (action !== undefined) return this.run(action);
      return undefined;
    });
  }

  async openDocument(options: OpenDocumentOptions): Promise<OpenedDocument> {
    const { document, reused } = await this.deps.opened.open(options);
    return { document: { key: document.uri.toString(), fileName: document.fileName, getText: () => document.getText() }, reused };
  }

  async saveAs(key: string): Promise<string | undefined> {
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === key);
    if (document === undefined) return undefined;
    const saved = await vscode.workspace.saveAs(document.uri);
    if (saved === undefined) return undefined;
    this.deps.opened.moved(key, saved.toString());
    return saved.toString();
  }

  private async run(action: ActionId): Promise<void> {
    const uri = this.deps.documentUri;
    switch (action) {
      case 'show-problems':
        await vscode.commands.executeCommand('workbench.actions.view.problems');
        return;
      case 'open-aws-settings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'iamPolicy.aws');
        return;
      case 'select-profile':
        await vscode.commands.executeCommand('iamPolicy.selectProfile');
        return;
      case 'show-output':
        this.deps.output.show(true);
        return;
      case 'push-again':
        await vscode.commands.executeCommand('iamPolicy.pushAgain', uri);
        return;
      case 'push':
        await vscode.commands.executeCommand('iamPolicy.push', uri);
        return;
    }
  }
}

function choiceItem<T>(choice: Choice<T>): Item<T> {
  return {
    label: choice.label,
    ...(choice.description !== undefined && choice.description !== '' ? { description: choice.description } : {}),
    ...(choice.detail !== undefined ? { detail: choice.detail } : {}),
    ...(choice.current === true ? { picked: true } : {}),
    value: choice.value,
  };
}

function typedItems<T>(typed: TypedChoice<T>): Item<T>[] {
  return [
    { label: 'Typed', kind: vscode.QuickPickItemKind.Separator },
    {
      label: typed.label,
      ...(typed.description !== undefined ? { description: typed.description } : {}),
      ...(typed.detail !== undefined ? { detail: typed.detail } : {}),
      alwaysShow: true,
      typed: true,
      ...(typed.value !== undefined ? { value: typed.value } : {}),
    },
  ];
}
