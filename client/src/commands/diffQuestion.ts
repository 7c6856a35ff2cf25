/**
 * The step before replacing something in IAM with the editor's text: IAM's version and the
 * editor's side by side, then the question, asked beside the diff (its Replace and Cancel are
 * in the diff editor's title bar, vscodeUi.ts) so the diff stays readable until the answer; the
 * diff closes with the answer. The push commands ask the same way (push.ts); the round-trip
 * commands (managed policy versions, trust policies) use this one function. The title bar's
 * yes is labelled Replace, so the questions are put for that answer.
 */
import type { CommandUi, ConfirmOptions, DiffOptions } from './ui';

export const DIFF_ANSWER = 'Replace';

export async function confirmWithDiff(ui: CommandUi, diff: DiffOptions, question: Omit<ConfirmOptions, 'button' | 'aboutDiff'>): Promise<boolean> {
  const shown = await ui.showDiff(diff);
  try {
    return await ui.confirm({ ...question, button: DIFF_ANSWER, aboutDiff: true });
  } finally {
    await shown.close();
  }
}
