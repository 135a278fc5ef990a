/**
 * One logged-in node-routeros connection as a `Link`: commands with a total deadline, row-by-row
 * reads, listens, one `lost` notification, and library errors mapped to RouterTrapError /
 * RouterConnectionError. Wire limits are enforced inside the patched library (Receiver, Channel);
 * their PROTOCOL errors arrive here like any other loss.
 */
import type { RouterOSAPI, RStream } from 'node-routeros';
import { RouterConnectionError, RouterTrapError } from './errors';
import { formatDuration, type CommandOptions, type Link, type LinkStream, type Row, type WireLimits } from './link';
import type { RouterTarget } from './target';
import type { TlsPeer } from './tls';

// Added by patches/node-routeros+1.6.9.patch.
declare module 'node-routeros' {
  interface IRosOptions {
    limits?: Partial<WireLimits>;
  }
  interface RouterOSAPI {
    destroy(reason?: Error): void;
    writeEach(params: string[], onRow: (row: Row) => void): Promise<number>;
  }
}

interface LibError {
  errno?: unknown;
  code?: unknown;
  message?: unknown;
  category?: unknown;
}

export function asLibError(err: unknown): LibError {
  return typeof err === 'object' && err !== null ? (err as LibError) : { message: String(err) };
}

function where(target: RouterTarget): { host: string; port: number } {
  return { host: target.host, port: target.port };
}

function causeOf(e: LibError, fallback: string): string {
  if (typeof e.message === 'string' && e.message !== '') return e.message;
  if (typeof e.errno === 'string') return e.errno;
  if (typeof e.code === 'string') return e.code;
  return fallback;
}

/** The error a lost connection is reported with: protocol violations and idle timeouts keep their kind. */
export function lossError(reason: unknown, target: RouterTarget): RouterConnectionError {
  if (reason instanceof RouterConnectionError) return reason;
  const e = asLibError(reason);
  if (e.errno === 'PROTOCOL') return new RouterConnectionError('protocol', { ...where(target), cause: causeOf(e, '') });
  if (e.errno === 'SOCKTMOUT') {
    return new RouterConnectionError('closed', { ...where(target), cause: 'no data from the router for too long' });
  }
  return new RouterConnectionError('closed', { ...where(target), cause: causeOf(e, 'connection closed') });
}

/** Maps a library error of a command to our typed errors. */
export function mapCommandError(err: unknown, target: RouterTarget, command: string): Error {
  if (err instanceof RouterConnectionError) return err;
  const e = asLibError(err);
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.errno === 'TRAP') {
    return new RouterTrapError(typeof e.category === 'number' ? e.category : undefined, message, command);
  }
  if (e.errno === 'UNKNOWNREPLY') return new RouterConnectionError('protocol', { ...where(target), cause: message });
  // Every library error carries an errno; one without is what the caller's onRow threw (e.g. a ValidationError).
  if (err instanceof Error && e.errno === undefined) return err;
  return lossError(err, target);
}

/** RStream's 'trap' carries the raw trap fields or (patched) an Error; both become a library error. */
function toTrap(data: unknown): LibError {
  if (data instanceof Error) return data as LibError;
  const d = asLibError(data);
  const category = typeof d.category === 'string' && d.category !== '' ? Number(d.category) : undefined;
  return { errno: 'TRAP', message: d.message, category };
}

export class NodeRouterosLink implements Link {
  private lostListener: ((err: RouterConnectionError) => void) | undefined;
  private closing = false;
  private lost = false;

  constructor(
    private readonly api: RouterOSAPI,
    private readonly target: RouterTarget,
    readonly tls: TlsPeer | undefined,
    private readonly commandTimeoutMs: number,
  ) {
    // The patched library reports every loss as 'close' (and 'error' only to a listener).
    const onGone = (reason?: unknown): void => this.markLost(lossError(reason, target));
    api.on('error', onGone);
    api.on('close', onGone);
  }

  private markLost(err: RouterConnectionError): void {
    if (this.closing || this.lost) return;
    this.lost = true;
    this.lostListener?.(err);
  }

  /** Tears the connection down now: every pending command rejects with `err`, the session hears of it. */
  private fail(err: RouterConnectionError): void {
    if (this.closing || this.lost) return;
    this.api.destroy(err);
    this.markLost(err);
  }

  /**
   * The command's total deadline: a router that answers one byte at a time, or stops mid-reply, is
   * broken, and everything else queued behind it on the same connection is stuck too.
   */
  private withDeadline<T>(command: string, opts: CommandOptions | undefined, run: Promise<T>): Promise<T> {
    const ms = opts?.timeoutMs ?? this.commandTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new RouterConnectionError('timeout', {
          ...where(this.target),
          cause: `no complete reply to ${command} within ${formatDuration(ms)}`,
        });
        this.fail(err);
        reject(err);
      }, ms);
    });
    return Promise.race([run, expired]).finally(() => clearTimeout(timer));
  }

  async write(words: string[], opts?: CommandOptions): Promise<Row[]> {
    const [command = '', ...rest] = words;
    const run = (this.api.write(command, rest) as Promise<Row[]>).catch((err: unknown) => {
      throw mapCommandError(err, this.target, command);
    });
    return this.withDeadline(command, opts, run);
  }

  async each(words: string[], onRow: (row: Row) => void, opts?: CommandOptions): Promise<number> {
    const [command = '', ...rest] = words;
    const run = this.api.writeEach([command, ...rest], onRow).catch((err: unknown) => {
      throw mapCommandError(err, this.target, command);
    });
    return this.withDeadline(command, opts, run);
  }

  stream(words: string[], onRow: (row: Row) => void, onEnd: (err: Error) => void): LinkStream {
    const [command = '', ...rest] = words;
    const s: RStream = this.api.writeStream(command, rest);
    let ended = false;
    const end = (err: Error): void => {
      if (ended) return;
      ended = true;
      onEnd(err);
    };
    s.on('data', (row: Row) => onRow(row));
    s.on('error', () => undefined);
    s.on('trap', (data: unknown) => end(mapCommandError(toTrap(data), this.target, command)));
    return {
      stop: async () => {
        ended = true;
        await s.stop().catch(() => undefined);
      },
    };
  }

  onLost(listener: (err: RouterConnectionError) => void): void {
    this.lostListener = listener;
  }

  async close(opts: { force?: boolean } = {}): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (!opts.force && this.api.connected && !this.lost) {
      // Polite close first; a router that never answers it must not hold us (nor our commands).
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise((r) => (timer = setTimeout(r, 1000)));
      await Promise.race([this.api.close().catch(() => undefined), gaveUp]);
      clearTimeout(timer);
    }
    // Whatever is still pending (a hung router) rejects now instead of at the socket idle timeout.
    const reason = Object.assign(new Error('connection closed by PortPilot'), { errno: 'CONNCLOSED' });
    this.api.destroy(reason);
  }
}
