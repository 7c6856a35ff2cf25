/**
 * How a document's caches (the statement cache, the grant cache) forget what it no longer
 * uses: each check of the document ticks its clock; an entry notes the tick that used it last;
 * every RECENT_CHECKS ticks, the entries none of the last RECENT_CHECKS used are dropped: the
 * versions of a statement being edited, one a keystroke, each as large as the statement.
 */

/**
 * How many checks of a document an entry is kept without being used: enough to undo a burst of
 * typing, or to mend a broken document, from memory.
 */
export const RECENT_CHECKS = 16;

export class RecencyClock {
  /** Checks so far: the tick an entry notes when it is used. */
  now = 0;
  private swept = 0;

  /** A check begins; true when it is time to forget what is stale (every RECENT_CHECKS ticks). */
  tick(): boolean {
    this.now++;
    if (this.now - this.swept < RECENT_CHECKS) return false;
    this.swept = this.now;
    return true;
  }

  /** Whether an entry last used at `used` has gone RECENT_CHECKS checks unused. */
  stale(used: number): boolean {
    return this.now - used > RECENT_CHECKS;
  }
}
