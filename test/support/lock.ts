/**
 * A lock between test processes (node --test runs test files side by side): a directory made
 * atomically by mkdir, holding the owner's pid. Others wait for it; a lock whose owner died
 * (or that has had no owner written long after it was made) is taken over.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const POLL_MS = 250;
/** A lock with no owner written this long after it was made was left by a crash. */
const OWNERLESS_STALE_MS = 30_000;

export interface LockOptions {
  /** How long to wait for the lock before failing; 10 minutes by default. */
  timeoutMs?: number;
  /** What the holder is doing, for the message when waiting gives up. */
  holding?: string;
}

/** Runs `work` holding the lock `lockDir`. */
export async function withLock<T>(lockDir: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquireLock(lockDir, options.timeoutMs ?? 10 * 60_000, options.holding ?? 'working');
  try {
    return await work();
  } finally {
    release();
  }
}

/** Takes the lock directory; resolves to the function that gives it back. */
async function acquireLock(lockDir: string, timeoutMs: number, holding: string): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'owner'), `${process.pid}\n`);
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = lockOwner(lockDir);
    if (owner === undefined ? lockAge(lockDir) > OWNERLESS_STALE_MS : !isAlive(owner)) {
      // Its owner died mid-install (or between mkdir and writing its pid): take it over.
      // The rename is atomic, so of several waiters one takes it.
      const stale = `${lockDir}.stale.${process.pid}`;
      try {
        fs.renameSync(lockDir, stale);
        fs.rmSync(stale, { recursive: true, force: true });
      } catch {
        // another process took it over first
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${lockDir} has been held for over ${timeoutMs / 1000} s by ${owner === undefined ? 'an unknown process' : `process ${owner}`}, ` +
          `${holding}. If no test run is, remove the directory.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Milliseconds since the lock directory was made; 0 when it is gone. */
function lockAge(lockDir: string): number {
  try {
    return Date.now() - fs.statSync(lockDir).mtimeMs;
  } catch {
    return 0;
  }
}

function lockOwner(lockDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(lockDir, 'owner'), 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    // Just made, owner not written yet, or just released.
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
