/**
 * A lint thread (see ./pool.ts): lints each file the main thread sends with its own copy of
 * the catalog, and sends the result back. Nothing here prints.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Catalog } from 'iam-policy-engine';
import { createCatalog } from '../catalogFiles';
import { lintTarget } from './lint';
import { reported, type ResultMessage, type TaskMessage } from './pool';

export function serveLintThread(port: MessagePort): void {
  // The main thread has said already if the catalog cannot be read; here it is just absent.
  const catalog: Promise<Catalog | undefined> = createCatalog().catch(() => undefined);
  // Answers go back together, once the files that came in together are done: fewer messages.
  let answers: ResultMessage[] = [];
  const flush = (): void => {
    port.postMessage(JSON.stringify(answers));
    answers = [];
  };
  port.on('message', (message: TaskMessage) => {
    void (async () => {
      let answer: ResultMessage;
      try {
        const result = await lintTarget(message.target, {
          ...message.options,
          // Standard input is always linted on the main thread.
          readStdin: () => {
            throw new Error('standard input is read on the main thread');
          },
          catalog: await catalog,
        });
        // What the run does not report need not cross to the main thread.
        result.findings = reported(result.findings, message.report);
        answer = { id: message.id, result };
      } catch (error) {
        answer = { id: message.id, error: error instanceof Error ? error.message : String(error) };
      }
      // As JSON text: one string crosses faster than the structured clone of many small objects.
      if (answers.push(answer) === 1) setImmediate(flush);
    })();
  });
}
