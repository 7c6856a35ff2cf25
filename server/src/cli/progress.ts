/**
 * A one-line progress indicator on standard error, only when it is a terminal and only once
 * a run has taken long enough to be worth it. Whoever writes anything else to the terminal
 * calls `clear()` first; the line comes back at the next update.
 */
import { formatCount } from './report';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  /** Nothing is shown before this many milliseconds. */
  delay?: number;
  /** At most one redraw per this many milliseconds. */
  interval?: number;
  now?: () => number;
}

export class Progress {
  private readonly enabled: boolean;
  private readonly started: number;
  private readonly delay: number;
  private readonly interval: number;
  private readonly now: () => number;
  private lastDraw = -Infinity;
  private shown = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
    options: ProgressOptions = {},
  ) {
    this.enabled = stream.isTTY === true && total > 1;
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.delay = options.delay ?? 300;
    this.interval = options.interval ?? 100;
  }

  /** `done` files of the total are finished; `current` is being read. */
  update(done: number, current: string): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.started < this.delay || now - this.lastDraw < this.interval) return;
    this.lastDraw = now;
    const percent = Math.floor((done * 100) / this.total);
    let line = `Linting ${formatCount(done)}/${formatCount(this.total)} (${percent}%) ${current}`;
    // A terminal that does not report its width (0 or undefined) gets 80 columns.
    const width = (this.stream.columns || 80) - 1;
    if (line.length > width) line = line.slice(0, Math.max(0, width - 1)) + '…';
    this.stream.write(`\r\u001b[2K${line}`);
    this.shown = true;
  }

  /** Erases the line, if shown, so other output starts at the left margin. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\u001b[2K');
    this.shown = false;
    // Redraw at the next update, not before the interval: a burst of output stays readable.
  }
}
