/**
 * The process-level safety net of the Electron main process and the web-mode host (issue 18): an
 * exception nobody caught, or a promise rejection nobody handled, is logged, the router session is
 * dropped (the most likely source: it is the one long-lived consumer of bytes from the network), and
 * the process keeps running so the user keeps a working window instead of a vanished app or a dead
 * web server. Node's default for both is to end the process (Node docs, "process: Event
 * 'uncaughtException'", and `--unhandled-rejections=throw`, the default since Node 15).
 *
 * This is a net, not a fix: every fault it catches is a bug to fix where it happened, so each one is
 * logged with its stack.
 */

export type FaultKind = 'uncaughtException' | 'unhandledRejection';

export interface ProcessFault {
  kind: FaultKind;
  /** One line for people: what went wrong. */
  message: string;
  stack: string | undefined;
  at: string;
}

export interface FaultGuardDeps {
  log: (line: string) => void;
  /**
   * Drops what the fault may have broken and tells the UI (the entry points pass the router service's
   * disconnect; a reasoned notice in the UI is the services layer's to add). Its own failure is logged,
   * never rethrown. Not called again while a previous call is still running.
   */
  recover?: (fault: ProcessFault) => void | Promise<void>;
  now?: () => Date;
}

function explain(reason: unknown): { message: string; stack: string | undefined } {
  if (reason instanceof Error) {
    const code = (reason as { code?: unknown }).code;
    const prefix = typeof code === 'string' && !reason.message.includes(code) ? `${code}: ` : '';
    return { message: `${prefix}${reason.message || reason.name}`, stack: reason.stack };
  }
  let text: string;
  try {
    text = typeof reason === 'string' ? reason : JSON.stringify(reason);
  } catch {
    text = String(reason);
  }
  return { message: (text ?? String(reason)).slice(0, 500), stack: undefined };
}

/**
 * Handles one fault: log it, then run `recover` unless a recovery is already running. Returns the
 * fault as logged. Never throws (a throwing handler would itself be an uncaught exception).
 */
export function createFaultHandler(deps: FaultGuardDeps): (kind: FaultKind, reason: unknown) => ProcessFault {
  const now = deps.now ?? (() => new Date());
  let recovering = false;
  return (kind, reason) => {
    const { message, stack } = explain(reason);
    const fault: ProcessFault = { kind, message: message.split('\n')[0] ?? '', stack, at: now().toISOString() };
    try {
      deps.log(`${kind === 'uncaughtException' ? 'uncaught exception' : 'unhandled rejection'}: ${fault.message}`);
      if (stack) deps.log(stack);
    } catch {
      // A broken logger (e.g. a closed stderr) must not turn one fault into a crash.
    }
    if (!deps.recover || recovering) return fault;
    recovering = true;
    const done = (): void => {
      recovering = false;
    };
    const failed = (err: unknown): void => {
      done();
      try {
        deps.log(`recovering from the fault failed too: ${explain(err).message}`);
      } catch {
        // see above
      }
    };
    try {
      Promise.resolve(deps.recover(fault)).then(done, failed);
    } catch (err) {
      failed(err);
    }
    return fault;
  };
}

/** The slice of `process` the guard uses (tests pass an EventEmitter). */
export interface ProcessEvents {
  on(event: FaultKind, listener: (reason: unknown) => void): unknown;
  off(event: FaultKind, listener: (reason: unknown) => void): unknown;
}

/** Installs the handlers on `proc`; returns the function that removes them again. */
export function installFaultGuard(proc: ProcessEvents, deps: FaultGuardDeps): () => void {
  const handle = createFaultHandler(deps);
  const onException = (err: unknown): void => void handle('uncaughtException', err);
  const onRejection = (reason: unknown): void => void handle('unhandledRejection', reason);
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}
