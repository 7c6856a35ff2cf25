/**
 * Every request handler runs inside one guard: a bug in a check or a feature is logged (its
 * stack, never a document's text) and the client gets the empty answer, never an error or a
 * server that went away.
 */
export type Log = (message: string) => void;

/** Logs an internal error caught at a handler's edge. */
export function logInternalError(log: Log, where: string, error: unknown): void {
  log(`Internal error ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}

export function guarded<P extends unknown[], R>(log: Log, where: string, fallback: R, handler: (...params: P) => R | Promise<R>): (...params: P) => Promise<R> {
  return async (...params: P): Promise<R> => {
    try {
      return await handler(...params);
    } catch (error) {
      logInternalError(log, where, error);
      return fallback;
    }
  };
}
