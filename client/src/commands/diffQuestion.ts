/**
 * The step before replacing something in IAM with the editor's text: IAM's version and the
 * editor's side by side, then the question; the diff closes with the answer. The push
 * commands ask the same way (push.ts); the round-trip commands (managed policy versions, trust
 * policies) use this one function.
 */
import type { CommandUi, ConfirmOptions, DiffOptions } from './ui';

export async function confirmWithDiff(ui: CommandUi, diff: DiffOptions, question: ConfirmOptions): Promise<boolean> {
  const shown = await ui.showDiff(diff);
  try {
    return await ui.confirm(question);
  } finally {
    await shown.close();
  }
}
