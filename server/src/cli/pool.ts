/**
 * Files linted on several threads at once (--jobs, one per core by default): this thread and
 * `jobs - 1` worker threads, each of which loads the bundle and the catalog index once. The
 * files wait in one queue: this thread takes them from the front, in the order it reports
 * them, and the worker threads from the back, a few at a time so they never wait between
 * files. The output is the same with any number of threads, in the files' order.
 *
 * The worker threads run the linter's own entry point (dist/cli/main.js), which serves files
 * when it is not the main thread (./worker.ts). A thread that fails hands its files back: they
 * are linted on this thread instead, so a run never loses a file to a thread.
 */
import { Worker } from 'node:worker_threads';
import type { Target } from './files';
import type { FileResult, LintOptions } from './lint';

/** What a thread needs to lint one file: everything of LintOptions that can be sent. */
export type ThreadOptions = Omit<LintOptions, 'readStdin' | 'catalog'>;

export interface LintTask {
  target: Target;
  options: ThreadOptions;
}

/** Messages between the main thread and a lint thread. */
export interface TaskMessage extends LintTask {
  id: number;
  /** The findings the run reports (--quiet, --hints): a thread sends back only those. */
  report: Reported;
}

export type Reported = 'errors' | 'all but hints' | 'all';

/** The findings a run reports, by its options. */
export function reported<T extends { severity: string }>(findings: T[], report: Reported): T[] {
  if (report === 'errors') return findings.filter((item) => item.severity === 'error');
  if (report === 'all but hints') return findings.filter((item) => item.severity !== 'hint');
  return findings;
}
export type ResultMessage = { id: number; result: FileResult } | { id: number; error: string };

/** Files sent to a thread before it answers: enough that it never waits between files. */
const IN_FLIGHT = 8;

interface Entry {
  id: number;
  task: LintTask;
  result?: Promise<FileResult>;
  resolve?: (result: FileResult) => void;
}

interface Thread {
  worker: Worker;
  inFlight: Map<number, Entry>;
  failed: boolean;
}

export class LintPool {
  private readonly threads: Thread[] = [];
  /** Every task added, in order; the queue is `queue[head..tail)`. */
  private readonly queue: Entry[] = [];
  private readonly byTask = new Map<LintTask, Entry>();
  private head = 0;
  private tail = 0;

  /**
   * @param script the linter's entry point, run on each worker thread
   * @param workers how many worker threads
   * @param report the findings the run reports
   * @param lintHere lints a file on this thread
   */
  constructor(
    script: string,
    workers: number,
    private readonly report: Reported,
    private readonly lintHere: (task: LintTask) => Promise<FileResult>,
  ) {
    for (let i = 0; i < workers; i++) this.threads.push(this.start(script));
  }

  /** Queues the files, in the order their results will be asked for. */
  add(tasks: readonly LintTask[]): void {
    for (const task of tasks) {
      const entry: Entry = { id: this.queue.length, task };
      this.queue.push(entry);
      this.byTask.set(task, entry);
    }
    this.tail = this.queue.length;
    this.dispatch();
  }

  /** A queued file's result: linted here when no worker thread has taken it yet. */
  result(task: LintTask): Promise<FileResult> {
    const entry = this.byTask.get(task);
    if (entry === undefined) return this.lintHere(task);
    this.byTask.delete(task);
    if (entry.result !== undefined) return entry.result;
    // Not sent: the files before it are done, so it is the queue's first.
    if (this.head < this.tail && this.queue[this.head] === entry) this.head++;
    // The worker threads' answers are read between two files here, or they would wait
    // for more until this thread is done with its share.
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.lintHere(task));
  }

  /** Stops the worker threads (once every result is in). */
  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private start(script: string): Thread {
    const worker = new Worker(script, { stdout: false, stderr: false });
    const thread: Thread = { worker, inFlight: new Map(), failed: false };
    // Answers come as JSON text, a few at a time (see ./worker.ts).
    worker.on('message', (text: string) => {
      for (const message of JSON.parse(text) as ResultMessage[]) {
        const entry = thread.inFlight.get(message.id);
        if (entry === undefined) continue;
        thread.inFlight.delete(message.id);
        if ('result' in message) entry.resolve!(message.result);
        else this.fallBack(entry);
      }
      this.dispatch();
    });
    const fail = (): void => {
      if (thread.failed) return;
      thread.failed = true;
      for (const entry of thread.inFlight.values()) this.fallBack(entry);
      thread.inFlight.clear();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    return thread;
  }

  private fallBack(entry: Entry): void {
    void this.lintHere(entry.task).then(entry.resolve);
  }

  /** Sends files from the back of the queue to the worker threads with room, the least busy first. */
  private dispatch(): void {
    while (this.head < this.tail) {
      let best: Thread | undefined;
      for (const thread of this.threads) {
        if (thread.failed || thread.inFlight.size >= IN_FLIGHT) continue;
        if (best === undefined || thread.inFlight.size < best.inFlight.size) best = thread;
      }
      if (best === undefined) return;
      const entry = this.queue[--this.tail];
      entry.result = new Promise((resolve) => (entry.resolve = resolve));
      best.inFlight.set(entry.id, entry);
      const message: TaskMessage = { id: entry.id, report: this.report, ...entry.task };
      best.worker.postMessage(message);
    }
  }
}
